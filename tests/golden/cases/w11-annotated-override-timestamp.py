# An Annotated alias under an attribute's own mapped_column() (its arguments win), a type_annotation_map entry for an Annotated key vs its plain type, TIMESTAMP without time zone, a table comment and PrimaryKeyConstraint's name
from typing import Annotated, Optional
from datetime import datetime
from sqlalchemy import String, TIMESTAMP, Integer, PrimaryKeyConstraint, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, Session

str30 = Annotated[str, mapped_column(String(30), nullable=True)]
req_int = Annotated[int, mapped_column(nullable=False)]
big = Annotated[int, "big"]
print(str30 is not None, big)

class Base(DeclarativeBase):
    type_annotation_map = {big: String(12), datetime: TIMESTAMP()}

class Entry(Base):
    __tablename__ = "entry"
    __table_args__ = (PrimaryKeyConstraint("seq", "ref"), {"comment": "log entries"})
    code: Mapped[str30] = mapped_column(String(10))
    seq: Mapped[req_int]
    note: Mapped[Optional[str30]] = mapped_column(nullable=False)
    ref: Mapped[big]
    count: Mapped[int]
    at: Mapped[datetime]

eng = engine
Base.metadata.create_all(eng)
t = Entry.__table__
print(repr(t.c.code.type), t.c.code.nullable, t.c.note.nullable, repr(t.c.ref.type), repr(t.c.at.type), repr(t.c.count.type))
print(t.comment, t.primary_key.name, [c.name for c in t.primary_key])
s = Session(eng)
s.add(Entry(code="a", seq=1, note="n", ref="r", count=2, at=datetime(2024, 5, 6, 7, 8, 9)))
s.commit()
print(s.scalars(select(Entry.at)).all())
print(s.get(Entry, (1, "r")).code)
