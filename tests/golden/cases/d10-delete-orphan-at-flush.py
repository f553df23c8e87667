# delete-orphan decides at flush: remove()/del/pop/replace/backref None mark an orphan, its children load at flush, a re-parented child is kept
from sqlalchemy import ForeignKey, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, Session
class Base(DeclarativeBase): pass
class Folder(Base):
    __tablename__ = "folders"
    id: Mapped[int] = mapped_column(primary_key=True)
    docs: Mapped[list["Doc"]] = relationship(back_populates="folder", cascade="all, delete-orphan")
class Doc(Base):
    __tablename__ = "docs"
    id: Mapped[int] = mapped_column(primary_key=True)
    folder_id: Mapped[int] = mapped_column(ForeignKey("folders.id"))
    folder: Mapped["Folder"] = relationship(back_populates="docs")
    pages: Mapped[list["Page"]] = relationship(cascade="all, delete-orphan")
class Page(Base):
    __tablename__ = "pages"
    id: Mapped[int] = mapped_column(primary_key=True)
    doc_id: Mapped[int] = mapped_column(ForeignKey("docs.id"))
Base.metadata.create_all(engine)
s = Session(engine)
s.add_all([Folder(id=1, docs=[Doc(id=i, pages=[Page(id=10 * i + j) for j in range(2)]) for i in range(1, 7)]), Folder(id=2)])
s.commit()
f1 = s.get(Folder, 1)
d = f1.docs[0]
f1.docs.remove(d)
print(d in s.deleted, len(f1.docs))
s.flush()
print(d in s.deleted, s.scalar(select(Page.id).where(Page.doc_id == 1)))
del f1.docs[0]
f1.docs.pop()
s.flush()
f1.docs[0].folder = None
s.flush()
f2 = s.get(Folder, 2)
print(f2.docs)
moved = f1.docs[0]
f1.docs.remove(moved)
f2.docs.append(moved)
s.flush()
print(moved.folder_id, s.scalars(select(Doc.id).order_by(Doc.id)).all())
f1.docs[0] = Doc(id=7)
s.flush()
f1.docs = []
s.flush()
print(s.scalars(select(Doc.id).order_by(Doc.id)).all(), s.scalars(select(Page.id).order_by(Page.id)).all())
s.rollback()
Base.metadata.drop_all(engine)
