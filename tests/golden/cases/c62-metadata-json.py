# Core MetaData() with its own Table, JSON columns read back in order, engine.url as a URL, and the reserved 'metadata' attribute
meta = MetaData()
events = Table(
    "events",
    meta,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20), nullable=False, server_default="click"),
    Column("payload", JSON),
    Index("ix_events_kind", "kind"),
)
meta
sorted(meta.tables)
own = create_engine("sqlite+pysqlite:///:memory:")
print(own.url, repr(own.url), type(own.url).__name__)
meta.create_all(own)
Doc = declarative_base()


class Note(Doc):
    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[Optional[dict]] = mapped_column(JSON)
    tags = mapped_column(JSON)


class Broken(Doc):
    __tablename__ = "broken"
    id = Column(Integer, primary_key=True)
    metadata = Column(JSON)


Doc.metadata.create_all(own)
s = Session(own)
s.add(Note(body={"b": [1, 2.5, None, True], "a": "caf\u00e9"}, tags=["x"]))
s.commit()
n = s.scalars(select(Note)).one()
n.body, n.tags
n.body["b"][1]
s.scalars(select(Note)).all() == [n]
