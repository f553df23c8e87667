# The async functions of the seed documents (000, 003) on the chat models, with their MissingGreenlet traps and fixes
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy import or_, and_
async def get_all_users(db):
    result = await db.execute(select(User))
    users = result.scalars().all()
    return users
async def get_user_by_id(db, user_id):
    result = await db.execute(
        select(User).where(User.id == user_id)
    )
    user = result.scalar_one_or_none()
    return user
async def filter_with_or(db):
    result = await db.execute(
        select(User).where(
            or_(
                User.name == "john",
                User.email == "bob@example.com"
            )
        )
    )
    users = result.scalars().all()
    return users
async def get_users_descending(db):
    result = await db.execute(
        select(User).order_by(User.created_at.desc())
    )
    users = result.scalars().all()
    return users
async def get_users_with_roles(db):
    result = await db.execute(
        select(User).options(joinedload(User.role))
    )
    users = result.unique().scalars().all()
    for user in users:
        print(user.role.name if user.role else None)
    return users
async def get_user_groups(db, user_id):
    user = await db.get(User, user_id)
    for group in user.groups:
        print(group.name)
async def get_message_by_id(session, message_id):
    message = await session.get(Message, message_id)
    return message
db = AsyncSession(async_engine)
[u.name for u in await get_all_users(db)]
(await get_user_by_id(db, 3)).name
await get_user_by_id(db, 99)
[u.name for u in await filter_with_or(db)]
len(await get_users_descending(db))
len(await get_users_with_roles(db))
_ = await get_user_groups(db, 1)
message = await get_message_by_id(db, 1)
message.content
title = get_message_by_id(db, 2)
title.content
u = await db.get(User, 4)
await db.refresh(u, ["role"])
u.role.name
new = Message(user_id=4, content="from the seed")
db.add(new)
await db.commit()
new.id
await db.refresh(new)
new.id
await db.close()
