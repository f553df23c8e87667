# engine.begin() and conn.begin(): commit on success, rollback on error; Transaction objects
with engine.begin() as conn:
    conn.execute(text("UPDATE users SET name = 'Al' WHERE id = 1"))
conn.closed
conn = engine.connect()
conn.scalar(text("SELECT name FROM users WHERE id = 1"))
try:
    with engine.begin() as c2:
        c2.execute(text("UPDATE users SET name = 'Nope' WHERE id = 1"))
        raise ValueError("boom")
except ValueError as e:
    print("caught", e)
conn.scalar(text("SELECT name FROM users WHERE id = 1"))
conn.rollback()
trans = conn.begin()
type(trans).__name__
trans.is_active
conn.in_transaction()
conn.execute(text("UPDATE users SET name = 'Alice' WHERE id = 1"))
trans.commit()
trans.is_active
conn.in_transaction()
conn.begin()
conn.begin()
conn.rollback()
with conn.begin():
    conn.execute(text("UPDATE users SET name = 'Ally' WHERE id = 1"))
conn.scalar(text("SELECT name FROM users WHERE id = 1"))
conn.rollback()
conn.execute(text("SELECT 1")).scalar()
conn.begin()
conn.close()
with engine.begin() as conn:
    conn.scalar(text("SELECT count(*) FROM users"))
    conn.commit()
conn.begin()
conn.begin_nested()
