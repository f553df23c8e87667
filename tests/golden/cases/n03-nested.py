# conn.begin_nested(): SAVEPOINT, RELEASE, ROLLBACK TO; session.begin_nested(); sessionmaker().begin()
conn = engine.connect()
conn.execute(text("UPDATE users SET name = 'A1' WHERE id = 1"))
sp = conn.begin_nested()
type(sp).__name__
conn.execute(text("UPDATE users SET name = 'A2' WHERE id = 1"))
sp.rollback()
conn.scalar(text("SELECT name FROM users WHERE id = 1"))
with conn.begin_nested():
    conn.execute(text("UPDATE users SET name = 'A3' WHERE id = 1"))
conn.scalar(text("SELECT name FROM users WHERE id = 1"))
try:
    with conn.begin_nested():
        conn.execute(text("UPDATE users SET name = 'A4' WHERE id = 1"))
        raise KeyError("x")
except KeyError:
    print("rolled back to savepoint")
conn.scalar(text("SELECT name FROM users WHERE id = 1"))
conn.commit()
conn.close()
with session.begin_nested():
    session.add(Role(name="nested"))
session.scalars(select(Role.name).order_by(Role.id)).all()
nested = session.begin_nested()
type(nested).__name__
session.add(Role(name="gone"))
session.flush()
nested.rollback()
session.scalars(select(Role.name).order_by(Role.id)).all()
session.commit()
maker = sessionmaker(engine)
with maker.begin() as s:
    s.add(Role(name="maker"))
s.is_active
session.scalars(select(Role.name).order_by(Role.id)).all()
try:
    with maker.begin() as s2:
        s2.add(Role(name="never"))
        raise ValueError("no")
except ValueError:
    pass
session.scalars(select(Role.name).order_by(Role.id)).all()
