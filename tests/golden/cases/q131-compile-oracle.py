# stmt.compile(dialect=oracle.dialect()): :name binds, FROM DUAL, FETCH FIRST / OFFSET ROWS, aliases without AS, MINUS, mod(), RETURNING ... INTO, TABLE (f) column_valued
from sqlalchemy import update, delete, insert, func, true, union_all
from sqlalchemy.orm import aliased
from sqlalchemy.dialects import oracle
users = User.__table__
messages = Message.__table__
d = oracle.dialect()
print(d.name, d.driver)
print(select(func.now()).compile(dialect=d))
print(select(User.name).where(User.id == 5).limit(3).compile(dialect=d))
print(select(User.name).order_by(User.id).limit(3).offset(2).compile(dialect=d))
sq = select(User.id).order_by(User.id).limit(2).offset(1).subquery()
print(select(sq.c.id).compile(dialect=d))
print(select(User).where(User.is_active == True).where(~User.is_active).where(true()).compile(dialect=d))
print(select(User.id % 3, User.id / 2, func.char_length(User.name), func.sysdate(), User.name + "x").compile(dialect=d))
ua = aliased(User)
print(select(ua.name).join(Message, ua.messages).outerjoin(Role).compile(dialect=d))
print(select(User.id).except_(select(Message.user_id)).compile(dialect=d))
c = select(User.id).where(User.id == 1).cte(recursive=True)
c = c.union_all(select(User.id).join(c, c.c.id == User.role_id))
print(select(c).compile(dialect=d))
print(insert(users).values(name="a", email="b").compile(dialect=d))
print(insert(users).values(name="a", email="b").returning(users.c.id, users.c.name).compile(dialect=d))
print(update(users).values(name="a").where(users.c.id == 1).returning(users.c.id).compile(dialect=d))
print(delete(users).where(users.c.id == 1).compile(dialect=d))
print(select(func.scalar_strings(5).column_valued("s")).compile(dialect=d))
print(select(literal(1)).compile(dialect=d))
print(select(exists().where(User.id == 1)).compile(dialect=d))
print(select(User.name).where(User.name.in_(["a", "b"])).compile(dialect=d))
print(select(User.name).limit(2).compile(dialect=d, compile_kwargs={"literal_binds": True}))
print(delete(users).where(users.c.id == messages.c.user_id).compile(dialect=d))
print(select(User.name).where(User.name.contains("a")).compile(dialect=d))
