# tasks inside tasks (their order), asyncio.run inside a task, a lazy load in gathered tasks (MissingGreenlet), a task left pending when asyncio.run ends
import asyncio
from sqlalchemy.ext.asyncio import AsyncSession
async def inner(i):
    async with AsyncSession(async_engine) as s:
        u = await s.get(User, i)
        return u.name
log = []
async def leaf(name):
    log.append(name + " start")
    await asyncio.sleep(0)
    log.append(name + " end")
    return name
async def outer(a, b):
    return await asyncio.gather(leaf(a), leaf(b))
await asyncio.gather(outer("a", "b"), outer("c", "d"))
log
async def nested_run():
    asyncio.run(inner(1))
await asyncio.gather(nested_run(), return_exceptions=True)
async def lazy(i):
    async with AsyncSession(async_engine) as s:
        u = await s.get(User, i)
        return u.role.name
r = await asyncio.gather(lazy(1), asyncio.sleep(0, "x"), return_exceptions=True)
[type(x).__name__ for x in r]
async def mk():
    return asyncio.create_task(inner(5))
t = asyncio.run(mk())
t.done()
t.cancelled()
asyncio.create_task(inner(1))
async def waits_for_task():
    t = asyncio.create_task(inner(6))
    return [t.done(), await t, t.done(), t.result(), t.exception()]
asyncio.run(waits_for_task())
async def cancels():
    t = asyncio.create_task(asyncio.sleep(1))
    await asyncio.sleep(0)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        return ["cancelled", t.cancelled()]
asyncio.run(cancels())
