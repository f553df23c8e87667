# Column loader options: load_only(), defer(), undefer() on the chat models; the deferred column's own SELECT on access
u = session.scalars(select(User).options(load_only(User.name)).where(User.id == 1)).one()
u.name
u.email
u.email
session.close()
users = session.scalars(select(User).options(defer(User.email), defer(User.created_at)).where(User.id < 3)).all()
[u.name for u in users]
[u.email for u in users]
session.close()
print(select(User).options(load_only(User.name, User.email)))
session.query(User).options(load_only(User.name)).filter(User.id == 2).one().name
session.close()
m = session.scalars(select(Message).options(joinedload(Message.user).load_only(User.name)).where(Message.id == 1)).one()
m.user.name
m.user.email
session.close()
users = session.scalars(select(User).options(selectinload(User.messages).load_only(Message.content)).where(User.id == 2)).all()
[m.content for m in users[0].messages]
users[0].messages[0].created_at
session.close()
u = session.scalars(select(User).options(defer(User.email, raiseload=True)).where(User.id == 1)).one()
u.email
session.close()
u = session.scalars(select(User).options(load_only(User.name, raiseload=True)).where(User.id == 1)).one()
u.is_active
session.close()
u = session.scalars(select(User).options(load_only(User.name)).where(User.id == 1)).one()
u.email = "new@example.com"
session.flush()
u.email
session.rollback()
load_only(User.messages)
