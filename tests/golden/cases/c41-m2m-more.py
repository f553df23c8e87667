g = session.get(Group, 3)
[u.name for u in g.users]
newbie = User(name="N", email="n@n", groups=[g])
print(newbie in g.users)
session.add(newbie)
session.commit()
g.users.remove(newbie)
session.flush()
g.users.append(session.get(User, 1))
session.flush()
session.rollback()
[u.id for u in g.users]
