# ORM Querying Guide columns.rst walks redefine a mapped class under the same name: the new class's rows are new objects, not the earlier class's (its loaded and deferred attributes are its own)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
class Base2(DeclarativeBase):
    pass
class Note(Base2):
    __tablename__ = "note"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    body: Mapped[str] = mapped_column(deferred=True)
Base2.metadata.create_all(engine)
session.add_all([Note(id=1, title="a", body="first"), Note(id=2, title="b", body="second")])
session.commit()
old = session.scalar(select(Note).where(Note.id == 2))
old.body
class Base3(DeclarativeBase):
    pass
class Note(Base3):
    __tablename__ = "note"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    body: Mapped[str] = mapped_column(deferred=True, deferred_group="g")
new = session.scalar(select(Note).where(Note.id == 2))
new is old
type(new) is type(old)
new.body
old.body
got = session.get(Note, 1)
got.title
got.body
session.get(Note, 2) is new
