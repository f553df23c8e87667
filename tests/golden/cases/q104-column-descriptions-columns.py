# column_descriptions of column entities: ORM attributes, functions, labels, aliased entities' columns, repeated names, Core columns, a legacy Query
from pprint import pprint
from sqlalchemy.orm import aliased
users = User.__table__
pprint({k: v for k, v in select(User.name, func.count(Message.id)).column_descriptions[0].items() if k != "entity"})
print([(d["name"], d["type"], d["aliased"], d["entity"] and d["entity"].__name__) for d in select(User.name, func.count(Message.id)).column_descriptions])
print([(d["name"], d["type"], d["aliased"], d["entity"] and d["entity"].__name__) for d in select(User.name.label("n"), (User.id + 1).label("x"), func.count(Message.id).label("c")).column_descriptions])
u = aliased(User, name="u")
print([(d["name"], d["type"], d["aliased"]) for d in select(u.name, u.id).column_descriptions])
print([(d["name"], d["aliased"], d["entity"] and d["entity"].__name__) for d in select(User.id + 1, User.name, User.name, func.count(), func.count()).column_descriptions])
print([(d["name"], d["aliased"], d["entity"] and d["entity"].__name__) for d in select(User, users.c.name, Message.id, User.id).column_descriptions])
pprint(select(users.c.name, users.c.name, users.c.id).column_descriptions)
print([(d["name"], d["type"]) for d in select(users.c.email, func.count(), func.count()).column_descriptions])
print([(d["name"], d["type"], d["aliased"], d["entity"] and d["entity"].__name__) for d in session.query(User.name, func.count(Message.id), User.id.label("i")).column_descriptions])
print([(d["name"], d["type"]) for d in select(users.c.name.label(None), users.c.id + 1, users.c.id - 1).column_descriptions])
print([(d["name"], d["type"], d["entity"] and d["entity"].__name__) for d in select(User.name.label(None), User.id + 1, User.id - 1).column_descriptions])
print([(d["name"], d["type"], d["entity"] and d["entity"].__name__) for d in session.query(User.name, User.name, User.id + 1, users.c.email).column_descriptions])
