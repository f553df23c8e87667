# fixture: movies
# Lesson 4.18.12: the seeds' claims tried live on the movies data (raw SQL needs text(), selectinload is two queries, a many-to-one in the identity map costs nothing, expire_on_commit=False does not survive close())
session.execute("SELECT title FROM movies")
session.execute(text("SELECT title FROM movies WHERE id = :id"), {"id": 1}).all()
movies = session.scalars(select(Movie).options(selectinload(Movie.reviews)).order_by(Movie.id)).all()
[len(m.reviews) for m in movies]
review = session.get(Review, 1)
review.movie.title
review.movie is movies[0]
s2 = Session(engine, expire_on_commit=False)
m = s2.get(Movie, 1)
s2.commit()
m.title
s2.close()
m.reviews
Own = declarative_base()
class Film(Own):
    __tablename__ = "movies"
    id = Column(Integer, primary_key=True)
    title = Column(String(500))
    reviews = relationship("Critique", lazy="selectin")
class Critique(Own):
    __tablename__ = "reviews"
    id = Column(Integer, primary_key=True)
    movie_id = Column(Integer, ForeignKey("movies.id"))
    rating = Column(Integer)
films = session.scalars(select(Film).order_by(Film.id)).all()
[len(f.reviews) for f in films]
class Event(Own):
    __tablename__ = "events"
    id = Column(Integer, primary_key=True)
    metadata = Column(JSON)
