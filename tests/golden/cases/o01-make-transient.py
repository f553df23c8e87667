# make_transient() and make_transient_to_detached(): copying a row as a new one, expired attributes forgotten, a detached object built from its key, and their errors
from sqlalchemy.orm import make_transient, make_transient_to_detached
u = session.get(User, 1)
print(u.name, inspect(u).persistent)
make_transient(u)
print(inspect(u).transient, inspect(u).key, u in session, u.id)
u.id = None
u.email = "copy@example.com"
session.add(u)
session.commit()
print(u.id, u.name)
v = session.get(User, 2)
session.commit()
make_transient(v)
print(v.name, v.id, inspect(v).transient)
make_transient(v)
w = User(id=3, name="x", email="y")
make_transient_to_detached(w)
print(inspect(w).detached, inspect(w).key[1:])
w2 = session.merge(w, load=False) if False else session.add(w)
print(w.name, inspect(w).persistent)
print(w.email)
try:
    make_transient_to_detached(session.get(User, 4))
except Exception as e:
    print(type(e).__name__, e)
try:
    make_transient(5)
except Exception as e:
    print(type(e).__name__, e)
try:
    make_transient_to_detached(User(name="n"))
except Exception as e:
    print(type(e).__name__, e)
m = session.get(Message, 1)
print(m.user.name)
make_transient(m)
print(m.user.name if m.user else None, m.user_id)
session.rollback()
