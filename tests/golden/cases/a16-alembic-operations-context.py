# Operations(MigrationContext.configure(conn)): Alembic's operations on a connection of one's own
from alembic.migration import MigrationContext
from alembic.operations import Operations
import sqlalchemy as sa
conn = engine.connect()
ops = Operations(MigrationContext.configure(conn))
ops.add_column('roles', sa.Column('rank', sa.Integer(), nullable=True))
ops.execute("UPDATE roles SET rank = 1")
print(ops.get_bind() is conn)
conn.commit()
print(conn.execute(text("SELECT name, rank FROM roles ORDER BY id")).all())
conn.close()
Operations()
