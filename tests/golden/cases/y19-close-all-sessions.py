# close_all_sessions() (sqlalchemy.orm, and the awaitable one of sqlalchemy.ext.asyncio), AsyncSession.close_all() deprecated
import asyncio
from sqlalchemy.ext.asyncio import AsyncSession, close_all_sessions as async_close_all
s3 = Session(engine)
s3.get(User, 2)
close_all_sessions()
len(s3.identity_map)
s3.in_transaction()
s1 = AsyncSession(async_engine)
u = await s1.get(User, 1)
u in s1
s1.in_transaction()
await AsyncSession.close_all()
u in s1
s1.in_transaction()
s2 = AsyncSession(async_engine)
m = await s2.get(Message, 1)
s4 = Session(engine)
s4.get(User, 3)
await async_close_all()
m in s2
len(s4.identity_map)
a = AsyncSession(async_engine)
u = await a.get(User, 4)
close_all_sessions()
a.in_transaction()
await a.close()
type(close_all_sessions).__name__
type(async_close_all).__name__
close_all_sessions(1)
async_close_all(1)
