# defer("*") with load_only()/undefer(): an option naming a column wins over the wildcard, whatever the order
session.scalars(select(User).options(load_only(User.name), defer("*")).order_by(User.id)).first()
u = session.scalars(select(User).options(defer("*"), undefer(User.name)).where(User.id == 4)).one()
u.email
session.expunge_all()
u = session.scalars(select(User).options(defer("*", raiseload=True)).where(User.id == 5)).one()
u.id
u.name
session.expunge_all()
print(select(User).options(defer("*")))
