# join(full=True) / outerjoin(full=True) as FULL OUTER JOIN; duplicate column names in Row._fields; an unnamed Bundle expression's key
session.execute(select(User.name, Message.id).join(Message, User.id == Message.user_id, full=True).order_by(Message.id).limit(2)).all()
session.execute(select(User.name, Message.id).outerjoin(Message, User.id == Message.user_id, full=True).order_by(Message.id).limit(2)).all()
session.query(User.name, Role.name).join(Role, User.role, full=True).order_by(User.id).all()
print(select(User.id).join(Message, full=True))
session.execute(select(User.id).join_from(User, Message, full=True).order_by(User.id).limit(1)).all()
r = session.execute(select(User.id, Message.id).join(User.messages).order_by(Message.id).limit(1)).first()
r._fields
list(r._mapping.keys())
r._asdict()
r2 = session.execute(select(User.id, Message.id, Role.id, User.name, Role.name).join(User.messages).join(User.role).order_by(Message.id).limit(1)).first()
r2._fields
session.execute(select(User.id, Message.id).join(User.messages).order_by(Message.id).limit(1)).keys()
b = Bundle("b", User.id, User.name + "x")
row = session.execute(select(b).order_by(User.id).limit(1)).first()
row.b._fields
row.b
