# AsyncEngine.connect()/begin() and AsyncConnection: execute, scalar, scalars, stream, stream_scalars, run_sync, commit; AsyncResult all/unique/partitions
from sqlalchemy.ext.asyncio import create_async_engine
async with async_engine.connect() as conn:
    r = await conn.execute(select(User.id, User.name).where(User.id < 3))
    print(r.all())
    print(await conn.scalar(select(func.count(User.id))))
    print((await conn.scalars(select(Role.name).order_by(Role.name))).all())
    await conn.execute(text("UPDATE users SET name = 'renamed' WHERE id = 1"))
    await conn.commit()
async with async_engine.connect() as conn:
    result = await conn.stream(select(User.id, User.name).where(User.id < 6).order_by(User.id))
    async for row in result:
        print(row.id, row.name)
async with async_engine.connect() as conn:
    result = await conn.stream(select(User.id).order_by(User.id))
    async for part in result.partitions(3):
        print(part)
async with async_engine.connect() as conn:
    sr = await conn.stream_scalars(select(User.name).where(User.id < 4).order_by(User.id))
    print(await sr.all())
async with async_engine.connect() as conn:
    ur = await conn.stream(select(User.role_id).order_by(User.role_id))
    print(await ur.unique().all())
conn = await async_engine.connect()
type(conn).__name__
await conn.scalar(select(User.name).where(User.id == 1))
await conn.close()
async with async_engine.begin() as conn:
    await conn.execute(text("UPDATE users SET name = 'again' WHERE id = 1"))
async with async_engine.begin() as conn:
    await conn.run_sync(lambda c: print(type(c).__name__))
    await conn.run_sync(lambda c, n: print(c.execute(select(User.name).where(User.id == n)).scalar()), 1)
e2 = create_async_engine("sqlite+aiosqlite://")
async with e2.begin() as conn:
    await conn.execute(text("CREATE TABLE t (x INTEGER)"))
    await conn.execute(text("INSERT INTO t VALUES (1), (2)"))
async with e2.connect() as conn:
    print((await conn.execute(text("SELECT x FROM t"))).all())
await e2.dispose()
