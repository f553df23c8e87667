# Core join()/outerjoin() objects: ON from foreign keys or given, chaining, select_from(j), str(j) and the errors
import sqlalchemy as sa
from sqlalchemy import outerjoin as core_outerjoin
users = User.__table__
messages = Message.__table__
roles = Role.__table__
profiles = Profile.__table__
j = sa.join(users, messages)
print(j)
str(j)
print(sa.join(users, roles))
print(users.join(messages, users.c.id == messages.c.user_id))
print(users.outerjoin(messages))
print(core_outerjoin(users, roles, full=True))
print(sa.join(users, messages, isouter=True))
print(users.join(messages).join(profiles).outerjoin(roles))
print(users.join(user_groups).join(Group.__table__))
print(sa.join(User, Message))
print(join(User, Message, User.messages))
print(j.left, j.right, j.isouter, j.full)
print(j.onclause)
session.execute(select(users.c.name, messages.c.content).select_from(j).where(users.c.id == 1).order_by(messages.c.id)).all()
session.execute(select(users.c.name, roles.c.name).select_from(users.outerjoin(roles)).order_by(users.c.id)).all()
session.scalars(select(User).select_from(sa.join(User, Message)).where(Message.id == 2)).all()
session.execute(select(User.name, Message.content).join_from(User, Message).where(User.id == 2)).all()
session.execute(select(users.c.name).select_from(users.join(messages).join(profiles)).where(profiles.c.bio != None).distinct()).all()
session.execute(select(users.c.name).select_from(users.join(messages)).join(profiles).distinct().order_by(users.c.name)).all()
print(sa.join(aliased(User, name="u"), Role))
print(sa.join(select(User.id, User.name).subquery("uq"), Message))
print(join(User, Group, User.groups))
session.scalars(select(Group.name).select_from(join(User, Group, User.groups)).where(User.id == 1).order_by(Group.id)).all()
pair = Table("pair", Base.metadata, Column("a", Integer, ForeignKey("users.id")), Column("b", Integer, ForeignKey("users.id")))
sa.join(users, pair)
print(sa.join(users, pair, pair.c.b == users.c.id))
sa.join(users, 1)
sa.join(users, "messages")
join(users, 1)
sa.join(messages, Group.__table__)
sa.join(users)
j.nonsense
