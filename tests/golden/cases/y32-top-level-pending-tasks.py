# top-level await runs one event loop for the whole script, as `python -m asyncio`: a task a step leaves pending goes on at a later step's await (not at a step without one, nor inside asyncio.run's own loop)
import asyncio
from sqlalchemy.ext.asyncio import AsyncSession
log = []
async def work(name, n):
    for i in range(n):
        log.append(f"{name}{i}")
        await asyncio.sleep(0)
    return name
async def spawn(name, n):
    return asyncio.create_task(work(name, n))
t = await spawn("a", 4)
log
t.done()
await asyncio.sleep(0)
log
t2 = await spawn("b", 2)
await asyncio.sleep(0)
log
await t
log
t2.done()
t3 = await spawn("c", 3)
asyncio.run(work("d", 2))
log
t3.done()
await t3
log
async def user_name(i):
    async with AsyncSession(async_engine) as s:
        return (await s.get(User, i)).name
async def spawn_get(i):
    return asyncio.create_task(user_name(i))
t4 = await spawn_get(1)
t4.done()
await t4
t4.done()
t5 = await spawn_get(2)
await asyncio.gather(user_name(3), t5)
log
