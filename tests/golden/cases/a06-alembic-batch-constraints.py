# Alembic: batch_alter_table constraints on SQLite: unique, foreign key, drop_constraint, rename
from alembic import op
import sqlalchemy as sa
with op.batch_alter_table("roles") as batch_op:
    batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
    batch_op.create_foreign_key("fk_roles_parent", "roles", ["parent_id"], ["id"])
with op.batch_alter_table("groups") as batch_op:
    batch_op.create_unique_constraint("uq_groups_name_id", ["name", "id"])
with op.batch_alter_table("groups") as batch_op:
    batch_op.drop_constraint("uq_groups_name_id", type_="unique")
with op.batch_alter_table("messages") as batch_op:
    batch_op.alter_column("content", new_column_name="body")
session.execute(text("SELECT body FROM messages WHERE id = 1")).scalar()
