# Annotations Python evaluates (class body, module, def parameters and return) raise NameError for an undefined name; string forward references wait for configure_mappers()
from typing import List, Optional
from sqlalchemy import ForeignKey
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, configure_mappers
class Base(DeclarativeBase):
    pass
class Shelf(Base):
    __tablename__ = "shelf"
    id: Mapped[int] = mapped_column(primary_key=True)
    books: Mapped[List["Book"]] = relationship()
class Broken(Base):
    __tablename__ = "broken"
    id: Mapped[int] = mapped_column(primary_key=True)
    other: Mapped[Nope] = relationship()
print("Broken" in dir())
class Half(Base):
    __tablename__ = "half"
    id: Mapped[int] = mapped_column(primary_key=True)
    note: Optional[Missing]
print("Half" in dir())
count: Counter = 3
print(count)
ratio: float = 0.5
print(ratio)
def shelve(book: Book, shelf: "Shelf") -> None:
    pass
print("shelve" in dir())
def label(book: "Book") -> Label:
    return "x"
def title(name: str, size: Optional[int] = None) -> str:
    return name.title()
print(title("dune"))
configure_mappers()
Shelf(id=1)
configure_mappers()
