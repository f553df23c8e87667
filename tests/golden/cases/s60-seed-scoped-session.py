# Seed lesson 4.18's session helper pasted with a sqlite:// URL: scoped_session(session_factory), one Session until remove(), its proxied methods, a @contextmanager scope, pool arguments refused on SQLite
from contextlib import contextmanager
from sqlalchemy import create_engine, Column, Integer, String, Boolean, DateTime, ForeignKey
from sqlalchemy.orm import declarative_base, sessionmaker, scoped_session, relationship
from datetime import datetime

Base = declarative_base()

class User(Base):
    __tablename__ = 'users'
    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)
    email = Column(String(255), unique=True, nullable=False)
    is_active = Column(Boolean, default=True)

    def __repr__(self):
        return f"<User(id={self.id}, name='{self.name}')>"

DATABASE_URL = "sqlite://"

engine = create_engine(DATABASE_URL, pool_size=5, max_overflow=10)
engine = create_engine(DATABASE_URL)
Base.metadata.create_all(engine)
session_factory = sessionmaker(bind=engine)
Session = scoped_session(session_factory)  # Thread-safe sessions
print(type(Session).__name__, Session.session_factory is session_factory)

@contextmanager
def get_session():
    """Provide a transactional scope around operations."""
    session = Session()
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()

def create_user(name: str, email: str) -> User:
    with get_session() as session:
        user = User(name=name, email=email)
        session.add(user)
        session.flush()  # Get ID before commit
        return user

def get_user(user_id: int) -> User | None:
    with get_session() as session:
        return session.get(User, user_id)

user = create_user("Alice", "alice@example.com")
print(user.id)
print(get_user(1))
create_user("Bob", "alice@example.com")
print(Session() is Session(), Session.registry.has())
Session.add(User(name="Carol", email="carol@example.com"))
print(Session.new)
Session.commit()
print(Session.query(User).count(), Session.get(User, 2))
Session.query(User).filter_by(name="Carol").one()
s1 = Session()
Session(autoflush=False)
Session.remove()
print(Session.registry.has(), s1 is Session(), Session.registry.has())
print(Session.scalars(select(User.name).order_by(User.name)).all())
Session.remove()
Session.remove()
scoped = scoped_session(session_factory, scopefunc=lambda: "request-1")
print(scoped() is scoped(), scoped() is Session())
scoped.remove()
Session.no_such_method()
