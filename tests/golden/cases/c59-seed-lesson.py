# Seed lesson 4.18's models and CRUD, pasted as they are with a sqlite:// URL: sqlalchemy.ext.declarative, its own Base and users table, sessionmaker(bind=engine)
from sqlalchemy import create_engine, Column, Integer, String, Boolean, DateTime, ForeignKey
from sqlalchemy.ext.declarative import declarative_base
from sqlalchemy.orm import sessionmaker, relationship
from datetime import datetime

# Create engine (connection pool)
engine = create_engine("sqlite://")

# Base class for all models
Base = declarative_base()

# Define a model
class User(Base):
    __tablename__ = 'users'  # Table name
    
    # Columns
    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)
    email = Column(String(255), unique=True, nullable=False)
    is_active = Column(Boolean, default=True)
    created_at = Column(DateTime, default=datetime.utcnow)
    
    # Relationship (one-to-many)
    messages = relationship("Message", back_populates="user")
    
    def __repr__(self):
        return f"<User(id={self.id}, name='{self.name}')>"

class Message(Base):
    __tablename__ = 'messages'
    
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey('users.id'), nullable=False)
    content = Column(String, nullable=False)
    created_at = Column(DateTime, default=datetime.utcnow)
    
    # Relationship (many-to-one)
    user = relationship("User", back_populates="messages")

# Create tables
Base.metadata.create_all(engine)
Session = sessionmaker(bind=engine)

# Create a session (like a transaction)
session = Session()
session.add(user)
session.commit()
print(user.id)  # Auto-generated ID is now available!

# READ
# Get by primary key
user = session.get(User, 1)

# Query with filter
users = session.query(User).filter(User.is_active == True).all()

# More filters
user = session.query(User).filter(User.email == "alice@example.com").first()

# Complex queries
active_users = (
    session.query(User)
    .filter(User.is_active == True)
    .filter(User.created_at > datetime(2024, 1, 1))
    .order_by(User.name)
    .limit(10)
    .all()
)

# UPDATE
user = session.get(User, 1)
user.name = "Alice Smith"  # Just modify the object!
session.commit()  # Changes are detected and saved

# DELETE
user = session.get(User, 1)
session.delete(user)
session.commit()

### Relationships in Action

# Create user with messages in one go
user = User(name="Alice", email="alice@example.com")
user.messages = [
    Message(content="Hello!"),
    Message(content="How are you?")
]
session.add(user)
session.commit()

# Access related objects
user = session.get(User, 1)
for message in user.messages:  # Automatically loads messages!
    print(f"{user.name}: {message.content}")

# Navigate the other way
message = session.get(Message, 1)
print(f"Sent by: {message.user.name}")  # Access user from message

