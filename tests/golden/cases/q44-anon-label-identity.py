# anonymous labels numbered by object identity: one object twice shares its name (or takes count__1), equal-looking objects count_1/count_2; scalar subqueries and column_property() repeated
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, column_property
c = func.count(Message.id)
print(select(c, c))
session.execute(select(c, c)).all()
print(select(func.count(Message.id), func.count(Message.id)))
m = func.max(Message.id)
session.execute(select(m, func.max(Message.id), m)).all()
lb = func.count(Message.id).label(None)
print(select(lb, lb, func.count(Message.id).label(None)))
session.execute(select(lb, lb, func.count(Message.id).label(None))).all()
sq = select(func.count(Message.id)).where(Message.user_id == User.id).scalar_subquery()
session.execute(select(User.name, sq).order_by(sq, User.id)).all()
sq2 = select(func.count(Message.id)).where(Message.user_id == User.id).scalar_subquery()
print(select(User.name, sq, sq2))
print(select(func.count(Message.id)).where(Message.id > select(func.count(User.id)).scalar_subquery()))
class Base2(DeclarativeBase):
    pass
class Address(Base2):
    __tablename__ = "address"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    email: Mapped[str]
class Person(Base2):
    __tablename__ = "person"
    id: Mapped[int] = mapped_column(primary_key=True)
    first: Mapped[str] = mapped_column(String(50))
    n_addresses: Mapped[int] = column_property(select(func.count(Address.id)).where(Address.user_id == id).correlate_except(Address).scalar_subquery())
    addresses = relationship(Address)
eng = create_engine("sqlite://")
Base2.metadata.create_all(eng)
s = Session(eng)
s.add_all([Person(first="Ada"), Person(first="Bo")])
s.flush()
s.add_all([Address(user_id=1, email="a"), Address(user_id=1, email="b")])
s.commit()
print(select(Person.n_addresses, Person.n_addresses))
s.scalars(select(Person).order_by(Person.n_addresses, Person.id)).all()
s.scalars(select(Person).where(Person.n_addresses > 1)).all()
s.execute(select(Person.n_addresses, func.count(Address.id))).all()
pa = aliased(Person)
s.execute(select(pa.n_addresses, Person.n_addresses).select_from(Person).join(pa, pa.id == Person.id).order_by(Person.id)).all()
s.execute(select(func.count(Person.id), Person).group_by(Person.id).order_by(Person.id)).all()
