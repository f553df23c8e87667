# select_from() of a whole join beside other FROM entries (either order) and of a join nested on its right, Core and ORM
import sqlalchemy as sa
users = User.__table__
messages = Message.__table__
roles = Role.__table__
profiles = Profile.__table__
j = users.join(messages)
print(select(users.c.name).select_from(j).select_from(roles))
session.execute(select(roles.c.name, func.count(messages.c.id)).select_from(j).select_from(roles).where(roles.c.id == users.c.role_id).group_by(roles.c.name).order_by(roles.c.name)).all()
nested = users.join(messages.join(profiles, messages.c.user_id == profiles.c.user_id), users.c.id == messages.c.user_id)
print(select(users.c.id).select_from(nested))
session.execute(select(users.c.id).select_from(nested).distinct().order_by(users.c.id)).scalars().all()
session.execute(select(User).select_from(sa.join(User, sa.join(Message, Profile, Message.user_id == Profile.user_id), User.id == Message.user_id)).where(Message.id < 3).order_by(User.id)).scalars().all()
session.execute(select(Role.name, User.name).select_from(Role).select_from(sa.join(User, Message)).where(Role.id == User.role_id, Message.id == 1)).all()
