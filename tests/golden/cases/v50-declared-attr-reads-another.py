# a declared_attr reading another through cls (cls.__tablename__ from a directive): SQLAlchemy calls each once per class, at its first read
class Base(DeclarativeBase): pass
class Tagged:
    @declared_attr
    def __table_args__(cls):
        print("table args of", cls.__tablename__)
        return (Index("ix_" + cls.__tablename__ + "_tag", "tag"),)
    @declared_attr.directive
    def __tablename__(cls):
        print("naming", cls.__name__)
        return cls.__name__.lower() + "_v50d"
    id: Mapped[int] = mapped_column(primary_key=True)
    tag: Mapped[str] = mapped_column(String(10))
class Post(Tagged, Base):
    title: Mapped[str] = mapped_column(String(50))
print(Post.__tablename__)
Base.metadata.create_all(engine)
s = Session(engine)
s.add(Post(tag="a", title="t"))
s.commit()
s.scalars(select(Post.title).where(Post.tag == "a")).all()
s.close()
Base.metadata.drop_all(engine)
