# ORM Querying Guide api.rst: column_descriptions of column entities (ORM attributes, Core columns) and a DML statement's entity_description / returning_column_descriptions
from pprint import pprint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
class Base2(DeclarativeBase):
    pass
class Person(Base2):
    __tablename__ = "person"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
pprint(select(Person, Person.id).column_descriptions)
person_table = Person.__table__
pprint(select(person_table, person_table.c.name).column_descriptions)
stmt = update(Person).values(name="x").returning(Person.id)
pprint(stmt.entity_description)
pprint(stmt.returning_column_descriptions)
