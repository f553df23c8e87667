# Seed 000's Movie model and async CRUD, pasted, on a new sqlite+aiosqlite:// engine: print(movie.id) after commit raises MissingGreenlet, as does the forgotten await
from sqlalchemy import Column, Integer, String, Text, DateTime, Float
from sqlalchemy.orm import declarative_base
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from datetime import datetime

# Base class for all models
Base = declarative_base()
class Movie(Base):
    __tablename__ = "movies"
    id = Column(Integer, primary_key=True, autoincrement=True)
    title = Column(String(500), nullable=False)  # Required field
    original_title = Column(String(500))  # Optional field
    release_year = Column(Integer)
    runtime_minutes = Column(Integer)
    imdb_rating = Column(Float)
    tmdb_rating = Column(Float)
    plot_summary = Column(Text)  # Text = unlimited length
    tagline = Column(String(500))
    created_at = Column(DateTime, default=datetime(2024, 1, 1))
engine = create_async_engine("sqlite+aiosqlite://")
async with engine.begin() as conn:
    await conn.run_sync(Base.metadata.create_all)
async def create_movie(session, title: str, release_year: int):
    """
    Create a new movie in the database.
    """
    # Step 1: Create a new Movie object
    new_movie = Movie(
        title=title,
        release_year=release_year,
        # created_at and updated_at are set automatically
    )
    
    # Step 2: Add it to the session
    session.add(new_movie)
    
    # Step 3: Commit to save to database
    await session.commit()
    
    # Step 4: Refresh to get the auto-generated ID
    await session.refresh(new_movie)
    
    return new_movie
async def create_multiple_movies(session, movies_data: list[dict]):
    """
    Create multiple movies at once (more efficient).
    """
    # Create Movie objects from dictionaries
    movies = [Movie(**data) for data in movies_data]
    
    # Add all at once
    session.add_all(movies)
    
    # Commit once (faster than committing each individually)
    await session.commit()
    
    return movies
async def update_movie_rating(session, movie_id: int, new_rating: float):
    """
    Update a movie's IMDB rating.
    """
    # Step 1: Fetch the movie
    movie = await session.get(Movie, movie_id)
    
    if not movie:
        return None
    
    # Step 2: Modify the object
    movie.imdb_rating = new_rating
    # updated_at is automatically updated
    
    # Step 3: Commit the changes
    await session.commit()
    
    return movie
async def delete_movie(session, movie_id: int):
    """
    Delete a movie from the database.
    """
    movie = await session.get(Movie, movie_id)
    
    if not movie:
        return False
    
    await session.delete(movie)
    await session.commit()
    
    return True
session = AsyncSession(engine)
movie = await create_movie(session, "Inception", 2010)
print(movie.id)
movies = await create_multiple_movies(session, [{"title": "Heat", "release_year": 1995}, {"title": "Up", "release_year": 2009}])
print(movies[0].id)
movie = await update_movie_rating(session, 1, 8.8)
movie.imdb_rating
movie = session.get(Movie, 1)  # Returns a coroutine, not a Movie!
print(movie.title)  # ERROR: coroutine has no attribute 'title'
movie = await session.get(Movie, 1)  # Actually executes the query
print(movie.title)  # Works!
await delete_movie(session, 2)
await delete_movie(session, 2)
await session.close()
