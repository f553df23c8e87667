# joined eager loads apply relationship(order_by=...) (also under LIMIT); a primaryjoin= with other criteria under subqueryload, contains_eager and lazy="joined"
class Base(DeclarativeBase): pass
class Author(Base):
    __tablename__ = "authors_v32"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30))
    books: Mapped[List["Book"]] = relationship(order_by="desc(Book.title)")
    drafts: Mapped[List["Book"]] = relationship(
        primaryjoin=lambda: and_(Author.id == Book.author_id, Book.draft == True),
        viewonly=True,
        lazy="joined",
        order_by=lambda: Book.id,
    )
class Book(Base):
    __tablename__ = "books_v32"
    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("authors_v32.id"))
    title: Mapped[str] = mapped_column(String(50))
    draft: Mapped[bool] = mapped_column(default=False)
Base.metadata.create_all(engine)
s = Session(engine)
s.add_all([
    Author(name="ann", books=[Book(title="a1"), Book(title="a2", draft=True), Book(title="a3", draft=True)]),
    Author(name="bob", books=[Book(title="b1", draft=True)]),
])
s.commit()
[(a.name, [b.title for b in a.books], [b.title for b in a.drafts]) for a in s.scalars(select(Author).options(joinedload(Author.books)).order_by(Author.id)).unique()]
s.close()
[(a.name, [b.title for b in a.books]) for a in s.scalars(select(Author).options(joinedload(Author.books), lazyload(Author.drafts)).order_by(Author.name).limit(1)).unique()]
s.close()
[(a.name, [b.title for b in a.drafts]) for a in s.scalars(select(Author).options(subqueryload(Author.drafts)).order_by(Author.id))]
s.close()
[(a.name, [b.title for b in a.drafts]) for a in s.scalars(select(Author).join(Author.drafts).options(contains_eager(Author.drafts)).order_by(Author.id, Book.id)).unique()]
s.close()
s.get(Author, 2).drafts
s.close()
Base.metadata.drop_all(engine)
