# text("SELECT …").columns(...): a TextualSelect, executed with typed results, made a subquery, and loaded as entities with from_statement()
users = User.__table__
stmt = text("SELECT id, name FROM users WHERE id < 4 ORDER BY id").columns(users.c.id, users.c.name)
type(stmt).__name__
print(stmt)
session.execute(stmt).all()
list(session.execute(stmt).keys())
typed = text("SELECT id, created_at FROM users ORDER BY id LIMIT 2").columns(column("id", Integer), column("created_at", DateTime))
rows = session.execute(typed).all()
type(rows[0].created_at).__name__
rows[0].created_at.year
untyped = session.execute(text("SELECT id, created_at FROM users ORDER BY id LIMIT 2")).all()
type(untyped[0].created_at).__name__
by_name = text("SELECT created_at, id FROM users ORDER BY id LIMIT 1").columns(created_at=DateTime)
type(session.execute(by_name).one()[0]).__name__
list(session.execute(text("SELECT id AS x, name FROM users WHERE id = 1").columns(column("id", Integer), column("name", String))).keys())
sq = stmt.subquery()
print(select(sq.c.name).where(sq.c.id > 1))
session.execute(select(sq.c.name).where(sq.c.id > 1)).all()
session.scalars(select(User).from_statement(text("SELECT * FROM users WHERE id < 3 ORDER BY id").columns(User.id, User.name, User.email))).all()
textual_sql = text("SELECT id, name, email, is_active, role_id, created_at FROM users ORDER BY id").columns(User.id, User.name, User.email, User.is_active, User.role_id, User.created_at)
[u.name for u in session.execute(select(User).from_statement(textual_sql)).scalars()]
orm_subquery = aliased(User, textual_sql.subquery())
[u.email for u in session.execute(select(orm_subquery).where(orm_subquery.id > 4)).scalars()]
print(select(orm_subquery))
conn = session.connection()
conn.execute(text("SELECT id, name FROM users WHERE id = 2").columns(users.c.id, users.c.name)).all()
