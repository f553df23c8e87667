# async def, await, coroutines, asyncio.run/gather/sleep, async errors, as python -m asyncio
# (a step that raises inside a top-level await assigns its result: the oracle would record the unfinished coroutine as the value of a bare `await` expression)
import asyncio
async def double(x):
    await asyncio.sleep(0)
    return x * 2
c = double(2)
type(c).__name__
print(repr(c).startswith("<coroutine object double at 0x"))
await c
_ = await c
async def main():
    a = await double(3)
    b = await asyncio.gather(double(1), double(5))
    return [a, b]
asyncio.run(main())
await main()
await asyncio.sleep(0, result="done")
r = double(1)
r.title
_ = await 1
asyncio.run(1)
_ = await asyncio.gather(double(1), 2)
async def nested():
    return asyncio.run(double(1))
_ = await nested()
async def fails():
    raise ValueError("boom")
try:
    await fails()
except ValueError as e:
    print("caught", e)
async def loop_total(n):
    total = 0
    for i in range(n):
        total += await double(i)
    return total
await loop_total(4)
async def with_default(x, y=10):
    return x + y
await with_default(1)
await with_default(1, y=2)
async def f():
    async with 1:
        pass
_ = await f()
async def g():
    async for x in [1, 2]:
        print(x)
_ = await g()
