u = session.get(User, 1)
session.close()
u.role
u.messages
u.name
u2 = session.get(User, 2)
session.expire(u2)
session.expunge(u2)
u2.name
session.delete(u2)
session.add(u2)
session.delete(u2)
session.add(User(id=1, name="dup", email="dup@x"))
session.rollback()
session.query(User).filter(User.id == 1).one().name
