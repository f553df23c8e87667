other = Session(engine)
u = session.get(User, 1)
other.add(u)
other.delete(u)
x = User(name="X", email="x@x.org")
session.add(x)
other.add(x)
session.get(User, 1) is u
