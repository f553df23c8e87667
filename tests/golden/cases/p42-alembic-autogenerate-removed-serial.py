# Alembic autogenerate: a removed table with an auto-incrementing key, a foreign key and a unique constraint, rendered back in downgrade
from alembic.migration import MigrationContext
from alembic.autogenerate import produce_migrations, render_python_code
md = MetaData()
Table("users", md, Column("id", Integer, primary_key=True))
Table("notes_p42", md, Column("id", Integer, primary_key=True), Column("user_id", Integer, ForeignKey("users.id")), Column("body", String(40), nullable=False), UniqueConstraint("body"))
md.create_all(engine)
with engine.begin() as c:
    c.execute(text("ALTER TABLE roles ADD COLUMN rank INTEGER NOT NULL DEFAULT 3"))
conn = engine.connect()
mc = MigrationContext.configure(conn)
script = produce_migrations(mc, Base.metadata)
print(render_python_code(script.upgrade_ops))
print(render_python_code(script.downgrade_ops))
conn.close()
with engine.begin() as c:
    c.execute(text("DROP TABLE notes_p42"))
