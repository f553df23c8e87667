# Alembic: op.execute with a string and sa.text, op.bulk_insert with a lightweight sa.table
from alembic import op
import sqlalchemy as sa
op.execute("UPDATE users SET is_active = 0 WHERE id = 3")
op.execute(sa.text("DELETE FROM user_groups WHERE user_id = 3"))
roles = sa.table("roles", sa.column("id", sa.Integer), sa.column("name", sa.String))
op.bulk_insert(roles, [{"id": 10, "name": "auditor"}, {"id": 11, "name": "guest2"}])
session.execute(text("SELECT id, name FROM roles ORDER BY id")).all()
op.bulk_insert(roles, [{"name": "viewer"}])
op.execute(roles.update().where(roles.c.id == 10).values(name="auditors"))
session.execute(text("SELECT name FROM roles WHERE id = 10")).scalar()
