# A joined eager load chained after selectinload()/subqueryload(): SQLAlchemy joins it into that load's own SELECT
users = session.scalars(select(User).options(selectinload(User.messages).joinedload(Message.user)).where(User.id == 2)).all()
[m.user.name for m in users[0].messages]
session.expunge_all()
users = session.scalars(select(User).options(Load(User).subqueryload(User.role).joinedload(Role.users)).where(User.id == 1)).all()
len(users[0].role.users)
