# a multi-table UPDATE (values() keyed by columns of two tables) compiled for MySQL as the tutorial's data_update page shows it, with its params; other dialects raise CompileError
from sqlalchemy.dialects import mysql
users = User.__table__
messages = Message.__table__
stmt = update(users).where(users.c.id == messages.c.user_id).where(messages.c.content == "Hello!").values({users.c.name: "Pat", messages.c.content: "Hi!"})
print(stmt.compile(dialect=mysql.dialect()))
print(stmt.compile(dialect=mysql.dialect()).params)
stmt2 = update(users).values({messages.c.content: "x", users.c.email: "e", users.c.name: "n"}).where(users.c.id == messages.c.user_id)
print(stmt2.compile(dialect=mysql.dialect()))
print(stmt)
session.execute(stmt)
