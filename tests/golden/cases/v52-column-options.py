# a Column's options as SQLAlchemy reports them: unique, index, default, onupdate, server_default, server_onupdate, foreign_keys, autoincrement, comment (None where not given) on a Table's, a mapped class's and a lone Column
md = MetaData()
parent = Table("parents_v52", md, Column("id", Integer, primary_key=True))
t = Table("kids_v52", md, Column("id", Integer, primary_key=True, comment="the key"), Column("name", String(30), unique=True, index=True, default="x", onupdate="y"), Column("n", Integer, server_default="3", autoincrement=False), Column("parent_id", ForeignKey("parents_v52.id", ondelete="CASCADE")), Column("at", DateTime, server_default=text("CURRENT_TIMESTAMP"), server_onupdate=text("CURRENT_TIMESTAMP")), Column("flag", Boolean, default=False, unique=False))
print(t.c.name.unique, t.c.name.index, t.c.id.unique, t.c.id.index, t.c.flag.unique)
print(t.c.name.default, t.c.id.default, t.c.flag.default)
print(t.c.name.onupdate, t.c.n.server_default, t.c.id.server_default)
print(t.c.at.server_default, t.c.at.server_onupdate, t.c.at.server_onupdate.for_update)
print(t.c.parent_id.foreign_keys, t.c.id.foreign_keys)
print(t.c.id.autoincrement, t.c.n.autoincrement, t.c.name.autoincrement)
print(t.c.id.comment, t.c.name.comment)
print(repr(t.c.id))
print(repr(t.c.n))
print(User.__table__.c.id.autoincrement, User.__table__.c.email.unique, User.__table__.c.is_active.default)
c = Column("x", Integer, unique=True, default=5)
print(c.unique, c.default, c.index, c.foreign_keys, c.autoincrement, c.comment, c.server_default)
class Base(DeclarativeBase): pass
class Note(Base):
    __tablename__ = "notes_v52"
    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(Text, comment="text", server_default="")
print(Note.__table__.c.body.comment, Note.__table__.c.body.server_default, Note.__table__.c.body.unique)
md.create_all(engine)
with engine.begin() as conn:
    conn.execute(parent.insert().values(id=1))
    conn.execute(t.insert().values(id=1, parent_id=1))
    print(conn.execute(select(t.c.name, t.c.n, t.c.flag)).all())
md.drop_all(engine)
