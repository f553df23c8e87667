# A flush finds what changed without walking the session: names changed between flushes, a message added through its user, a delete, a one-to-one replaced without its old value loaded.
users = session.query(User).all()
messages = session.query(Message).all()
for u in users[:3]:
    u.name = u.name + '!'
    session.flush()
m = Message(content='hi')
m.user = users[5]
session.add(m)
session.flush()
session.delete(messages[0])
session.flush()
u = session.get(User, 2)
u.profile = None
session.flush()
session.rollback()
print(session.get(User, 1).name, len(session.query(Message).all()))
