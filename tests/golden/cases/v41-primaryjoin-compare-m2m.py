# ==, contains(), any() on a many-to-many relationship whose primaryjoin has extra criteria
class Base(DeclarativeBase): pass
tags_v41 = Table(
    "tags_v41_links", Base.metadata,
    Column("post_id", ForeignKey("posts_v41.id"), primary_key=True),
    Column("tag_id", ForeignKey("tags_v41.id"), primary_key=True),
)
class Post(Base):
    __tablename__ = "posts_v41"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(30))
    hot_tags: Mapped[List["Tag"]] = relationship(
        secondary=tags_v41,
        primaryjoin="and_(Post.id == tags_v41_links.c.post_id, Post.title != 'draft')",
        viewonly=True,
    )
class Tag(Base):
    __tablename__ = "tags_v41"
    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(30))
    hot_posts: Mapped[List["Post"]] = relationship(
        secondary=tags_v41,
        primaryjoin="Tag.id == tags_v41_links.c.tag_id",
        secondaryjoin="and_(Post.id == tags_v41_links.c.post_id, Post.title != 'draft')",
        viewonly=True,
    )
Base.metadata.create_all(engine)
s = Session(engine)
t1 = Tag(label="sql")
t2 = Tag(label="orm")
p1 = Post(title="hello")
p2 = Post(title="draft")
s.add_all([t1, t2, p1, p2])
s.flush()
s.execute(tags_v41.insert().values(post_id=p1.id, tag_id=t1.id))
s.execute(tags_v41.insert().values(post_id=p2.id, tag_id=t2.id))
s.commit()
(t1.label, p1.title)
print(Post.hot_tags.contains(t1))
print(Tag.hot_posts.contains(p1))
s.scalars(select(Post.title).where(Post.hot_tags.contains(t1)).order_by(Post.id)).all()
s.scalars(select(Post.title).where(Post.hot_tags.contains(t2)).order_by(Post.id)).all()
s.scalars(select(Post.title).where(Post.hot_tags == None).order_by(Post.id)).all()
s.scalars(select(Post.title).where(Post.hot_tags != None).order_by(Post.id)).all()
s.scalars(select(Post.title).where(Post.hot_tags.any(Tag.label == "sql")).order_by(Post.id)).all()
s.scalars(select(Tag.label).where(Tag.hot_posts == None).order_by(Tag.id)).all()
s.scalars(select(Tag.label).where(Tag.hot_posts.any(Post.title == "hello")).order_by(Tag.id)).all()
s.close()
Base.metadata.drop_all(engine)
