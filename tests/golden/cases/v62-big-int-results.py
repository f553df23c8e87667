# ints past 64 bits coming back from the database: SQLite's REAL for an overflowing sum, PostgreSQL's numeric as a Decimal
session.execute(text("SELECT 9223372036854775807 + 1 AS x")).all()
session.rollback()
print(repr(session.execute(select(literal(2 ** 70).label("big"))).scalar()))
session.rollback()
print(repr(session.execute(select(literal(123456789012345678901234567) * 10)).scalar()))
session.rollback()
big = 2 ** 64
session.execute(select(User.name).where(User.id < big)).all()
