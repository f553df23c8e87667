# Lesson 4.18.7: an AsyncSession's query, the expired attribute and the lazy load that raise MissingGreenlet, and the fixes
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
db = AsyncSession(async_engine)
result = await db.execute(select(User).order_by(User.id))
users = result.scalars().all()
print([u.name for u in users])
m = Message(user_id=1, content="Hello from async")
db.add(m)
await db.commit()
print(m.id)
await db.refresh(m)
print(m.id, m.content)
result = await db.execute(select(User).order_by(User.id))
for user in result.scalars().all():
    print(user.name, user.role.name if user.role else None)
result = await db.execute(select(User).options(selectinload(User.role)).order_by(User.id))
for user in result.scalars().all():
    print(user.name, user.role.name if user.role else None)
await db.close()
Local = async_sessionmaker(async_engine, expire_on_commit=False)
async with Local() as s:
    m2 = Message(user_id=2, content="kept after commit")
    s.add(m2)
    await s.commit()
    print(m2.id, m2.content)
print(m2.content)
