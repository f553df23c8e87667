# @declared_attr.directive __tablename__ on the declarative base itself: every class's table named from the class; a class's own __tablename__ wins
class Base(DeclarativeBase):
    @declared_attr.directive
    def __tablename__(cls):
        return cls.__name__.lower() + "s_v50b"
class Author(Base):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
class Book(Base):
    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("authors_v50b.id"))
    author: Mapped[Author] = relationship()
class Note(Base):
    __tablename__ = "notes_kept_v50b"
    id: Mapped[int] = mapped_column(primary_key=True)
print(Author.__tablename__, Book.__table__.name, Note.__tablename__)
print(select(Book.id).join(Book.author).where(Author.name == "x"))
sorted(Base.metadata.tables)
Base.metadata.create_all(engine)
s = Session(engine)
s.add(Book(author=Author(name="ann")))
s.commit()
s.scalars(select(Book)).one().author.name
s.close()
Base.metadata.drop_all(engine)
