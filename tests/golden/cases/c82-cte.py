# Select.cte(): WITH name AS (…), named and anonymous, parameters of the CTE first
counts = select(Message.user_id, func.count(Message.id).label("n")).where(Message.id > 2).group_by(Message.user_id).cte("counts")
session.execute(select(User.name, counts.c.n, literal(3)).join(counts, User.id == counts.c.user_id).where(counts.c.n > 2)).all()
anon = select(User.id, User.name).where(User.id < 4).cte()
session.execute(select(anon.c.name).order_by(anon.c.name.desc())).all()
print(select(anon.c.id).where(anon.c.id == 2))
type(counts).__name__
list(counts.c.keys())
session.query(User.name, counts.c.n).join(counts, User.id == counts.c.user_id).order_by(counts.c.n.desc(), User.name).limit(2).all()
session.scalars(select(User.name).where(User.id.in_(select(counts.c.user_id).where(counts.c.n >= 4)))).all()
