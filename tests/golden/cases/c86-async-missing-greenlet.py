# The MissingGreenlet trap: lazy loads and expired attributes outside await, and the fixes
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
session = AsyncSession(async_engine)
movie = Message(user_id=1, content="a new message")
session.add(movie)
await session.commit()
print(movie.id)
print(movie.content)
await session.refresh(movie, ["id"])
print(movie.id)
async def roles_n_plus_one(db):
    result = await db.execute(select(User))
    users = result.scalars().all()
    for user in users:
        print(user.role.name)
_ = await roles_n_plus_one(session)
async def roles_selectin(db):
    result = await db.execute(select(User).options(selectinload(User.role)))
    for user in result.scalars().all():
        print(user.name, user.role.name if user.role else None)
await roles_selectin(session)
async def roles_joined(db):
    result = await db.execute(select(User).options(joinedload(User.messages)))
    users = result.unique().scalars().all()
    return [(u.name, len(u.messages)) for u in users]
await roles_joined(session)
await session.close()
Local = async_sessionmaker(async_engine, expire_on_commit=False)
async with Local() as s2:
    m = await s2.get(Message, 1)
    await s2.commit()
    print(m.content)
print(m.content)
m.user
async def get_user_role(db, user_id):
    user = await db.get(User, user_id)
    role_name = user.role.name
    print(f"User has role: {role_name}")
async with AsyncSession(async_engine) as db:
    await get_user_role(db, 1)
async with AsyncSession(async_engine) as db:
    u = await db.get(User, 2)
    role = await db.run_sync(lambda s: u.role)
    print(role.name)
