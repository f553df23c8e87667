r = Role(name="tester", users=[User(name="T1", email="t1@x"), User(name="T2", email="t2@x")])
session.add(r)
session.flush()
[u.role_id for u in r.users]
u = User(name="P", email="p@x", profile=Profile(bio="hi"))
session.add(u)
session.commit()
u.profile.user_id
u.profile = None
session.commit()
dave = session.get(User, 4)
dave.messages = [Message(content="only one")]
session.query(Message).filter(Message.user_id == None).count()
