# Upserts orm-tutor does not model yet: session.execute() of a Core table upsert with a list of params, index_where= on SQLite's on_conflict (literal_execute)
from sqlalchemy.dialects.sqlite import insert as sqlite_upsert
from sqlalchemy.dialects.postgresql import insert as pg_upsert
upsert = sqlite_upsert if engine.dialect.name == "sqlite" else pg_upsert
gt = Group.__table__
ins = upsert(gt)
ins = ins.on_conflict_do_update(index_elements=[gt.c.id], set_=dict(name=ins.excluded.name)).returning(gt.c.id, gt.c.name)
session.execute(ins, [{"id": 2, "name": "g2"}, {"id": 61, "name": "g61"}]).all()
session.rollback()
s = sqlite_upsert(Role).values(name="admin").on_conflict_do_nothing(index_elements=[Role.name], index_where=Role.id > 0)
print(s)
s2 = sqlite_upsert(Role).values(name="admin")
print(s2.on_conflict_do_update(index_elements=[Role.name], index_where=Role.id > 0, set_=dict(name="admin2")))
with engine.begin() as conn:
    conn.execute(sqlite_upsert(Role).values(id=1, name="admin").on_conflict_do_nothing(index_elements=[Role.name], index_where=Role.id > 0)) if engine.dialect.name == "sqlite" else None
    print(conn.execute(select(Role.name).order_by(Role.id)).scalars().all())
