# ORM Querying Guide, column loading options: load_only, defer, undefer, deferred columns with a group, raiseload, undefer_group, query_expression/with_expression, column_property
class Base(DeclarativeBase): pass
class Book(Base):
    __tablename__ = "books_q80"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(50))
    summary: Mapped[str] = mapped_column(Text, deferred=True)
    cover_photo: Mapped[str] = mapped_column(Text, deferred=True, deferred_group="media")
    cover_thumb: Mapped[str] = mapped_column(Text, deferred=True, deferred_group="media")
    secret: Mapped[str] = mapped_column(Text, deferred=True, deferred_raiseload=True)
    pages: Mapped[int] = mapped_column(default=100)
    title_len: Mapped[int] = column_property(func.length(title))
    score: Mapped[int] = query_expression()
Base.metadata.create_all(engine)
with Session(engine) as s:
    s.add_all([Book(title="Dune", summary="sand", cover_photo="p1", cover_thumb="t1", secret="x"), Book(title="Emma", summary="match", cover_photo="p2", cover_thumb="t2", secret="y")])
    s.commit()
with Session(engine) as s:
    b = s.scalars(select(Book).options(load_only(Book.title)).order_by(Book.id)).first()
    print(b.title, b.pages)
    print(b.summary)
with Session(engine) as s:
    b = s.scalars(select(Book).options(defer(Book.pages), undefer(Book.summary)).where(Book.id == 2)).one()
    print(b.summary, b.title_len)
    print(b.cover_photo)
    print(b.cover_thumb)
with Session(engine) as s:
    b = s.scalars(select(Book).options(undefer_group("media")).where(Book.id == 1)).one()
    print(b.cover_photo, b.cover_thumb)
    try:
        b.secret
    except Exception as e:
        print(type(e).__name__, e)
with Session(engine) as s:
    b = s.scalars(select(Book).options(load_only(Book.title, raiseload=True)).where(Book.id == 1)).one()
    try:
        b.pages
    except Exception as e:
        print(type(e).__name__, e)
with Session(engine) as s:
    rows = s.scalars(select(Book).options(with_expression(Book.score, Book.pages + Book.id)).order_by(Book.id)).all()
    print([(r.title, r.score) for r in rows])
with Session(engine) as s:
    b = s.get(Book, 1)
    print(b.score, b.title_len)
Base.metadata.drop_all(engine)
