# MappedAsDataclass: the class errors dataclasses raises (wrapped by SQLAlchemy), __post_init__, a class's own __init__ and __repr__
class EBase(MappedAsDataclass, DeclarativeBase): pass
class A(EBase):
    __tablename__ = "dc_a"
    id: Mapped[int] = mapped_column(primary_key=True, default=None)
    name: Mapped[str]
class B(EBase):
    __tablename__ = "dc_b"
    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    xs: Mapped[List["A"]] = relationship(default=[])
class N(EBase):
    __tablename__ = "dc_n"
    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    tag: Mapped[str] = mapped_column(default="t")
    def __post_init__(self):
        print("post", self)
        self.tag = self.tag.upper()
n = N()
print(n.tag)
N("x").tag
class R(EBase):
    __tablename__ = "dc_r"
    id: Mapped[int] = mapped_column(primary_key=True)
    def __repr__(self):
        return f"<R {self.id}>"
R(5)
print(R(5))
print([R(1), N("z")])
