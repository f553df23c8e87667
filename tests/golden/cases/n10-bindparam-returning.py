# bindparam() filled from execute() parameters, its errors when missing; insert().returning() rows, rowcount and inserted_primary_key
roles = Base.metadata.tables["roles"]
conn = engine.connect()
stmt = update(roles).where(roles.c.name == bindparam("old")).values(name=bindparam("new"))
conn.execute(stmt, {"new": "x"})
conn.execute(stmt, [{"new": "x", "old": "admin"}, {"new": "y"}])
conn.execute(stmt, {"new": "boss", "old": "admin", "extra": 1}).rowcount
conn.execute(update(roles).where(roles.c.id == bindparam("rid")), [{"rid": 2, "name": "m2"}, {"rid": 3, "name": "g3"}]).rowcount
conn.execute(delete(roles).where(roles.c.id == bindparam("rid")), {"rid": 3}).rowcount
conn.execute(insert(roles).values(name=bindparam("nm")), [{"nm": "p"}, {"nm": "q"}]).rowcount
conn.execute(insert(roles).values(name=bindparam("nm")), {})
r = conn.execute(insert(roles).returning(roles.c.id, roles.c.name), {"name": "ret"})
r.rowcount
list(r.keys())
r.inserted_primary_key
r.one()
conn.execute(roles.insert().returning(roles.c.name).values(name="v2")).scalar_one()
insert(roles).returning("id")
conn.execute(select(roles.c.id, roles.c.name).order_by(roles.c.id)).all()
conn.close()
conn2 = engine.connect()
conn2.execute(text("INSERT INTO roles (name) VALUES (:name)"), [{"name": "a"}, {}])
conn2.in_transaction()
conn2.close()
