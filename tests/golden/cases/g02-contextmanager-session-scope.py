# The seed's @contextmanager get_session(): commit when the with block ends, rollback and re-raise on an exception, close in finally
from contextlib import contextmanager
def session_scope():
    session = Session(engine)
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()
get_session = contextmanager(session_scope)
with get_session() as session:
    session.add(Message(user_id=1, content="committed"))
    print("end of block")
with get_session() as session:
    print(session.scalar(select(func.count(Message.id))))
try:
    with get_session() as session:
        session.add(Message(user_id=1, content="rolled back"))
        session.flush()
        raise ValueError("boom")
except ValueError as e:
    print("caught", e)
with get_session() as session:
    print(session.scalar(select(func.count(Message.id))))
def create_user(name, email):
    with get_session() as session:
        user = User(name=name, email=email)
        session.add(user)
        session.flush()
        return user
user = create_user("zed", "zed@example.com")
user.name
def get_user(user_id):
    with get_session() as session:
        return session.get(User, user_id)
get_user(1)
with get_session() as session:
    session.add(User(name="alice", email="alice@example.com"))
