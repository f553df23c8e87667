# the Unified Tutorial's some_table: made with text(), reflected with Table(autoload_with=engine), then printed and used in UPDATE ... ordered_values(), INSERT and SELECT
from sqlalchemy import MetaData, Table, text, insert, update
with engine.begin() as conn:
    conn.execute(text("CREATE TABLE some_table (x int, y int)"))
    conn.execute(text("INSERT INTO some_table (x, y) VALUES (:x, :y)"), [{"x": 1, "y": 1}, {"x": 2, "y": 4}])
metadata_obj = MetaData()
some_table = Table("some_table", metadata_obj, autoload_with=engine)
some_table
print(repr(some_table), some_table.c.keys())
print([(c.name, repr(c.type), c.primary_key, c.nullable) for c in some_table.c])
update_stmt = update(some_table).ordered_values((some_table.c.y, 20), (some_table.c.x, some_table.c.y + 10))
print(update_stmt)
with engine.begin() as conn:
    conn.execute(update_stmt.where(some_table.c.x == 2))
    print(conn.execute(select(some_table).order_by(some_table.c.x)).all())
with engine.connect() as conn:
    conn.execute(insert(some_table), [{"x": 11, "y": 12}, {"x": 13, "y": 14}])
    print(conn.execute(select(some_table.c.x, some_table.c.y).where(some_table.c.y > 4)).all())
    conn.rollback()
