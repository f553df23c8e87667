# select_from() then join() along a relationship: the FROM clause as SQLAlchemy builds it
session.scalars(select(Message.id).select_from(User).join(Message.user).where(User.id == 1)).all()
session.scalars(select(Message).select_from(User).join(Message.user).where(User.id == 1)).all()
session.query(Message.id).select_from(User).join(Message.user).filter(User.id == 2).all()
session.query(Message.id).select_from(User).join(User.messages).filter(User.id == 2).all()
session.query(Message).select_from(User).join(Message.user).options(joinedload(Message.user)).filter(User.id == 4).all()
session.scalars(select(User.name).select_from(Message).join(Message.user).where(Message.id == 3)).all()
session.execute(select(User.name, Role.name).select_from(User).join(Role.users).where(User.id < 3)).all()
session.scalars(select(Group.name).select_from(User).join(User.groups).where(User.id == 1)).all()
