# sqlalchemy's standalone label() and between(): SQL, printed and run
print(label("n", func.count(User.id)))
print(between(User.id, 2, 4))
session.execute(select(User.name).where(between(User.id, 2, 4)).order_by(User.id)).scalars().all()
session.execute(select(label("total", func.count(Message.id)))).all()
r = session.execute(select(label("uid", User.id), User.name).order_by(User.id).limit(2))
r.keys()
session.execute(select(User.id).where(~between(User.id, 2, 7)).order_by(User.id)).scalars().all()
