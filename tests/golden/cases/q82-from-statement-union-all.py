# select(User).from_statement(union_all(...)): the entities loaded from a compound select of whole entities
u = union_all(select(User).where(User.id == 1), select(User).where(User.id == 3))
session.execute(select(User).from_statement(u)).scalars().all()
u2 = union_all(select(User).where(User.id < 3), select(User).where(User.name == "Dave")).order_by(User.id)
[x.name for x in session.scalars(select(User).from_statement(u2))]
u3 = union(select(Message).where(Message.user_id == 1), select(Message).where(Message.id == 2))
sorted(m.content for m in session.scalars(select(Message).from_statement(u3)))
session.execute(select(User).from_statement(union_all(select(User).where(User.id == 2), select(User).where(User.id == 2)))).scalars().all()
session.execute(select(User).from_statement(u)).all()
print(session.get(User, 3).name)
