# mixins in Python's C3 method resolution order: a diamond of plain and MappedAsDataclass mixins orders columns and fields as __mro__ does
class Base(DeclarativeBase): pass
class Stamp:
    created: Mapped[int] = mapped_column(default=0)
class Named(Stamp):
    name: Mapped[str] = mapped_column(String(20), default="n")
class Tagged(Stamp):
    tag: Mapped[str] = mapped_column(String(20), default="t")
class Item(Named, Tagged, Base):
    __tablename__ = "items_v43"
    id: Mapped[int] = mapped_column(primary_key=True)
Base.metadata.create_all(engine)
s = Session(engine)
s.add(Item())
s.commit()
s.scalars(select(Item.tag)).all()
s.close()
Base.metadata.drop_all(engine)
class DBase(MappedAsDataclass, DeclarativeBase): pass
class DStamp(MappedAsDataclass):
    created: Mapped[int] = mapped_column(default=0)
class DNamed(DStamp):
    name: Mapped[str] = mapped_column(String(20), default="n")
class DTagged(DStamp):
    tag: Mapped[str] = mapped_column(String(20), default="t")
class DItem(DNamed, DTagged, DBase):
    __tablename__ = "ditems_v43"
    id: Mapped[int] = mapped_column(primary_key=True, default=None)
print(DItem(1, "x", "y", 5))
DBase.metadata.create_all(engine)
DBase.metadata.drop_all(engine)
class X(Named, Stamp): pass
class Bad(Stamp, Named, Base):
    __tablename__ = "bad_v43"
    id: Mapped[int] = mapped_column(primary_key=True)
