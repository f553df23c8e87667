# AsyncSession: await session.begin(), sync proxies, attribute errors, sync_session, aclose
from sqlalchemy.ext.asyncio import AsyncSession
s = AsyncSession(async_engine)
t = await s.begin()
type(t).__name__
s.add(Message(user_id=5, content="pending"))
len(s.new)
type(s.sync_session).__name__
await s.rollback()
len(s.new)
s.nonsense
s.comit
type(async_engine).__name__
type(async_engine.sync_engine).__name__
u = await s.get(User, 5)
s.expire(u)
u.name
await s.refresh(u)
u.name
await s.aclose()
