# WriteOnlyCollection.insert() with a one-dict list and with returning(): the foreign key's anonymous bind is param_1 (param_1__0 … in insertmanyvalues)
class Base(DeclarativeBase): pass
class Shelf(Base):
    __tablename__ = "shelves_p40"
    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(20))
    books: WriteOnlyMapped["Book"] = relationship(order_by="Book.id")
class Book(Base):
    __tablename__ = "books_p40"
    id: Mapped[int] = mapped_column(primary_key=True)
    shelf_id: Mapped[int] = mapped_column(ForeignKey("shelves_p40.id"))
    title: Mapped[str] = mapped_column(String(40))
Base.metadata.create_all(engine)
s = Session(engine)
shelf = Shelf(label="fiction")
s.add(shelf)
s.commit()
s.execute(shelf.books.insert(), [{"title": "Dune"}])
s.execute(shelf.books.insert().returning(Book.id, Book.title), [{"title": "Emma"}, {"title": "Ulysses"}]).all()
s.scalars(shelf.books.insert().returning(Book), [{"title": "Beloved"}, {"title": "Ivanhoe"}]).all()
[(b.title, b.shelf_id) for b in s.scalars(shelf.books.select())]
s.rollback()
s.close()
Base.metadata.drop_all(engine)
