# bytes values in SQL: a LargeBinary column's INSERT parameter, its value loaded back as bytes, and a bytes comparison in WHERE
from sqlalchemy import LargeBinary
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

class Base(DeclarativeBase):
    pass

class Photo(Base):
    __tablename__ = "photos"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    data: Mapped[bytes] = mapped_column(LargeBinary)

Base.metadata.create_all(engine)
session.add_all([Photo(title="a", data=b"\x89PNG\x00\x01"), Photo(title="b", data=b"it's")])
session.commit()
p = session.scalars(select(Photo).where(Photo.data == b"it's")).one()
print(p.title, p.data, type(p.data).__name__, len(p.data))
session.scalars(select(Photo.data).order_by(Photo.id)).all()
session.execute(select(Photo.title, func.length(Photo.data)).where(Photo.data.in_([b"it's", b"zz"]))).all()
