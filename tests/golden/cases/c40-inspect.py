u = session.get(User, 1)
i = inspect(u)
print(i.session is session)
u.name = "Al"
print(i.modified)
print(User.__table__)
