# The types of Result.keys() and of RowMapping values (RMKeyView, RowMapping)
conn = engine.connect()
r = conn.execute(text("SELECT id, name FROM users WHERE id = 1"))
r.keys()
m = r.mappings().one()
type(m).__name__
m
m["name"]
list(m.keys())
conn.execute(text("SELECT id, name FROM users WHERE id = 1")).one()._mapping
conn.close()
