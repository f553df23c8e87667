# The Result API on a Connection: mappings(), tuples(), fetchone/fetchmany/fetchall, first, one, columns(), keys(), Row access, consumed results
conn = engine.connect()
stmt = text("SELECT id, name FROM users ORDER BY id")
result = conn.execute(stmt)
type(result).__name__
list(result.keys())
row = result.fetchone()
row
row.name
row[0]
print(row._mapping)
row._asdict()
row._fields
result.fetchmany(2)
result.fetchall()
result.fetchone()
for row in conn.execute(stmt):
    print(row.id, row.name)
m = conn.execute(stmt).mappings()
type(m).__name__
print(m.first())
print(conn.execute(stmt).mappings().all()[:2])
print(conn.execute(stmt).mappings().fetchone())
conn.execute(stmt).tuples().first()
conn.execute(stmt).columns("name").first()
conn.execute(stmt).columns("name", "id").fetchmany(2)
conn.execute(stmt).columns(1).all()[:2]
conn.execute(stmt).columns("nope")
conn.execute(text("SELECT name FROM users WHERE id = 1")).one()
conn.execute(text("SELECT name FROM users WHERE id = 99")).one_or_none()
conn.execute(text("SELECT name FROM users WHERE id = 3")).scalar_one()
conn.execute(stmt).one()
r = conn.execute(stmt)
r.first()
r.first()
r = conn.execute(stmt)
r.all()[0]
r.all()
r.fetchone()
r.close()
r.fetchall()
x = conn.execute(stmt)
print(x.mappings().one())
conn.execute(stmt).scalars().all()
print(conn.execute(select(User.id, User.name).where(User.id < 3)).mappings().all())
print(session.execute(select(User.id, User.name).where(User.id < 3)).mappings().all())
print(session.execute(select(User.name).where(User.id == 2)).mappings().one())
conn.close()
