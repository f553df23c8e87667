# Seed 003's remaining async functions on its models: get_role_users and get_group_users (backref lazy loads raise MissingGreenlet), filter_by_username, get_users_ascending, and the two joinedload functions whose attributes (User.user_groups, Role.permissions) the models lack
from sqlalchemy import Column, Integer, String, Boolean, ForeignKey, DateTime, Table
from sqlalchemy.orm import relationship, declarative_base, joinedload, selectinload
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
async with SessionLocal() as db:
    g = await db.get(Group, 1)
    u = await db.get(User, 1, options=[selectinload(User.groups)])
    u.groups.append(g)
    await db.commit()
async def get_role_users(db: AsyncSession, role_id: int):
    # The backref also works in reverse - get all users with a role
    role = await db.get(Role, role_id)
    for user in role.users:  # Access all users with this role
        print(user.username)
async def get_group_users(db: AsyncSession, group_id: int):
    # The backref also works in reverse - get all users in a group
    group = await db.get(Group, group_id)
    for user in group.users:  # Access all users in this group
        print(user.username)
async def filter_by_username(db: AsyncSession):
    # Simple filter
    result = await db.execute(
        select(User).where(User.username == "john")
    )
    user = result.scalar_one_or_none()
    return user
async def get_users_ascending(db: AsyncSession):
    # Ascending (default)
    result = await db.execute(
        select(User).order_by(User.created_at)
    )
    users = result.scalars().all()
    return users
async def get_users_with_all_relationships(db: AsyncSession):
    # Load users with both role and groups
    result = await db.execute(
        select(User).options(
            joinedload(User.role),
            joinedload(User.user_groups)
        )
    )
    users = result.unique().scalars().all()
    return users
async def get_users_with_nested_relationships(db: AsyncSession):
    # Load users with roles, and roles with their permissions
    result = await db.execute(
        select(User).options(
            joinedload(User.role).joinedload(Role.permissions)
        )
    )
    users = result.unique().scalars().all()
    return users
db = SessionLocal()
r = await get_role_users(db, 1)
r = await get_group_users(db, 1)
(await filter_by_username(db)).email
[u.username for u in await get_users_ascending(db)]
r = await get_users_with_all_relationships(db)
r = await get_users_with_nested_relationships(db)
async def get_users_with_role_and_groups(db: AsyncSession):
    result = await db.execute(
        select(User).options(joinedload(User.role), selectinload(User.groups)).order_by(User.id)
    )
    return result.unique().scalars().all()
[(u.username, u.role.name, [g.name for g in u.groups]) for u in await get_users_with_role_and_groups(db)]
await db.close()
await engine.dispose()
