# asyncio.gather of tasks that each insert and commit through their own AsyncSession: both BEGINs, then both COMMITs
import asyncio
from sqlalchemy.ext.asyncio import async_sessionmaker
factory = async_sessionmaker(async_engine, expire_on_commit=False)
async def add_role(name):
    async with factory() as s:
        r = Role(name=name)
        s.add(r)
        await s.commit()
        return r.name
await asyncio.gather(add_role("auditor"), add_role("owner"))
async def names():
    async with factory() as s:
        return (await s.scalars(select(Role.name).order_by(Role.name))).all()
await names()
