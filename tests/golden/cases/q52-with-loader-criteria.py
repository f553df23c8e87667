# with_loader_criteria(): on the statement's WHERE, join ON clauses (include_aliases=), joined/selectin/subquery eager loads, and the lazy loads of the objects loaded
print(select(User).options(with_loader_criteria(User, User.is_active == True)))
session.execute(select(User).options(with_loader_criteria(User, User.is_active == True)).order_by(User.id)).scalars().all()
session.execute(select(User.name).where(User.id > 1).options(with_loader_criteria(User, User.id < 5), with_loader_criteria(User, User.name != "Bob"))).all()
session.execute(select(func.count(Message.id)).options(with_loader_criteria(Message, lambda cls: cls.id > 5))).scalar()
users = session.scalars(select(User).options(with_loader_criteria(Message, Message.id > 3)).order_by(User.id)).all()
[(u.name, [m.id for m in u.messages]) for u in users]
session.close()
users = session.scalars(select(User).options(selectinload(User.messages), with_loader_criteria(Message, Message.content.like("%a%"))).order_by(User.id)).all()
[(u.name, [m.id for m in u.messages]) for u in users]
session.close()
users = session.scalars(select(User).options(joinedload(User.messages), with_loader_criteria(Message, Message.id < 4)).order_by(User.id)).unique().all()
[(u.name, sorted(m.id for m in u.messages)) for u in users]
session.close()
users = session.scalars(select(User).options(subqueryload(User.messages), with_loader_criteria(Message, Message.id > 15)).order_by(User.id)).all()
[(u.name, [m.id for m in u.messages]) for u in users]
session.close()
groups = session.scalars(select(Group).options(selectinload(Group.users), with_loader_criteria(User, User.id > 3)).order_by(Group.id)).all()
[(g.name, sorted(u.name for u in g.users)) for g in groups]
session.close()
session.execute(select(User.name, Message.id).join(User.messages).options(with_loader_criteria(Message, Message.id > 15)).order_by(Message.id)).all()
session.execute(select(Message.id).join(User, Message.user_id == User.id).options(with_loader_criteria(User, User.name == "Bob")).order_by(Message.id)).all()
ma = aliased(Message)
session.execute(select(User.name, ma.id).join(User.messages.of_type(ma)).options(with_loader_criteria(Message, Message.id > 15)).order_by(ma.id)).all()
session.execute(select(User.name, ma.id).join(User.messages.of_type(ma)).options(with_loader_criteria(Message, Message.id > 15, include_aliases=True)).order_by(ma.id)).all()
ua = aliased(User)
session.execute(select(ua.name).options(with_loader_criteria(User, lambda cls: cls.id < 3, include_aliases=True)).order_by(ua.id)).all()
u = session.get(User, 2, options=[with_loader_criteria(Message, Message.id > 6)])
u.messages
session.close()
users = session.scalars(select(User).where(User.id < 3).order_by(User.id), execution_options={"populate_existing": True}).all()
session.scalars(select(User.name).options(with_loader_criteria(User, User.id > 6)).order_by(User.id)).all()
type(with_loader_criteria(User, User.id > 3)).__name__
with_loader_criteria(User, 5)
