# ORM Querying Guide select.rst: rows keyed by a named aliased() entity (an anonymous one has no key); Select.add_columns() of entities and columns
u1 = aliased(User, name="u1")
row = session.execute(select(u1).order_by(u1.id)).first()
row._fields
row.u1.name
user_cls = aliased(User, name="user_cls")
email_cls = aliased(Message, name="email")
row = session.execute(select(user_cls, email_cls).join(user_cls.messages.of_type(email_cls)).order_by(user_cls.id, email_cls.id)).first()
print(row.user_cls.name, row.email.id)
u2 = aliased(User)
session.execute(select(u2).order_by(u2.id)).first()._fields
print(select(User).join(User.messages).add_columns(Message).order_by(User.id, Message.id))
session.execute(select(User).join(User.messages).add_columns(Message).order_by(User.id, Message.id)).first()
session.execute(select(User.name).add_columns(User.id, Message.id).join(User.messages).order_by(Message.id)).first()
for row in session.execute(select(User, Message).join(User.messages).order_by(User.id, Message.id).limit(3)):
    print(row.User.name, row.Message.content)
