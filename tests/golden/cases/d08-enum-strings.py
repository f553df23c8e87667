# Enum of strings: VARCHAR as long as the longest name, CHECK only with create_constraint=True (named by name=); a value outside it is sent as is
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Ticket(Base):
    __tablename__ = "tickets"
    id: Mapped[int] = mapped_column(primary_key=True)
    state = mapped_column(Enum("open", "closed", "in_review"), default="open")
    level = mapped_column(Enum("low", "high", name="ticket_level", create_constraint=True))
    kind = mapped_column(Enum("bug", "feature", create_constraint=True))


own = create_engine("sqlite://")
Base.metadata.create_all(own)
s = Session(own)
s.add(Ticket(level="low", kind="bug"))
s.commit()
s.add(Ticket(state="gone"))
s.commit()
s.scalars(select(Ticket).where(Ticket.state == "nope")).all()
