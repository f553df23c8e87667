# a relationship comparison's value read when the statement runs: a transient object's unset key, a None key's warning, a detached object never loaded
class Base(DeclarativeBase): pass
class Owner(Base):
    __tablename__ = "owners_v47"
    id: Mapped[int] = mapped_column(primary_key=True)
    pets: Mapped[List["Pet"]] = relationship(back_populates="owner")
class Pet(Base):
    __tablename__ = "pets_v47"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[Optional[int]] = mapped_column(ForeignKey("owners_v47.id"))
    owner: Mapped[Optional[Owner]] = relationship(back_populates="pets")
Base.metadata.create_all(engine)
s = Session(engine)
t = Owner()
of_t = select(Pet.id).where(Pet.owner == t)
s.scalars(of_t).all()
n = Owner(id=None)
s.scalars(select(Pet.id).where(Pet.owner == n)).all()
k = Owner(id=7)
of_k = select(Pet.id).where(Pet.owner == k)
s.scalars(of_k).all()
k.id = 8
s.scalars(of_k).all()
u = Owner()
s.add(u)
s.commit()
s.close()
s2 = Session(engine)
s2.scalars(select(Pet.id).where(Pet.owner == u)).all()
s2.close()
Base.metadata.drop_all(engine)
