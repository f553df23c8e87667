# create_async_engine(url, echo=True): an AsyncConnection's and an AsyncSession's statements are logged as a sync engine's, BEGIN/COMMIT/ROLLBACK included
import asyncio
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine, AsyncSession
aeng = create_async_engine("sqlite+aiosqlite://", echo=True)
aeng.echo
async def main():
    async with aeng.begin() as conn:
        await conn.execute(text("CREATE TABLE t (x INTEGER)"))
        await conn.execute(text("INSERT INTO t (x) VALUES (:x)"), [{"x": 1}, {"x": 2}])
    async with AsyncSession(aeng) as session:
        result = await session.execute(text("SELECT x FROM t ORDER BY x"))
        print(result.all())
    await aeng.dispose()
asyncio.run(main())
