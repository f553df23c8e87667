# relationship .and_() criteria: in join()/outerjoin(), joinedload(), selectinload() and subqueryload() options
print(select(User.name).join(User.messages.and_(Message.id > 3)))
session.execute(select(User.name, Message.id).join(User.messages.and_(Message.id > 3)).order_by(Message.id)).all()
session.execute(select(User.name).outerjoin(User.messages.and_(Message.content.like("%a%"))).order_by(User.id)).all()
users = session.scalars(select(User).options(selectinload(User.messages.and_(Message.id > 3))).order_by(User.id)).all()
[(u.name, [m.id for m in u.messages]) for u in users]
session.close()
users = session.scalars(select(User).options(joinedload(User.messages.and_(Message.id > 3))).order_by(User.id)).unique().all()
[(u.name, [m.id for m in u.messages]) for u in users]
session.close()
users = session.scalars(select(User).options(subqueryload(User.messages.and_(Message.id > 3))).order_by(User.id)).all()
[(u.name, [m.id for m in u.messages]) for u in users]
session.close()
msgs = session.scalars(select(Message).options(joinedload(Message.user.and_(User.name != "Bob"))).order_by(Message.id)).all()
[(m.id, m.user and m.user.name) for m in msgs]
session.close()
[(g.name, [u.name for u in g.users]) for g in session.scalars(select(Group).options(selectinload(Group.users.and_(User.id < 4))).order_by(Group.id))]
print(select(Group.name).join(Group.users.and_(User.name != "Bob")))
ma = aliased(Message)
session.execute(select(User.name, ma.id).join(User.messages.of_type(ma).and_(ma.id > 5)).order_by(ma.id)).all()
