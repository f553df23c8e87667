# Load(User) option chains (joinedload, load_only, selectinload) and chained loader options; Load()'s errors
users = session.scalars(select(User).options(Load(User).joinedload(User.messages)).where(User.id < 3)).unique().all()
len(users[0].messages)
session.expunge_all()
users = session.scalars(select(User).options(Load(User).load_only(User.name)).order_by(User.id).limit(2)).all()
users[0].name
users[1].email
session.expunge_all()
users = session.scalars(select(User).options(joinedload(User.messages).selectinload(Message.user)).where(User.id == 1)).unique().all()
users[0].messages[0].user.name
session.expunge_all()
users = session.scalars(select(User).options(selectinload(User.role).selectinload(Role.users)).where(User.id == 1)).all()
len(users[0].role.users)
Load(User)
type(Load(User)).__name__
Load(5)
Load(User).joinedload(Message.user)
session.scalars(select(User).options(Load(User)).where(User.id == 1)).all()
