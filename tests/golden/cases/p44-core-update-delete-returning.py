# Core update()/delete() with returning(): conn.execute and session.execute on a Table, fetchall()/scalars()/mappings(), and the executemany form SQLAlchemy refuses
from sqlalchemy import bindparam
md = MetaData()
tags = Table("tags_p44", md, Column("id", Integer, primary_key=True), Column("name", String(20)), Column("weight", Integer, server_default="1"))
md.create_all(engine)
with engine.begin() as conn:
    conn.execute(insert(tags), [{"name": "red", "weight": 3}, {"name": "blue", "weight": 4}, {"name": "green", "weight": 5}])
    conn.execute(insert(tags).values(name="cyan"))
with engine.connect() as conn:
    r = conn.execute(update(tags).where(tags.c.weight > 3).values(weight=tags.c.weight + 10).returning(tags.c.id, tags.c.weight))
    print(sorted(r.fetchall()))
    print(conn.execute(update(tags).where(tags.c.name == "red").values(name="RED").returning(tags.c.name)).scalars().all())
    print(conn.execute(tags.update().where(tags.c.id == 1).values(weight=0).returning(tags.c.id, tags.c.name, tags.c.weight)).mappings().all())
    print(conn.execute(update(tags).where(tags.c.id == 99).values(weight=0).returning(tags.c.id)).all())
    r = conn.execute(delete(tags).where(tags.c.name == "cyan").returning(tags.c.id, tags.c.name))
    print(r.fetchall(), r.rowcount)
    print(conn.execute(tags.delete().where(tags.c.id == 2).returning(tags.c.name)).scalar_one())
    conn.commit()
with engine.connect() as conn:
    conn.execute(update(tags).where(tags.c.id == bindparam("b_id")).values(name=bindparam("nm")).returning(tags.c.id), [{"b_id": 1, "nm": "a"}, {"b_id": 3, "nm": "b"}])
with engine.connect() as conn:
    conn.execute(delete(tags).where(tags.c.id == bindparam("b_id")).returning(tags.c.id), [{"b_id": 1}, {"b_id": 3}])
r = session.execute(update(tags).where(tags.c.id == 3).values(name="GREEN").returning(tags.c.name, tags.c.weight))
r.all()
session.execute(delete(tags).where(tags.c.id == 1).returning(tags.c.id)).scalars().all()
session.execute(select(tags.c.id, tags.c.name).order_by(tags.c.id)).all()
session.rollback()
sorted(session.execute(update(tags).values(weight=tags.c.weight * 2).returning(tags.c.weight)).scalars().all())
session.rollback()
md.drop_all(engine)
