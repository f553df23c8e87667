# __annotations__ of a mapped class, a MappedAsDataclass class, a plain class and the module: CPython's dicts of the evaluated annotations
from typing import Optional, List
from datetime import datetime
from sqlalchemy import ForeignKey
from sqlalchemy.orm import DeclarativeBase, MappedAsDataclass, Mapped, mapped_column, relationship

class Base(DeclarativeBase):
    pass

class Owner(Base):
    __tablename__ = "owner"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[Optional[str]]
    pets: Mapped[List["Pet"]] = relationship(back_populates="owner")
    born: Mapped[datetime | None]

class Pet(Base):
    __tablename__ = "pet"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owner.id"))
    owner: Mapped["Owner"] = relationship(back_populates="pets")

print(Owner.__annotations__)
print(Pet.__annotations__)

class DBase(MappedAsDataclass, DeclarativeBase):
    pass

class Note(DBase):
    __tablename__ = "note"
    id: Mapped[int] = mapped_column(init=False, primary_key=True)
    size: Mapped[int] = 5
    tags: Mapped[Optional[str]] = mapped_column(default=None, repr=False)

print(Note.__annotations__)

class Point:
    x: int = 0
    y: "float"
    label: str | None = None

print(Point.__annotations__, Point.x)
limit: int = 10
names: list[str]
print(__annotations__)
print(__annotations__["limit"] is int, limit)
