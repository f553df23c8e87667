# asyncio.TaskGroup: tasks made in the block run concurrently; the block's exit waits for them all
import asyncio
from sqlalchemy.ext.asyncio import async_sessionmaker
factory = async_sessionmaker(async_engine)
log = []
async def step(name, n):
    for i in range(n):
        log.append(f"{name}{i}")
        await asyncio.sleep(0)
    return name
async def main():
    async with asyncio.TaskGroup() as tg:
        a = tg.create_task(step("a", 2))
        b = tg.create_task(step("b", 3))
        log.append("made")
    log.append("exited")
    return [a.result(), b.result(), log]
asyncio.run(main())
async def email(i):
    async with factory() as s:
        return (await s.get(User, i)).email
async def emails():
    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(email(2)), tg.create_task(step("d", 2))]
    return [t.result() for t in tasks]
asyncio.run(emails())
async def too_early():
    tg = asyncio.TaskGroup()
    try:
        tg.create_task(step("c", 1))
    except RuntimeError as e:
        return str(e)
asyncio.run(too_early())
