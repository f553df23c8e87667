# Lesson 4.18's practice: the learner's Author, Post and Comment (seed 001's blog) on the chat database, as the three Try steps build them, with the checks' probes; then what a missing side of back_populates does.
Base = declarative_base()
class Author(Base):
    __tablename__ = "authors"
    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)
    email = Column(String(255), unique=True, nullable=False)
    posts = relationship("Post", back_populates="author")

class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)
    author_id = Column(Integer, ForeignKey("authors.id"), nullable=False)
    title = Column(String(200), nullable=False)
    content = Column(Text, nullable=False)
    published_at = Column(DateTime)
    author = relationship("Author", back_populates="posts")
    comments = relationship("Comment", back_populates="post")

class Comment(Base):
    __tablename__ = "comments"
    id = Column(Integer, primary_key=True)
    post_id = Column(Integer, ForeignKey("posts.id"), nullable=False)
    author_name = Column(String(100), nullable=False)
    content = Column(Text, nullable=False)
    post = relationship("Post", back_populates="comments")

Base.metadata.create_all(engine)
for c in session.execute(text("PRAGMA table_info(authors)")): print(c[1], c[2], ("NOT NULL" if c[3] else "NULL") + (" PRIMARY KEY" if c[5] else ""))
for i in session.execute(text("PRAGMA index_list(authors)")): print("unique" if i[2] else "index", [c[2] for c in session.execute(text("PRAGMA index_info('" + i[1] + "')"))])
for c in session.execute(text("PRAGMA table_info(posts)")): print(c[1], c[2], ("NOT NULL" if c[3] else "NULL") + (" PRIMARY KEY" if c[5] else ""))
for f in session.execute(text("PRAGMA foreign_key_list(posts)")): print(f[3], "references", f[2] + "." + f[4])
for c in session.execute(text("PRAGMA table_info(comments)")): print(c[1], c[2], ("NOT NULL" if c[3] else "NULL") + (" PRIMARY KEY" if c[5] else ""))
for f in session.execute(text("PRAGMA foreign_key_list(comments)")): print(f[3], "references", f[2] + "." + f[4])
ada = Author(name="Ada Lovelace", email="ada@example.com")
ada.posts.append(Post(title="Notes", content="On the Analytical Engine."))
print(ada.posts[0].author is ada)
session.add(ada)
session.commit()
post = Post(title="Hello", content="My first post.", author=Author(name="Sam", email="sam@example.com"))
post.comments.append(Comment(author_name="lee", content="Welcome!"))
print(post.comments[0].post is post, post in post.author.posts)
session.add(post)
session.commit()
for r in session.execute(text("SELECT a.name, p.title, p.published_at FROM posts p JOIN authors a ON a.id = p.author_id ORDER BY p.id")): print(r)
for r in session.execute(text("SELECT p.title, c.author_name, c.content FROM comments c JOIN posts p ON p.id = c.post_id")): print(r)
# a Post without the `author` side that Author.posts names
Base2 = declarative_base()
class Writer(Base2):
    __tablename__ = "writers"
    id = Column(Integer, primary_key=True)
    articles = relationship("Article", back_populates="writer")

class Article(Base2):
    __tablename__ = "articles"
    id = Column(Integer, primary_key=True)
    writer_id = Column(Integer, ForeignKey("writers.id"), nullable=False)

Writer()
# back_populates naming a column instead of a relationship
Base3 = declarative_base()
class Shelf(Base3):
    __tablename__ = "shelves"
    id = Column(Integer, primary_key=True)
    books = relationship("Book", back_populates="shelf_id")

class Book(Base3):
    __tablename__ = "books"
    id = Column(Integer, primary_key=True)
    shelf_id = Column(Integer, ForeignKey("shelves.id"))

Shelf()
