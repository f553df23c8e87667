# a relationship comparison (==, contains(), with_parent()) reads the object's key when the statement runs, not when it is built
class Base(DeclarativeBase): pass
class Owner(Base):
    __tablename__ = "owners_v46"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30))
    pets: Mapped[List["Pet"]] = relationship(back_populates="owner")
class Pet(Base):
    __tablename__ = "pets_v46"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[Optional[int]] = mapped_column(ForeignKey("owners_v46.id"))
    name: Mapped[str] = mapped_column(String(30))
    owner: Mapped[Optional[Owner]] = relationship(back_populates="pets")
Base.metadata.create_all(engine)
s = Session(engine)
a = Owner(name="a")
b = Owner(name="b")
s.add_all([a, b, Pet(name="p1", owner=a), Pet(name="p2", owner=b)])
s.commit()
by_owner = select(Pet.name).where(Pet.owner == a)
has_pet = select(Owner.name).where(Owner.pets.contains(s.get(Pet, 2)))
print(by_owner)
s.scalars(by_owner).all()
s.scalars(has_pet).all()
c = Owner(name="c")
to_c = select(Pet.name).where(Pet.owner == c).order_by(Pet.id)
parent_c = select(Pet).where(with_parent(c, Owner.pets))
s.add(c)
s.add(Pet(name="p3", owner=c))
s.scalars(to_c).all()
[p.name for p in s.scalars(parent_c)]
s.commit()
s.scalars(to_c).all()
s.close()
s2 = Session(engine)
s2.scalars(to_c).all()
s2.close()
Base.metadata.drop_all(engine)
