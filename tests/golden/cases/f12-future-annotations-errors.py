# Under `from __future__ import annotations` annotations are strings: unknown names fail only where SQLAlchemy resolves them (MappedAnnotationError at class creation, InvalidRequestError at mapper configuration), help() shows them quoted
from __future__ import annotations
from typing import Optional
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
class Base(DeclarativeBase):
    pass
class Broken(Base):
    __tablename__ = "broken"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[Nope]
class Owner(Base):
    __tablename__ = "owner"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[Optional[str]]
    pets: Mapped[list[Pet]] = relationship()
print(Owner.__table__.c.name.nullable)
def describe(owner: Owner, limit: int = 3) -> list[str]:
    return [owner.name] * limit
help(describe)
print(describe.__annotations__)
count: Missing = 0
print(count)
class Plain:
    label: Unknown = "x"
print(Plain.label)
Owner(name="x")
