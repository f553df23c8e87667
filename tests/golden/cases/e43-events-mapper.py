# mapper events: before_insert/before_update setting a timestamp (the common recipe), after_insert/after_delete, propagate
from sqlalchemy import event
from datetime import datetime
@event.listens_for(User, "before_insert")
def bi(mapper, connection, target):
    print("before_insert", mapper.class_.__name__, target.name, target.id)
    target.created_at = datetime(2030, 1, 1, 12, 0)
@event.listens_for(User, "before_update")
def bu(mapper, connection, target):
    print("before_update", target.id, target.name)
    target.created_at = datetime(2031, 2, 2)
@event.listens_for(User, "after_insert")
def ai(mapper, connection, target):
    print("after_insert", target.id)
@event.listens_for(Message, "after_delete")
def ad(mapper, connection, target):
    print("after_delete", target.id)
u = User(name="Zed", email="zed@x")
session.add(u)
session.commit()
print(u.created_at)
u.name = "Zed2"
session.commit()
print(u.created_at)
u.created_at
session.delete(session.get(Message, 1))
session.flush()
session.rollback()
