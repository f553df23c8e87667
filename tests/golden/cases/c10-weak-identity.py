session.query(User).all()
users = session.query(User).all()
session.get(User, 2)
session.get(Role, 1).name
print(session.get(Group, 1).name)
