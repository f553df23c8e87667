# Alembic: batch mode keeps a table's indexes across the copy; its errors for what the table lacks
from alembic import op
import sqlalchemy as sa
op.create_index("ix_messages_created", "messages", ["created_at"])
with op.batch_alter_table("messages") as batch_op:
    batch_op.alter_column("content", server_default="hi", nullable=True)
session.execute(text("SELECT sql FROM sqlite_master WHERE name = 'ix_messages_created'")).scalar()
with op.batch_alter_table("messages") as batch_op:
    batch_op.drop_index("ix_messages_created")
    batch_op.drop_column("created_at")
with op.batch_alter_table("users") as batch_op:
    batch_op.drop_constraint("uq_nothing", type_="unique")
with op.batch_alter_table("users") as batch_op:
    batch_op.drop_index("ix_nothing")
with op.batch_alter_table("roles", recreate="always") as batch_op:
    batch_op.add_column(sa.Column("level", sa.Integer(), server_default="1", nullable=False))
session.execute(text("SELECT id, level FROM roles ORDER BY id")).all()
op.alter_column("roles", "level", server_default=None)
