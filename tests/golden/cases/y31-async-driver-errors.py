# Driver errors through async_engine: a duplicate email on flush (IntegrityError), a failing SELECT, then rollback and go on; on PostgreSQL the asyncpg dialect's texts
from sqlalchemy.ext.asyncio import AsyncSession
s = AsyncSession(async_engine)
s.add(User(name="Dup", email="alice@example.com"))
try:
    await s.flush()
except IntegrityError as e:
    print(type(e).__name__)
    print(str(e).split("\n")[0])
await s.rollback()
try:
    await s.execute(text("SELECT nope FROM users"))
except DBAPIError as e:
    print(type(e).__name__, str(e).split("\n")[0])
await s.rollback()
try:
    await s.execute(select(User.id / 0))
except DBAPIError as e:
    print(type(e).__name__, str(e).split("\n")[0])
await s.rollback()
(await s.execute(select(func.count(User.id)))).scalar()
await s.close()
