# __table_args__ dict form (sqlite_autoincrement, comment) and a tuple ending with a dict; PrimaryKeyConstraint for a composite key
from sqlalchemy import create_engine, Integer, String, PrimaryKeyConstraint, UniqueConstraint, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, Session

class Base(DeclarativeBase):
    pass

class Item(Base):
    __tablename__ = "item"
    __table_args__ = {"sqlite_autoincrement": True, "comment": "things for sale"}
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30))

class Tag(Base):
    __tablename__ = "tag"
    __table_args__ = (UniqueConstraint("label"), {"comment": "labels"})
    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(20))

class Score(Base):
    __tablename__ = "score"
    __table_args__ = (PrimaryKeyConstraint("player", "game", name="score_pk"),)
    player: Mapped[str] = mapped_column(String(20))
    game: Mapped[int] = mapped_column(Integer)
    points: Mapped[int]

eng = engine
Base.metadata.create_all(eng)
print(Item.__table__.comment, Score.__table__.primary_key.name, [c.name for c in Score.__table__.primary_key])
s = Session(eng)
s.add_all([Item(name="pen"), Tag(label="blue"), Score(player="ann", game=1, points=10)])
s.commit()
print(s.get(Score, ("ann", 1)).points)
