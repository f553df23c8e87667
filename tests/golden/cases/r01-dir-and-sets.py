# dir() lists what real Python and SQLAlchemy list; set operators
print([n for n in dir(User) if not n.startswith("_")])
u = session.get(User, 1)
print(sorted(set(dir(u)) - set(dir(User))))
print(len(dir(session)), dir([])[-3:], len(dir(User)), len(dir(session.query(User))))
print(len(dir(select(User))), len(dir(engine)), dir(u.messages) == dir([]))
print(sorted(set([1, 2, 3]) - set([2])), sorted(set([1]) | set([4])), set([1, 2]) & set([2, 3]))
