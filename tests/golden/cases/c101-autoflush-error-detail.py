# an error raised by an autoflush has SQLAlchemy's "(raised as a result of Query-invoked autoflush …)" detail above it; the same error from flush() or commit() has none
session.add(Role(name="admin"))
session.query(Role).count()
session.rollback()
session.add(User(name="x", email="alice@example.com"))
try:
    session.query(User).filter_by(name="x").all()
except IntegrityError as e:
    print(str(e).splitlines()[0])
session.rollback()
session.add(Role(name="admin"))
session.flush()
session.rollback()
session.add(Role(name="admin"))
with session.no_autoflush:
    session.query(Role).count()
session.get(Role, 99)
session.rollback()
