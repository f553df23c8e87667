# MappedAsDataclass: a generated __init__ and __repr__, init=False, default=
class Base(MappedAsDataclass, DeclarativeBase): pass
class Member(Base):
    __tablename__ = "members_v27"
    id: Mapped[int] = mapped_column(init=False, primary_key=True)
    name: Mapped[str] = mapped_column(String(30))
    fullname: Mapped[Optional[str]] = mapped_column(default=None)
    level: Mapped[int] = mapped_column(default=3)
Base.metadata.create_all(engine)
m = Member("sam")
m
Member("pat", "Pat P", level=5)
Member(name="x", fullname="y")
Member(id=3, name="q")
Member()
s = Session(engine)
s.add(m)
s.commit()
m
s.close()
Base.metadata.drop_all(engine)
