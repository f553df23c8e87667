# Seed 000's full Movie model (updated_at onupdate), its query, count, pagination and update_movie(**updates) functions, MovieRepository, and its async pitfalls, on a new sqlite+aiosqlite:// engine
from contextlib import asynccontextmanager
from sqlalchemy import Column, Integer, String, Text, DateTime, Float, select, or_, func
from sqlalchemy.orm import declarative_base
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine, async_sessionmaker
from datetime import datetime
Base = declarative_base()
class Movie(Base):
    """
    Represents a movie in the database.
    Each instance of this class is one row in the 'movies' table.
    """
    __tablename__ = "movies"  # Name of the table in PostgreSQL
    id = Column(Integer, primary_key=True, autoincrement=True)
    title = Column(String(500), nullable=False)  # Required field
    original_title = Column(String(500))  # Optional field
    release_year = Column(Integer)
    runtime_minutes = Column(Integer)
    imdb_rating = Column(Float)
    tmdb_rating = Column(Float)
    plot_summary = Column(Text)  # Text = unlimited length
    tagline = Column(String(500))
    created_at = Column(DateTime, default=datetime.utcnow)
    updated_at = Column(DateTime, default=datetime.utcnow, onupdate=datetime.utcnow)
engine = create_async_engine("sqlite+aiosqlite://")
async with engine.begin() as conn:
    await conn.run_sync(Base.metadata.create_all)
async_session = async_sessionmaker(engine, expire_on_commit=False)
@asynccontextmanager
async def get_session():
    async with async_session() as session:
        yield session
async with get_session() as session:
    session.add_all([
        Movie(title="Inception", original_title="Inception", release_year=2010, imdb_rating=8.8),
        Movie(title="Parasite", original_title="Gisaengchung", release_year=2019, imdb_rating=8.5),
        Movie(title="Dune", original_title="Dune: Part One", release_year=2021, imdb_rating=8.0),
        Movie(title="Heat", release_year=1995, imdb_rating=8.3),
        Movie(title="Cats", release_year=2019, imdb_rating=2.8),
    ])
    await session.commit()
async def get_movie_by_id(session, movie_id: int):
    stmt = select(Movie).where(Movie.id == movie_id)
    result = await session.execute(stmt)
    movie = result.scalar_one_or_none()  # Returns None if not found
    return movie
async def get_all_movies(session):
    stmt = select(Movie)
    result = await session.execute(stmt)
    movies = result.scalars().all()  # Returns a list of Movie objects
    return movies
async def get_movies_by_year(session, year: int):
    stmt = select(Movie).where(Movie.release_year == year)
    result = await session.execute(stmt)
    movies = result.scalars().all()
    return movies
async def get_recent_highly_rated_movies(session):
    stmt = select(Movie).where(
        Movie.release_year >= 2020,
        Movie.imdb_rating >= 8.0
    )
    result = await session.execute(stmt)
    movies = result.scalars().all()
    return movies
async def get_movies_by_title_or_original_title(session, search: str):
    stmt = select(Movie).where(
        or_(
            Movie.title.ilike(f"%{search}%"),  # Case-insensitive LIKE
            Movie.original_title.ilike(f"%{search}%")
        )
    )
    result = await session.execute(stmt)
    movies = result.scalars().all()
    return movies
async def get_movies_sorted_by_rating(session):
    stmt = select(Movie).order_by(Movie.imdb_rating.desc())
    result = await session.execute(stmt)
    movies = result.scalars().all()
    return movies
async def get_movies_sorted_by_year_and_title(session):
    stmt = select(Movie).order_by(
        Movie.release_year.desc(),
        Movie.title.asc()
    )
    result = await session.execute(stmt)
    movies = result.scalars().all()
    return movies
async def get_movies_paginated(session, page: int = 1, page_size: int = 20):
    offset = (page - 1) * page_size
    stmt = select(Movie).offset(offset).limit(page_size)
    result = await session.execute(stmt)
    movies = result.scalars().all()
    return movies
async def count_movies(session):
    stmt = select(func.count()).select_from(Movie)
    result = await session.execute(stmt)
    count = result.scalar()
    return count
async def count_movies_by_year(session, year: int):
    stmt = select(func.count()).select_from(Movie).where(Movie.release_year == year)
    result = await session.execute(stmt)
    count = result.scalar()
    return count
async def update_movie(session, movie_id: int, **updates):
    movie = await session.get(Movie, movie_id)
    if not movie:
        return None
    for key, value in updates.items():
        setattr(movie, key, value)
    await session.commit()
    await session.refresh(movie)
    return movie
class MovieRepository:
    def __init__(self, session: AsyncSession):
        self.session = session
    async def get_by_id(self, movie_id: int) -> Movie | None:
        return await self.session.get(Movie, movie_id)
    async def create(self, **movie_data) -> Movie:
        movie = Movie(**movie_data)
        self.session.add(movie)
        await self.session.commit()
        await self.session.refresh(movie)
        return movie
    async def update(self, movie_id: int, **updates) -> Movie | None:
        movie = await self.get_by_id(movie_id)
        if not movie:
            return None
        for key, value in updates.items():
            setattr(movie, key, value)
        await self.session.commit()
        await self.session.refresh(movie)
        return movie
    async def delete(self, movie_id: int) -> bool:
        movie = await self.get_by_id(movie_id)
        if not movie:
            return False
        await self.session.delete(movie)
        await self.session.commit()
        return True
session = AsyncSession(engine)
(await get_movie_by_id(session, 2)).title
await get_movie_by_id(session, 99)
[m.title for m in await get_all_movies(session)]
[m.title for m in await get_movies_by_year(session, 2019)]
[m.title for m in await get_recent_highly_rated_movies(session)]
[m.title for m in await get_movies_by_title_or_original_title(session, "dune")]
[m.title for m in await get_movies_sorted_by_rating(session)]
[m.title for m in await get_movies_sorted_by_year_and_title(session)]
[m.title for m in await get_movies_paginated(session, page=2, page_size=2)]
await count_movies(session)
await count_movies_by_year(session, 2019)
movie = await update_movie(session, 1, title="Inception (2010)", runtime_minutes=148)
print(movie.title, movie.runtime_minutes)
await update_movie(session, 42, title="nobody")
await session.close()
async with get_session() as session:
    repo = MovieRepository(session)
    movie = await repo.create(title="Alien", release_year=1979)
    print(movie.id, movie.title)
    print((await repo.update(movie.id, imdb_rating=8.5)).imdb_rating)
    print(await repo.delete(movie.id), await repo.delete(movie.id))
async with get_session() as session:
    movie = await session.get(Movie, 1)
movie.title = "New Title"  # This won't be saved!
async with get_session() as session:
    print((await session.get(Movie, 1)).title)
async with get_session() as session:
    movie = await session.get(Movie, 1)
    movie.title = "New Title"  # Modify inside session
    await session.commit()  # Save before session closes
async with get_session() as session:
    print((await session.get(Movie, 1)).title)
async with AsyncSession(engine) as session:
    movie = Movie(title="Inception")
    session.add(movie)
    await session.commit()
    print(movie.id)  # None! ID is not loaded yet.
async with AsyncSession(engine) as session:
    movie = Movie(title="Inception")
    session.add(movie)
    await session.commit()
    await session.refresh(movie)  # Load the auto-generated ID
    print(movie.id)  # Now it works!
import asyncio
async def fast_function():
    await asyncio.sleep(0)  # Non-blocking sleep
    return "done"
await fast_function()
await engine.dispose()
