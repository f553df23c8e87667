# a class with a column_property(): joins from it without select_from, and selectinload/subqueryload/contains_eager/joinedload of it
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, column_property
class Base2(DeclarativeBase):
    pass
class Address(Base2):
    __tablename__ = "address"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    email: Mapped[str]
    person = relationship("Person", back_populates="addresses")
class Person(Base2):
    __tablename__ = "person"
    id: Mapped[int] = mapped_column(primary_key=True)
    first: Mapped[str] = mapped_column(String(50))
    n_addresses: Mapped[int] = column_property(select(func.count(Address.id)).where(Address.user_id == id).correlate_except(Address).scalar_subquery())
    shout: Mapped[str] = column_property(first + "!")
    addresses = relationship(Address, back_populates="person")
eng = create_engine("sqlite://")
Base2.metadata.create_all(eng)
s = Session(eng)
s.add_all([Person(first="Ada"), Person(first="Bo")])
s.flush()
s.add_all([Address(user_id=1, email="a"), Address(user_id=1, email="b"), Address(user_id=2, email="c")])
s.commit()
s.execute(select(Person.shout, Address.email).join(Address, Address.user_id == Person.id).order_by(Address.id)).all()
s.execute(select(Person.n_addresses, Address.email).join(Person.addresses).order_by(Address.id)).all()
s.execute(select(Person.shout).join(Person.addresses).where(Address.email == "a")).all()
s.close()
s.scalars(select(Address).options(selectinload(Address.person)).order_by(Address.id)).all()
s.close()
s.scalars(select(Address).options(subqueryload(Address.person)).order_by(Address.id)).all()
s.close()
s.scalars(select(Address).options(joinedload(Address.person)).order_by(Address.id)).all()
s.close()
s.scalars(select(Address).join(Address.person).options(contains_eager(Address.person)).order_by(Address.id)).all()
s.close()
[(a.person.first, a.person.shout, a.person.n_addresses) for a in s.scalars(select(Address).options(selectinload(Address.person))).all()]
s.close()
s.scalars(select(Person).options(selectinload(Person.addresses)).order_by(Person.id)).all()
s.close()
s.scalars(select(Person).options(subqueryload(Person.addresses)).order_by(Person.id)).all()
s.close()
s.scalars(select(Person).join(Person.addresses).options(contains_eager(Person.addresses)).order_by(Person.id)).all()
s.close()
s.scalars(select(Address).options(subqueryload(Address.person).load_only(Person.first))).all()
s.close()
s.scalars(select(Address).options(selectinload(Address.person).defer(Person.shout))).all()
s.close()
s.scalars(select(Person).join(Person.addresses).options(contains_eager(Person.addresses)).where(Person.n_addresses > 1)).unique().all()
s.close()
[(p.first, p.shout, [a.email for a in p.addresses]) for p in s.scalars(select(Person).join(Person.addresses).options(contains_eager(Person.addresses)).order_by(Person.id, Address.id)).unique().all()]
