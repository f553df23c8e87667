# Session events before_flush, after_flush, after_commit, after_rollback on a Session, a sessionmaker and the Session class
from sqlalchemy import event
from sqlalchemy.orm import Session as S, sessionmaker
@event.listens_for(S, "before_flush")
def bf(sess, flush_context, instances):
    print("before_flush", len(sess.new), len(sess.dirty), len(sess.deleted), instances)
    for obj in sess.new:
        if isinstance(obj, Role):
            obj.name = obj.name.upper()
@event.listens_for(session, "after_flush")
def af(sess, flush_context):
    print("after_flush", len(sess.new), [type(o).__name__ for o in sess.new])
def ac(sess):
    print("after_commit", sess.in_transaction())
event.listen(session, "after_commit", ac)
@event.listens_for(session, "after_rollback")
def ar(sess):
    print("after_rollback")
session.add(Role(name="editor"))
session.flush()
print(session.scalars(select(Role.name).order_by(Role.id.desc())).first())
session.get(User, 1).name = "Renamed"
session.commit()
session.add(Role(name="temp"))
session.rollback()
session.rollback()
Factory = sessionmaker(engine)
@event.listens_for(Factory, "after_commit")
def fac(sess):
    print("factory commit")
s3 = Factory()
s3.add(Role(name="via factory"))
s3.commit()
s3.close()
session.commit()
