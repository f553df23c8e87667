# Alembic: op.create_table with a native Enum (PostgreSQL: CREATE TYPE … AS ENUM first), rows through it, op.drop_table leaves the type (create_type=False reuses it), op.add_column does not create one
from alembic import op
import sqlalchemy as sa
op.create_table("tickets_p43", sa.Column("id", sa.Integer(), nullable=False), sa.Column("state", sa.Enum("open", "closed", name="ticket_state_p43"), nullable=False), sa.PrimaryKeyConstraint("id"))
bind = op.get_bind()
bind.execute(text("INSERT INTO tickets_p43 (id, state) VALUES (1, 'open')"))
bind.execute(text("SELECT id, state FROM tickets_p43")).all()
op.drop_table("tickets_p43")
op.create_table("tickets_p43", sa.Column("id", sa.Integer(), nullable=False), sa.Column("state", sa.Enum("open", "closed", name="ticket_state_p43", create_type=False), nullable=True), sa.PrimaryKeyConstraint("id"))
op.add_column("tickets_p43", sa.Column("prio", sa.Enum("low", "high", name="prio_p43"), nullable=True))
