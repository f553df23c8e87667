# Core select() with text() columns run on a Connection (keys from cursor.description), and the InvalidRequestError when auto-correlation leaves a scalar subquery no FROM
from sqlalchemy import text
users = User.__table__
messages = Message.__table__
conn = engine.connect()
r = conn.execute(select(text("'hello'"), users.c.name, text("1 + 1")).order_by(users.c.id))
r.keys()
r.all()
row = conn.execute(select(users.c.id, text("'tag'")).where(users.c.id == 1)).first()
row
row._fields
row[1]
ssq = select(func.count(messages.c.id)).where(users.c.id == messages.c.user_id).scalar_subquery()
print(select(users.c.name, ssq.label("n")))
stmt = select(users.c.name, messages.c.content, ssq.label("n")).join_from(users, messages)
print(stmt)
conn.execute(stmt).all()
str(stmt)
stmt2 = select(users.c.name, messages.c.content, ssq.correlate(users).label("n")).join_from(users, messages).order_by(messages.c.id)
print(stmt2)
conn.execute(stmt2).all()
conn.close()
