# More async: awaitable_attrs after commit expired the object, stream().unique() with joinedload, AsyncConnection.begin(), gather on one AsyncSession, async generator feeding a comprehension
import asyncio
from sqlalchemy.ext.asyncio import AsyncAttrs, create_async_engine, async_sessionmaker, AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, joinedload, selectinload
class Base(AsyncAttrs, DeclarativeBase):
    pass
class Team(Base):
    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    players: Mapped[list["Player"]] = relationship(back_populates="team")
class Player(Base):
    __tablename__ = "players"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    team: Mapped[Team] = relationship(back_populates="players")
eng = create_async_engine("sqlite+aiosqlite://")
async with eng.begin() as conn:
    await conn.run_sync(Base.metadata.create_all)
s = AsyncSession(eng)
t = Team(name="Reds", players=[Player(name="a"), Player(name="b")])
s.add(t)
await s.commit()
t.name
await t.awaitable_attrs.name
[p.name for p in await t.awaitable_attrs.players]
result = await s.stream(select(Team).options(joinedload(Team.players)))
teams = await result.unique().scalars().all()
[len(x.players) for x in teams]
await s.close()
async with eng.connect() as conn:
    async with conn.begin():
        await conn.execute(insert(Team.__table__).values(name="Blues"))
    print(conn.in_transaction())
    print(await conn.scalar(select(func.count()).select_from(Team.__table__)))
s2 = AsyncSession(eng)
try:
    await asyncio.gather(s2.get(Team, 1), s2.get(Team, 2))
except Exception as e:
    print(type(e).__name__)
await s2.close()
async def names():
    async with AsyncSession(eng) as s3:
        for p in await s3.scalars(select(Player).order_by(Player.id)):
            yield p.name
[n.upper() async for n in names()]
await eng.dispose()
