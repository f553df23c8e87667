session.add(Role(name="a"))
session.rollback()
r = Role(name="b")
session.add(r)
session.rollback()
try:
    with session.begin():
        session.add(Role(name="c"))
        raise ValueError("x")
except ValueError:
    print("caught")
