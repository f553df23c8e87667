# ORM bulk INSERT: session.execute(insert(Model), [dicts]) — one executemany, defaults filled, objects not in the session
r = session.execute(insert(User), [{"name": "Zed", "email": "zed@example.com"}, {"name": "Yan", "email": "yan@example.com"}])
r.rowcount
session.scalars(select(User.name).where(User.id > 8).order_by(User.id)).all()
session.execute(insert(Role), [{"name": "a"}, {"name": "b"}, {"name": "c"}])
session.execute(insert(Role), [{"id": 50, "name": "d"}, {"id": 51, "name": "e"}])
session.execute(insert(User), [{"name": "Ann", "email": "ann@example.com", "role_id": 1}, {"name": "Bo", "email": "bo@example.com", "is_active": False}])
session.execute(select(User.name, User.is_active, User.role_id).where(User.id > 10).order_by(User.id)).all()
len(session.identity_map)
session.execute(insert(Role), [{"name": "f"}, {"nam": "g"}])
session.rollback()
session.execute(insert(Role), [{"name": "admin"}])
session.rollback()
session.execute(insert(Role), [])
users = session.scalars(insert(User).returning(User), [{"name": "Ret", "email": "ret@example.com"}, {"name": "Ret2", "email": "ret2@example.com"}]).all()
users
[u.name for u in users]
session.execute(insert(Role).returning(Role.id, Role.name), [{"name": "r1"}, {"name": "r2"}]).all()
session.commit()
session.scalar(select(func.count()).select_from(Role))
session.execute(insert(User).returning(User.id), [{"name": "R3", "email": "r3@example.com"}, {"name": "R4", "email": "r4@example.com", "role_id": 1}]).all()
session.execute(insert(User), [{"name": "R5", "email": "r5@example.com", "messages": []}])
session.execute(insert(User), {"name": "R6", "email": "r6@example.com"}).rowcount
session.execute(insert(User), [{"name": "R7", "email": "r7@example.com"}]).inserted_primary_key
session.execute(insert(User), [1, 2])
session.rollback()
