session.add(Role(name="viewer"))
session.query(Role).filter(Role.name == "viewer").count()
u = session.get(User, 5)
u.name = "Evelyn"
session.query(User).filter(User.name == "Evelyn").first()
session.add(Message(content="hey", user_id=5))
g = session.get(Group, 1)
g.name = "py"
session.execute(select(Group.name).order_by(Group.id)).scalars().all()
session.commit()
