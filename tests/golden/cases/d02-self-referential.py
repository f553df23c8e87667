# An adjacency list: parent_id -> children (one-to-many) and parent (many-to-one, remote_side)
from typing import List, Optional
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Node(Base):
    __tablename__ = "nodes"
    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("nodes.id"))
    name: Mapped[str]
    children: Mapped[List["Node"]] = relationship(back_populates="parent")
    parent: Mapped[Optional["Node"]] = relationship(back_populates="children", remote_side=[id])

    def __repr__(self):
        return f"Node({self.name!r})"


own = create_engine("sqlite://")
Base.metadata.create_all(own)
s = Session(own)
root = Node(name="root", children=[Node(name="a"), Node(name="b", children=[Node(name="b1")])])
s.add(root)
s.commit()
b1 = s.scalars(select(Node).where(Node.name == "b1")).one()
b1.parent
b1.parent.parent
print(b1.parent.parent.children)
s.scalars(select(Node).where(Node.parent_id == 1).order_by(Node.id)).all()
n = s.get(Node, 2)
n.parent = s.get(Node, 3)
s.commit()
print(s.get(Node, 3).children)
