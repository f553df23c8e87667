# A Core Table's insert(), select(), update(), delete(): statements session.execute() runs
user_groups.insert().values(user_id=1, group_id=3)
session.execute(user_groups.insert().values(user_id=1, group_id=3))
session.execute(user_groups.select()).all()
session.execute(user_groups.select().where(user_groups.c.group_id == 3)).all()
session.execute(user_groups.update().where(user_groups.c.user_id == 2).values(group_id=3)).rowcount
session.execute(user_groups.delete().where(user_groups.c.user_id == 1)).rowcount
session.execute(user_groups.delete().filter_by(user_id=7)).rowcount
user_groups.update().filter_by(nope=1)
user_groups.insert(1)
user_groups.select(1)
session.execute(select(user_groups)).all()
session.rollback()
session.execute(user_groups.select()).all()
