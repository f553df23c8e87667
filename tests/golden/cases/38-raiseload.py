u = session.query(User).options(raiseload(User.messages)).filter(User.id == 1).one()
u.messages
u2 = session.query(User).options(noload(User.messages)).filter(User.id == 2).one()
u2.messages
session.query(User).options(selectinload(User.messages), joinedload(User.role)).filter(User.id < 3).all()
session.scalars(select(User).options(selectinload(User.messages).selectinload(Message.user)).where(User.id == 3)).all()
