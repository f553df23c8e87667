class Author(Base):
    __tablename__ = "authors"
    id = Column(Integer, primary_key=True)
    name = Column(String(50), nullable=False)
    books = relationship("Book", backref="author", order_by="Book.title", cascade="all, delete-orphan", lazy="selectin")

class Book(Base):
    __tablename__ = "books"
    id = Column(Integer, primary_key=True)
    title = Column(String(100))
    author_id = Column(Integer, ForeignKey("authors.id"))

Base.metadata.create_all(engine)
a = Author(name="Ann", books=[Book(title="Zeta"), Book(title="Alpha")])
session.add(a)
session.commit()
a2 = session.query(Author).first()
[b.title for b in a2.books]
a2.books[0].author is a2
a2.books.remove(a2.books[0])
session.commit()
session.delete(a2)
session.commit()
session.query(Book).count()
