# Recursive CTE: .cte(recursive=True) with union_all of its own alias, as SQLAlchemy's docs
nums = select(literal(1).label("n")).cte("nums", recursive=True)
nums = nums.union_all(select(nums.c.n + 1).where(nums.c.n < 5))
session.execute(select(nums.c.n)).scalars().all()
print(select(nums.c.n))
ids = select(User.id, User.name).where(User.id == 1).cte(recursive=True)
ids_alias = ids.alias()
ids = ids.union_all(select(User.id, User.name).join(ids_alias, User.id == ids_alias.c.id + 1))
session.execute(select(ids.c.name).order_by(ids.c.id)).all()
