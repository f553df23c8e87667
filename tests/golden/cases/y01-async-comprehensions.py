# Async comprehensions: async for in list/set/dict comprehensions and generator expressions, await inside comprehensions, and CPython's errors outside async
import asyncio
async def agen(n):
    for i in range(n):
        await asyncio.sleep(0)
        yield i
async def double(x):
    return x * 2
[x async for x in agen(4)]
[x * x async for x in agen(5) if x % 2]
{x % 3 async for x in agen(6)}
{x: str(x) async for x in agen(3)}
[await double(x) for x in [1, 2, 3]]
{x: await double(x) for x in range(3)}
async def collect():
    return [y async for y in agen(3)], sorted({await double(z) for z in range(4)})
await collect()
g = (x + 1 async for x in agen(3))
type(g).__name__
[v async for v in g]
async def through_gen():
    gen = (await double(x) for x in range(3))
    return [v async for v in gen]
await through_gen()
async def nested():
    return [[y async for y in agen(x)] for x in range(3)]
await nested()
def sync_fn():
    return [x async for x in agen(2)]
def sync_await():
    return [await double(x) for x in range(2)]
xs = [1, 2]
_ = [x async for x in xs]
async def not_async_iterable():
    return [x async for x in xs]
_ = await not_async_iterable()
