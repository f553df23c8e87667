# ORM Querying Guide select.rst: aliased(User, subq) and aliased(Message, subq) over one subquery that joins both, each entity's columns matched to the subquery's (the second's colliding id as id_1); the subquery's missing columns left unloaded
sq = (
    select(User.id, User.name, User.email, Message.id, Message.content)
    .join_from(User, Message)
    .where(Message.content.in_(["Hello!", "Hi Alice!"]))
    .subquery()
)
user_alias = aliased(User, sq, name="user")
msg_alias = aliased(Message, sq, name="msg")
stmt = select(user_alias, msg_alias).where(user_alias.name != "nobody").order_by(msg_alias.id)
print(stmt)
rows = session.execute(stmt).all()
for row in rows:
    print(row.user.name, row.msg.id, row.msg.content)
rows[0].msg.user_id
session.execute(select(msg_alias.content, user_alias.email).order_by(msg_alias.content)).all()
