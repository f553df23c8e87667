# stmt.compile(dialect=mysql.dialect()): %s binds, backquotes, LIMIT offset, n, INNER JOIN, concat(), true, multi-table UPDATE and DELETE ... USING, JSON_EXTRACT
from sqlalchemy import update, delete, insert, func, true, type_coerce, JSON, text
from sqlalchemy.orm import aliased
from sqlalchemy.dialects import mysql
users = User.__table__
messages = Message.__table__
d = mysql.dialect()
print(d.name, d.driver)
print(select(User).where(User.name == "x").limit(3).offset(2).compile(dialect=d))
print(select(User.id).limit(5).compile(dialect=d))
print(select(User.id).offset(5).compile(dialect=d))
print(select(User).where(User.is_active == True).where(User.is_active).compile(dialect=d))
print(select(User.id).where(~User.is_active).where(true()).compile(dialect=d))
print(select(User.name + "!").where(User.name.contains("a%", autoescape=True)).compile(dialect=d))
print(select(User.name).where(User.name.startswith("a")).where(User.name.ilike("b%")).compile(dialect=d))
print(select(User.id % 3, User.id / 2, func.random(), func.now(), func.sysdate()).compile(dialect=d))
ua = aliased(User, name="order")
print(select(ua.name).join(Message, ua.messages).outerjoin(Role).where(ua.id == 1).compile(dialect=d))
print(select(select(User.id).subquery().c.id).compile(dialect=d))
print(select(literal(1)).compile(dialect=d))
print(select(literal(1)).where(literal(2) > 1).compile(dialect=d))
print(select(User.name).where(User.id.in_([1, 2])).compile(dialect=d))
stmt = update(users).where(users.c.id == messages.c.user_id).where(messages.c.content == "hi").values(name="Pat")
print(stmt.compile(dialect=d))
stmt = delete(users).where(users.c.id == messages.c.user_id).where(messages.c.content == "hi")
print(stmt.compile(dialect=d))
print(update(users).where(users.c.id == 1).values(name=users.c.name + "x").compile(dialect=d))
print(insert(users).values(name="a", email="b").compile(dialect=d))
print(select(type_coerce({"some_key": {"foo": "bar"}}, JSON)["some_key"]).compile(dialect=d))
print(select(User.name).where(User.id == 3).compile(dialect=d, compile_kwargs={"literal_binds": True}))
print(text("SELECT * FROM users WHERE id = :id").bindparams(id=1).compile(dialect=d))
c = select(User.id).where(User.name == "a").compile(dialect=d)
print(c.params)
