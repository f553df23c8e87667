# Seed lesson 4.18's "Raw SQL when needed" line pasted as it is: a plain string with parameters is SQLAlchemy's ArgumentError about text(), not an unsupported feature
result = session.execute("SELECT * FROM users WHERE id = :id", {"id": 1})
result = session.execute("SELECT * FROM users WHERE id = :id", [{"id": 1}, {"id": 2}])
result = session.execute("SELECT name FROM users")
result = session.execute(text("SELECT * FROM users WHERE id = :id"), {"id": 1})
print(result.all())
with engine.connect() as conn:
    conn.execute("SELECT * FROM users WHERE id = :id", {"id": 1})
