# synchronize_session="fetch": UPDATE/DELETE ... RETURNING the primary key, then the matched objects in the session follow
u = session.get(User, 2)
m = session.get(Message, 3)
r = session.execute(update(User).where(User.name.like("B%")).values(name="Bobby").execution_options(synchronize_session="fetch"))
r.rowcount
u.name
r = session.execute(update(User).where(User.id == 2).values(name=User.name + "!").execution_options(synchronize_session="fetch"))
u.name
r = session.execute(delete(Message).where(Message.user_id == m.user_id).execution_options(synchronize_session="fetch"))
r.rowcount
m in session
inspect(m).deleted
session.execute(delete(Message).where(Message.id > 100).execution_options(synchronize_session="fetch")).rowcount
session.execute(delete(Message), [{"id": 1}])
session.execute(delete(Message), [])
c = session.get(User, 3)
session.query(User).filter(User.id == 3).update({"name": "Caz"}, synchronize_session="fetch")
c.name
session.query(Message).filter(Message.id == 5).delete(synchronize_session="bogus")
session.query(Message).filter(Message.id == 5).delete(synchronize_session=False)
