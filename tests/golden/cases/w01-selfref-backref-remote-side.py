# self-referential tree: backref("parent", remote_side=[id]) sets parent_id on the children
from sqlalchemy import create_engine, Integer, String, ForeignKey
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, backref, Session

class Base(DeclarativeBase):
    pass

class Node(Base):
    __tablename__ = "node"
    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("node.id"))
    name: Mapped[str] = mapped_column(String(30))
    children = relationship("Node", backref=backref("parent", remote_side=[id]))

    def __repr__(self):
        return f"Node({self.name!r})"

eng = engine
Base.metadata.create_all(eng)
s = Session(eng)
root = Node(name="root")
a = Node(name="a")
b = Node(name="b")
root.children.append(a)
root.children.append(b)
s.add(root)
s.commit()
print([(n.name, n.parent_id) for n in s.query(Node).order_by(Node.id)])
print(a.parent)
c = Node(name="c", parent=a)
s.add(c)
s.flush()
print(c.parent_id)
b.parent = a
s.flush()
print(b.parent_id, [n.name for n in a.children])
a.children.remove(c)
s.flush()
print(c.parent_id)
s.delete(a)
s.flush()
print([(n.name, n.parent_id) for n in s.query(Node).order_by(Node.id)])
s.commit()
