u = User(name="C", email="c@c.org")
m = Message(content="hello", user=u)
session.add(m)
print(u in session, u in session.new)
session.commit()
print(u.id, m.user_id)
u.messages
print(u.messages)
del u.messages[0]
session.flush()
session.rollback()
p = Profile(bio="x")
p.user = session.get(User, 6)
print(p in session)
session.get(User, 6).profile is p
r = Role(name="rr")
print(r in session)
print(r in session)
