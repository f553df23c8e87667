# Alembic: op.add_column / op.drop_column on SQLite, and the ORM sees the new column through text()
from alembic import op
import sqlalchemy as sa
op.add_column("users", sa.Column("age", sa.Integer(), nullable=True))
session.execute(text("SELECT name, age FROM users WHERE id = 1")).all()
op.add_column("users", sa.Column("nickname", sa.String(length=50), server_default="x", nullable=False))
session.execute(text("SELECT nickname FROM users WHERE id = 2")).scalar()
session.query(User).first().name
hasattr(User, "age")
op.drop_column("users", "nickname")
session.execute(text("SELECT nickname FROM users")).all()
