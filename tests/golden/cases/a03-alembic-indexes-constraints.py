# Alembic: create_index/drop_index, and the constraint operations SQLite cannot do outside batch mode
from alembic import op
import sqlalchemy as sa
op.create_index(op.f("ix_users_name"), "users", ["name"], unique=False)
op.create_index("ix_messages_user_content", "messages", ["user_id", "content"], unique=True)
op.drop_index("ix_messages_user_content", table_name="messages")
op.drop_index(op.f("ix_users_name"), table_name="users")
op.create_unique_constraint("uq_users_name", "users", ["name"])
op.create_foreign_key("fk_users_profile", "users", "profiles", ["id"], ["user_id"])
op.drop_constraint("uq_users_name", "users", type_="unique")
op.alter_column("users", "name", nullable=True)
op.alter_column("users", "name", new_column_name="full_name")
session.execute(text("SELECT full_name FROM users WHERE id = 1")).scalar()
op.alter_column("users", "full_name", type_=sa.Text())
