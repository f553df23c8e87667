# with_parent(), object_session(), inspect(obj).attrs.<name>.history, Query.with_entities, populate_existing
alice = session.get(User, 1)
session.scalars(select(Message).where(with_parent(alice, User.messages)).order_by(Message.id)).all()
print(select(Message).where(with_parent(alice, User.messages)))
m = session.get(Message, 5)
session.scalars(select(User).where(with_parent(m, Message.user))).all()
session.query(Group).filter(with_parent(alice, User.groups)).all()
object_session(alice) is session
object_session(User(name="x", email="x@x")) is None
inspect(alice).attrs.name.history
alice.name = "Alicia"
inspect(alice).attrs.name.history
inspect(alice).attrs.email.history
inspect(alice).attrs.name.value
inspect(alice).attrs.name.loaded_value
h = inspect(alice).attrs.name.history
h.added
h.deleted
h.unchanged
h.has_changes()
inspect(alice).attrs.messages.history
session.rollback()
session.query(User).filter(User.id < 3).with_entities(User.name, User.email).all()
session.query(User).with_entities(func.count(User.id)).scalar()
u = session.get(User, 2)
session.execute(update(User).where(User.id == 2).values(name="Robert").execution_options(synchronize_session=False))
u.name
session.scalars(select(User).where(User.id == 2).execution_options(populate_existing=True)).one().name
session.query(User).populate_existing().filter(User.id == 2).one().name
object_session(5)
