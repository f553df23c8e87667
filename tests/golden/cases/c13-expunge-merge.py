u = session.get(User, 3)
session.expunge(u)
print(u in session, inspect(u).detached)
print(u.name)
u.name = "Caro"
u2 = session.merge(u)
print(u2 is u, u2.name)
session.dirty
session.commit()
session.query(User.name).filter(User.id == 3).scalar()
print(m.name)
session.new
session.expunge_all()
print(len(session.identity_map))
