# hybrid_property on a model (instance value, setter, SQL in where/select), hash() with __eq__/__hash__, __class__.
from sqlalchemy.ext.hybrid import hybrid_property
class B3(DeclarativeBase):
    pass
class P(B3):
    __tablename__ = "ps"
    id: Mapped[int] = mapped_column(primary_key=True)
    first: Mapped[str] = mapped_column(String(50))
    last: Mapped[str] = mapped_column(String(50))
    @hybrid_property
    def full(self):
        return self.first + " " + self.last
    @full.setter
    def full(self, v):
        self.first, self.last = v.split(" ")
    @hybrid_property
    def ro(self):
        return self.first
e3 = create_engine("sqlite://")
B3.metadata.create_all(e3)
s3 = Session(e3)
p = P(first="a", last="b")
p.full
p.full = "c d"
p.first
p.ro = 1
s3.add(p)
s3.commit()
s3.scalars(select(P).where(P.full == "c d")).all()
s3.execute(select(P.full)).all()
p.__class__.__name__
class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __eq__(self, other):
        return (self.x, self.y) == (other.x, other.y)
    def __hash__(self):
        return hash((self.x, self.y))
hash(Point(1, 2)) == hash((1, 2))
class Bare:
    def __eq__(self, other):
        return True
hash(Bare())
issubclass(Point, (int, Bare))
class B3(DeclarativeBase):
    pass
class Q(B3):
    __tablename__ = "qs"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    @hybrid_property
    def size(self):
        return len(self.name)
    @size.expression
    def size(cls):
        return func.length(cls.name)
print(select(Q.size).where(Q.size > 2))
print(Q(name="abc").size)
