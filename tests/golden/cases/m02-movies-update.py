# fixture: movies
# Creating, updating and deleting movies and reviews as seed 000's API does:
# updated_at moves on UPDATE; deleting a movie with reviews leaves them with
# movie_id NULL (no cascade on Movie.reviews).
m = Movie(title="Perfect Days", release_year=2023, imdb_rating=7.9)
session.add(m)
session.commit()
(m.id, m.created_at == m.updated_at, m.tagline)
m.tagline = "Next time is next time."
session.commit()
m.updated_at > m.created_at
m.reviews.append(Review(rating=5, comment="Quietly perfect."))
session.commit()
arrival = session.get(Movie, 6)
session.delete(arrival)
session.commit()
session.query(Review.id, Review.movie_id).filter(Review.id.in_([12, 13])).all()
