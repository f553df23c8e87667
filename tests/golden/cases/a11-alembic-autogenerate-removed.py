# Alembic autogenerate: what only the database has (a column, an index, a table) is dropped, a column it lost is added
from alembic.migration import MigrationContext
from alembic.autogenerate import compare_metadata, produce_migrations, render_python_code
with engine.begin() as c:
    c.execute(text("ALTER TABLE users ADD COLUMN age INTEGER"))
    c.execute(text("CREATE INDEX ix_users_name ON users (name)"))
    c.execute(text("CREATE TABLE legacy (id INTEGER NOT NULL, note VARCHAR(20) NOT NULL, PRIMARY KEY (id))"))
    c.execute(text("ALTER TABLE profiles DROP COLUMN bio"))
conn = engine.connect()
mc = MigrationContext.configure(conn)
diff = compare_metadata(mc, Base.metadata)
[d[0] for d in diff]
[d[1:3] for d in diff if d[0] in ("add_column", "remove_column")]
diff[0][1].name
script = produce_migrations(mc, Base.metadata)
print(render_python_code(script.upgrade_ops))
print(render_python_code(script.downgrade_ops))
conn.close()
