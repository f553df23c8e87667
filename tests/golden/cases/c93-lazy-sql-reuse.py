# Lazy loads of one relationship send the same SQL with their own parameters; a load_only lazy load gets its own column list.
users = session.query(User).all()
for u in users[:3]:
    print(u.name, len(u.messages))
session.expunge_all()
ms = session.query(Message).options(lazyload(Message.user).load_only(User.name)).filter(Message.id < 3).all()
print(ms[0].user.name)
session.expunge_all()
ms = session.query(Message).filter(Message.id < 4).all()
print([m.user.email for m in ms])
print([g.name for g in session.get(User, 1).groups], [g.name for g in session.get(User, 2).groups])
