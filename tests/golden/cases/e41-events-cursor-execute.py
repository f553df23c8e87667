# query counting and statement timing with before_cursor_execute/after_cursor_execute on an engine and on the Engine class
from sqlalchemy import event
from sqlalchemy.engine import Engine
import time
queries = []
@event.listens_for(engine, "before_cursor_execute")
def count(conn, cursor, statement, parameters, context, executemany):
    queries.append(statement.split()[0])
    conn.info.setdefault("query_start_time", []).append(time.time())
@event.listens_for(Engine, "after_cursor_execute")
def timing(conn, cursor, statement, parameters, context, executemany):
    total = time.time() - conn.info["query_start_time"].pop(-1)
    print("took", total >= 0, "many" if executemany else "one", parameters)
session.scalars(select(User).where(User.id < 3)).all()
print(len(queries), queries)
session.add_all([Role(name="r1"), Role(name="r2")])
session.flush()
print(len(queries), queries)
session.execute(insert(Role), [{"name": "r3"}, {"name": "r4"}])
print(len(queries))
@event.listens_for(engine, "before_cursor_execute", named=True)
def named(**kw):
    print("named:", sorted(kw), kw["executemany"])
session.get(User, 4)
event.remove(engine, "before_cursor_execute", named)
session.rollback()
print(len(queries))
