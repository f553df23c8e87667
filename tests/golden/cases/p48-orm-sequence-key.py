# an ORM class whose key comes from a Sequence: nextval() in the flush's INSERT (one object RETURNING, several in one insertmanyvalues batch on PostgreSQL), plain autoincrement on SQLite; an Identity key
class Base(DeclarativeBase): pass
class Ticket(Base):
    __tablename__ = "tickets_p48"
    id: Mapped[int] = mapped_column(Sequence("tickets_p48_seq", start=50), primary_key=True)
    title: Mapped[str] = mapped_column(String(30))
class Badge(Base):
    __tablename__ = "badges_p48"
    id: Mapped[int] = mapped_column(Identity(start=7), primary_key=True)
    label: Mapped[str] = mapped_column(String(30))
Base.metadata.create_all(engine)
with Session(engine) as s:
    s.add(Ticket(title="one"))
    s.flush()
    s.add_all([Ticket(title="two"), Ticket(title="three"), Badge(label="gold"), Badge(label="silver")])
    s.flush()
    print(s.scalars(select(Ticket.id).order_by(Ticket.id)).all())
    print(s.scalars(select(Badge.id).order_by(Badge.id)).all())
    s.commit()
Base.metadata.drop_all(engine)
