# Core executemany INSERT: psycopg2's insertmanyvalues (one multi-VALUES statement, rowcount summed), bindparam() values, a one-dict list, inserted_primary_key after a single INSERT, a failing batch
roles = Base.metadata.tables["roles"]
conn = engine.connect()
r = conn.execute(insert(roles), [{"name": "r%d" % i} for i in range(5)])
r.rowcount
r = conn.execute(insert(roles).values(name=bindparam("n")), [{"n": "p1"}, {"n": "p2"}])
r.rowcount
r = conn.execute(insert(roles), [{"name": "solo"}])
r.rowcount
r = conn.execute(insert(roles), {"name": "one"})
r.inserted_primary_key
conn.execute(insert(roles), [{"name": "dup"}, {"name": "dup"}])
conn.rollback()
conn.scalars(select(roles.c.name).order_by(roles.c.id)).all()
conn.close()
