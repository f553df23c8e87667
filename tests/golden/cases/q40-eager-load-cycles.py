# Relationships eager by default both ways (lazy="selectin"/"joined"): SQLAlchemy stops where a mapper is already on the load path
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
class Base2(DeclarativeBase):
    pass
class Team(Base2):
    __tablename__ = "team"
    id: Mapped[int] = mapped_column(primary_key=True)
    players = relationship("Player", back_populates="team", lazy="selectin")
class Player(Base2):
    __tablename__ = "player"
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    team = relationship("Team", back_populates="players", lazy="joined")
class Club(Base2):
    __tablename__ = "club"
    id: Mapped[int] = mapped_column(primary_key=True)
    members = relationship("Member", back_populates="club", lazy="selectin")
class Member(Base2):
    __tablename__ = "member"
    id: Mapped[int] = mapped_column(primary_key=True)
    club_id: Mapped[int] = mapped_column(ForeignKey("club.id"))
    club = relationship("Club", back_populates="members", lazy="selectin")
eng = create_engine("sqlite://")
Base2.metadata.create_all(eng)
s = Session(eng)
s.add_all([Team(id=1, players=[Player(id=1), Player(id=2)]), Team(id=2), Club(id=1, members=[Member(id=1), Member(id=2)])])
s.commit()
s.close()
teams = s.scalars(select(Team).order_by(Team.id)).all()
[[p.team.id for p in t.players] for t in teams]
s.close()
players = s.scalars(select(Player)).all()
[(p.id, len(p.team.players)) for p in players]
s.close()
clubs = s.scalars(select(Club)).all()
[m.club.id for m in clubs[0].members]
s.close()
members = s.scalars(select(Member).order_by(Member.id)).all()
[len(m.club.members) for m in members]
s.close()
m = s.get(Member, 2)
len(m.club.members)
