# session.new, session.dirty and session.deleted before a flush.
a = session.get(User, 1)
a.name = "Alicia"
m = session.get(Message, 1)
session.delete(m)
session.add(Group(name="go"))
print(len(session.new), len(session.dirty), len(session.deleted))
print(a in session.dirty, m in session.deleted)
session.flush()
print(len(session.new), len(session.dirty), len(session.deleted))
session.rollback()
print(a.name)
