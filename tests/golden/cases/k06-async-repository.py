# Seed 000's async repository class (docstrings, async methods, default arguments) on the chat models.
from sqlalchemy.ext.asyncio import AsyncSession

class UserRepository:
    """
    Handles all database operations for users.
    """

    def __init__(self, session: AsyncSession):
        """Initialize the repository with a database session."""
        self.session = session

    async def get_by_id(self, user_id: int) -> User | None:
        return await self.session.get(User, user_id)

    async def get_all(self, limit: int = 100, offset: int = 0) -> list[User]:
        stmt = select(User).order_by(User.id).limit(limit).offset(offset)
        result = await self.session.execute(stmt)
        return result.scalars().all()

    async def rename(self, user_id: int, name: str) -> User:
        user = await self.get_by_id(user_id)
        user.name = name
        await self.session.commit()
        return user

db = AsyncSession(async_engine)
repo = UserRepository(db)
UserRepository.__doc__ is not None
(await repo.get_by_id(1)).name
[u.name for u in await repo.get_all(limit=2, offset=1)]
coro = repo.get_by_id(2)
type(coro).__name__
(await coro).email
renamed = await repo.rename(3, "Carol C")
renamed.name
await db.close()
