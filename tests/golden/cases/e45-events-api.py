# event.listen/remove/contains, once=True, and an unknown event name (InvalidRequestError "No such event")
from sqlalchemy import event
def ac(sess):
    print("after_commit once")
event.listen(session, "after_commit", ac, once=True)
print(event.contains(session, "after_commit", ac))
session.commit()
session.commit()
def bf(sess, ctx, inst):
    print("before_flush")
event.listen(session, "before_flush", bf)
print(event.contains(session, "before_flush", bf), event.contains(session, "after_flush", bf))
session.add(Role(name="a"))
session.flush()
event.remove(session, "before_flush", bf)
print(event.contains(session, "before_flush", bf))
session.add(Role(name="b"))
session.flush()
event.listen(session, "before_flushh", bf)
event.remove(session, "before_flush", bf)
@event.listens_for(User, "before_frobnicate")
def nope(*args):
    pass
session.rollback()
