u = session.get(User, 1)
session.commit()
u.name = "A"
u.name = "B"
u.email = "b@b"
session.expire(u)
u.is_active = False
