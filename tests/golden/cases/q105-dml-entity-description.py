# entity_description and returning_column_descriptions of ORM and Core INSERT, UPDATE and DELETE statements
from pprint import pprint
users = User.__table__
d = insert(User).entity_description
print(sorted(d), d["name"], d["type"].__name__, d["expr"] is User, d["entity"] is User, d["table"].name)
d = update(User).where(User.id == 1).entity_description
print(d["name"], d["type"].__name__, d["table"].name)
d = delete(users).entity_description
print(sorted(d), d["name"], d["table"].name)
pprint([{k: v for k, v in d.items() if k != "entity"} for d in update(User).values(name="x").returning(User.id, User.name).returning_column_descriptions])
print([d["entity"].__name__ for d in update(User).returning(User.name).returning_column_descriptions])
pprint(insert(users).returning(users.c.id, users.c.email).returning_column_descriptions)
print(insert(User).returning_column_descriptions)
print(delete(users).returning_column_descriptions)
print(delete(User).returning(User).returning_column_descriptions)
