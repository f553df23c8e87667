# select_from() of a join: after a FROM entry it joins, a join nested on the right in Core (its FROM grouping in errors), str() raising a select's compile error
import sqlalchemy as sa
users = User.__table__
messages = Message.__table__
roles = Role.__table__
profiles = Profile.__table__
j = users.join(messages)
print(select(roles.c.name, users.c.name).select_from(j))
print(select(roles.c.name).select_from(j).where(roles.c.id == users.c.role_id))
nested = users.join(messages.join(profiles, messages.c.user_id == profiles.c.user_id))
print(nested)
print(select(users.c.name).select_from(nested))
session.execute(select(users.c.name, profiles.c.bio).select_from(nested).distinct().order_by(users.c.name)).all()
session.execute(select(User.name).select_from(Role).join(User).join(Message).distinct().order_by(User.name)).all()
print(select(User.name, Role.name).select_from(User).select_from(users.join(roles)))
print(select(User.name).join(Message).select_from(Role))
