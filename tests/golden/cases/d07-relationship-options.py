# relationship() options: order_by= (attribute, string, desc), uselist=False, viewonly=True
from typing import List, Optional
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Team(Base):
    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    players: Mapped[List["Player"]] = relationship(back_populates="team", order_by="Player.name")
    by_number: Mapped[List["Player"]] = relationship(order_by="desc(Player.number)", viewonly=True)
    captain: Mapped[Optional["Player"]] = relationship(uselist=False, viewonly=True, order_by="Player.number")


class Player(Base):
    __tablename__ = "players"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    number: Mapped[int]
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    team: Mapped["Team"] = relationship(back_populates="players")


own = create_engine("sqlite://")
Base.metadata.create_all(own)
s = Session(own)
t = Team(name="Reds", players=[Player(name="Zed", number=9), Player(name="Amy", number=4), Player(name="Bo", number=7)])
s.add(t)
s.commit()
[p.name for p in t.players]
[p.name for p in t.by_number]
t.captain.name
s.scalars(select(Team).options(selectinload(Team.players))).all()
[p.name for p in s.scalars(select(Team)).one().players]
t.by_number.append(Player(name="Cy", number=1))
s.commit()
s.scalar(select(func.count()).select_from(Player))
