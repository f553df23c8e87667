# Alembic autogenerate: a column's nullability and type differ from the model (changed in batch mode): alter_column
from alembic import op
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.autogenerate import compare_metadata, produce_migrations, render_python_code
# (tables with one unnamed constraint: Alembic orders several as a Python set does)
with op.batch_alter_table("roles") as batch_op:
    batch_op.alter_column("name", existing_type=sa.String(50), nullable=True)
with op.batch_alter_table("messages") as batch_op:
    batch_op.alter_column("content", existing_type=sa.String(), type_=sa.Text())
conn = engine.connect()
mc = MigrationContext.configure(conn)
diff = compare_metadata(mc, Base.metadata)
[[m[0] for m in d] for d in diff]
[[m[1:4] + m[5:] for m in d] for d in diff]
diff[0][0][4]
print(render_python_code(produce_migrations(mc, Base.metadata).upgrade_ops))
print(render_python_code(produce_migrations(mc, Base.metadata).downgrade_ops))
