users = session.query(User).order_by(User.id).all()
for u in users: print(f"{u.id:03d} {u.name:<8}|{u.email:>20}")
print("%s has id %d" % (users[0].name, users[0].id))
names = [u.name for u in users if u.is_active]
print(names)
print(sorted(users, key=lambda u: u.email)[0].name)
print(sorted([u.name for u in users], reverse=True))
print(len(users), sum([u.id for u in users]), min([u.id for u in users]), max(u.name for u in users))
for i, u in enumerate(users[:3]): print(i, u.name)
for a, b in zip([1, 2, 3], "abc"): print(a, b)
x, y = 1, 2
x, y = y, x
print(x, y)
t = (1, "a", None, True, 2.5)
print(t, t[1:], len(t))
t
