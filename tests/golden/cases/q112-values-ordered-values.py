# Values in an UPDATE's FROM, update().ordered_values(), the SET clause in table order, a multi-table UPDATE's values() CompileError
from sqlalchemy import Values, values, column, Integer, String, update
users = User.__table__
messages = Message.__table__
v = Values(column("id", Integer), column("name", String), name="my_values").data([(1, "new_name"), (2, "another_name"), ("3", "name_name")])
v.c.keys()
print(select(Values(users.c.id, users.c.name, name="tv").data([(1, "a")])))
print(select(v).where(v.c.id > 1))
print(update(users).values(name=v.c.name).where(users.c.id == v.c.id))
print(update(users).values(email="a", name="b"))
print(update(User).values({User.email: "a", User.name: User.email}))
stmt = update(users).ordered_values((users.c.email, users.c.name + "@x"), (users.c.name, "x")).where(users.c.id == 1)
print(stmt)
session.execute(stmt)
session.execute(select(users.c.name, users.c.email).where(users.c.id == 1)).all()
session.execute(update(User).ordered_values((User.name, "y"), ("email", "e")).where(User.id == 2))
session.execute(select(User.name, User.email).where(User.id == 2)).all()
update(users).ordered_values((users.c.name, "x")).values(email="y")
update(users).values(email="y").ordered_values((users.c.name, "x"))
update(users).ordered_values((users.c.name, "x")).ordered_values((users.c.email, "y"))
stmt = update(users).where(users.c.id == messages.c.user_id).where(messages.c.content == "Hello!").values({users.c.name: "Pat", messages.c.content: "Hi"})
print(stmt)
session.execute(stmt)
session.rollback()
