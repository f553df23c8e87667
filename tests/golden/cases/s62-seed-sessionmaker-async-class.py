# Seed 004's async session factory pasted with a sqlite+aiosqlite:// URL: sessionmaker(engine, class_=AsyncSession, expire_on_commit=False) makes AsyncSessions; its get_db() async generator
from sqlalchemy.ext.asyncio import create_async_engine, AsyncSession
from sqlalchemy.orm import sessionmaker

engine = create_async_engine(
    "sqlite+aiosqlite://",
    echo=False
)

async_session = sessionmaker(
    engine, class_=AsyncSession, expire_on_commit=False
)

async def get_db() -> AsyncSession:
    async with async_session() as session:
        yield session

print(type(async_session).__name__)
print(async_session)
async for db in get_db():
    print(isinstance(db, AsyncSession), db.bind is engine)
    r = await db.execute(text("SELECT 1 + 1"))
    print(r.scalar())
async with async_session() as s:
    print((await s.execute(text("SELECT 'x'"))).scalar_one())
s = async_session(expire_on_commit=True)
print(isinstance(s, AsyncSession))
await s.close()
