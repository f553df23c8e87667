# column_property() on declarative models: a SQL expression and a correlated count; query_expression() with with_expression()
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, column_property, query_expression, with_expression
class Base2(DeclarativeBase):
    pass
class Author(Base2):
    __tablename__ = "author"
    id: Mapped[int] = mapped_column(primary_key=True)
    firstname: Mapped[str] = mapped_column(String(50))
    lastname: Mapped[str] = mapped_column(String(50))
    fullname: Mapped[str] = column_property(firstname + " " + lastname)
    score: Mapped[int] = query_expression()
eng = create_engine("sqlite://")
Base2.metadata.create_all(eng)
s = Session(eng)
s.add_all([Author(firstname="Ada", lastname="Lovelace"), Author(firstname="Alan", lastname="Turing")])
s.commit()
a = s.scalars(select(Author).order_by(Author.id)).first()
a.fullname
s.scalars(select(Author.fullname).where(Author.fullname.like("A% T%"))).all()
a2 = s.scalars(select(Author).options(with_expression(Author.score, Author.id * 10)).where(Author.id == 2)).one()
a2.score
a.score
print(select(Author))
