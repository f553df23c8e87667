# ==, !=, contains(), == None on relationships whose primaryjoin has extra criteria
class Base(DeclarativeBase): pass
class Person(Base):
    __tablename__ = "people_v37"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30))
    work_addresses: Mapped[List["Address"]] = relationship(
        primaryjoin="and_(Person.id == Address.person_id, Address.email.like('%@work%'))",
        viewonly=True,
    )
class Address(Base):
    __tablename__ = "addresses_v37"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people_v37.id"))
    email: Mapped[str] = mapped_column(String(50))
    a_person: Mapped["Person"] = relationship(
        primaryjoin="and_(Person.id == Address.person_id, Person.name.like('a%'))",
        viewonly=True,
    )
Base.metadata.create_all(engine)
s = Session(engine)
ann = Person(name="ann")
bob = Person(name="bob")
s.add_all([ann, bob])
s.flush()
w = Address(email="a@work.com", person_id=ann.id)
h = Address(email="b@home.org", person_id=ann.id)
s.add_all([w, h, Address(email="c@work.net", person_id=bob.id)])
s.commit()
(ann.name, w.email, h.email)
print(Address.a_person == ann)
print(Address.a_person != ann)
print(Address.a_person == None)
print(Address.a_person != None)
print(Person.work_addresses.contains(w))
s.scalars(select(Address.email).where(Address.a_person == ann).order_by(Address.id)).all()
s.scalars(select(Address.email).where(Address.a_person != ann).order_by(Address.id)).all()
s.scalars(select(Address.email).where(Address.a_person == None).order_by(Address.id)).all()
s.scalars(select(Address.email).where(Address.a_person != None).order_by(Address.id)).all()
s.scalars(select(Person.name).where(Person.work_addresses.contains(w)).order_by(Person.id)).all()
s.scalars(select(Person.name).where(Person.work_addresses.contains(h)).order_by(Person.id)).all()
s.scalars(select(Person.name).where(Person.work_addresses == None).order_by(Person.id)).all()
s.close()
Base.metadata.drop_all(engine)
