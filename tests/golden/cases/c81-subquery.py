# Select.subquery(): .c columns and keys, selected from, joined to, named and anonymous
counts = select(Message.user_id, func.count(Message.id).label("n")).group_by(Message.user_id).subquery()
list(counts.c.keys())
session.execute(select(User.name, counts.c.n).join(counts, User.id == counts.c.user_id).where(counts.c.n > 3)).all()
session.execute(select(counts.c.user_id, counts.c.n).where(counts.c.n < 3).order_by(counts.c.user_id)).all()
session.execute(select(counts).order_by(counts.c.n.desc()).limit(2)).all()
named = select(User.id, User.name).where(User.role_id == 1).subquery("admins")
session.execute(select(named.c.name).order_by(named.c.name)).all()
session.query(User.name, counts.c.n).join(counts, User.id == counts.c.user_id).order_by(User.name).limit(3).all()
session.execute(select(User.name).select_from(counts).join(User, User.id == counts.c.user_id).where(counts.c.n == 2)).all()
type(counts).__name__
counts.c.nope
print(select(counts.c.n).where(counts.c.user_id == 1))
session.scalars(select(User).join(counts, User.id == counts.c.user_id).where(counts.c.n >= 4)).all()
latest = select(Message.user_id, func.max(Message.created_at).label("last")).group_by(Message.user_id).subquery()
session.execute(select(latest.c.last).where(latest.c.user_id == 1)).scalar()
