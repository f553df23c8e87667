# engine.dispose() empties an in-memory database (create_async_engine("sqlite+aiosqlite://"), create_engine("sqlite://")): its one connection closes; the fixture's engines keep their data
from sqlalchemy.ext.asyncio import create_async_engine, AsyncSession
eng = create_async_engine("sqlite+aiosqlite://")
async with eng.begin() as conn:
    await conn.run_sync(Base.metadata.create_all)
async with AsyncSession(eng) as s:
    s.add(Role(name="x"))
    await s.commit()
async with AsyncSession(eng) as s:
    print(await s.scalar(select(func.count()).select_from(Role)))
await eng.dispose()
async with AsyncSession(eng) as s:
    print(await s.scalar(select(func.count()).select_from(Role)))
async with eng.begin() as conn:
    await conn.run_sync(Base.metadata.create_all)
async with AsyncSession(eng) as s:
    print(await s.scalar(select(func.count()).select_from(Role)))
e2 = create_engine("sqlite://")
Base.metadata.create_all(e2)
with Session(e2) as s:
    s.add(Role(name="y"))
    s.commit()
    print(s.scalar(select(func.count()).select_from(Role)))
e2.dispose()
with Session(e2) as s:
    print(s.scalar(select(func.count()).select_from(Role)))
await async_engine.dispose()
async with AsyncSession(async_engine) as s:
    print(await s.scalar(select(func.count()).select_from(User)))
engine.dispose()
session.scalar(select(func.count()).select_from(User))
