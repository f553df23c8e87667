# MappedAsDataclass class keywords: kw_only=True on the base, init=/repr=/eq=/unsafe_hash=/kw_only= on a class, keywords no base takes
class KBase(MappedAsDataclass, DeclarativeBase, kw_only=True): pass
class Kit(KBase):
    __tablename__ = "kits_v36"
    id: Mapped[int] = mapped_column(primary_key=True, default=None)
    name: Mapped[str]
    size: Mapped[int] = mapped_column(default=1, kw_only=False)
print(Kit(name="a"))
Kit(3, name="b")
Kit("a")
class Kit2(KBase, kw_only=False):
    __tablename__ = "kits2_v36"
    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    name: Mapped[str]
print(Kit2("z"))
class PBase(MappedAsDataclass, DeclarativeBase): pass
class NoRepr(PBase, repr=False, eq=False):
    __tablename__ = "norepr_v36"
    id: Mapped[int] = mapped_column(primary_key=True)
n = NoRepr(1)
repr(n)
NoRepr(1) == NoRepr(2)
NoRepr(1) != NoRepr(1)
hash(n)
class Hashed(PBase, unsafe_hash=True):
    __tablename__ = "hashed_v36"
    id: Mapped[int] = mapped_column(primary_key=True)
    tag: Mapped[str] = mapped_column(default="t")
hash(Hashed(1)) == hash((1, "t"))
Hashed(1) == Hashed(1)
class NoInit(PBase, init=False):
    __tablename__ = "noinit_v36"
    id: Mapped[int] = mapped_column(primary_key=True, default=None)
    name: Mapped[str] = mapped_column(default="q")
NoInit()
NoInit(1)
NoInit(name="x")
class Ordered(PBase, kw_only=True):
    __tablename__ = "ordered_v36"
    id: Mapped[int] = mapped_column(primary_key=True, default=None)
    name: Mapped[str]
print(Ordered(name="w"))
class Bad(PBase, bogus=True):
    __tablename__ = "bad_v36"
    id: Mapped[int] = mapped_column(primary_key=True)
class PlainBase(DeclarativeBase): pass
class Plain(PlainBase, kw_only=True):
    __tablename__ = "plain_v36"
    id: Mapped[int] = mapped_column(primary_key=True)
class Thing(object, flag=1):
    pass
PBase.metadata.create_all(engine)
s = Session(engine)
h = Hashed(5, "five")
s.add(h)
s.commit()
hash(h) == hash((5, "five"))
print(h)
s.close()
PBase.metadata.drop_all(engine)
