# compile(dialect=mysql/oracle): SQLAlchemy's own errors for multi-table UPDATE/DELETE on Oracle, MySQL multi-row VALUES, quoting of reserved and mixed-case names
from sqlalchemy import update, delete, insert, Table, Column, Integer, String, MetaData
from sqlalchemy.dialects import mysql, oracle
users = User.__table__
messages = Message.__table__
print(update(users).where(users.c.id == messages.c.user_id).values(name="x").compile(dialect=oracle.dialect()))
print(delete(users).where(users.c.id == messages.c.user_id).compile(dialect=oracle.dialect()))
print(insert(users).values([{"name": "a", "email": "b"}, {"name": "c", "email": "d"}]).compile(dialect=mysql.dialect()))
t = Table("Order", MetaData(), Column("id", Integer, primary_key=True), Column("key", String), Column("rows", Integer), Column("comment", String))
print(select(t).where(t.c.key == "k").compile(dialect=mysql.dialect()))
print(select(t).where(t.c.comment == "k").compile(dialect=oracle.dialect()))
print(select(User.name).where(User.id == 1).compile(dialect=mysql.dialect()).params)
