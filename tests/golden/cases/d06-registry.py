# registry(): @reg.mapped classes and reg.generate_base(), one MetaData; MappedAsDataclass not modelled
from sqlalchemy.orm import registry, Mapped, mapped_column, relationship

reg = registry()


@reg.mapped
class Author:
    __tablename__ = "authors"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    books = relationship("Book", back_populates="author")

    def __repr__(self):
        return f"Author({self.name!r})"


Base = reg.generate_base()


class Book(Base):
    __tablename__ = "books"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"))
    author: Mapped["Author"] = relationship(back_populates="books")


print(sorted(reg.metadata.tables), reg.metadata is Base.metadata)
print(Author.__tablename__, Book.__tablename__)
own = create_engine("sqlite://")
reg.metadata.create_all(own)
s = Session(own)
s.add(Book(title="Dune", author=Author(name="Herbert")))
s.commit()
s.scalars(select(Book).join(Book.author).where(Author.name == "Herbert")).one().author
