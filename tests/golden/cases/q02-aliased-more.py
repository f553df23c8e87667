# aliased(): relationships from an alias, outer joins, aggregates, select_from, eager loads on an aliased entity, errors
ua = aliased(User)
session.execute(select(ua.name, func.count(Message.id)).join(ua.messages).group_by(ua.id).order_by(ua.name.desc())).all()
session.execute(select(ua.name, Role.name).outerjoin(ua.role).where(ua.id < 4)).all()
session.execute(select(Message.content).select_from(ua).join(Message, ua.id == Message.user_id).where(ua.name == "Bob")).all()
session.execute(select(ua).outerjoin(Message, ua.id == Message.user_id).where(Message.id == None)).scalars().all()
session.query(User).join(ua, User.id == ua.id).filter_by(name="Alice").all()
session.query(ua).filter_by(name="Carol").one().email
users = session.scalars(select(ua).options(selectinload(ua.messages)).where(ua.id < 3)).all()
[len(u.messages) for u in users]
users = session.scalars(select(ua).options(joinedload(ua.role)).where(ua.id < 3)).all()
[u.role.name for u in users]
session.scalar(select(func.count()).select_from(ua))
session.execute(select(ua.id).where(ua.id.in_(select(Message.user_id))).order_by(ua.id)).scalars().all()
session.execute(select(User.name).where(exists().where(ua.role_id == User.role_id, ua.id != User.id))).all()
aliased(5)
ua.nope
str(ua.name)
print(select(User.name).join(aliased(Role, name="r2")))
