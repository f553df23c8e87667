# y35 on asyncpg without its hang: AsyncConnection under asyncio tasks, the last block updating rows the earlier failed ROLLBACK may leave locked on PostgreSQL (asyncpg: "another operation is in progress") left alone (ids 3 and 4)
import asyncio
log = []
c1 = await async_engine.connect()
c2 = await async_engine.connect()
await c1.close()
await c2.close()
async def reader(name, i):
    async with async_engine.connect() as conn:
        log.append(f"{name} in {conn.in_transaction()}")
        n = await conn.scalar(select(User.name).where(User.id == i))
    return n
await asyncio.gather(reader("a", 1), reader("b", 3))
log
log.clear()
conn = await async_engine.connect()
async def use(name, i):
    r = await conn.execute(select(User.name).where(User.id == i))
    log.append(f"{name} {r.scalar()}")
await asyncio.gather(use("x", 1), use("y", 2), use("z", 3))
print(log)
log.clear()
async def commit_then(name):
    await conn.commit()
    log.append(f"{name} committed {conn.in_transaction()}")
async def look(name):
    log.append(f"{name} sees {conn.in_transaction()}")
    n = await conn.scalar(select(func.count(User.id)))
    log.append(f"{name} {n} {conn.in_transaction()}")
await asyncio.gather(commit_then("c"), look("l"))
print(log)
log.clear()
await conn.execute(text("UPDATE users SET name = 'Al' WHERE id = 1"))
async def roll(name):
    await conn.rollback()
    log.append(f"{name} rolled back")
await asyncio.gather(look("k"), roll("r"), use("u", 1))
print(log)
log.clear()
await asyncio.gather(conn.close(), use("v", 2), return_exceptions=True)
print(log, conn.closed)
async def both(conn, name, i):
    await conn.execute(text("UPDATE users SET name = name || :s WHERE id = :i"), {"s": name, "i": i})
    log.append(f"{name} updated")
async with async_engine.begin() as conn:
    await asyncio.gather(both(conn, "!", 3), both(conn, "?", 4))
    log.append(f"in {conn.in_transaction()}")
print(log)
async with async_engine.connect() as conn:
    print((await conn.execute(select(User.name).where(User.id > 2, User.id < 5).order_by(User.id))).all())
