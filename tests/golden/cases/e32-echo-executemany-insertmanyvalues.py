# echo=True with many rows: an executemany of 12 parameter sets shows 10 ("displaying 10 of 12 total bound parameter sets"), a long string parameter is truncated in the middle, and the ORM's flush of three new objects on SQLite logs insertmanyvalues batches 1/3 … 3/3 (ordered; batch not supported)
from sqlalchemy import create_engine, insert, select, String, Integer
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, Session
class Base(DeclarativeBase):
    pass
class Note(Base):
    __tablename__ = "note"
    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(String)
    n: Mapped[int] = mapped_column(Integer, default=0)
eng = create_engine("sqlite://", echo=True)
Base.metadata.create_all(eng)
with Session(eng) as s:
    s.execute(insert(Note), [{"body": f"note {i}", "n": i} for i in range(12)])
    s.commit()
with Session(eng) as s:
    s.add(Note(body="x" * 400, n=99))
    s.commit()
with Session(eng) as s:
    s.add_all([Note(body="a", n=1), Note(body="b", n=2), Note(body="c", n=3)])
    s.flush()
    print([note.id for note in s.scalars(select(Note).where(Note.n < 3).order_by(Note.id))])
    s.commit()
with eng.connect() as conn:
    print(conn.exec_driver_sql("SELECT count(*) FROM note").scalar())
