# Engine.name and Engine.driver, sync and async (aiosqlite, pysqlite)
from sqlalchemy.ext.asyncio import create_async_engine
eng = create_async_engine("sqlite+aiosqlite://")
eng.name
eng.driver
eng.sync_engine.driver
engine.name
engine.driver
async_engine.driver
create_engine("sqlite://").driver
create_engine("sqlite+pysqlite:///:memory:").driver
