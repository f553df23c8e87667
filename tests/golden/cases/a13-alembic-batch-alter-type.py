# Alembic batch mode on SQLite: alter_column(type_=…) moves and copies the table, casting values whose type's affinity changes
from alembic import op
import sqlalchemy as sa
with op.batch_alter_table("messages") as batch_op:
    batch_op.alter_column("content", existing_type=sa.String(), type_=sa.Integer())
    batch_op.alter_column("created_at", type_=sa.String(30))
with op.batch_alter_table("roles") as batch_op:
    batch_op.alter_column("name", type_=sa.String(80), nullable=True)
session.execute(text("SELECT id, content, created_at FROM messages ORDER BY id LIMIT 2")).all()
session.execute(text("SELECT typeof(content), typeof(created_at) FROM messages LIMIT 1")).all()
