# A model with @property, @classmethod and @validates (called on construction keywords and on set).
from sqlalchemy import create_engine, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, validates

class Base(DeclarativeBase):
    pass

class Person(Base):
    __tablename__ = "people"
    id: Mapped[int] = mapped_column(primary_key=True)
    first: Mapped[str] = mapped_column(String(50))
    last: Mapped[str] = mapped_column(String(50))
    email: Mapped[str] = mapped_column(String(100))

    @property
    def full_name(self):
        return f"{self.first} {self.last}"

    @classmethod
    def named(cls, first, last):
        return cls(first=first, last=last, email=f"{first.lower()}@example.com")

    @validates("email")
    def validate_email(self, key, value):
        print("validating", key, value)
        if "@" not in value:
            raise ValueError(f"bad email: {value}")
        return value.lower()

people_engine = create_engine("sqlite://")
Base.metadata.create_all(people_engine)
s = Session(people_engine)
p = Person(first="Ada", last="Lovelace", email="ADA@Example.com")
p.email
p.full_name
q = Person.named("Alan", "Turing")
q.email
try:
    p.email = "nope"
except ValueError as e:
    print("rejected:", e)
p.email
s.add_all([p, q])
s.commit()
[x.full_name for x in s.scalars(select(Person).order_by(Person.id))]
p.email = "X@Y.org"
s.commit()
p.email
p.full_name = "x"
