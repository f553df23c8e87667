# MappedAsDataclass: kw_only, default_factory, repr=False, compare=False, __eq__, relationships, lazy loads in __repr__
from typing import List, Optional
class DBase(MappedAsDataclass, DeclarativeBase): pass
class Crew(DBase):
    __tablename__ = "dc_crews"
    id: Mapped[int] = mapped_column(init=False, primary_key=True)
    name: Mapped[str] = mapped_column(String(30))
    code: Mapped[str] = mapped_column(kw_only=True)
    rank: Mapped[int] = mapped_column(default=1)
    note: Mapped[str] = mapped_column(default="-", repr=False, compare=False)
    size: Mapped[int] = mapped_column(default_factory=lambda: 7)
    badges: Mapped[List["Badge"]] = relationship(default_factory=list, back_populates="crew")
class Badge(DBase):
    __tablename__ = "dc_badges"
    id: Mapped[int] = mapped_column(init=False, primary_key=True)
    label: Mapped[str]
    crew_id: Mapped[Optional[int]] = mapped_column(ForeignKey("dc_crews.id"), init=False)
    crew: Mapped[Optional[Crew]] = relationship(default=None, back_populates="badges")
DBase.metadata.create_all(engine)
c = Crew("ops", code="X1")
print(c)
print(repr(Crew("dev", 4, "n", 9, code="Y")))
Crew("a", code="x", note="p") == Crew("a", code="x", note="q")
Crew("a", code="x") != Crew("a", code="y")
Crew("a", code="x") == 3
Crew()
Crew("a")
Crew("a", 1, 2, 3, 4, code="z")
Crew("a", name="b", code="z")
Crew("a", code="z", id=4)
hash(c)
b = Badge("gold", crew=c)
print(b)
print(c.badges)
s = Session(engine)
s.add(c)
s.commit()
print(c)
print(Badge("silver"))
s.close()
DBase.metadata.drop_all(engine)
