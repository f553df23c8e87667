# relationship(primaryjoin=...): a string, a lambda and an expression; foreign_keys=[...]; viewonly=True
class Base(DeclarativeBase): pass
class Person(Base):
    __tablename__ = "people_v23"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30))
    addresses: Mapped[List["Address"]] = relationship(back_populates="person")
    work_addresses: Mapped[List["Address"]] = relationship(
        primaryjoin="and_(Person.id == Address.person_id, Address.email.like('%@work.com'))",
        viewonly=True,
    )
    home_addresses: Mapped[List["Address"]] = relationship(
        primaryjoin=lambda: and_(Person.id == Address.person_id, Address.email.like("%@home.org")),
        viewonly=True,
        order_by=lambda: Address.email,
    )
class Address(Base):
    __tablename__ = "addresses_v23"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people_v23.id"))
    email: Mapped[str] = mapped_column(String(50))
    person: Mapped["Person"] = relationship(back_populates="addresses")
Base.metadata.create_all(engine)
s = Session(engine)
p = Person(name="ann", addresses=[Address(email="a@work.com"), Address(email="b@home.org"), Address(email="c@work.com")])
s.add(p)
s.commit()
[a.email for a in p.work_addresses]
[a.email for a in p.home_addresses]
len(p.addresses)
s.scalars(select(Person).join(Person.work_addresses)).all()
[a.email for a in p.work_addresses]
s.close()
Base.metadata.drop_all(engine)
