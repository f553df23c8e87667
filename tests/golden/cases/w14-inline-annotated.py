# Annotated[...] written inline in Mapped[...] (also inside Optional[...]): its mapped_column() is the attribute's, as with an alias
from typing import Annotated, Optional
from sqlalchemy import String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, Session

class Base(DeclarativeBase):
    pass

class Tag(Base):
    __tablename__ = "tag"
    id: Mapped[Annotated[int, mapped_column(primary_key=True)]]
    label: Mapped[Optional[Annotated[str, mapped_column(String(20), index=True)]]]
    rank: Mapped[Annotated[int, "plain"]] = mapped_column(default=3)

eng = engine
Base.metadata.create_all(eng)
print(repr(Tag.__table__.c.label.type), Tag.__table__.c.label.nullable, Tag.__table__.c.id.primary_key)
s = Session(eng)
s.add(Tag(label="x"))
s.commit()
print(s.execute(select(Tag.id, Tag.label, Tag.rank)).all())
