# session.refresh(obj, [names]) with relationship names loads them at once, by their own statement
u = session.get(User, 4)
session.refresh(u, ["name"])
session.refresh(u, ["name", "role"])
session.refresh(u, ["role"])
session.refresh(u, ["messages"])
u.role.name
len(u.messages)
session.refresh(u, ["name", "nonsense"])
