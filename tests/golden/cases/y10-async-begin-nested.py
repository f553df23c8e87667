# AsyncSession.begin_nested(): SAVEPOINTs released at the end of async with, rolled back when the block raised, and awaited with commit()
from sqlalchemy.ext.asyncio import AsyncSession
s = AsyncSession(async_engine)
async with s.begin():
    s.add(Role(name="outer"))
    async with s.begin_nested():
        s.add(Role(name="inner"))
    try:
        async with s.begin_nested():
            s.add(Role(name="bad"))
            raise ValueError("x")
    except ValueError:
        pass
(await s.scalars(select(Role.name).order_by(Role.id))).all()
sp = await s.begin_nested()
type(sp).__name__
s.add(Role(name="kept"))
await sp.commit()
await s.commit()
(await s.scalars(select(Role.name).order_by(Role.id))).all()
await s.close()
