# SQLite's on_conflict_do_*(index_where=...): shown with __[POSTCOMPILE_…] markers, sent with the values written in (literal_execute); a Core upsert run by session.execute() with one dict and with a list
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
upsert = sqlite_insert if engine.dialect.name == "sqlite" else pg_insert
roles = Role.__table__
s = sqlite_insert(roles).values(id=7, name="editor").on_conflict_do_update(index_elements=[roles.c.name], index_where=(roles.c.id > 0) & (roles.c.name != "x"), set_=dict(name="editor2"), where=roles.c.id > 5)
print(s)
session.execute(s) if engine.dialect.name == "sqlite" else None
session.execute(select(Role.id, Role.name).order_by(Role.id)).all()
session.rollback()
ins = upsert(roles).on_conflict_do_nothing(index_elements=[roles.c.id])
session.execute(ins, {"id": 1, "name": "admin"}).rowcount
session.execute(ins, [{"id": 2, "name": "x"}, {"id": 9, "name": "nine"}]).rowcount
session.execute(select(Role.name).order_by(Role.id)).scalars().all()
session.rollback()
