# ORM Querying Guide api.rst: execution options autoflush=False, yield_per (batches, partitions, selectin loads per batch), stream_results, on Select, Session.execute and the legacy Query
u = session.get(User, 1)
u.name = "changed"
stmt = select(User).order_by(User.id).execution_options(autoflush=False)
session.execute(stmt).scalars().first().name
session.scalars(select(User.name).where(User.id == 1), execution_options={"autoflush": False}).all()
session.scalars(select(User.name).where(User.id == 1)).all()
u.name = "changed again"
stmt = select(User).order_by(User.id).execution_options(yield_per=2)
for partition in session.scalars(stmt).partitions():
    print(len(partition), [x.name for x in partition])
for partition in session.execute(select(User.id, User.name).order_by(User.id), execution_options={"yield_per": 3}).partitions():
    print(partition)
stmt = select(User).order_by(User.id).execution_options(stream_results=True, max_row_buffer=10)
for user_obj in session.scalars(stmt).yield_per(10):
    print(user_obj.name)
session.expunge_all()
stmt = select(User).order_by(User.id).options(selectinload(User.messages)).execution_options(yield_per=2)
for user_obj in session.scalars(stmt):
    print(user_obj.name, len(user_obj.messages))
session.expunge_all()
stmt = select(User).options(joinedload(User.messages)).execution_options(yield_per=2)
session.scalars(stmt).all()
session.expunge_all()
q = session.query(User).order_by(User.id).options(selectinload(User.messages)).yield_per(3)
[(x.name, len(x.messages)) for x in q]
x = session.get(User, 2)
x.name = "pending"
session.query(User.name).filter(User.id == 2).autoflush(False).all()
session.query(User.name).filter(User.id == 2).execution_options(autoflush=False, populate_existing=True).all()
session.query(User.name).filter(User.id == 2).all()
