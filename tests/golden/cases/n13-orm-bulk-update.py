# ORM bulk UPDATE by primary key: session.execute(update(Model), [dicts with the primary key])
u = session.get(User, 2)
r = session.execute(update(User), [{"id": 1, "name": "Alicia"}, {"id": 2, "name": "Robert"}])
r.rowcount
u.name
session.execute(select(User.id, User.name).where(User.id < 4).order_by(User.id)).all()
session.execute(update(User), [{"id": 3, "name": "C", "is_active": False}, {"id": 4, "is_active": False}])
session.execute(select(User.id, User.name, User.is_active).where(User.id.in_([3, 4])).order_by(User.id)).all()
session.execute(update(User), [{"name": "nobody"}])
session.execute(update(User), [{"id": 99, "name": "ghost"}]).rowcount
session.execute(update(User).where(User.name == "Alicia"), [{"id": 1, "name": "A"}])
session.rollback()
session.commit()
session.get(User, 1).name
session.execute(update(User), [{"id": 1, "name": "a"}, {"id": 99, "name": "b"}])
session.rollback()
session.execute(update(User), [{"id": 1}])
session.execute(update(User), [{"id": 1, "name": "a", "nam": 3, "role": None}])
session.rollback()
