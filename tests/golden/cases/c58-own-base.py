# A learner's own declarative_base(): its own MetaData (a second `users` table), a new empty engine, one-way relationships, onupdate, an unbound Session
from datetime import datetime
from sqlalchemy.orm import declarative_base

MyBase = declarative_base()


class User(MyBase):
    __tablename__ = "users"
    id: int = Column(Integer, primary_key=True)
    email = Column(String(100), unique=True, index=True, nullable=False)
    created_at = Column(DateTime, default=datetime.utcnow)
    updated_at = Column(DateTime, default=datetime.utcnow, onupdate=datetime.utcnow)
    books = relationship("Book")


class Book(MyBase):
    __tablename__ = "books"
    id = Column(Integer, primary_key=True)
    title = Column(String(100))
    price = Column(DECIMAL(10, 2))
    status = Column(Enum("active", "inactive", "discontinued"), default="active")
    data = Column(JSON)
    user_id = Column(Integer, ForeignKey("users.id"))
    __table_args__ = (Index("idx_title_status", "title", "status"),)


print(sorted(MyBase.metadata.tables))
print(MyBase.metadata.tables["users"] is Base.metadata.tables["users"])
own = create_engine("sqlite://")
print(own.url, repr(own))
MyBase.metadata.create_all(own)
s = Session(own)
s.scalars(select(User)).all()
u = User(email="zoe@example.com", books=[Book(title="Earthsea"), Book(title="Dune")])
s.add(u)
s.commit()
[(b.title, b.user_id, b.status) for b in s.scalars(select(Book))]
u.email = "zoe@example.org"
s.commit()
u.updated_at > u.created_at
session.scalars(select(Message)).first()
Session().scalars(select(User)).all()
loose = Session()
loose.add(User(email="x@example.com"))
loose.commit()
