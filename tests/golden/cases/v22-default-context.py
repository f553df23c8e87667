# a column default that takes the execution context: context.get_current_parameters() holds the INSERT's other values
def slug_of(context):
    return context.get_current_parameters()["title"].lower().replace(" ", "-")
def counter():
    return 5
class Base(DeclarativeBase): pass
class Article(Base):
    __tablename__ = "articles_v22"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    slug: Mapped[str] = mapped_column(String(100), default=slug_of)
    views: Mapped[int] = mapped_column(default=counter)
    stamp = Column(DateTime, default=lambda: datetime.utcnow())
Base.metadata.create_all(engine)
s = Session(engine)
a = Article(title="Hello World")
s.add(a)
s.add(Article(title="Given", slug="mine", views=1))
s.commit()
s.scalars(select(Article.slug).order_by(Article.id)).all()
s.scalars(select(Article.views).order_by(Article.id)).all()
b = Article()
b.title = "Set Later"
s.add(b)
s.flush()
b.slug
def edited_by(context):
    return "edit of " + context.get_current_parameters()["title"]
class Note(Base):
    __tablename__ = "notes_v22"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    edit: Mapped[Optional[str]] = mapped_column(onupdate=edited_by)
    n: Mapped[int] = mapped_column(default=0, onupdate=lambda: 9)
Base.metadata.create_all(engine)
s.add(Note(title="first"))
s.commit()
n = s.scalars(select(Note)).one()
n.title = "second"
s.commit()
[n.edit, n.n]
def two(a, b):
    return 1
Column("x", Integer, default=two)
s.close()
Base.metadata.drop_all(engine)
