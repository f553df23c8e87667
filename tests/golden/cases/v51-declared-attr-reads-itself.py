# a declared_attr that reads its own attribute through cls calls itself again until RecursionError; the class is not defined, the next one maps
class Base(DeclarativeBase): pass
class Noted:
    @declared_attr
    def note(cls):
        return cls.note
class Page(Noted, Base):
    __tablename__ = "pages_v51"
    id: Mapped[int] = mapped_column(primary_key=True)
Page
class Page(Base):
    __tablename__ = "pages_v51b"
    id: Mapped[int] = mapped_column(primary_key=True)
print(Page.__table__.c.keys(), sorted(Base.metadata.tables))
