# deferred() columns in a model: mapped_column(deferred=True) and deferred(Column(...)), undefer(), the lazy SELECT on access, deferred groups
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, deferred, undefer, undefer_group


class DBase(DeclarativeBase):
    pass


class Book(DBase):
    __tablename__ = "books"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    summary: Mapped[str] = mapped_column(Text, deferred=True)
    cover = deferred(Column(String(200)))
    notes: Mapped[str] = mapped_column(Text, deferred=True, deferred_group="extra")
    isbn: Mapped[str] = mapped_column(String(20), deferred=True, deferred_group="extra")


eng = create_engine("sqlite://")
DBase.metadata.create_all(eng)
s = Session(eng)
s.add_all([Book(title="A", summary="sa", cover="ca", notes="na", isbn="1"), Book(title="B", summary="sb", cover="cb", notes="nb", isbn="2")])
s.commit()
books = s.scalars(select(Book).order_by(Book.id)).all()
books[0].title
books[0].summary
books[0].notes
books[0].isbn
s.close()
b = s.scalars(select(Book).options(undefer(Book.summary)).where(Book.id == 2)).one()
b.summary
b.cover
s.close()
b = s.scalars(select(Book).options(undefer_group("extra")).where(Book.id == 1)).one()
b.isbn
s.close()
b = s.get(Book, 1)
b.cover
print(select(Book))
s.query(Book).filter(Book.id == 2).one().title
s.close()
b = s.scalars(select(Book).options(undefer("*")).where(Book.id == 1)).one()
b.cover
s.close()
