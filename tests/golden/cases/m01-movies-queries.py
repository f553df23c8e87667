# fixture: movies
# Seed 000's movie queries on its own models: filters, ordering with NULLs,
# aggregates per movie, movies without reviews, and selectinload's two queries.
session.query(Movie.title).filter(Movie.release_year >= 2010).order_by(Movie.release_year).all()
session.scalars(select(Movie.title).order_by(Movie.imdb_rating.desc()).limit(3)).all()
session.query(Movie.title, func.avg(Review.rating), func.count(Review.id)).join(Movie.reviews).group_by(Movie.id).order_by(Movie.id).all()
session.query(Movie.title).outerjoin(Movie.reviews).filter(Review.id == None).all()
movies = session.scalars(select(Movie).options(selectinload(Movie.reviews))).all()
[(m.title, [r.rating for r in m.reviews]) for m in movies]
session.get(Movie, 1).original_title
session.query(Movie).filter(Movie.title.ilike("%the%")).count()
