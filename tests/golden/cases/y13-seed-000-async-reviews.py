# Seed 000's Movie/Review relationship under AsyncSession: movie.reviews and review.movie lazy loads raise MissingGreenlet; its N+1 loop of awaited selects and the selectinload fix
from sqlalchemy import Column, Integer, String, Text, ForeignKey, select
from sqlalchemy.orm import declarative_base, relationship, selectinload
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
Base = declarative_base()
class Movie(Base):
    __tablename__ = "movies"
    id = Column(Integer, primary_key=True)
    title = Column(String(500))
    # One movie has many reviews
    reviews = relationship("Review", back_populates="movie")
class Review(Base):
    __tablename__ = "reviews"
    id = Column(Integer, primary_key=True)
    movie_id = Column(Integer, ForeignKey("movies.id"))  # Foreign key
    rating = Column(Integer)
    comment = Column(Text)
    # Each review belongs to one movie
    movie = relationship("Movie", back_populates="reviews")
engine = create_async_engine("sqlite+aiosqlite://")
async with engine.begin() as conn:
    await conn.run_sync(Base.metadata.create_all)
async with AsyncSession(engine) as session:
    session.add_all([Movie(title="Heat", reviews=[Review(rating=9, comment="tense"), Review(rating=8)]), Movie(title="Up", reviews=[Review(rating=10)])])
    await session.commit()
session = AsyncSession(engine)
movie = await session.get(Movie, 1)
reviews = movie.reviews  # List of Review objects
review = await session.get(Review, 3)
movie_title = review.movie.title
movies = await session.execute(select(Movie))
movies = movies.scalars().all()
for movie in movies:
    reviews = await session.execute(
        select(Review).where(Review.movie_id == movie.id)
    )
    print(movie.title, [r.rating for r in reviews.scalars()])
await session.close()
session = AsyncSession(engine)
stmt = select(Movie).options(selectinload(Movie.reviews))
result = await session.execute(stmt)
movies = result.scalars().all()
for movie in movies:
    reviews = movie.reviews  # Already loaded!
    print(movie.title, len(reviews))
[r.movie.title for r in reviews]
await session.close()
await engine.dispose()
