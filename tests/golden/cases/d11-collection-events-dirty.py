# list methods on a loaded collection as SQLAlchemy's instrumented list: reorder fires nothing, del/setitem fire remove/append (backrefs make children dirty), a pending orphan leaves the session at once
u = session.get(User, 1)
msgs = u.messages
msgs.reverse()
print(sorted(type(o).__name__ for o in session.dirty))
msgs.sort(key=lambda m: m.id)
print(session.dirty, session.is_modified(u))
del msgs[0]
print(sorted(type(o).__name__ for o in session.dirty))
msgs[0] = msgs[1]
print(sorted(type(o).__name__ for o in session.dirty), len(msgs))
session.flush()
print(session.dirty)
session.rollback()
from sqlalchemy import ForeignKey
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, Session
class Base(DeclarativeBase): pass
class Cart(Base):
    __tablename__ = "carts"
    id: Mapped[int] = mapped_column(primary_key=True)
    items: Mapped[list["Item"]] = relationship(back_populates="cart", cascade="all, delete-orphan")
class Item(Base):
    __tablename__ = "items"
    id: Mapped[int] = mapped_column(primary_key=True)
    cart_id: Mapped[int] = mapped_column(ForeignKey("carts.id"))
    cart: Mapped["Cart"] = relationship(back_populates="items")
Base.metadata.create_all(engine)
s = Session(engine)
c = Cart(id=1, items=[Item(id=1)])
s.add(c)
s.commit()
extra = Item(id=2)
c.items.append(extra)
print(extra in s, extra in s.new)
c.items.remove(extra)
print(extra in s, extra in s.new, len(s.new))
s.flush()
print(s.query(Item).count())
s.rollback()
s.close()
Base.metadata.drop_all(engine)
