# async_sessionmaker.begin(), a session with s.begin() in one async with, AsyncMappingResult from stream().mappings(), AsyncConnection.exec_driver_sql
from sqlalchemy.ext.asyncio import async_sessionmaker, AsyncSession, create_async_engine
factory = async_sessionmaker(async_engine, expire_on_commit=False)
async with factory.begin() as s:
    s.add(Role(name="x"))
async with factory() as s, s.begin():
    print((await s.scalars(select(Role.name).order_by(Role.id))).all())
async with factory() as s:
    r = await s.stream(select(Role.id, Role.name).order_by(Role.id))
    print(await r.mappings().all())
async with factory() as s:
    r = await s.stream(select(Role.name).order_by(Role.id))
    m = r.mappings()
    print(type(m).__name__)
    async for row in m:
        print(row["name"])
async with async_engine.connect() as c:
    print((await c.exec_driver_sql("SELECT count(*) FROM roles")).scalar())
type(factory.begin()).__name__
e3 = create_async_engine("sqlite+aiosqlite://")
print(e3.url, e3.sync_engine.url)
print(repr(e3.url))
