# autoincrement=False on an integer primary key (PostgreSQL: INTEGER, not SERIAL), Identity() and autoincrement=True in a composite key (SQLite refuses the latter)
from sqlalchemy import Identity, String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, Session
class Base(DeclarativeBase):
    pass
class Code(Base):
    __tablename__ = "code"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(20))
class Pair(Base):
    __tablename__ = "pair"
    a: Mapped[int] = mapped_column(Identity(), primary_key=True)
    b: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
Base.metadata.create_all(engine)
with Session(engine) as s:
    s.add(Code(id=7, name="seven"))
    s.add(Pair(b=2))
    s.commit()
    print(s.get(Code, 7).name, Code.__table__.c.id.autoincrement)
class Counted(Base):
    __tablename__ = "counted"
    a: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    b: Mapped[int] = mapped_column(primary_key=True)
Base.metadata.create_all(engine)
with Session(engine) as s:
    s.add(Counted(b=5))
    s.commit()
    print(s.scalars(select(Counted.a)).all())
