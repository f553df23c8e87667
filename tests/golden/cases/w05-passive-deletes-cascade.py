# passive_deletes=True with ondelete="CASCADE": unloaded children are left to the database, loaded ones deleted by the ORM
from sqlalchemy import create_engine, String, ForeignKey, select, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, Session

class Base(DeclarativeBase):
    pass

class Author(Base):
    __tablename__ = "author"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30))
    books: Mapped[list["Book"]] = relationship(back_populates="author", cascade="all, delete-orphan", passive_deletes=True)

class Book(Base):
    __tablename__ = "book"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(30))
    author_id: Mapped[int] = mapped_column(ForeignKey("author.id", ondelete="CASCADE"))
    author: Mapped["Author"] = relationship(back_populates="books")

eng = engine
Base.metadata.create_all(eng)
s = Session(eng)
s.add_all([Author(name="A", books=[Book(title="a1"), Book(title="a2")]), Author(name="B", books=[Book(title="b1")])])
s.commit()
a = s.get(Author, 1)
s.delete(a)
s.commit()
print(s.scalar(select(func.count()).select_from(Book)))
b = s.get(Author, 2)
print([x.title for x in b.books])
s.delete(b)
s.commit()
print(s.scalar(select(func.count()).select_from(Book)))
