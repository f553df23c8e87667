# ORM bulk DELETE / UPDATE edge cases: delete() with a parameter list, update() without primary keys, synchronize_session choices
session.execute(delete(Message), [{"id": 1}, {"id": 2}])
session.execute(update(User), [{"name": "NoKey"}])
session.execute(update(User).where(User.id == 1), [{"id": 1, "name": "X"}])
session.execute(update(User), [])
session.execute(delete(Message).where(Message.id == 1).execution_options(synchronize_session="bogus"))
session.execute(delete(Message).where(Message.id == 1).execution_options(synchronize_session="fetch")).rowcount
session.execute(update(User).where(User.id == 2).values(name="Bobby").execution_options(synchronize_session=False)).rowcount
session.get(User, 2).name
