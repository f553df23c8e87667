u = session.get(User, 4)
print(inspect(u).expired_attributes)
session.expire(u, ["name"])
print(inspect(u).expired_attributes)
print(u.email)
session.commit()
u.is_active
session.refresh(u)
session.expire(u)
u.name = "D"
session.rollback()
print(u.name)
