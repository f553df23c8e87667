# text(): session.execute with :name parameters, bindparams(), scalars, UPDATE rowcount, errors; text() in where/order_by
session.execute(text("SELECT id, name FROM users WHERE id < :n ORDER BY id"), {"n": 3}).all()
r = session.execute(text("SELECT name, email AS mail FROM users WHERE id = :id"), {"id": 2})
type(r).__name__
list(r.keys())
row = r.one()
row.mail
session.scalars(text("SELECT name FROM users ORDER BY name DESC LIMIT 2")).all()
session.execute(text("SELECT count(*) FROM messages WHERE user_id = :uid").bindparams(uid=1)).scalar()
session.scalar(text("SELECT is_active FROM users WHERE id = 1"))
session.execute(text("SELECT created_at FROM users WHERE id = :x"), {"x": 1}).scalar_one()
session.execute(text("SELECT :a + :b"), {"a": 1, "b": 2}).scalar()
session.execute(text("UPDATE users SET name = :name WHERE id = :id"), {"name": "Bobby", "id": 2}).rowcount
session.execute(text("SELECT name FROM users WHERE id = 2")).scalar()
session.rollback()
session.execute(text("SELECT name FROM users WHERE id = :id")).all()
session.execute(text("SELECT nope FROM users")).all()
session.execute("SELECT 1")
session.execute("SELECT id, name FROM users WHERE id = 1")
session.scalars(select(User.name).where(text("users.id > 6")).order_by(text("users.name"))).all()
print(text("SELECT * FROM users WHERE id = :id"))
str(text("x"))
session.query(User.id).filter(text("id < 3")).all()
