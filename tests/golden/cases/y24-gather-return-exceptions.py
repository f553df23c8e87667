# asyncio.gather(..., return_exceptions=True): a task's exception is its result; without it the first one is raised
import asyncio
async def ok(x):
    await asyncio.sleep(0)
    return x * 2
async def boom(msg):
    raise ValueError(msg)
async def main():
    return await asyncio.gather(ok(1), boom("bad"), ok(3), return_exceptions=True)
r = asyncio.run(main())
r
type(r[1]).__name__
print(r)
async def main2():
    try:
        await asyncio.gather(ok(1), boom("first"), boom("second"))
    except ValueError as e:
        print("caught", e)
asyncio.run(main2())
await asyncio.gather()
await asyncio.gather(ok(2), return_exceptions=False)
