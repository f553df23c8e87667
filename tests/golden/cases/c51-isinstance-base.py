# Mapped classes derive from the declarative Base.
u = session.get(User, 1)
isinstance(u, Base)
isinstance(u, User)
isinstance(u, Role)
isinstance(User(name="x", email="x@x.org"), Base)
issubclass(User, Base)
