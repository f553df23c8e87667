# A relationship assigned to a mapped class after its class statement: declarative maps it (Mapper.add_property), with its backref, lazy and joined loads
from typing import List
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, Session, joinedload

class Base(DeclarativeBase):
    pass

class Author(Base):
    __tablename__ = "author"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30))

class Book(Base):
    __tablename__ = "book"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(30))
    author_id: Mapped[int] = mapped_column(ForeignKey("author.id"))

Author.books = relationship(Book, backref="author", order_by=Book.id)
print(Author.books)
eng = engine
Base.metadata.create_all(eng)
s = Session(eng)
a = Author(name="ann", books=[Book(title="b1"), Book(title="b2")])
s.add(a)
s.commit()
print([b.title for b in a.books], a.books[0].author.name)
s.close()
for au in s.scalars(select(Author).options(joinedload(Author.books))).unique():
    print(au.name, [b.title for b in au.books])
print(s.scalars(select(Book).where(Book.author.has(Author.name == "ann"))).all()[0].title)
