# fixture: movies
# Seed 000's MovieRepository (sync) and seed 004's session handling: a repository class over a session from a @contextmanager session scope, a decorator with a *args/**kwargs wrapper, a generator method and __iter__, a user exception raised from another.
from contextlib import contextmanager

@contextmanager
def session_scope():
    db = Session(engine)
    try:
        yield db
        db.commit()
    except Exception:
        db.rollback()
        raise
    finally:
        db.close()

class MovieNotFound(Exception):
    def __init__(self, movie_id):
        super().__init__(f"movie {movie_id} not found")
        self.movie_id = movie_id

def logged(method):
    def wrapper(self, *args, **kwargs):
        print("->", method.__name__, args, kwargs)
        return method(self, *args, **kwargs)
    return wrapper

class MovieRepository:
    def __init__(self, session, *, page_size=3):
        self.session = session
        self.page_size = page_size

    def get_by_id(self, movie_id):
        return self.session.get(Movie, movie_id)

    def get_or_raise(self, movie_id):
        movie = self.get_by_id(movie_id)
        if movie is None:
            try:
                {}[movie_id]
            except KeyError as e:
                raise MovieNotFound(movie_id) from e
        return movie

    @logged
    def create(self, **movie_data):
        movie = Movie(**movie_data)
        self.session.add(movie)
        self.session.flush()
        return movie

    @logged
    def update(self, movie_id, **updates):
        movie = self.get_or_raise(movie_id)
        for key, value in updates.items():
            setattr(movie, key, value)
        return movie

    def pages(self):
        offset = 0
        while True:
            stmt = select(Movie).order_by(Movie.id).limit(self.page_size).offset(offset)
            batch = self.session.execute(stmt).scalars().all()
            if not batch:
                return
            yield batch
            offset += self.page_size

    def __iter__(self):
        for page in self.pages():
            yield from page

    def rated_above(self, minimum):
        def keep(movie):
            return movie.imdb_rating is not None and movie.imdb_rating > minimum
        return [m.title for m in self if keep(m)]

with session_scope() as db:
    repo = MovieRepository(db, page_size=4)
    print(repo.get_by_id(2).title)
    print([len(p) for p in repo.pages()])
    print(repo.rated_above(8.5))
    created = repo.create(title="Perfect Days", release_year=2023)
    print(created.id)

with session_scope() as db:
    repo = MovieRepository(db)
    first = next(iter(repo))
    print(first.title)
    repo.update(9, tagline="Next time is next time.")

with session_scope() as db:
    print(db.get(Movie, 9).tagline)

try:
    with session_scope() as db:
        MovieRepository(db).update(42, title="Nothing")
except MovieNotFound as e:
    print(type(e).__name__, e, e.movie_id, type(e.__cause__).__name__)

with session_scope() as db:
    MovieRepository(db).get_or_raise(99)
