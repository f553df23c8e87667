# A column annotation naming a type the module does not define, as a string inside Mapped[...] or as a whole string: SQLAlchemy's MappedAnnotationError when the class is mapped
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
class Base(DeclarativeBase):
    pass
class Quoted(Base):
    __tablename__ = "quoted"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped["Nope"]
class Whole(Base):
    __tablename__ = "whole"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: "Mapped[Nope]"
class Fine(Base):
    __tablename__ = "fine"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: "Mapped[str]"
    size: Mapped["int"] = mapped_column(default=3)
print(Fine.__table__.c.keys(), Fine(name="x").size)
