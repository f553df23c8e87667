# decimal.Decimal values and Numeric/DECIMAL columns: Decimals bound and read back (scale on SQLite, numeric on PostgreSQL), sums, avg, arithmetic
from decimal import Decimal
class Base(DeclarativeBase): pass
class P(Base):
    __tablename__ = "p"
    id: Mapped[int] = mapped_column(primary_key=True)
    price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    f = mapped_column(Numeric)
    g = mapped_column(DECIMAL(8,3))
    h: Mapped[Decimal]
e = engine
Base.metadata.create_all(e)
s = Session(e)
s.add(P(price=Decimal("1.50"), f=Decimal("2.25"), g=3, h=Decimal("0.1")))
s.add(P(price=2, f=1.1, g=Decimal("1.2345"), h=1))
s.commit()
for p in s.scalars(select(P)): print(repr(p.price), repr(p.f), repr(p.g), repr(p.h))
s.scalar(select(func.sum(P.price)))
s.scalar(select(func.avg(P.price)))
s.scalars(select(P.id).where(P.price > Decimal("1.75"))).all()
p = s.get(P, 1)
p.price = p.price * 2
s.commit()
p.price
p.price + Decimal("0.005")

print(Decimal("1.50") + 1, Decimal("1.50") * 2, Decimal(1) / Decimal(3), Decimal("1.00") / 2, Decimal(6) / 2, Decimal("0.0000001"), Decimal("1.5") // 1, Decimal("7.5") % 2, -Decimal("1.5"), abs(Decimal("-1.5")))
print(Decimal("1.505").quantize(Decimal("0.01")), round(Decimal("2.675"), 2), round(Decimal("2.5")), float(Decimal("1.5")), int(Decimal("-1.9")), Decimal("1.5") == 1.5, Decimal("1.0") == 1, Decimal(3) > 2)
Decimal("1.50")
f"{Decimal('3.14159'):.2f}"
sum([Decimal("1.10"), Decimal("2.20")])
Decimal("1.5") + 1.5
Decimal("abc")
isinstance(Decimal(1), Decimal)
sorted([Decimal("2.5"), 1, Decimal("0.5")])
s.close()
Base.metadata.drop_all(e)
