# session.execute(select(...), {"y": 1}) and conn.execute(): the parameters by name fill the SELECT's bindparam()s (and an anonymous one's name); a bindparam() left without a value is an error
users = User.__table__
stmt = select(User.name).where(User.id == bindparam("y"))
session.execute(stmt, {"y": 1}).all()
session.execute(stmt, {"y": 2}).scalars().all()
session.execute(select(User).where(User.name == bindparam("nm")), {"nm": "Carol"}).scalars().one().id
session.execute(select(users.c.name).where(users.c.id > bindparam("lo")).order_by(users.c.id), {"lo": 5}).all()
session.execute(stmt).all()
session.execute(select(User.name).where(User.id == 2), {"id_1": 1}).all()
session.execute(select(User.name).where(User.id.between(bindparam("a"), bindparam("b"))).order_by(User.id), {"a": 2, "b": 3, "c": 9}).scalars().all()
with engine.connect() as conn:
    print(conn.execute(select(users.c.name).where(users.c.id == bindparam("y")), {"y": 2}).all())
