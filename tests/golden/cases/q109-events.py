# event.listens_for on Engine before_cursor_execute, Session before_flush/after_commit, and event.listen
from sqlalchemy import event
from sqlalchemy.orm import Session as S
@event.listens_for(engine, "before_cursor_execute")
def bce(conn, cursor, statement, parameters, context, executemany):
    print("SQL:", statement, parameters, executemany)
@event.listens_for(S, "before_flush")
def bf(sess, flush_context, instances):
    print("flushing", len(sess.new))
def ac(sess):
    print("committed")
event.listen(S, "after_commit", ac)
session.get(User, 1)
session.add(Role(name="x"))
session.commit()
