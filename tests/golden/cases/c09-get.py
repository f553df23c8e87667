session.get(User, 99)
session.get(Role, 1).name
session.get(User, 1) is session.get(User, 1)
u = session.get(User, 2)
print(u.name, u.email, u.is_active, u.role_id)
print(u.created_at)
print(repr(u.created_at))
u.created_at
print(u)
session.get(Message, 7).content
session.get(User, "3")
session.get(Group, 2)
