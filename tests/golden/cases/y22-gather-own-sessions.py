# asyncio.gather of coroutines that each use their own AsyncSession: asyncio interleaves them (both BEGINs before either ROLLBACK)
import asyncio
from sqlalchemy.ext.asyncio import async_sessionmaker
factory = async_sessionmaker(async_engine, expire_on_commit=False)
async def names():
    async with factory() as s:
        result = await s.execute(select(User.name).order_by(User.id))
        return result.scalars().all()
async def count():
    async with factory() as s:
        return await s.scalar(select(func.count(Message.id)))
await asyncio.gather(names(), count())
async def get_name(i):
    async with factory() as s:
        u = await s.get(User, i)
        return u.name
await asyncio.gather(get_name(1), get_name(2), get_name(3))
async def main():
    return await asyncio.gather(*[get_name(i) for i in (3, 1)])
asyncio.run(main())
async def one_db_task():
    return await asyncio.gather(get_name(4), asyncio.sleep(0, "no IO"))
asyncio.run(one_db_task())
