# declared_attr.cascading: on a mixin it is called for each mapped class, as declared_attr; on a mapped class's own attribute or on __tablename__ SQLAlchemy warns that it ignores the flag
class Base(DeclarativeBase): pass
class HasCode:
    @declared_attr.cascading
    def code(cls) -> Mapped[str]:
        print("code for", cls.__name__)
        return mapped_column(String(10), default=cls.__name__.lower())
class Item(HasCode, Base):
    __tablename__ = "items_v51"
    id: Mapped[int] = mapped_column(primary_key=True)
class Box(HasCode, Base):
    __tablename__ = "boxes_v51"
    id: Mapped[int] = mapped_column(primary_key=True)
print(Item.__table__.c.code.type, Box.__table__.c.code.nullable, Item.code)
class Named(Base):
    __tablename__ = "named_v51"
    id: Mapped[int] = mapped_column(primary_key=True)
    @declared_attr.cascading
    def label(cls):
        return mapped_column(String(20))
print(Named.__table__.c.label.type)
class AutoName:
    @declared_attr.cascading
    def __tablename__(cls):
        return cls.__name__.lower() + "_v51"
    id: Mapped[int] = mapped_column(primary_key=True)
class Thing(AutoName, Base):
    size: Mapped[int]
print(Thing.__tablename__, Thing.__table__.c.keys())
Base.metadata.create_all(engine)
s = Session(engine)
s.add_all([Item(), Box(code="b"), Thing(size=3)])
s.commit()
s.scalars(select(Item.code)).all()
s.scalars(select(Box.code).where(Box.code == "b")).all()
s.close()
Base.metadata.drop_all(engine)
