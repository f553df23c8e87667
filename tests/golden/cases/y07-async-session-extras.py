# AsyncSession.refresh(obj, ["attr"]), stream_scalars, run_sync(lambda s: ...), invalidate, get_bind-free extras
from sqlalchemy.ext.asyncio import AsyncSession
s = AsyncSession(async_engine)
u = await s.get(User, 3)
await s.refresh(u, ["messages"])
len(u.messages)
await s.refresh(u, ["role", "name"])
u.role.name
async for m in await s.stream_scalars(select(Message).where(Message.user_id == 3).order_by(Message.id)):
    print(m.id)
await s.run_sync(lambda ss: ss.get(User, 4).name)
await s.run_sync(lambda ss, n: ss.scalar(select(func.count()).select_from(User).where(User.id > n)), 5)
def sync_work(ss):
    user = ss.get(User, 5)
    return [m.id for m in user.messages]
await s.run_sync(sync_work)
await s.invalidate()
s.in_transaction()
(await s.get(User, 1)).name
await s.close()
