# MappedAsDataclass with plain defaults: mapped_column(default=), a bare default, init=False, default_factory= and repr=False
from sqlalchemy import create_engine, String, select
from sqlalchemy.orm import DeclarativeBase, MappedAsDataclass, Mapped, mapped_column, Session

class Base(MappedAsDataclass, DeclarativeBase):
    pass

class Widget(Base):
    __tablename__ = "widget"
    id: Mapped[int] = mapped_column(init=False, primary_key=True)
    name: Mapped[str] = mapped_column(String(30), default="x")
    size: Mapped[int] = 5
    tags: Mapped[str] = mapped_column(default_factory=lambda: "none")
    secret: Mapped[str] = mapped_column(default="s", repr=False)

w = Widget()
print(w)
w2 = Widget("y", 7)
print(w2, w2 == Widget("y", 7), w == w2)
eng = engine
Base.metadata.create_all(eng)
s = Session(eng)
s.add_all([w, w2])
s.commit()
print(s.scalars(select(Widget).order_by(Widget.id)).all())
