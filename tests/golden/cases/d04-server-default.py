# server_default as a string, text() and func.now(): the DDL, and the value read back after the INSERT
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from datetime import datetime


class Base(DeclarativeBase):
    pass


class Task(Base):
    __tablename__ = "tasks"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    state: Mapped[str] = mapped_column(server_default="open")
    points: Mapped[int] = mapped_column(server_default=text("3"))
    created: Mapped[datetime] = mapped_column(server_default=func.now())
    seen: Mapped[bool] = mapped_column(server_default=text("0"))


own = create_engine("sqlite://")
Base.metadata.create_all(own)
s = Session(own)
t = Task(title="write")
s.add(t)
s.flush()
t.state
t.points
isinstance(t.created, datetime)
t.seen
s.add(Task(title="read", state="done", points=5))
s.commit()
[(x.title, x.state, x.points) for x in s.scalars(select(Task))]
