# ORM Querying Guide select.rst: aliased(Message, subq, name="msg") keys its rows by the name, an unnamed aliased() over a subquery has no key; the subquery still renders anon_1
subq = select(Message).where(Message.id < 4).subquery()
msg = aliased(Message, subq, name="msg")
stmt = select(User, msg).join(msg).order_by(msg.id)
for row in session.execute(stmt):
    print(row.User.name, row.msg.id, row.msg.content)
row = session.execute(stmt).first()
row._fields
row._mapping.keys()
row.msg
print(stmt)
anon = aliased(Message, subq)
session.execute(select(anon).order_by(anon.id)).first()._fields
session.execute(select(User, anon).join(anon)).first()._fields
session.execute(select(msg.content).order_by(msg.id)).all()
