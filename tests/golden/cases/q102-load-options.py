# Load(User).options(...) and joinedload(...).options(...): sub-options along the option's path, as separate eager loads
session.execute(select(User).where(User.id == 1).options(Load(User).options(selectinload(User.messages), joinedload(User.role)))).scalars().all()
session.execute(select(User).where(User.id == 2).options(joinedload(User.messages).options(joinedload(Message.user), defer(Message.content)))).unique().scalars().all()
session.execute(select(User).where(User.id == 3).options(Load(User).options(load_only(User.name)))).scalars().all()
session.execute(select(Role).where(Role.id == 1).options(selectinload(Role.users).options(selectinload(User.messages).options(joinedload(Message.user))))).scalars().all()
[len(u.messages) for u in session.scalars(select(Role).where(Role.id == 1)).one().users]
