# column_property(): a correlated count (correlate_except), deferred=True; loaded, expired after a flush, expire/refresh, undefer, load_only, aliased and joinedload
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, column_property, query_expression, with_expression, deferred
class Base2(DeclarativeBase):
    pass
class Address(Base2):
    __tablename__ = "address"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    email: Mapped[str]
    person = relationship("Person")
class Person(Base2):
    __tablename__ = "person"
    id: Mapped[int] = mapped_column(primary_key=True)
    first: Mapped[str] = mapped_column(String(50))
    last: Mapped[str] = mapped_column(String(50))
    n_addresses: Mapped[int] = column_property(select(func.count(Address.id)).where(Address.user_id == id).correlate_except(Address).scalar_subquery())
    full: Mapped[str] = column_property(first + " " + last, deferred=True)
    age: Mapped[int] = mapped_column(default=3)
eng = create_engine("sqlite://")
Base2.metadata.create_all(eng)
s = Session(eng)
s.add_all([Person(first="Ada", last="L"), Person(first="Bo", last="T")])
s.flush()
s.add_all([Address(user_id=1, email="a"), Address(user_id=1, email="b")])
s.commit()
p = s.get(Person, 1)
p.n_addresses
p.full
s.query(Person).all()
p.first = "X"
s.flush()
p.full
p.n_addresses
s.expire(p)
p.first
s.refresh(p)
p.full
s.scalars(select(Person).options(undefer(Person.full)).where(Person.id == 2)).one().full
print(select(Person.n_addresses, Person.full))
s.execute(select(Person.n_addresses, Person.full)).all()
Person.full
s.query(Person.full).all()
s.scalars(select(Person).order_by(Person.full)).all()
s.execute(select(Person.full.label("fn"))).all()
s.scalars(select(Person).options(load_only(Person.first))).all()
pa = aliased(Person)
print(select(pa))
print(select(Address.email, Person.n_addresses).join(Person, Address.user_id == Person.id))
s.scalars(select(Address).options(joinedload(Address.person)).order_by(Address.id)).first().person.n_addresses
