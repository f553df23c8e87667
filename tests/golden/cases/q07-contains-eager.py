# contains_eager(): collections and many-to-ones filled from an explicit join, also through an aliased() target
stmt = select(Message).join(Message.user).where(User.name == "Bob").options(contains_eager(Message.user)).order_by(Message.id)
print(stmt)
msgs = session.scalars(stmt).all()
[(m.id, m.user.name) for m in msgs]
session.close()
users = session.scalars(select(User).join(User.messages).where(Message.id < 4).options(contains_eager(User.messages))).unique().all()
[(u.name, [m.id for m in u.messages]) for u in users]
session.close()
m1 = aliased(Message)
users = session.scalars(select(User).join(User.messages.of_type(m1)).where(m1.content.like("%?%")).options(contains_eager(User.messages.of_type(m1))).order_by(User.id)).unique().all()
[(u.name, len(u.messages)) for u in users]
session.close()
users = session.query(User).outerjoin(User.role).options(contains_eager(User.role)).filter(User.id < 3).all()
[u.role.name for u in users]
session.close()
r = aliased(Role, name="r")
msgs = session.scalars(select(Message).join(Message.user).join(r, User.role).where(r.name == "admin").options(contains_eager(Message.user).contains_eager(User.role.of_type(r))).order_by(Message.id).limit(2)).all()
[(m.user.name, m.user.role.name) for m in msgs]
