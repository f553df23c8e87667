# Lesson 4.18, "The fix", part 2: the production pattern. sessionmaker, a @contextmanager get_session() that commits or rolls back, flush() for an id, returning ORM objects out of a closed session, and FastAPI's get_db() generator
from contextlib import contextmanager
SessionLocal = sessionmaker(bind=engine)

@contextmanager
def get_session():
    session = SessionLocal()
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()
with get_session() as s:
    zed = User(name="Zed", email="zed@example.com")
    s.add(zed)
    s.flush()
    print("Zed's id:", zed.id)
with get_session() as s:
    s.add(User(name="Zed again", email="zed@example.com"))
def get_user(user_id):
    with get_session() as s:
        return s.get(User, user_id)
user = get_user(1)
print(user.name)
def get_user_name(user_id):
    with get_session() as s:
        user = s.get(User, user_id)
        return {"id": user.id, "name": user.name}
print(get_user_name(1))
def get_db():
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()
requests = get_db()
db = next(requests)
bob = db.get(User, 2)
print(bob.name)
requests.close()
print(inspect(bob).detached)
