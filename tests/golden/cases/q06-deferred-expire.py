# Deferred columns across expiry: after commit(), refresh(), expire(), with populate_existing, and load_only() of an aliased entity
u = session.scalars(select(User).options(load_only(User.name)).where(User.id == 1)).one()
session.commit()
u.name
u.email
u = session.scalars(select(User).options(defer(User.email)).where(User.id == 2)).one()
session.refresh(u)
u.email
u = session.scalars(select(User).options(defer(User.email)).where(User.id == 3)).one()
session.expire(u)
u.name
u.email
session.close()
u = session.get(User, 4, options=[load_only(User.name)])
u.is_active
u2 = session.scalars(select(User).where(User.id == 4).execution_options(populate_existing=True)).one()
u2.role_id
session.close()
ua = aliased(User)
u = session.scalars(select(ua).options(load_only(ua.name)).where(ua.id == 5)).one()
u.email
session.close()
rows = session.execute(select(User, Message).options(load_only(User.name), load_only(Message.content)).join(User.messages).where(User.id == 1)).all()
rows[0][1].created_at
session.close()
u = session.query(User).options(defer(User.email), joinedload(User.role).load_only(Role.id)).filter(User.id == 2).one()
u.role.name
