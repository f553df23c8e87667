# Bundle.c / Bundle.columns: the bundle's columns by key, usable in select() and where()
b = Bundle("user", User.id, User.name)
print(b.c.name)
print(b.columns.id)
list(b.c.keys())
b.c
print(select(b.c.name, b.c.id))
session.execute(select(b.c.name).where(b.c.id < 3).order_by(b.c.id)).all()
session.execute(select(b).where(b.c.name.like("%a%")).order_by(b.c.id)).all()
b2 = Bundle("x", User.name.label("n"), User.email)
list(b2.c.keys())
b.c.nope
b.name
