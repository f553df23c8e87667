# Seed 000's Movie model and its async CRUD functions, created with run_sync(Base.metadata.create_all), and its MissingGreenlet claim
from sqlalchemy.ext.asyncio import AsyncSession
class Movie(Base):
    __tablename__ = "movies"
    id = Column(Integer, primary_key=True, autoincrement=True)
    title = Column(String(500), nullable=False)
    original_title = Column(String(500))
    release_year = Column(Integer)
    runtime_minutes = Column(Integer)
    imdb_rating = Column(Float)
    tmdb_rating = Column(Float)
    plot_summary = Column(Text)
    tagline = Column(String(500))
async with async_engine.begin() as conn:
    await conn.run_sync(Base.metadata.create_all)
async def create_movie(session, title, year, rating):
    movie = Movie(title=title, release_year=year, imdb_rating=rating)
    session.add(movie)
    await session.commit()
    return movie
async def get_movie_by_id(session, movie_id):
    movie = await session.get(Movie, movie_id)
    return movie
async def get_highly_rated_movies(session, min_rating=8.0):
    stmt = select(Movie).where(Movie.imdb_rating >= min_rating)
    result = await session.execute(stmt)
    movies = result.scalars().all()
    return movies
async def update_movie_rating(session, movie_id, new_rating):
    movie = await session.get(Movie, movie_id)
    if movie:
        movie.imdb_rating = new_rating
        await session.commit()
        await session.refresh(movie)
    return movie
async def delete_movie(session, movie_id):
    movie = await session.get(Movie, movie_id)
    if movie:
        await session.delete(movie)
        await session.commit()
        return True
    return False
session = AsyncSession(async_engine)
movie = await create_movie(session, "Inception", 2010, 8.8)
print(movie.id)
movie = await create_movie(session, "Heat", 1995, 8.3)
await session.refresh(movie)
print(movie.id, movie.title)
m = await get_movie_by_id(session, 1)
m.title
[x.title for x in await get_highly_rated_movies(session, 8.5)]
(await update_movie_rating(session, 2, 7.9)).imdb_rating
await delete_movie(session, 1)
await delete_movie(session, 1)
await session.close()
