# one AsyncSession shared by gathered tasks when its engine's pool has an idle connection: no connect to wait on, so no "provisioning" error
import asyncio
from sqlalchemy.ext.asyncio import AsyncSession
async def fetch(session, i):
    return (await session.get(User, i)).name
async def warm():
    async with AsyncSession(async_engine) as s:
        return (await s.get(User, 1)).name
asyncio.run(warm())
async def main():
    async with AsyncSession(async_engine) as session:
        return await asyncio.gather(fetch(session, 2), fetch(session, 3))
asyncio.run(main())
async def commit_while_connecting():
    s1 = AsyncSession(async_engine)
    s2 = AsyncSession(async_engine)
    s3 = AsyncSession(async_engine)
    async def use(s, i):
        return (await s.get(User, i)).name
    try:
        return await asyncio.gather(use(s1, 1), use(s2, 2), use(s3, 3), s3.commit())
    except Exception as e:
        print(type(e).__name__, e)
asyncio.run(commit_while_connecting())
