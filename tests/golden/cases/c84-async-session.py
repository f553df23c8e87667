# AsyncSession on async_engine: awaitable get/execute/scalars/scalar/commit/refresh/delete/flush/rollback/close, sync add
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
s = AsyncSession(async_engine)
type(s).__name__
u = await s.get(User, 1)
print(u.name)
result = await s.execute(select(User).where(User.id < 3))
[x.name for x in result.scalars().all()]
users = (await s.scalars(select(User).order_by(User.id))).all()
len(users)
await s.scalar(select(func.count(User.id)))
m = Message(user_id=1, content="hi")
s.add(m)
await s.flush()
m.id
await s.commit()
await s.refresh(m)
print(m.id, m.content)
await s.delete(m)
await s.commit()
await s.get(Message, m.id)
u2 = await s.get(User, 2)
u2.name = "Robert"
await s.rollback()
await s.refresh(u2)
u2.name
await s.close()
g = s.get(User, 1)
type(g).__name__
g.name
await g
with s:
    pass
await s.close()
