u = session.get(User, 1)
u.role
u.role.name
[m.id for m in u.messages]
u.profile
u.profile.bio
[g.name for g in u.groups]
r = session.get(Role, 2)
[x.name for x in r.users]
g = session.get(Group, 2)
sorted([x.name for x in g.users])
p = session.get(Profile, 4)
print(p.bio, p.user.name)
h = session.get(User, 8)
print(h.role, h.profile, h.messages, h.groups)
m = session.get(Message, 3)
m.user is u
print(m.user.messages[2].content)
