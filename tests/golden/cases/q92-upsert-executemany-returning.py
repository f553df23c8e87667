# Upserts with returning() and executemany (Connection.execute and the ORM session.execute with a list of params), and a one-row tuple in values()
from sqlalchemy.dialects.sqlite import insert as sqlite_upsert
from sqlalchemy.dialects.postgresql import insert as pg_upsert
upsert = sqlite_upsert if engine.dialect.name == "sqlite" else pg_upsert
gt = Group.__table__
ins = upsert(gt)
ins = ins.on_conflict_do_update(index_elements=[gt.c.id], set_=dict(name=ins.excluded.name)).returning(gt.c.id, gt.c.name)
with engine.begin() as conn:
    r = conn.execute(ins, [{"id": 1, "name": "g1"}, {"id": 60, "name": "g60"}])
    print(r.all())
    conn.rollback()
stmt = upsert(Role)
stmt = stmt.on_conflict_do_update(index_elements=[Role.id], set_=dict(name=stmt.excluded.name))
session.execute(stmt, [{"id": 1, "name": "root"}, {"id": 70, "name": "seventy"}])
print(session.execute(select(Role.id, Role.name).order_by(Role.id)).all())
session.rollback()
session.scalars(stmt.returning(Role), [{"id": 2, "name": "two"}, {"id": 71, "name": "x71"}]).all()
session.rollback()
print(upsert(gt).values((5, "five")))
with engine.begin() as conn:
    conn.execute(upsert(gt).values((80, "eighty")).on_conflict_do_nothing())
    print(conn.execute(select(gt.c.name).where(gt.c.id == 80)).scalar())
    conn.rollback()
session.execute(insert(Group).values((81, "x81")))
print(session.get(Group, 81).name)
session.rollback()
