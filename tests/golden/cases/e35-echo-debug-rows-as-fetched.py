# create_engine(echo="debug") with rows read one at a time: SQLAlchemy logs each Row line as the row is fetched, so a for loop's prints come between them; an ORM query's rows and typed values (datetimes, booleans) as the result processors give them
from sqlalchemy import create_engine, text, select
from sqlalchemy.orm import Session
dbg = create_engine("sqlite://", echo="debug")
with dbg.begin() as conn:
    conn.execute(text("CREATE TABLE t (x INTEGER)"))
    conn.execute(text("INSERT INTO t (x) VALUES (:x)"), [{"x": 1}, {"x": 2}, {"x": 3}])
with dbg.connect() as conn:
    for row in conn.execute(text("SELECT x FROM t ORDER BY x")):
        print("got", row.x)
engine.echo = "debug"
with Session(engine) as s:
    print(s.scalars(select(User).where(User.id < 3).order_by(User.id)).all())
engine.echo = False
