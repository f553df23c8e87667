# Seed 003's models and async repository functions, pasted, on sqlite+aiosqlite://: its N+1 loop raises MissingGreenlet at the first user.role
from sqlalchemy import Column, Integer, String, Boolean, ForeignKey, DateTime, Table
from sqlalchemy.orm import relationship, declarative_base, joinedload
from sqlalchemy.future import select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine, async_sessionmaker
Base = declarative_base()
user_groups = Table(
    'user_groups',
    Base.metadata,
    Column('user_id', Integer, ForeignKey('users.id')),
    Column('group_id', Integer, ForeignKey('groups.id'))
)
class Role(Base):
    __tablename__ = "roles"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
class Group(Base):
    __tablename__ = "groups"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
class User(Base):
    __tablename__ = "users"
    
    id = Column(Integer, primary_key=True, index=True)
    username = Column(String(50), unique=True, nullable=False)
    email = Column(String(100), unique=True, nullable=False)
    hashed_password = Column(String(255), nullable=False)
    role_id = Column(Integer, ForeignKey("roles.id"), nullable=False)
    is_active = Column(Boolean, default=True)
    created_at = Column(DateTime)
    
    # Relationships
    role = relationship("Role", backref="users")
    groups = relationship("Group", secondary=user_groups, backref="users")
engine = create_async_engine("sqlite+aiosqlite://")
async with engine.begin() as conn:
    await conn.run_sync(Base.metadata.create_all)
SessionLocal = async_sessionmaker(engine, expire_on_commit=False)
async with SessionLocal() as db:
    db.add_all([Role(id=1, name="admin"), Role(id=2, name="member")])
    db.add_all([User(username=n, email=f"{n}@example.com", hashed_password="x", role_id=1 + i % 2, created_at=datetime(2024, 1, 1 + i)) for i, n in enumerate(["john", "mary", "bob"])])
    db.add(Group(id=1, name="staff"))
    await db.commit()
async def get_all_users(db: AsyncSession):
    # Get all users
    result = await db.execute(select(User))
    users = result.scalars().all()
    return users
async def get_user_by_id(db: AsyncSession, user_id: int):
    # Get one user by ID
    result = await db.execute(
        select(User).where(User.id == user_id)
    )
    user = result.scalar_one_or_none()
    return user
async def filter_multiple(db: AsyncSession):
    # Multiple filters
    result = await db.execute(
        select(User).where(
            User.is_active == True,
            User.role_id == 1
        )
    )
    users = result.scalars().all()
    return users
async def get_users_descending(db: AsyncSession):
    # Descending
    result = await db.execute(
        select(User).order_by(User.created_at.desc())
    )
    users = result.scalars().all()
    return users
async def get_users_with_roles_n_plus_one(db: AsyncSession):
    # This executes 1 query to get 10 users
    result = await db.execute(select(User))
    users = result.scalars().all()

    # Then 10 more queries (one per user) to get each user's role
    for user in users:
        print(user.role.name)  # Each access triggers: SELECT * FROM roles WHERE id = ?
    # Total: 11 queries (1 + 10)
async def get_users_with_roles(db: AsyncSession):
    # Load users with their roles in a single query
    result = await db.execute(
        select(User).options(joinedload(User.role))
    )
    users = result.unique().scalars().all()
    # Total: 1 query with a JOIN
    for user in users:
        print(user.role.name)  # No additional queries - data already loaded
    return users
async def get_user_role(db: AsyncSession, user_id: int):
    # Get a user and access their role
    user = await db.get(User, user_id)
    role_name = user.role.name  # Access the related role
    print(f"User has role: {role_name}")
async def create_user(db: AsyncSession, username: str, email: str, hashed_password: str):
    new_user = User(
        username=username,
        email=email,
        hashed_password=hashed_password
    )
    db.add(new_user)
    await db.commit()
    await db.refresh(new_user)  # Refresh to get generated ID
    return new_user
async def update_user(db: AsyncSession, user_id: int, new_username: str):
    result = await db.execute(
        select(User).where(User.id == user_id)
    )
    user = result.scalar_one_or_none()

    if user:
        user.username = new_username
        await db.commit()
        await db.refresh(user)
        return user
    return None
async def delete_user(db: AsyncSession, user_id: int):
    result = await db.execute(
        select(User).where(User.id == user_id)
    )
    user = result.scalar_one_or_none()

    if user:
        await db.delete(user)
        await db.commit()
        return True
    return False
db = AsyncSession(engine)
[u.username for u in await get_all_users(db)]
(await get_user_by_id(db, 2)).email
[u.username for u in await filter_multiple(db)]
[u.username for u in await get_users_descending(db)]
_ = await get_users_with_roles_n_plus_one(db)
await db.close()
db = AsyncSession(engine)
len(await get_users_with_roles(db))
_ = await get_user_role(db, 1)
await db.close()
db = AsyncSession(engine)
_ = await get_user_role(db, 2)
_ = await create_user(db, "ann", "ann@example.com", "pw")
await db.rollback()
(await update_user(db, 3, "robert")).username
await delete_user(db, 3)
await delete_user(db, 3)
await db.close()
