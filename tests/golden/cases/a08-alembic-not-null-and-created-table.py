# Alembic: a NOT NULL column without a default on a table with rows; a created table filled with bulk_insert
from alembic import op
import sqlalchemy as sa
op.add_column("users", sa.Column("score", sa.Integer(), nullable=False))
op.add_column("users", sa.Column("score", sa.Integer(), nullable=False, server_default="0"))
session.execute(text("SELECT score FROM users WHERE id = 1")).scalar()
badges = op.create_table(
    "badges",
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("label", sa.String(30), nullable=False, unique=True),
    sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE")),
    sa.Column("code", sa.String(10), index=True),
)
op.bulk_insert(badges, [{"id": 1, "label": "first", "user_id": 1}, {"id": 2, "label": "second", "user_id": 2, "code": "s"}])
session.execute(text("SELECT id, label, user_id, code FROM badges ORDER BY id")).all()
op.execute("SELECT 1")
