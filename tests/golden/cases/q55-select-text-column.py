# select(text("…"), User.name): the fragment rendered as written; in the ORM's rows it has a value but no key
print(select(text("'tag'"), User.name))
rows = session.execute(select(text("'tag'"), User.name).where(User.id < 3).order_by(User.id)).all()
rows
rows[0]._fields
rows[0]._mapping
rows[0]._asdict()
rows[0].name
rows[0][0]
session.execute(select(text("2"), User.name).where(User.id < 3).order_by(User.id)).mappings().all()
session.execute(select(text("1 AS one"), User.name).where(User.id < 3)).keys()
session.scalars(select(text("'x'"), User.name).where(User.id < 3)).all()
session.execute(select(User.name, text("'tag'")).where(User.id < 3).order_by(User.id)).all()
session.query(User.name, text("'q'")).filter(User.id < 3).order_by(User.id).all()
