# AsyncSession over a sync Engine is SQLAlchemy's ArgumentError, at once or when an async_sessionmaker makes it
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
s = AsyncSession(engine)
factory = async_sessionmaker(engine)
factory()
s = AsyncSession(async_engine.sync_engine)
s = AsyncSession(async_engine)
(await s.get(User, 1)).name
await s.close()
async_engine.sync_engine is engine
type(async_engine.sync_engine).__name__
