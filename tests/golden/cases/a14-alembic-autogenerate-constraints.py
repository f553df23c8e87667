# Alembic autogenerate: a named unique constraint, a foreign key and a unique index only the database has are dropped
from alembic import op
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.autogenerate import compare_metadata, produce_migrations, render_python_code
# (on roles, which has one unnamed constraint: Alembic orders several as a Python set does)
with op.batch_alter_table("roles") as batch_op:
    batch_op.create_unique_constraint("uq_roles_id_name", ["id", "name"])
    batch_op.create_foreign_key("fk_roles_id_groups", "groups", ["id"], ["id"])
op.create_index("ix_messages_content", "messages", ["content"], unique=True)
conn = engine.connect()
mc = MigrationContext.configure(conn)
diff = compare_metadata(mc, Base.metadata)
[d[0] for d in diff]
[d[1].name for d in diff]
script = produce_migrations(mc, Base.metadata)
print(render_python_code(script.upgrade_ops))
print(render_python_code(script.downgrade_ops))
