# *args/**kwargs, unpacking, starred targets and the iterator built-ins around query results.
def row_names(*users, sep=", "):
    return sep.join(u.name for u in users)
users = session.scalars(select(User).order_by(User.id).limit(4)).all()
row_names(*users)
first, *others = users
print(first.name, len(others))
names = list(map(lambda u: u.name, users))
names
[n for n in filter(lambda n: "o" in n, names)]
list(reversed(names))
it = iter(users)
next(it).name, next(it).name
def create(**fields):
    return User(**{"is_active": True, **fields})
u = create(name="Zoe", email="zoe@example.com")
session.add(u)
session.flush()
u.id, u.is_active
for user in users:
    if user.name == "Nobody":
        break
else:
    print("no Nobody")
divmod(len(names), 3)
