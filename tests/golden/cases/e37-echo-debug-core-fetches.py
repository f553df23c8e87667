# create_engine(echo="debug") with a Core result read piecemeal: first() and scalar() log one Row line, one() one too (even when a second row makes it fail), fetchone()/fetchmany() the rows they take, a for loop each row as it comes; a select()'s typed values as the result processors give them
from sqlalchemy import create_engine, text, select
dbg = create_engine("sqlite://", echo="debug")
with dbg.begin() as conn:
    conn.execute(text("CREATE TABLE t (x INTEGER, y VARCHAR(10))"))
    conn.execute(text("INSERT INTO t (x, y) VALUES (:x, :y)"), [{"x": 1, "y": "a"}, {"x": 2, "y": "b"}, {"x": 3, "y": "c"}])
with dbg.connect() as conn:
    print("first", conn.execute(text("SELECT x, y FROM t ORDER BY x")).first())
    print("scalar", conn.execute(text("SELECT y FROM t ORDER BY x DESC")).scalar())
    r = conn.execute(text("SELECT x FROM t ORDER BY x"))
    print("fetchmany", r.fetchmany(2))
    print("fetchone", r.fetchone())
    print("fetchone", r.fetchone())
    try:
        conn.execute(text("SELECT x FROM t")).one()
    except Exception as e:
        print(type(e).__name__)
    print("one", conn.execute(text("SELECT y FROM t WHERE x = 2")).one())
engine.echo = "debug"
with engine.connect() as conn:
    for row in conn.execute(select(User.name, User.is_active, User.created_at).where(User.id < 3).order_by(User.id)):
        print("user", row.name)
    print(conn.execute(select(User.is_active).where(User.id == 1)).scalar_one())
engine.echo = False
