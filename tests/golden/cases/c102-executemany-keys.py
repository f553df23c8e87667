# Core executemany: the first dict's keys make the statement — a later dict's extra keys are left out (its column default used), a later dict lacking a key is SQLAlchemy's StatementError for its parameter group, for INSERT and for UPDATE with bindparam()
md = MetaData()
t = Table("t_c102", md, Column("id", Integer, primary_key=True), Column("name", String(20)), Column("x", Integer, default=7))
md.create_all(engine)
conn = engine.connect()
conn.execute(insert(t), [{"name": "a"}, {"name": "b", "x": 3}]).rowcount
conn.execute(select(t).order_by(t.c.id)).all()
conn.execute(insert(t), [{"name": "q", "x": 1}, {"name": "z"}])
conn.rollback()
conn.execute(insert(t), [{"name": "a"}, {"name": "b"}]).rowcount
upd = update(t).where(t.c.id == bindparam("i")).values(name=bindparam("n"))
conn.execute(upd, [{"i": 1, "n": "A"}, {"i": 2}])
conn.execute(upd, [{"i": 1, "n": "A"}, {"i": 2, "n": "B", "x": 9}]).rowcount
conn.execute(select(t).order_by(t.c.id)).all()
conn.rollback()
conn.close()
