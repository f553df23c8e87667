# Alembic: batch_alter_table on SQLite, plain ALTER when it can, move-and-copy when it must
from alembic import op
import sqlalchemy as sa
with op.batch_alter_table("groups") as batch_op:
    batch_op.add_column(sa.Column("color", sa.String(length=20), nullable=True))
with op.batch_alter_table("groups") as batch_op:
    batch_op.drop_column("color")
session.execute(text("SELECT * FROM groups WHERE id = 1")).all()
with op.batch_alter_table("users") as batch_op:
    batch_op.add_column(sa.Column("age", sa.Integer(), nullable=True))
    batch_op.alter_column("name", existing_type=sa.String(length=100), nullable=True)
    batch_op.create_index(batch_op.f("ix_users_age"), ["age"], unique=False)
session.execute(text("SELECT name, age FROM users WHERE id = 1")).all()
