# create_engine(echo="debug"): besides the INFO lines, a result's columns (DEBUG … Col ('x', 'y')) and each row fetched (DEBUG … Row (1, 'one')), for text() and exec_driver_sql() results read whole; engine.echo is "debug"
from sqlalchemy import create_engine, text
dbg = create_engine("sqlite://", echo="debug")
dbg.echo
with dbg.begin() as conn:
    conn.execute(text("CREATE TABLE t (x INTEGER, y VARCHAR(10), z FLOAT)"))
    conn.execute(text("INSERT INTO t (x, y, z) VALUES (:x, :y, :z)"), [{"x": 1, "y": "one", "z": 0.5}, {"x": 2, "y": None, "z": 1e-05}])
with dbg.connect() as conn:
    rows = conn.execute(text("SELECT x, y, z FROM t ORDER BY x")).all()
    print(rows)
    print(conn.exec_driver_sql("SELECT count(*) FROM t").scalar())
with dbg.connect() as conn:
    print(conn.execute(text("SELECT y FROM t WHERE x = :x"), {"x": 1}).all())
