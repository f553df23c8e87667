# relationship(lazy="dynamic"): an AppenderQuery that filters, counts and appends
class Base(DeclarativeBase): pass
class Author(Base):
    __tablename__ = "authors_v25"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30))
    books = relationship("Book", lazy="dynamic", back_populates="author")
class Book(Base):
    __tablename__ = "books_v25"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(50))
    author_id: Mapped[int] = mapped_column(ForeignKey("authors_v25.id"))
    author = relationship("Author", back_populates="books")
Base.metadata.create_all(engine)
s = Session(engine)
a = Author(name="le guin")
s.add(a)
a.books.append(Book(title="Earthsea"))
a.books.append(Book(title="Dispossessed"))
s.commit()
a.books.count()
[b.title for b in a.books.filter(Book.title.like("E%")).all()]
a.books.order_by(Book.title).first().title
[b.title for b in a.books]
a.books
a.books.remove(a.books.first())
s.commit()
a.books.count()
s.close()
Base.metadata.drop_all(engine)
