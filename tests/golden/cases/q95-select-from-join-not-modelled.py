# select_from() forms orm-tutor does not build yet: a join after another FROM entry, an ORM select_from of a join nested on the right
import sqlalchemy as sa
users = User.__table__
messages = Message.__table__
roles = Role.__table__
profiles = Profile.__table__
j = users.join(messages)
print(select(users.c.name).select_from(roles).select_from(j))
session.execute(select(roles.c.name, users.c.name).select_from(roles).select_from(j).where(roles.c.id == users.c.role_id).distinct().order_by(users.c.name)).all()
session.execute(select(User.name).select_from(sa.join(User, sa.join(Message, Profile, Message.user_id == Profile.user_id), User.id == Message.user_id)).distinct().order_by(User.name)).all()
