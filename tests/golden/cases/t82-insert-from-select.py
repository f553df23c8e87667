# insert(t).from_select(names, select): printed, executed on the session's connection, with returning(), names as columns, and rolled back
users = User.__table__
groups = Group.__table__
pick = select(users.c.id, literal(2)).where(users.c.id < 4)
stmt = insert(user_groups).from_select(["user_id", "group_id"], pick)
print(stmt)
type(stmt).__name__
conn = session.connection()
r = conn.execute(stmt)
r.rowcount
session.execute(select(func.count()).select_from(user_groups).where(user_groups.c.group_id == 2)).scalar()
named = insert(groups).from_select([groups.c.name], select(users.c.name + " fans").where(users.c.id > 6))
print(named)
print(named.returning(groups.c.id, groups.c.name))
conn.execute(named.returning(groups.c.id, groups.c.name)).all()
session.execute(select(groups.c.name).order_by(groups.c.id)).scalars().all()
session.execute(insert(groups).from_select(["name"], select(users.c.email).where(users.c.id == 1)))
session.rollback()
session.execute(select(func.count()).select_from(groups)).scalar()
