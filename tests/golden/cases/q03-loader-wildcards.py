# Loader option wildcards and chains: raiseload("*"), raiseload(attr), lazyload("*"), joinedload("*"), defaultload().selectinload()
u = session.scalars(select(User).options(raiseload("*")).where(User.id == 1)).one()
u.name
u.messages
u.role
m = session.scalars(select(Message).options(raiseload(Message.user)).where(Message.id == 2)).one()
m.user
m.content
session.close()
users = session.scalars(select(User).options(joinedload("*")).where(User.id < 3)).unique().all()
[(u.role.name, len(u.messages), len(u.groups), u.profile is None) for u in users]
session.close()
users = session.scalars(select(User).options(lazyload("*")).where(User.id < 3)).all()
[len(u.messages) for u in users]
session.close()
roles = session.scalars(select(Role).options(defaultload(Role.users).selectinload(User.messages))).all()
[[len(u.messages) for u in r.users] for r in roles]
session.close()
msgs = session.scalars(select(Message).options(joinedload(Message.user).raiseload("*")).where(Message.id < 3)).all()
msgs[0].user.name
msgs[0].user.role
session.close()
u = session.get(User, 2, options=[raiseload(User.messages)])
u.messages
session.close()
u = session.scalars(select(User).options(selectinload(User.messages), raiseload("*")).where(User.id == 3)).one()
len(u.messages)
u.groups
session.close()
u = session.scalars(select(User).options(raiseload("*", sql_only=True)).where(User.id == 1)).one()
u.role
