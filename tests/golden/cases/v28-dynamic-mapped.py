# DynamicMapped["Post"]: lazy="dynamic" from the annotation; appends before the owner is in a Session, backrefs, extend(), filter_by() and slicing
class Base(DeclarativeBase): pass
class Blogger(Base):
    __tablename__ = "bloggers_v28"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30))
    posts: DynamicMapped["Entry"] = relationship(back_populates="blogger", order_by="Entry.id")
class Entry(Base):
    __tablename__ = "entries_v28"
    id: Mapped[int] = mapped_column(primary_key=True)
    headline: Mapped[str] = mapped_column(String(50))
    blogger_id: Mapped[int] = mapped_column(ForeignKey("bloggers_v28.id"))
    blogger: Mapped["Blogger"] = relationship(back_populates="posts")
Base.metadata.create_all(engine)
b = Blogger(name="kim")
b.posts.append(Entry(headline="one"))
s = Session(engine)
s.add(b)
b.posts.extend([Entry(headline="two"), Entry(headline="three")])
b.posts.count()
e = Entry(headline="four", blogger=b)
e in s
[p.headline for p in b.posts.filter_by(headline="two")]
[p.headline for p in b.posts[1:3]]
b.posts.all()[0].blogger is b
s.commit()
b.posts.filter(Entry.id > 2).count()
type(b.posts).__name__
s.close()
Base.metadata.drop_all(engine)
