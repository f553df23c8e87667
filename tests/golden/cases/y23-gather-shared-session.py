# one AsyncSession shared by asyncio.gather'd tasks: SQLAlchemy refuses while the session is connecting
import asyncio
from sqlalchemy.ext.asyncio import AsyncSession
async def fetch(session, i):
    return await session.get(User, i)
async def main():
    session = AsyncSession(async_engine)
    users = await asyncio.gather(fetch(session, 1), fetch(session, 2))
    print(users)
asyncio.run(main())
async def main2():
    async with AsyncSession(async_engine) as session:
        try:
            await asyncio.gather(fetch(session, 1), fetch(session, 2))
        except Exception as e:
            print(type(e).__name__, e)
asyncio.run(main2())
