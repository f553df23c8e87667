# relationship(primaryjoin=and_(fk == ..., extra)) without secondary: lazy loads, joinedload, selectinload, join, any()/has(), with_parent()
class Base(DeclarativeBase): pass
class Person(Base):
    __tablename__ = "people_v31"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30))
    addresses: Mapped[List["Address"]] = relationship(back_populates="person")
    work_addresses: Mapped[List["Address"]] = relationship(
        primaryjoin="and_(Person.id == Address.person_id, Address.email.like('%@work%'))",
        viewonly=True,
        order_by="Address.id",
    )
class Address(Base):
    __tablename__ = "addresses_v31"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people_v31.id"))
    email: Mapped[str] = mapped_column(String(50))
    person: Mapped["Person"] = relationship(back_populates="addresses")
    a_person: Mapped["Person"] = relationship(
        primaryjoin="and_(Person.id == Address.person_id, Person.name.like('a%'))",
        viewonly=True,
    )
Base.metadata.create_all(engine)
s = Session(engine)
s.add_all([
    Person(name="ann", addresses=[Address(email="a@work.com"), Address(email="b@home.org"), Address(email="c@work.net")]),
    Person(name="bob", addresses=[Address(email="d@home.org"), Address(email="e@work.com")]),
    Person(name="cy"),
])
s.commit()
ann = s.scalars(select(Person).where(Person.name == "ann")).one()
[a.email for a in ann.work_addresses]
d = s.scalars(select(Address).where(Address.email == "d@home.org")).one()
d.a_person
a = s.scalars(select(Address).where(Address.email == "a@work.com")).one()
a.a_person.name
s.close()
[(p.name, [a.email for a in p.work_addresses]) for p in s.scalars(select(Person).options(joinedload(Person.work_addresses)).order_by(Person.id)).unique()]
s.close()
[(p.name, [a.email for a in p.work_addresses]) for p in s.scalars(select(Person).options(selectinload(Person.work_addresses)).order_by(Person.id))]
s.close()
[(a.email, a.a_person and a.a_person.name) for a in s.scalars(select(Address).options(joinedload(Address.a_person)).order_by(Address.id))]
s.close()
[(a.email, a.a_person and a.a_person.name) for a in s.scalars(select(Address).options(selectinload(Address.a_person)).order_by(Address.id))]
s.close()
s.scalars(select(Person.name).join(Person.work_addresses).order_by(Address.id)).all()
s.scalars(select(Person.name).outerjoin(Person.work_addresses).order_by(Person.id, Address.id)).all()
s.execute(select(Address.email, Person.name).join(Address.a_person).order_by(Address.id)).all()
s.scalars(select(Person.name).where(Person.work_addresses.any()).order_by(Person.id)).all()
s.scalars(select(Person.name).where(Person.work_addresses.any(Address.email.like("e%"))).order_by(Person.id)).all()
s.scalars(select(Person.name).where(~Person.work_addresses.any()).order_by(Person.id)).all()
s.scalars(select(Address.email).where(Address.a_person.has()).order_by(Address.id)).all()
s.scalars(select(Address.email).where(Address.a_person.has(Person.id > 0)).order_by(Address.id)).all()
bob = s.scalars(select(Person).where(Person.name == "bob")).one()
s.scalars(select(Address.email).where(with_parent(bob, Person.work_addresses))).all()
s.scalars(select(Address).where(with_parent(bob, Person.work_addresses))).all()
s.close()
Base.metadata.drop_all(engine)
