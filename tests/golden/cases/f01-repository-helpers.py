# Repository-style helpers: keyword-only parameters, defaults, **filters, a session passed in.
def get_user(session, *, name):
    return session.scalars(select(User).filter_by(name=name)).first()
def find_users(session, *names, active=True, **filters):
    stmt = select(User).where(User.name.in_(names)).filter_by(is_active=active, **filters)
    return session.scalars(stmt.order_by(User.id)).all()
alice = get_user(session, name="Alice")
print(alice.name, alice.email)
print(get_user(session, name="Nobody"))
[u.name for u in find_users(session, "Alice", "Bob", "Carol")]
[u.id for u in find_users(session, *["Alice", "Bob"], **{"role_id": 1})]
try:
    get_user(session, "Alice")
except TypeError as e:
    print(e)
try:
    get_user(session)
except TypeError as e:
    print(e)
