# in_() inside a dialect insert's on_conflict_do_nothing / on_conflict_do_update index_where=, printed and executed
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
ins = sqlite_insert if engine.dialect.name == "sqlite" else pg_insert
session.execute(text("CREATE UNIQUE INDEX ix_roles_name_partial ON roles (name) WHERE id IN (1, 2, 3)"))
stmt = ins(Role).values(id=10, name="admin").on_conflict_do_nothing(index_elements=[Role.name], index_where=Role.id.in_([1, 2, 3]))
print(stmt)
session.execute(stmt)
stmt2 = ins(Role).values(id=11, name="guest").on_conflict_do_update(index_elements=[Role.name], index_where=Role.id.in_([1, 2, 3]), set_=dict(name="guest2"))
print(stmt2)
session.execute(stmt2)
stmt3 = ins(Role).values(id=12, name="nobody").on_conflict_do_nothing(index_elements=[Role.name], index_where=Role.id.not_in([1, 2, 3]) & (Role.id > 0))
print(stmt3)
session.execute(stmt3)
session.scalars(select(Role.name).order_by(Role.id)).all()
session.rollback()
