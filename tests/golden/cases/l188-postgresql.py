# Lesson 4.18.8: the same statements, compiled for SQLite and for PostgreSQL
from sqlalchemy.dialects import postgresql, sqlite
pg = postgresql.dialect()
stmt = select(User.name).where(User.name.ilike("%li%"), User.is_active == True).order_by(User.id).limit(3)
print(stmt.compile(engine))
print(stmt.compile(dialect=pg))
stmt.compile(dialect=pg).params
session.execute(stmt).all()
page = select(User.name).order_by(User.id).offset(5)
print(page.compile(engine))
print(page.compile(dialect=pg))
ins = insert(User).values(name="Zoe", email="zoe@example.com").returning(User.id)
print(ins.compile(dialect=pg))
print(select(User).where(User.name.like("a%")).compile(dialect=pg))
session.query(User.name).filter(User.name.like("a%")).all()
session.query(User.name).filter(User.name.ilike("a%")).all()
