# Several rows of one table in one flush.
users = session.query(User).filter(User.id.in_([1, 2, 3])).all()
for u in users: u.is_active = False
session.flush()
msgs = session.query(Message).filter(Message.user_id == 4).all()
for m in msgs: session.delete(m)
session.flush()
session.add_all([User(name="P", email="p@x.org"), User(name="Q", email="q@x.org", role_id=1)])
session.flush()
session.add_all([Role(id=10, name="ten"), Role(id=11, name="eleven")])
session.commit()
