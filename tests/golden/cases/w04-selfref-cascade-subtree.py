# backref with remote_side: children cascade delete removes the whole subtree
from sqlalchemy import create_engine, Integer, String, ForeignKey
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, backref, Session

class Base(DeclarativeBase):
    pass

class Node(Base):
    __tablename__ = "node"
    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("node.id"))
    name: Mapped[str] = mapped_column(String(30))
    children = relationship("Node", cascade="all, delete-orphan", backref=backref("parent", remote_side="Node.id"))

eng = engine
Base.metadata.create_all(eng)
s = Session(eng)
root = Node(name="root")
Node(name="x", parent=root)
y = Node(name="y", parent=root)
Node(name="y1", parent=y)
s.add(root)
s.commit()
print([(n.name, n.parent_id) for n in s.query(Node).order_by(Node.id)])
print(s.get(Node, 4).parent.name, Node.parent.property.direction, Node.children.property.direction)
x = s.get(Node, 2)
s.delete(x)
s.flush()
print(x in root.children)
s.delete(s.get(Node, 1))
s.commit()
print(s.query(Node).count())
