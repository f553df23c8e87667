# an int past 64 bits: Python arithmetic, then as a SQL parameter (sqlite3 cannot bind it; psycopg2 sends it as a numeric literal)
big = 2 ** 100
print(big, big // 2 ** 90, type(big // 2 ** 90).__name__, -big % 7)
session.execute(select(User.name).where(User.id == 2 ** 64)).all()
session.rollback()
session.execute(select(User.name).where(User.id < 9223372036854775807)).all()
session.execute(text("SELECT :x AS x"), {"x": 123}).all()
