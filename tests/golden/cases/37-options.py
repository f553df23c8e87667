msgs = session.query(Message).options(joinedload(Message.user)).filter(Message.id < 4).all()
[m.user.name for m in msgs]
users = session.query(User).options(selectinload(User.groups)).all()
[len(u.groups) for u in users]
users = session.query(User).options(subqueryload(User.messages)).all()
[len(u.messages) for u in users]
msgs = session.query(Message).options(joinedload(Message.user).joinedload(User.role)).filter(Message.id == 5).all()
msgs[0].user.role.name
users = session.query(User).options(joinedload(User.messages)).limit(2).all()
[len(u.messages) for u in users]
