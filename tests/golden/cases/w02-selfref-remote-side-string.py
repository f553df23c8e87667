# self-referential tree with parent = relationship(remote_side="Node.id", back_populates=...): parent_id from the many-to-one
from sqlalchemy import create_engine, String, ForeignKey
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, Session

class Base(DeclarativeBase):
    pass

class Node(Base):
    __tablename__ = "node"
    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("node.id"))
    name: Mapped[str] = mapped_column(String(30))
    parent: Mapped["Node | None"] = relationship(remote_side="Node.id", back_populates="children")
    children: Mapped[list["Node"]] = relationship(back_populates="parent", cascade="all, delete-orphan")

    def __repr__(self):
        return f"Node({self.name!r})"

eng = engine
Base.metadata.create_all(eng)
s = Session(eng)
root = Node(name="root", children=[Node(name="a", children=[Node(name="a1")]), Node(name="b")])
s.add(root)
s.commit()
print([(n.name, n.parent_id) for n in s.scalars(select(Node).order_by(Node.id))])
a1 = s.scalars(select(Node).where(Node.name == "a1")).one()
print(a1.parent, a1.parent.parent)
b = s.scalars(select(Node).where(Node.name == "b")).one()
a1.parent = b
s.flush()
print(a1.parent_id, b.children)
s.delete(root)
s.flush()
print(s.scalars(select(Node)).all())
s.commit()
