from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy import ForeignKey, create_engine, select
from typing import Optional, List
class NBase(DeclarativeBase):
    pass
class Node(NBase):
    __tablename__ = "node"
    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("node.id"))
    name: Mapped[str]
    children: Mapped[List["Node"]] = relationship(lazy="joined")
e = create_engine("sqlite://")
NBase.metadata.create_all(e)
s = Session(e)
s.add(Node(name="root", children=[Node(name="a"), Node(name="b")]))
s.commit()
nodes = s.scalars(select(Node)).unique().all()
[(n.name, len(n.children)) for n in nodes]
