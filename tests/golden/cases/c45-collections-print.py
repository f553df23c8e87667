u = session.get(User, 4)
u.messages
print(u.messages)
print(u.groups)
print(len(u.messages), u.messages[-1].content, u.messages[0:1])
print([m.content for m in reversed(u.messages)])
u.profile
print(u.role.users[0] is session.get(User, 2))
session.get(Role, 3).users
session.get(Group, 4).users
print(u.messages == [], u.messages[0] in u.messages)
