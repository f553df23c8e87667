# one AsyncSession shared by gathered tasks while it commits, rolls back or closes: aiosqlite's COMMIT and ROLLBACK yield to the loop, so the other task meets the session mid-change, as SQLAlchemy's state checks say
import asyncio
from sqlalchemy.ext.asyncio import AsyncSession
async def name_of(s, i):
    return (await s.get(User, i)).name
async def during(method):
    s = AsyncSession(async_engine)
    await s.get(User, 1)
    try:
        return await asyncio.gather(getattr(s, method)(), name_of(s, 2))
    except Exception as e:
        print(type(e).__name__, e)
    finally:
        await s.close()
r = await during("commit")
await during("rollback")
await during("close")
async def after(method):
    s = AsyncSession(async_engine)
    await s.get(User, 1)
    return await asyncio.gather(name_of(s, 2), getattr(s, method)(), return_exceptions=True)
r = await after("commit")
[type(x).__name__ for x in r]
r = await after("rollback")
[type(x).__name__ for x in r]
asyncio.run(during("commit"))
