for u, r in session.query(User, Role).join(Role).filter(Role.id == 1).all(): print(u.name, r.name)
for row in session.query(User.name, func.count(Message.id)).join(Message).group_by(User.name).order_by(User.name): print(row)
print(session.query(User).filter(User.id < 3).all())
print(session.query(User.name).filter(User.id < 3).all())
print(session.query(User.name).filter(User.id == 1).first())
print(session.execute(select(User.name).where(User.id == 1)).scalar())
x = session.query(User).filter(User.id == 1).first()
x.messages[0].user.role.users[1].name
list(session.query(User.id).filter(User.id > 6))
[r.id for r in session.query(User.id).filter(User.id > 6)]
session.query(User).filter(User.id > 6).all()[0].name
len(session.query(User).all())
bool(session.query(User).filter(User.id == 99).first())
