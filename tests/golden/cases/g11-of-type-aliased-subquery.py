# ORM Querying Guide select.rst: joining along a relationship to an aliased() subquery, User.messages.of_type(aliased(Message, subq)) and join(m, User.messages), the ON clause against the subquery
subq = select(Message).where(Message.content.like("H%")).subquery()
m = aliased(Message, subq, name="m")
stmt = select(User, m).join(User.messages.of_type(m)).order_by(m.id)
print(stmt)
for row in session.execute(stmt):
    print(row.User.name, row.m.content)
stmt2 = select(User.name, m.content).join(m, User.messages).where(m.id > 1)
print(stmt2)
session.execute(stmt2).all()
session.execute(select(User.name).outerjoin(User.messages.of_type(m)).order_by(User.id)).all()
