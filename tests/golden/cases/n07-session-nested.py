# session.begin_nested(): flush before the savepoint, commit() with an open savepoint, nested rollback expunges what it added
u = session.get(User, 1)
u.name = "Changed"
sp = session.begin_nested()
sp.is_active
session.add(Role(name="r1"))
session.commit()
sp.is_active
session.scalars(select(Role.name).order_by(Role.id)).all()
sp = session.begin_nested()
r2 = Role(name="r2")
session.add(r2)
sp.rollback()
r2 in session
session.new
sp.commit()
with session.begin_nested():
    pass
session.rollback()
with session.begin_nested() as t:
    type(t).__name__
    session.add(Role(name="r3"))
    session.flush()
    session.add(Role(name="r4"))
session.rollback()
session.scalars(select(Role.name).order_by(Role.id)).all()
