# WriteOnlyCollection statements built before a pending owner is flushed: the owner's key is read when the statement is built
class Base(DeclarativeBase): pass
class Bag(Base):
    __tablename__ = "bags_v39"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30))
    items: WriteOnlyMapped["Item"] = relationship(order_by="Item.id")
class Item(Base):
    __tablename__ = "items_v39"
    id: Mapped[int] = mapped_column(primary_key=True)
    bag_id: Mapped[Optional[int]] = mapped_column(ForeignKey("bags_v39.id"))
    label: Mapped[str] = mapped_column(String(30))
Base.metadata.create_all(engine)
s = Session(engine)
old = Bag(name="old", items=[Item(label="o1")])
s.add(old)
s.commit()
b = Bag(name="new")
s.add(b)
q = b.items.select()
ins = b.items.insert()
upd = b.items.update().values(label="u")
dele = b.items.delete()
print(q)
s.flush()
b.id
s.execute(ins, [{"label": "n1"}, {"label": "n2"}])
s.scalars(q).all()
s.scalars(b.items.select()).all()
s.execute(upd).rowcount
s.execute(dele).rowcount
s.scalars(select(Item.label).order_by(Item.id)).all()
c = Bag(name="c")
q2 = c.items.select()
s.add(c)
s.flush()
s.scalars(q2).all()
s.rollback()
s.close()
Base.metadata.drop_all(engine)
