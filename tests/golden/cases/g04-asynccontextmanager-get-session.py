# The seeds' async get_session(): an async generator around async with, used by asynccontextmanager and async for
from contextlib import asynccontextmanager
from sqlalchemy.ext.asyncio import async_sessionmaker
async_session = async_sessionmaker(async_engine, expire_on_commit=False)
async def get_db():
    async with async_session() as session:
        yield session
get_session = asynccontextmanager(get_db)
async with get_session() as session:
    u = await session.get(User, 1)
    print(u.name)
    session.add(Message(user_id=1, content="async cm"))
    await session.commit()
    print("end of block")
async for session in get_db():
    print(await session.scalar(select(func.count(Message.id))))
    print("end of body")
agen = get_db()
type(agen).__name__
session = await agen.__anext__()
(await session.get(User, 2)).name
await agen.aclose()
session.in_transaction()
async def transactional_scope():
    async with async_session() as session:
        try:
            yield session
            await session.commit()
        except Exception:
            await session.rollback()
            raise
scope = asynccontextmanager(transactional_scope)
async with scope() as session:
    session.add(Message(user_id=2, content="committed async"))
try:
    async with scope() as session:
        session.add(Message(user_id=2, content="rolled back async"))
        await session.flush()
        raise ValueError("async boom")
except ValueError as e:
    print("caught", e)
async with scope() as session:
    print(await session.scalar(select(func.count(Message.id))))
