# type_annotation_map on the declarative base: str -> String(50), datetime -> TIMESTAMP(timezone=True), and an Annotated key
from typing import Annotated
from datetime import datetime
from sqlalchemy import create_engine, String, TIMESTAMP, Numeric, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, Session

num_12_4 = Annotated[float, 12]

class Base(DeclarativeBase):
    type_annotation_map = {
        str: String(50),
        datetime: TIMESTAMP(timezone=True),
        num_12_4: Numeric(12, 4),
    }

class Reading(Base):
    __tablename__ = "reading"
    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str]
    taken: Mapped[datetime]
    value: Mapped[num_12_4]

eng = engine
Base.metadata.create_all(eng)
print(repr(Reading.__table__.c.label.type), repr(Reading.__table__.c.taken.type), repr(Reading.__table__.c.value.type))
s = Session(eng)
s.add(Reading(label="t", taken=datetime(2024, 1, 2, 3, 4, 5), value=1.5))
s.commit()
print(s.scalars(select(Reading.label)).all())
