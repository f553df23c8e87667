# async with AsyncSession / session.begin() / async_sessionmaker(expire_on_commit=False) / engine.begin() + run_sync
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
SessionLocal = async_sessionmaker(async_engine, expire_on_commit=False)
type(SessionLocal).__name__
async with SessionLocal() as session:
    m = Message(user_id=2, content="async hello")
    session.add(m)
    await session.commit()
    print(m.id, m.content)
async with AsyncSession(async_engine) as session:
    async with session.begin():
        session.add(Message(user_id=3, content="in a transaction"))
    n = await session.scalar(select(func.count(Message.id)))
    print(n)
async with AsyncSession(async_engine) as session:
    try:
        async with session.begin():
            session.add(Message(user_id=3, content="rolled back"))
            raise ValueError("stop")
    except ValueError:
        print("rolled back")
    print(await session.scalar(select(func.count(Message.id))))
async def count_users(sync_session):
    return 0
def names(sync_session):
    return [u.name for u in sync_session.scalars(select(User).where(User.id < 4))]
async with AsyncSession(async_engine) as session:
    print(await session.run_sync(names))
async with async_engine.begin() as conn:
    await conn.run_sync(Base.metadata.create_all)
