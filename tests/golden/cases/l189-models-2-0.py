# Lesson 4.18.9 "Defining models, 2.0 style": every demo and prediction, in order, then the Try step's solution and its probes.
from typing import List, Optional
class FilmBase(DeclarativeBase):
    pass

class Director(FilmBase):
    __tablename__ = "directors"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    birth_year: Mapped[Optional[int]]
    awards: Mapped[List["Award"]] = relationship(back_populates="director")

class Award(FilmBase):
    __tablename__ = "awards"
    id: Mapped[int] = mapped_column(primary_key=True)
    director_id: Mapped[int] = mapped_column(ForeignKey("directors.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    year: Mapped[Optional[int]]
    director: Mapped["Director"] = relationship(back_populates="awards")

film_engine = create_engine("sqlite://")
FilmBase.metadata.create_all(film_engine)
FilmBase.metadata.create_all(film_engine)
films = Session(film_engine)
miyazaki = Director(name="Hayao Miyazaki", birth_year=1941)
miyazaki.awards.append(Award(title="Academy Award", year=2003))
films.add(miyazaki)
films.commit()
print(miyazaki.awards[0].director.name)
films.add(Award(title="Golden Bear"))
films.commit()
films.rollback()
films.add(Director(name=None))
films.flush()
films.rollback()
class Screening(FilmBase):
    __tablename__ = "screenings"
    __table_args__ = (
        UniqueConstraint("cinema", "starts_at"),
        CheckConstraint("seats > 0", name="some_seats"),
        Index("ix_screenings_cinema_starts_at", "cinema", "starts_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    cinema: Mapped[str] = mapped_column(String(100))
    starts_at: Mapped[datetime]
    seats: Mapped[int] = mapped_column(default=100)
    code: Mapped[str] = mapped_column(String(10), unique=True)

FilmBase.metadata.create_all(film_engine)
films.add(Screening(cinema="Rex", starts_at=datetime(2024, 5, 1, 20, 0), code="R1"))
films.add(Screening(cinema="Rex", starts_at=datetime(2024, 5, 1, 20, 0), code="R2"))
films.commit()
films.rollback()
class Festival(FilmBase):
    __tablename__ = "festivals"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    city: Mapped[Optional[str]]

FilmBase.metadata.create_all(engine)
for c in session.execute(text("PRAGMA table_info(festivals)")): print(c[1], c[2], ("NOT NULL" if c[3] else "NULL") + (" PRIMARY KEY" if c[5] else ""))
for i in session.execute(text("PRAGMA index_list(festivals)")): print("unique" if i[2] else "index", [c[2] for c in session.execute(text("PRAGMA index_info('" + i[1] + "')"))])
