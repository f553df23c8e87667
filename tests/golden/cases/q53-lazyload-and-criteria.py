# lazyload(rel.and_(...)): the lazy load's WHERE gets the criteria; a many-to-one with criteria always sends its SELECT
u = session.scalars(select(User).options(lazyload(User.messages.and_(Message.id > 3))).order_by(User.id)).first()
[m.id for m in u.messages]
session.close()
users = session.scalars(select(User).options(lazyload(User.messages.and_(Message.id > 3))).order_by(User.id)).all()
[(u.name, [m.id for m in u.messages]) for u in users]
session.close()
bob = session.get(User, 2)
m = session.scalars(select(Message).options(lazyload(Message.user.and_(User.name != "Bob"))).where(Message.id == 5)).one()
m.user
m2 = session.scalars(select(Message).options(lazyload(Message.user.and_(User.name == "Alice"))).where(Message.id == 1)).one()
m2.user
session.close()
g = session.get(Group, 1, options=[lazyload(Group.users.and_(User.id < 4))])
[u.name for u in g.users]
session.close()
u = session.get(User, 1, options=[lazyload(User.messages.and_(Message.id > 3))])
[m.id for m in u.messages]
