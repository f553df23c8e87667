# MappedAsDataclass mixins and __abstract__ bases: inherited fields and columns, their order, kw_only per class, errors
class MBase(MappedAsDataclass, DeclarativeBase, kw_only=True): pass
class Stamped(MappedAsDataclass, kw_only=True):
    created: Mapped[int] = mapped_column(default=0)
class Loose(MappedAsDataclass):
    flag: Mapped[int] = mapped_column(default=0)
class Keyed(MBase):
    __abstract__ = True
    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    note: Mapped[str] = mapped_column(default="n")
class Doc(Stamped, Keyed):
    __tablename__ = "docs_v40"
    title: Mapped[str]
print(Doc(title="t"))
Doc("t")
class Page(Keyed, Stamped):
    __tablename__ = "pages_v40"
    num: Mapped[int] = mapped_column(default=1)
print(Page(num=2, created=5))
class Broken(Loose, Keyed):
    __tablename__ = "broken_v40"
    title: Mapped[str]
MBase.metadata.create_all(engine)
s = Session(engine)
d = Doc(title="hello", note="x")
s.add(d)
s.commit()
print(d)
s.close()
MBase.metadata.drop_all(engine)
class PBase(DeclarativeBase): pass
class Timestamps:
    created: Mapped[int] = mapped_column(default=0)
    def describe(self):
        return f"{type(self).__name__} {self.created}"
class Ident(PBase):
    __abstract__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
class Post(Timestamps, Ident):
    __tablename__ = "posts_v40"
    body: Mapped[str]
class Tag(Ident):
    __tablename__ = "tags_v40"
    label: Mapped[str]
PBase.metadata.create_all(engine)
s = Session(engine)
s.add_all([Post(body="b"), Tag(label="l")])
s.commit()
s.scalars(select(Post)).one().describe()
s.scalars(select(Tag.label)).all()
s.close()
PBase.metadata.drop_all(engine)
class First:
    a: Mapped[int] = mapped_column(default=1)
class Second:
    b: Mapped[int] = mapped_column(default=2)
class Mixed(First, Loose, Second, MBase):
    __tablename__ = "mixed_v40"
    id: Mapped[int] = mapped_column(primary_key=True, default=None)
print(Mixed())
