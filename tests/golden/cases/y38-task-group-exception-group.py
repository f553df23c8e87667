# asyncio.TaskGroup: a failing task cancels the others and the block's exit raises an ExceptionGroup of every failure
import asyncio
log = []
async def fail(name, delay):
    await asyncio.sleep(delay)
    log.append(f"{name} fails")
    raise ValueError(f"{name} broke")
async def slow(name):
    try:
        await asyncio.sleep(1)
        log.append(f"{name} done")
    except asyncio.CancelledError:
        log.append(f"{name} cancelled")
        raise
async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fail("a", 0))
            tg.create_task(slow("s"))
    except ExceptionGroup as eg:
        return [type(eg).__name__, str(eg), eg.message, [repr(e) for e in eg.exceptions]]
asyncio.run(main())
log
async def two():
    got = None
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fail("b", 0))
            tg.create_task(fail("c", 0))
    except* ValueError as eg:
        got = [str(e) for e in eg.exceptions]
    return got
asyncio.run(two())
async def uncaught():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(fail("d", 0))
asyncio.run(uncaught())
