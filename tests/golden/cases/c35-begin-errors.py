session.begin()
session.commit()
with session.begin():
    session.add(Role(name="a"))
    raise ValueError("oops")
s = Session(engine)
s.add(User(name="x", email="alice@example.com"))
try:
    s.commit()
except IntegrityError:
    print("dup")
s.query(User).count()
s.close()
s.query(User).count()
