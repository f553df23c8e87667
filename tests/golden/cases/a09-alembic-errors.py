# Alembic: op is the module alembic.op; its errors for a wrong name, a missing argument, a column the table lacks
from alembic import op
import sqlalchemy as sa
op.nonsense
op.add_column("users")
op.drop_column("users", "nope")
type(op).__name__
with op.batch_alter_table("users") as batch_op:
    batch_op.drop_column("nope")
