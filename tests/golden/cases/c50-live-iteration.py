# A for loop walks the live list: removing while iterating skips items.
xs = [1, 2, 3, 4]
for x in xs:
    xs.remove(x)
print(xs)
u = session.get(User, 1)
len(u.messages)
for m in u.messages:
    u.messages.remove(m)
[m.id for m in u.messages]
session.commit()
session.rollback()
u = session.get(User, 1)
[g.id for g in u.groups]
for g in u.groups:
    u.groups.remove(g)
[g.id for g in u.groups]
session.commit()
