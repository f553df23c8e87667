# Column(default=<a Python function>) and mapped_column(default=lambda: ...): called for the INSERT when the attribute is unset, the value kept on the object
def make_slug():
    return "draft-post"
class Base(DeclarativeBase): pass
class Post(Base):
    __tablename__ = "posts_v02"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(50))
    slug: Mapped[str] = mapped_column(String(50), default=make_slug)
    status = Column(String(20), default=lambda: "new")
    created_at = Column(DateTime, default=lambda: datetime.now())
    score: Mapped[int] = mapped_column(default=lambda: 2 * 21)
Base.metadata.create_all(engine)
s = Session(engine)
p = Post(title="Hello")
p.slug
s.add(p)
s.add(Post(title="Set", slug="given", status="old", score=1))
s.flush()
[p.slug, p.status, p.score]
s.scalars(select(Post.slug).order_by(Post.id)).all()
s.close()
Base.metadata.drop_all(engine)
