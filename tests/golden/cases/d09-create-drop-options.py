# create_all/drop_all with checkfirst=False and tables=[...]; an unknown keyword is a TypeError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
class B(DeclarativeBase):
    pass
class P(B):
    __tablename__ = "p"
    id: Mapped[int] = mapped_column(primary_key=True)
class Q(B):
    __tablename__ = "q"
    id: Mapped[int] = mapped_column(primary_key=True)
    p_id = mapped_column(ForeignKey("p.id"))
e = create_engine("sqlite://")
B.metadata.create_all(e, checkfirst=False)
B.metadata.drop_all(e, tables=[Q.__table__])
B.metadata.create_all(e, tables=[Q.__table__], checkfirst=True)
B.metadata.drop_all(e, checkfirst=False)
B.metadata.create_all(e, nope=1)
