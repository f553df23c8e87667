# UPDATE … FROM / DELETE with other tables' criteria and the FROM linter on them (UPDATE/DELETE statement has a cartesian product …); SQL expressions in .values() kept in an executemany, grouped as SQLAlchemy's self_group()
ut = User.__table__
mt = Message.__table__
with engine.begin() as conn:
    conn.execute(update(ut).where(ut.c.id == mt.c.user_id, mt.c.id == 1).values(name="x"))
    conn.execute(update(ut).where(ut.c.id == 1, mt.c.id == 2).values(name="y"))
    conn.execute(update(ut).where(ut.c.id == 1, mt.c.id == 2).values(name="y"))
    conn.rollback()
with engine.begin() as conn:
    conn.execute(delete(mt).where(mt.c.id == 99, ut.c.id == 2))
with engine.begin() as conn:
    conn.execute(insert(ut).values(name=func.lower("QQ")), [{"id": 10, "email": "a@x"}, {"id": 11, "email": "b@x"}])
    conn.execute(insert(ut).values(name=func.upper(bindparam("n"))), [{"id": 12, "n": "a", "email": "c@x"}, {"id": 13, "n": "b", "email": "d@x"}])
    print(conn.execute(select(ut.c.id, ut.c.name).where(ut.c.id >= 10)).all())
    conn.rollback()
session.execute(update(User).where(User.id == Message.user_id, Message.id == 1).values(name="z"))
session.execute(update(User).where(User.id == 1, Message.id == 2).values(name="z"))
session.rollback()
print(update(ut).where(ut.c.id == 1, mt.c.id == 2).values(name="y"))
print(delete(mt).where(ut.c.id == mt.c.user_id, ut.c.name == "Bob"))
with engine.begin() as conn:
    conn.execute(delete(mt).where(mt.c.user_id == ut.c.id, ut.c.name == "Bob"))
    print(conn.execute(select(func.count()).select_from(mt)).scalar())
    conn.rollback()
with engine.begin() as conn:
    conn.execute(insert(ut).values(name=func.lower("QQ")), [{"id": 10, "email": "a@x", "name": "Zed"}, {"id": 11, "email": "b@x", "name": "Y"}])
    conn.execute(update(ut).where(ut.c.id == bindparam("uid")).values(name=func.upper(bindparam("n"))), [{"uid": 1, "n": "a"}, {"uid": 2, "n": "b"}])
    conn.execute(update(ut).where(ut.c.id == bindparam("uid")).values(name=func.upper(ut.c.name)), [{"uid": 3}, {"uid": 4}])
    conn.execute(insert(mt).values(content=func.upper(bindparam("c")), user_id=func.abs(bindparam("u"))), [{"c": "x", "u": -1}, {"c": "y", "u": -2}])
    conn.execute(insert(mt).values(content=literal("k") + "z"), [{"user_id": 1}, {"user_id": 2}])
    print(conn.execute(select(ut.c.id, ut.c.name).where(ut.c.id >= 10)).all())
    print(conn.execute(select(ut.c.id, ut.c.name).order_by(ut.c.id).limit(4)).all())
    print(conn.execute(select(mt.c.content, mt.c.user_id).order_by(mt.c.id.desc()).limit(4)).all())
    conn.rollback()
with engine.begin() as conn:
    conn.execute(update(ut).where(ut.c.id == bindparam("uid")).values(name=func.upper("w")), [{"uid": 1, "name": "n1"}, {"uid": 2, "name": "n2"}])
    conn.execute(insert(ut).values(name="plain"), [{"id": 20, "email": "e@x", "name": "P1"}, {"id": 21, "email": "f@x", "name": "P2"}])
    conn.execute(update(ut).where(ut.c.id == 5).values(name=ut.c.name + "!"))
    print(conn.execute(select(ut.c.id, ut.c.name).where(ut.c.id.in_([1, 2, 5, 20, 21]))).all())
    conn.rollback()
print(insert(ut).values(name=literal("k") + "z"))
print(update(ut).values(name=ut.c.name + "!"))
