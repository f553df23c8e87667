session.add(Message(content="hey", user_id=5))
session.add(Message(content="a", user_id=1))
session.add(Role(name="r2"))
session.add(User(name="U", email="u@u.org"))
session.add(Group(name="g2"))
session.add(Profile(user_id=4, bio="b"))
session.autoflush = False
session.add(Role(name="r3"))
