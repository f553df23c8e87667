# AsyncSession.stream / stream_scalars: AsyncResult and AsyncScalarResult, async for, awaitable fetches; reprs of the async objects
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
s = AsyncSession(async_engine)
print(repr(s).startswith("<sqlalchemy.ext.asyncio.session.AsyncSession object at 0x"))
print(repr(async_engine).startswith("<sqlalchemy.ext.asyncio.engine.AsyncEngine object at 0x"))
print(repr(s.get(User, 1)).startswith("<coroutine object AsyncSession.get at 0x"))
result = await s.stream(select(User.name).where(User.id < 4))
type(result).__name__
async for row in result:
    print(row.name)
result = await s.stream(select(User).order_by(User.id.desc()))
users = await result.scalars().all()
[u.name for u in users]
scalars = await s.stream_scalars(select(User).where(User.id > 6))
type(scalars).__name__
async for u in scalars:
    print(u.id, u.name)
first = await (await s.stream_scalars(select(Role).order_by(Role.name))).first()
first.name
r = await s.stream(select(User.id, User.name).where(User.id == 2))
await r.one()
async for u in await s.stream_scalars(select(User).where(User.id < 3)):
    print(u.role.name)
for x in await s.stream(select(User)):
    print(x)
await s.close()
