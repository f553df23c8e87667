# @declared_attr on an __abstract__ base: __table_args__ as a directive, a column named from cls.__tablename__, a relationship with back_populates per class
class Base(DeclarativeBase): pass
class Person(Base):
    __tablename__ = "people_v50c"
    id: Mapped[int] = mapped_column(primary_key=True)
    pets: Mapped[List["Pet"]] = relationship(back_populates="person")
    toys: Mapped[List["Toy"]] = relationship(back_populates="person")
class Owned(Base):
    __abstract__ = True
    @declared_attr.directive
    def __table_args__(cls):
        return (UniqueConstraint("person_id", "label"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(20))
    @declared_attr
    def person_id(cls) -> Mapped[Optional[int]]:
        print("person_id for", cls.__tablename__)
        return mapped_column(ForeignKey("people_v50c.id"))
    @declared_attr
    def person(cls):
        return relationship("Person", back_populates=cls.__name__.lower() + "s")
class Pet(Owned):
    __tablename__ = "pets_v50c"
class Toy(Owned):
    __tablename__ = "toys_v50c"
    price: Mapped[int] = mapped_column(default=0)
list(inspect(Toy).attrs.keys())
Toy.person.property.direction
print(Pet.person.property.mapper, Person.toys.property.back_populates)
Base.metadata.create_all(engine)
s = Session(engine)
p = Person(pets=[Pet(label="rex")], toys=[Toy(label="ball")])
s.add(p)
s.commit()
[t.person.id for t in p.toys], [x.label for x in p.pets]
s.add(Pet(label="rex", person=p))
s.commit()
s.rollback()
s.close()
Base.metadata.drop_all(engine)
