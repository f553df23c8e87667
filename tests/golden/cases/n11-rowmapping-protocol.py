# RowMapping reads as a dict (len, in, ==, dict(), get, values/items views, a missing column's error); RMKeyView as a list
conn = engine.connect()
r = conn.execute(text("SELECT id, name FROM users WHERE id = 1"))
k = r.keys()
print(k)
len(k)
"id" in k
k == ["id", "name"]
m = r.mappings().one()
len(m)
"name" in m
m == {"id": 1, "name": "Alice"}
dict(m)
list(m)
m.get("name")
m.get("nope", 5)
print(m.keys(), m.values(), m.items())
list(m.items())
m["nope"]
row = conn.execute(text("SELECT id, name FROM users WHERE id = 2")).one()
row._mapping["name"]
sorted(row._mapping)
conn.close()
