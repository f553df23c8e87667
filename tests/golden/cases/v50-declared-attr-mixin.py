# @declared_attr.directive __tablename__ and @declared_attr columns and relationships on a mixin, each mapped class getting its own
class Base(DeclarativeBase): pass
class Owner(Base):
    __tablename__ = "owners_v50"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30))
class OwnedMixin:
    @declared_attr.directive
    def __tablename__(cls) -> str:
        return cls.__name__.lower() + "_v50"
    id: Mapped[int] = mapped_column(primary_key=True)
    @declared_attr
    def owner_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("owners_v50.id"))
    @declared_attr
    def owner(cls) -> Mapped["Owner"]:
        return relationship("Owner")
class Car(OwnedMixin, Base):
    model: Mapped[str] = mapped_column(String(30))
class Boat(OwnedMixin, Base):
    length: Mapped[Optional[int]]
print(Car.__tablename__, Boat.__tablename__)
print(select(Car.model, Owner.name).join(Car.owner))
Base.metadata.create_all(engine)
s = Session(engine)
o = Owner(name="ann")
s.add_all([Car(model="T", owner=o), Boat(length=5, owner=o)])
s.commit()
[(c.model, c.owner.name) for c in s.scalars(select(Car))]
s.scalars(select(Boat).where(Boat.owner_id == o.id)).one().length
inspect(Boat).relationships.keys()
s.close()
Base.metadata.drop_all(engine)
