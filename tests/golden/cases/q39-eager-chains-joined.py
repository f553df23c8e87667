# Joined eager loads chained below selectinload()/subqueryload(): many-to-many, many-to-one, collections, innerjoin, and a selectin below the join
users = session.scalars(select(User).options(selectinload(User.groups).joinedload(Group.users)).where(User.id.in_([1, 2])).order_by(User.id)).all()
[(g.name, sorted(u.name for u in g.users)) for g in users[0].groups]
session.expunge_all()
msgs = session.scalars(select(Message).options(selectinload(Message.user).joinedload(User.role)).where(Message.id < 4)).all()
[(m.user.name, m.user.role.name) for m in msgs]
session.expunge_all()
users = session.scalars(select(User).options(subqueryload(User.messages).joinedload(Message.user)).where(User.id < 3)).all()
[[m.user.name for m in u.messages] for u in users]
session.expunge_all()
roles = session.scalars(select(Role).options(selectinload(Role.users).joinedload(User.messages).selectinload(Message.user)).order_by(Role.id)).all()
[(r.name, sum(len(u.messages) for u in r.users)) for r in roles]
session.expunge_all()
users = session.scalars(select(User).options(selectinload(User.messages).joinedload(Message.user, innerjoin=True)).where(User.id == 3)).all()
len(users[0].messages)
