# The FROM linter names a CTE by its name
cte = select(Message.user_id).where(Message.id > 2).cte("recent")
session.execute(select(User.name, cte.c.user_id).order_by(User.id, cte.c.user_id).limit(1)).all()
session.execute(select(User.name, cte.c.user_id).join(cte, cte.c.user_id == User.id).order_by(User.id).limit(1)).all()
