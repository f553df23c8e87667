# AsyncSession.get_one/connection()/get_bind()/get_transaction()/get_nested_transaction()/in_nested_transaction()/identity_key/object_session/reset/info/sync_session_class, and bind only when given
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
s = AsyncSession(async_engine)
(await s.get_one(User, 2)).name
try:
    await s.get_one(User, 99)
except Exception as e:
    print(type(e).__name__, e)
c = await s.connection()
type(c).__name__
(await c.scalar(select(func.count()).select_from(User)))
b = s.get_bind()
type(b).__name__
s.get_transaction() is not None
s.in_nested_transaction()
s.info
s.identity_key(User, 1)
AsyncSession.identity_key(User, 1)
s.object_session(await s.get(User, 1)) is s.sync_session
await s.reset()
s.in_transaction()
s.sync_session_class
await s.close()
Factory = async_sessionmaker(async_engine, expire_on_commit=False)
async with Factory() as s:
    conn = await s.connection()
    print(type(conn).__name__, conn.in_transaction())
    print((await conn.execute(select(User.name).where(User.id == 2))).scalar_one())
    u = await s.get_one(User, 3, options=[selectinload(User.messages)])
    print(u.name, len(u.messages))
    print(s.get_bind() is async_engine.sync_engine, s.bind is async_engine)
    print(s.get_transaction() is not None, s.in_transaction())
    s.sync_session.get_bind() is s.get_bind()
async with Factory() as s:
    async with s.begin():
        print(s.in_nested_transaction())
        nested = await s.begin_nested()
        print(s.in_nested_transaction(), type(s.get_nested_transaction()).__name__)
        await nested.rollback()
        print(s.in_nested_transaction())
s = Factory()
try:
    await s.get_one(User, 42)
except NoResultFound as e:
    print("NoResultFound:", e)
await s.close()
s = Factory()
s.get_transaction()
type(s.get_one(User, 1)).__name__
s.sync_session_class
s.info["k"] = 1
s.info
s.sync_session.info
await s.reset()
await s.close()
s.bind
AsyncSession().bind
AsyncSession(bind=async_engine).get_bind() is async_engine.sync_engine
