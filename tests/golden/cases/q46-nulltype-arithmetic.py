# arithmetic on a class-body column typed by its annotation only: NullType defers to the other side (id + 5 is +, first + " " is ||)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, column_property
class Base2(DeclarativeBase):
    pass
class Item(Base2):
    __tablename__ = "item"
    id: Mapped[int] = mapped_column(primary_key=True)
    first: Mapped[str] = mapped_column()
    qty: Mapped[int] = mapped_column(Integer)
    plus: Mapped[int] = column_property(id + 5)
    times: Mapped[int] = column_property(qty * 2 - id)
    label: Mapped[str] = column_property(first + " #")
    back: Mapped[int] = column_property(10 - id)
print(select(Item))
eng = create_engine("sqlite://")
Base2.metadata.create_all(eng)
s = Session(eng)
s.add_all([Item(first="a", qty=3), Item(first="b", qty=4)])
s.commit()
s.scalars(select(Item).order_by(Item.plus)).all()
[(i.plus, i.times, i.label, i.back) for i in s.scalars(select(Item))]
s.execute(select(Item.plus, Item.label).where(Item.plus > 6)).all()
