# engine.connect(): text() through a Connection, commit as you go, close() with an open transaction
with engine.connect() as conn:
    result = conn.execute(text("select 'hello world'"))
    print(result.all())
conn = engine.connect()
type(conn).__name__
conn.execute(text("SELECT id, name FROM users WHERE id < :n ORDER BY id"), {"n": 3}).all()
conn.in_transaction()
conn.execute(text("UPDATE users SET name = :name WHERE id = :id"), {"name": "Bobby", "id": 2}).rowcount
conn.commit()
conn.in_transaction()
conn.execute(text("SELECT name FROM users WHERE id = 2")).scalar()
conn.execute(text("UPDATE users SET name = 'Bob' WHERE id = 2"))
conn.rollback()
conn.scalar(text("SELECT name FROM users WHERE id = 2"))
conn.execute(text("UPDATE users SET name = 'Bob' WHERE id = 2"))
conn.close()
conn.closed
conn.execute(text("SELECT 1"))
session.execute(text("SELECT name FROM users WHERE id = 2")).scalar()
with engine.connect() as conn:
    conn.execute(text("UPDATE users SET name = 'Robert' WHERE id = 2"))
    conn.commit()
session.execute(text("SELECT name FROM users WHERE id = 2")).scalar()
with engine.connect() as conn:
    conn.execute(text("UPDATE users SET name = 'Zed' WHERE id = 2"))
session.rollback()
session.execute(text("SELECT name FROM users WHERE id = 2")).scalar()
conn.closed
