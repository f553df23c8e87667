# AsyncResult/AsyncScalarResult/AsyncMappingResult: columns, tuples, t, freeze, yield_per, partitions, fetchmany, close/closed, mappings
from sqlalchemy.ext.asyncio import AsyncSession
s = AsyncSession(async_engine)
r = await s.stream(select(User.id, User.name).order_by(User.id))
r.keys()
await r.fetchmany(2)
await r.fetchone()
r2 = await s.stream(select(User.id, User.name).order_by(User.id))
await r2.columns("name").all()
r3 = await s.stream(select(User.id, User.name).order_by(User.id))
await r3.tuples().first()
r3b = await s.stream(select(User.id, User.name).order_by(User.id))
row = await r3b.t().first()
r4 = await s.stream(select(User.id, User.name).order_by(User.id))
f = await r4.freeze()
type(f).__name__
f().all()
r5 = await s.stream(select(User.id).order_by(User.id))
await r5.yield_per(3).fetchmany()
r6 = await s.stream(select(User.id, User.name).order_by(User.id))
await r6.mappings().first()
r7 = await s.stream(select(User.id, User.name).order_by(User.id))
async for part in r7.partitions(3):
    print([tuple(x) for x in part])
r8 = await s.stream(select(User.name).order_by(User.id))
await r8.scalars().fetchmany(2)
await r8.scalars().fetchall()
r9 = await s.stream_scalars(select(User.name).order_by(User.id))
await r9.first()
r9.closed
r10 = await s.stream_scalars(select(User.name).order_by(User.id))
row = await r10.one_or_none()
r11 = await s.stream_scalars(select(User.name).where(User.id == 1))
await r11.one()
r12 = await s.stream_scalars(select(User.role_id).order_by(User.id))
await r12.unique().all()
r13 = await s.stream_scalars(select(User.name).order_by(User.id))
async for part in r13.partitions(5):
    print(part)
r14 = await s.stream_scalars(select(User.name).order_by(User.id))
await r14.yield_per(2).all()
r15 = await s.stream_scalars(select(User.name).order_by(User.id))
await r15.close()
r15.closed
r16 = await s.stream(select(User.name).order_by(User.id))
await r16.scalar()
r16.closed
r17 = await s.stream(select(User.name).order_by(User.id))
row = await r17.scalar_one_or_none()
r18 = await s.stream(select(User.id, User.name).order_by(User.id))
[tuple(x) async for x in r18]
r19 = await s.stream_scalars(select(User.name).order_by(User.id))
[x async for x in r19]
r20 = await s.stream(select(User.id, User.name).order_by(User.id))
async for x in r20.mappings():
    print(dict(x))
    break
r21 = await s.stream(select(User.id, User.name).order_by(User.id))
m = r21.mappings()
await m.fetchmany(2)
await m.fetchone()
m.keys()
await m.columns("name").first()
r22 = await s.execute(select(User.id, User.name).order_by(User.id))
type(r22).__name__
await s.close()
