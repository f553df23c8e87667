# op.get_bind(): the migration's own Connection, in the same transaction as op's DDL
from alembic import op
import sqlalchemy as sa
op.add_column('users', sa.Column('age', sa.Integer(), nullable=True))
conn = op.get_bind()
print(type(conn).__name__)
conn.execute(text("UPDATE users SET age = 30 WHERE id = 1"))
print(conn.execute(text("SELECT id, age FROM users WHERE id <= 2")).all())
print(conn.in_transaction())
op.get_bind() is conn
