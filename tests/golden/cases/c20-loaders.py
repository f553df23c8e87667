users = session.query(User).options(joinedload(User.role), selectinload(User.groups)).order_by(User.id).all()
[(u.name, u.role.name if u.role else None, len(u.groups)) for u in users]
session.query(User).options(lazyload(User.role)).filter(User.id == 2).one().role.name
session.query(Role).options(selectinload(Role.users).selectinload(User.messages)).all()
session.query(Group).options(joinedload(Group.users)).all()
session.scalars(select(Group).options(joinedload(Group.users))).unique().all()
session.scalars(select(Group).options(selectinload(Group.users))).all()
session.query(Profile).options(joinedload(Profile.user).joinedload(User.role)).all()
session.query(User).options(joinedload(User.profile), joinedload(User.messages)).filter(User.id == 2).all()
session.query(User).options(selectinload(User.profile)).filter(User.id.in_([1, 4])).all()
