# Seed 004's models on class Base(DeclarativeBase): plain type hints on Column assignments, as SQLAlchemy 2.0 judges them
from sqlalchemy import Column, Integer, String, Boolean, DateTime, ForeignKey
from sqlalchemy.orm import relationship, DeclarativeBase
from datetime import datetime

class Base(DeclarativeBase):
    pass

class User(Base):
    __tablename__ = 'users'
    
    id: int = Column(Integer, primary_key=True)
    email: str = Column(String(120), unique=True, nullable=False, index=True)
    full_name: str = Column(String(100), nullable=False)
    is_active: bool = Column(Boolean, default=True)
    created_at: datetime = Column(DateTime, default=datetime.utcnow)
    
    posts = relationship('Post', back_populates='author', cascade='all, delete-orphan')


class Base2(DeclarativeBase):
    __allow_unmapped__ = True


class Account(Base2):
    __tablename__ = "accounts"
    id: int = Column(Integer, primary_key=True)
    email: str = Column(String(120), unique=True, nullable=False)
    last_name: str = Column(String(50))
    first_name: str = Column(String(50))
    __table_args__ = (Index("idx_full_name", "last_name", "first_name"),)


print(Base2, Base2.metadata)
own = create_engine("sqlite:///:memory:")
Base2.metadata.create_all(own)
with Session(own) as db:
    db.add(Account(email="a@example.com", last_name="Le Guin", first_name="Ursula"))
    db.commit()
    print(db.scalars(select(Account.email)).all())
