# passive_deletes="all": the ORM never loads or nulls the children of a deleted parent
from sqlalchemy import create_engine, String, ForeignKey, select, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, Session

class Base(DeclarativeBase):
    pass

class Author(Base):
    __tablename__ = "author"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30))
    books: Mapped[list["Book"]] = relationship(back_populates="author", passive_deletes="all")

class Book(Base):
    __tablename__ = "book"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(30))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("author.id", ondelete="SET NULL"))
    author: Mapped["Author"] = relationship(back_populates="books")

eng = engine
Base.metadata.create_all(eng)
s = Session(eng)
s.add_all([Author(name="A", books=[Book(title="a1"), Book(title="a2")]), Author(name="B", books=[Book(title="b1")])])
s.commit()
a = s.get(Author, 1)
print(len(a.books))
s.delete(a)
s.commit()
print(s.execute(select(Book.title, Book.author_id).order_by(Book.id)).all())
b = s.get(Author, 2)
s.delete(b)
s.commit()
print(s.execute(select(Book.title, Book.author_id).order_by(Book.id)).all())
