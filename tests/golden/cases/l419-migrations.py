# Lesson 4.19 "Migrations with Alembic": every demo and prediction, in order.
from typing import Optional
class NewBase(DeclarativeBase):
    pass

class UserV2(NewBase):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    age: Mapped[Optional[int]]

NewBase.metadata.create_all(engine)
session.scalars(select(UserV2.age)).all()
from alembic import op
import sqlalchemy as sa
op.add_column("users", sa.Column("age", sa.Integer(), nullable=True))
session.scalars(select(UserV2.age).limit(3)).all()
op.add_column("users", sa.Column("nickname", sa.String(50), nullable=False))
op.create_index("ix_users_age", "users", ["age"])
op.alter_column("users", "name", existing_type=sa.String(100), nullable=True)
with op.batch_alter_table("users") as batch_op:
    batch_op.alter_column("name", existing_type=sa.String(100), nullable=True)
from alembic.migration import MigrationContext
from alembic.autogenerate import compare_metadata, produce_migrations, render_python_code
conn = engine.connect()
mc = MigrationContext.configure(conn)
print(render_python_code(produce_migrations(mc, Base.metadata).upgrade_ops))
with op.batch_alter_table("users") as batch_op:
    batch_op.drop_index("ix_users_age")
    batch_op.drop_column("age")
    batch_op.alter_column("name", existing_type=sa.String(100), nullable=False)
compare_metadata(mc, Base.metadata)
with op.batch_alter_table("roles") as batch_op:
    batch_op.alter_column("name", existing_type=sa.String(50), server_default="member")
compare_metadata(mc, Base.metadata)
with op.batch_alter_table("messages") as batch_op:
    batch_op.alter_column("content", new_column_name="body", existing_type=sa.String())
print(render_python_code(produce_migrations(mc, Base.metadata).upgrade_ops))
op.add_column("messages", sa.Column("content", sa.String(), nullable=False))
