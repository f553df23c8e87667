# Unified Tutorial, "Using SELECT Statements": a table's columns picked by name from .c (c["a", "b"], c["a"]) and select(table.c)
users = User.__table__
print(select(users.c["email", "name"]))
session.execute(select(users.c["name", "id"]).where(users.c.id < 3).order_by(users.c.id)).all()
print(users.c["name"])
print(select(Role.__table__.c))
users.c["nope"]
users.c["id", "nope"]
