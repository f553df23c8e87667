# create_engine(url, echo=True) on the fixture's database: at its first connect the dialect's own queries are logged with [raw sql] (on PostgreSQL: select pg_catalog.version(), select current_schema(), show standard_conforming_strings; on SQLite none), then the statements as usual; a second connect logs nothing more
from sqlalchemy import create_engine, text, select
eng = create_engine(engine.url, echo=True)
with eng.connect() as conn:
    print(conn.execute(text("SELECT 1")).scalar())
with eng.connect() as conn:
    print(conn.execute(select(User.name).where(User.id == 1)).scalar())
eng.dispose()
