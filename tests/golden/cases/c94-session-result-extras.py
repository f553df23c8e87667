# Session.get_one/connection()/get_bind()/get_transaction()/in_nested_transaction()/info/identity_key/object_session/reset(); Result.closed/yield_per/freeze/partitions/t
session.get_one(User, 2).name
try:
    session.get_one(User, 99)
except Exception as e:
    print(type(e).__name__, e)
c = session.connection()
type(c).__name__
c.scalar(select(func.count()).select_from(User))
session.get_bind() is engine
session.get_transaction() is not None
session.in_nested_transaction()
session.info
session.identity_key(User, 1)
session.object_session(session.get(User, 1)) is session
session.reset()
session.in_transaction()
r = session.execute(select(User.id).order_by(User.id))
r.closed
r.first()
r.closed
r = session.execute(select(User.id).order_by(User.id))
r.all()
r.closed
r = session.execute(select(User.id).order_by(User.id)).yield_per(3)
type(r).__name__
r.fetchmany()
r = session.execute(select(User.id).order_by(User.id))
f = r.freeze()
f().all()
f().scalars().all()
[list(x) for x in session.execute(select(User.id).order_by(User.id)).partitions(3)]
session.execute(select(User.id, User.name).order_by(User.id)).t.first()
session.scalars(select(User.id).order_by(User.id)).yield_per(2).fetchmany()
session.scalars(select(User.id).order_by(User.id)).partitions(3)
[x for x in session.scalars(select(User.id).order_by(User.id)).partitions(3)]
f = session.execute(select(User.id, User.name).where(User.id < 3)).freeze()
type(f).__name__
f.data
type(f()).__name__
list(session.execute(select(User.id)).partitions("2"))
session.identity_key(instance=session.get(User, 2))
with Session(engine) as s2:
    c2 = s2.connection()
    print(c2.in_transaction(), s2.in_transaction())
    s2.add(Role(name="temp"))
    s2.flush()
    print(c2.scalar(select(func.count()).select_from(Role)))
    nested = s2.begin_nested()
    print(s2.in_nested_transaction(), s2.get_nested_transaction() is not None)
    nested.rollback()
    print(s2.in_nested_transaction(), s2.get_nested_transaction())
s3 = sessionmaker(bind=engine)()
s3.get_bind() is engine
s3.bind is engine
list(session.execute(select(User.id)).partitions(0))
