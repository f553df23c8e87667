# Core DML through a Connection: insert() with one dict and executemany, inserted_primary_key, rowcount, update/delete with bindparam()
roles = Base.metadata.tables["roles"]
conn = engine.connect()
r = conn.execute(insert(roles), {"name": "editor"})
r.inserted_primary_key
r.rowcount
r = conn.execute(insert(roles), [{"name": "a"}, {"name": "b"}, {"name": "c"}])
r.rowcount
conn.execute(select(roles.c.id, roles.c.name).order_by(roles.c.id)).all()
r = conn.execute(roles.insert().values(name="viewer"))
r.inserted_primary_key
conn.execute(update(roles).where(roles.c.name == "a").values(name="aa")).rowcount
conn.execute(delete(roles).where(roles.c.id > 5)).rowcount
conn.execute(update(roles).where(roles.c.name == bindparam("oldname")).values(name=bindparam("newname")), [{"oldname": "editor", "newname": "ed"}, {"oldname": "viewer", "newname": "vi"}]).rowcount
conn.execute(text("INSERT INTO roles (name) VALUES (:name)"), [{"name": "t1"}, {"name": "t2"}]).rowcount
conn.scalars(select(roles.c.name).order_by(roles.c.id)).all()
conn.execute(select(roles.c.name).where(roles.c.id == 1)).scalar_one()
conn.exec_driver_sql("SELECT name FROM roles WHERE id = ?", (2,)).all()
conn.execute(insert(roles), {"name": "admin"})
conn.in_transaction()
conn.rollback()
conn.scalar(select(func.count()).select_from(roles))
conn.execute(update(roles).values(name="x")).inserted_primary_key
r = conn.execute(insert(roles).returning(roles.c.id, roles.c.name), {"name": "ret"})
r.all()
conn.close()
