# stmt.compile(): str(), .params, literal_binds, a dialect; print() of insert/update/delete
stmt = select(User.name).where(User.id > 3, User.name.like("%a%")).order_by(User.id).limit(2)
c = stmt.compile()
print(c)
c.params
str(stmt.compile(compile_kwargs={"literal_binds": True}))
print(stmt.compile(engine))
stmt.compile(engine).params
print(select(User).where(User.id.in_([1, 2, 3])).compile(compile_kwargs={"literal_binds": True}))
print(select(User).where(User.id.in_([1, 2, 3])).compile())
print(insert(User).values(name="z", email="z@z"))
print(update(User).where(User.id == 1).values(name="Al"))
print(delete(User).where(User.id == 9))
update(User).where(User.id == 1).values(name="Al").compile().params
print(update(User).where(User.id == 1).values(name="Al").compile(compile_kwargs={"literal_binds": True}))
print(select(Message.content).where(Message.created_at > datetime(2024, 1, 1)).compile(compile_kwargs={"literal_binds": True}))
print(select(User.name).where(User.is_active == True, User.email == None).compile(compile_kwargs={"literal_binds": True}))
from sqlalchemy.dialects import postgresql
print(select(User.name).where(User.id == 5).compile(dialect=postgresql.dialect()))
type(c).__name__
print(text("SELECT * FROM users WHERE id = :x").bindparams(x=3).compile(compile_kwargs={"literal_binds": True}))
