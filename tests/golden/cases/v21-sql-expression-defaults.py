# default=func.now() / onupdate=func.now(): rendered inline in the INSERT and UPDATE, fetched back by RETURNING; onupdate=datetime.utcnow sent as a parameter
class Base(DeclarativeBase): pass
class Movie(Base):
    __tablename__ = "movies_v21"
    id = Column(Integer, primary_key=True)
    title = Column(String(100), nullable=False)
    created_at = Column(DateTime, default=datetime.utcnow)
    updated_at = Column(DateTime, default=func.now(), onupdate=func.now())
    touched_at = Column(DateTime, onupdate=datetime.utcnow)
    version: Mapped[int] = mapped_column(default=1, onupdate=lambda: 2)
Base.metadata.create_all(engine)
s = Session(engine)
m = Movie(title="Up")
s.add(m)
s.flush()
m.updated_at is not None
m.version
m.touched_at is None
m.title = "Down"
s.flush()
m.version
m.touched_at is not None
m.updated_at is not None
s.commit()
m2 = s.scalars(select(Movie)).one()
m2.title = "Sideways"
s.commit()
m2.version
s.close()
Base.metadata.drop_all(engine)
