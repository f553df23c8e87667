# Python checks every call's arguments before the method runs.
session.commit(now=True)
session.query(User).all(5)
session.query(User).filter(name='Bob')
session.get(User)
session.get(User, 1, 2, 3, 4, 5, 6, 7)
session.query(User).filter_by(name='Bob').first().name
