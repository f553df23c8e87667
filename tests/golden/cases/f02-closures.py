# Closures over a session: a query factory and a counter, late-bound, with nonlocal.
def by_name(session):
    seen = []
    def lookup(name):
        nonlocal seen
        seen = seen + [name]
        return session.scalars(select(User).where(User.name == name)).one_or_none()
    def history():
        return seen
    return lookup, history
lookup, history = by_name(session)
lookup("Bob").email
lookup("Zed")
history()
def make_filter(column):
    return lambda value: select(User.id).where(column == value)
by_email = make_filter(User.email)
session.scalars(by_email("carol@example.com")).all()
def counter():
    n = 0
    def inc():
        nonlocal n
        n += 1
        return n
    return inc
c = counter()
c(), c(), c()
