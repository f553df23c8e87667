# ORM Querying Guide api.rst: pprint() of column_descriptions for mapped entities (a class, a named and an unnamed aliased() by name), pformat(), pp() keeping dict order, a mapped attribute's repr
from pprint import pprint, pformat, pp
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
class Base2(DeclarativeBase):
    pass
class Person(Base2):
    __tablename__ = "person"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
class Pet(Base2):
    __tablename__ = "pet"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
p2 = aliased(Person, name="p2")
stmt = select(Person, p2)
pprint(stmt.column_descriptions[:1])
[(d["name"], d["aliased"], d["type"] is Person) for d in stmt.column_descriptions]
[(d["name"], d["aliased"], d["type"] is Pet) for d in select(aliased(Pet)).column_descriptions]
pprint(session.query(Pet).column_descriptions)
print(stmt.column_descriptions[1]["name"], stmt.column_descriptions[0]["aliased"])
print(repr(Person.name))
pprint([Person.name, {"b": [1, 2], "a": ("x",)}])
rows = session.execute(select(User.id, User.name).order_by(User.id)).all()
pprint({"rows": rows, "count": len(rows), "names": [r.name for r in rows] * 4})
text = pformat({"z": list(range(30)), "a": "short"}, width=40)
print(text)
pp({"z": 1, "a": [10 ** 3] * 30})
pprint([("ab", 1), ("cd", 2)], width=12)
pprint((["xxx", "yyy"],), width=10)
import pprint as pprint_module
pprint_module.pprint({"k": "v"})
