# create_engine(echo="debug") with ORM queries: the Col line comes when the statement runs, every Row line when the result is first read (SQLAlchemy's loading fetches all the cursor's rows at once), with the result processors' values; session.execute, scalars() in a loop, first(), one(), legacy Query.all() and iteration, a lazy load
from sqlalchemy import select
engine.echo = "debug"
r = session.execute(select(User).where(User.id < 3).order_by(User.id))
print("executed")
r.all()
for u in session.scalars(select(User.name, User.is_active).where(User.id > 3)):
    print("got", u)
print(session.scalars(select(User).order_by(User.id.desc())).first().name)
session.execute(select(User.name, User.created_at).where(User.id == 2)).one()
[u.name for u in session.query(User).filter(User.id <= 2).all()]
for u in session.query(User.id).filter(User.id > 3):
    print("q", u.id)
alice = session.get(User, 1)
print(len(alice.messages))
engine.echo = False
