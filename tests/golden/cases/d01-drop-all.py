# metadata.drop_all(engine): PRAGMA checks, DROP TABLE in reverse dependency order, indexes after each table
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Author(Base):
    __tablename__ = "authors"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), index=True)


class Post(Base):
    __tablename__ = "posts"
    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"), index=True)
    title: Mapped[str] = mapped_column(unique=True)


class Tag(Base):
    __tablename__ = "tags"
    id: Mapped[int] = mapped_column(primary_key=True)


own = create_engine("sqlite://")
Base.metadata.create_all(own)
[t.name for t in Base.metadata.sorted_tables]
Base.metadata.drop_all(own)
Base.metadata.drop_all(own)
Base.metadata.create_all(own)
with Session(own) as s:
    s.add(Post(title="Hi", author_id=None))
    s.commit()
Base.metadata.drop_all(own)
Base.metadata.drop_all()
