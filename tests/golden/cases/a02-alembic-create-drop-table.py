# Alembic: op.create_table with columns and constraints, rename_table, drop_table
from alembic import op
import sqlalchemy as sa
op.create_table(
    "tags",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("name", sa.String(length=50), nullable=False),
    sa.Column("user_id", sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("name"),
)
op.create_table("notes", sa.Column("id", sa.Integer, primary_key=True), sa.Column("body", sa.Text))
op.rename_table("notes", "memos")
session.execute(text("SELECT count(*) FROM memos")).scalar()
op.drop_table("memos")
op.drop_table("tags")
session.execute(text("SELECT count(*) FROM tags")).scalar()
