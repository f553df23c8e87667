# Select.lateral(): JOIN LATERAL with the subquery correlated to the enclosing FROM, the ON clause from foreign keys or true(); SQLite refuses LATERAL when it runs
from sqlalchemy import true
users = User.__table__
messages = Message.__table__
lat = select(func.count(messages.c.id).label("n"), messages.c.content, messages.c.user_id).where(users.c.id == messages.c.user_id).group_by(messages.c.user_id, messages.c.content).lateral()
type(lat)
stmt = select(users.c.name, lat.c.n, lat.c.content).join_from(users, lat).order_by(users.c.id, lat.c.content)
print(stmt)
session.execute(stmt.where(users.c.id < 3)).all()
top = select(messages.c.content).where(messages.c.user_id == users.c.id).order_by(messages.c.id.desc()).limit(1).lateral("last_message")
stmt2 = select(users.c.name, top.c.content).select_from(users).join(top, true()).order_by(users.c.id)
print(stmt2)
session.execute(stmt2).all()
print(select(users.c.name, top.c.content).select_from(users).outerjoin(top, true()))
