# a task made with asyncio.create_task doing database IO while main awaits its own session: asyncio interleaves them
import asyncio
from sqlalchemy.ext.asyncio import AsyncSession
async def name(i):
    async with AsyncSession(async_engine) as s:
        return (await s.get(User, i)).name
async def main():
    t = asyncio.create_task(name(2))
    mine = await name(1)
    return [mine, await t]
asyncio.run(main())
async def failing():
    async with AsyncSession(async_engine) as s:
        u = await s.get(User, 99)
        return u.name
async def main2():
    return await asyncio.gather(name(3), failing(), return_exceptions=True)
r = asyncio.run(main2())
[type(x).__name__ for x in r]
r[0]
str(r[1])
