# Seed 002's complete blog application, pasted as it is with a sqlite:// URL: a second Base with users, onupdate, a secondary table named by string
from sqlalchemy import create_engine, Column, Integer, String, Text, DateTime, ForeignKey, Boolean
from sqlalchemy.orm import declarative_base, Session, relationship
from datetime import datetime

Base = declarative_base()

class User(Base):
    __tablename__ = 'users'
    
    id = Column(Integer, primary_key=True)
    username = Column(String(80), unique=True, nullable=False)
    email = Column(String(120), unique=True, nullable=False)
    password_hash = Column(String(255), nullable=False)
    created_at = Column(DateTime, default=datetime.utcnow)
    
    posts = relationship('Post', back_populates='author', cascade='all, delete-orphan')
    comments = relationship('Comment', back_populates='author', cascade='all, delete-orphan')
    
    def __repr__(self):
        return f'<User {self.username}>'

class Post(Base):
    __tablename__ = 'posts'
    
    id = Column(Integer, primary_key=True)
    title = Column(String(200), nullable=False)
    content = Column(Text, nullable=False)
    published = Column(Boolean, default=False)
    created_at = Column(DateTime, default=datetime.utcnow)
    updated_at = Column(DateTime, default=datetime.utcnow, onupdate=datetime.utcnow)
    author_id = Column(Integer, ForeignKey('users.id'), nullable=False)
    
    author = relationship('User', back_populates='posts')
    comments = relationship('Comment', back_populates='post', cascade='all, delete-orphan')
    tags = relationship('Tag', secondary='post_tag', back_populates='posts')
    
    def __repr__(self):
        return f'<Post {self.title}>'

class Comment(Base):
    __tablename__ = 'comments'
    
    id = Column(Integer, primary_key=True)
    content = Column(Text, nullable=False)
    created_at = Column(DateTime, default=datetime.utcnow)
    post_id = Column(Integer, ForeignKey('posts.id'), nullable=False)
    author_id = Column(Integer, ForeignKey('users.id'), nullable=False)
    
    post = relationship('Post', back_populates='comments')
    author = relationship('User', back_populates='comments')

class Tag(Base):
    __tablename__ = 'tags'
    
    id = Column(Integer, primary_key=True)
    name = Column(String(50), unique=True, nullable=False)
    
    posts = relationship('Post', secondary='post_tag', back_populates='tags')

post_tag = Table(
    'post_tag',
    Base.metadata,
    Column('post_id', Integer, ForeignKey('posts.id')),
    Column('tag_id', Integer, ForeignKey('tags.id'))
)

# Usage
engine = create_engine('sqlite://')
Base.metadata.create_all(engine)

session = Session(engine)

# Create user
user = User(
    username='alice',
    email='alice@example.com',
    password_hash='hashed_password'
)

# Create post
post = Post(
    title='Python Tips',
    content='Here are some Python tips...',
    author=user
)

# Add tags
python_tag = Tag(name='python')
post.tags.append(python_tag)

# Add comment
comment = Comment(
    content='Great post!',
    post=post,
    author=user
)

session.add(user)
session.commit()

# Queries
all_posts = session.query(Post).all()
user_posts = session.query(Post).filter_by(author_id=user.id).all()
published_posts = session.query(Post).filter(Post.published == True).all()


print(all_posts, user_posts, published_posts)
print(post.tags, post.comments, user.posts, python_tag.posts)
post.title = "Python Tips 2"
session.commit()
post.updated_at > post.created_at
session.delete(user)
session.commit()
session.query(Tag).count(), session.query(Post).count()
