# FromClause.select() on a subquery and a CTE: select(subq) of every column, with where() and order_by(), executed
subq = select(User.id, User.name).where(User.id < 4).subquery()
print(subq.select())
session.execute(subq.select().order_by(subq.c.name.desc())).all()
cte = select(Message.user_id, func.count().label("n")).group_by(Message.user_id).cte("per_user")
print(cte.select().where(cte.c.n > 1))
session.execute(cte.select().where(cte.c.n > 1).order_by(cte.c.user_id)).all()
lat = select(User.id).lateral()
subq.select().subquery().select()
