# MappedAsDataclass order=True: generated __lt__/__le__/__gt__/__ge__ over the compare fields; eq=False with order=True; sorted()
class Base(MappedAsDataclass, DeclarativeBase): pass
class Version(Base, order=True):
    __tablename__ = "versions_v42"
    id: Mapped[int] = mapped_column(primary_key=True, compare=False)
    major: Mapped[int]
    minor: Mapped[int]
    note: Mapped[str] = mapped_column(default="", compare=False)
a = Version(1, 1, 2, "x")
b = Version(2, 1, 10)
c = Version(3, 2, 0, "a")
a < b
b <= a
c > b
a >= Version(9, 1, 2)
[v.id for v in sorted([c, a, b])]
max([a, b, c]).id
a < 3
a > "x"
class Plain(Base):
    __tablename__ = "plain_v42"
    id: Mapped[int] = mapped_column(primary_key=True)
Plain(1) < Plain(2)
a < Plain(1)
class OBase(MappedAsDataclass, DeclarativeBase, order=True): pass
class Tagged(OBase):
    __tablename__ = "tagged_v42"
    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str]
Tagged(2, "a") < Tagged(1, "b")
Tagged(1, "b") <= Tagged(1, "b")
class NoEq(Base, order=True, eq=False):
    __tablename__ = "noeq_v42"
    id: Mapped[int] = mapped_column(primary_key=True)
