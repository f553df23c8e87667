# .compile() of a column expression or clause: the string dialect, .params, literal_binds, dialect=, bind=engine
from sqlalchemy.dialects import postgresql, sqlite
e = User.name == "alice"
c = e.compile()
print(c)
print(c.params)
print(e.compile(compile_kwargs={"literal_binds": True}))
print(e.compile(dialect=postgresql.dialect()))
print(e.compile(dialect=sqlite.dialect()).params)
crit = and_(User.id > 5, or_(User.name.like("a%"), User.email.is_(None)))
print(crit.compile())
print(crit.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
print(func.count(User.id).label("n").compile())
print((User.id + 1).compile(bind=engine))
print(User.id.in_([1, 2, 3]).compile())
print(User.id.in_([1, 2, 3]).compile(compile_kwargs={"literal_binds": True}))
print(e.compile(dialect=postgresql.dialect()).params)
