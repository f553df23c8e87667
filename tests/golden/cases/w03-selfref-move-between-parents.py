# self-referential tree: parent = relationship("Node", remote_side=[id], back_populates=...) with the list form
from sqlalchemy import create_engine, Integer, String, ForeignKey, Column
from sqlalchemy.orm import declarative_base, relationship, Session

Base = declarative_base()

class Node(Base):
    __tablename__ = "node"
    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer, ForeignKey("node.id"))
    name = Column(String(30))
    parent = relationship("Node", remote_side=[id], back_populates="children")
    children = relationship("Node", back_populates="parent")

eng = engine
Base.metadata.create_all(eng)
s = Session(eng)
root = Node(name="root")
kid = Node(name="kid", parent=root)
s.add(kid)
s.flush()
print(kid.parent_id, root.children[0].name)
other = Node(name="other")
other.children.append(kid)
s.add(other)
s.flush()
print(kid.parent_id, root.children, [c.name for c in other.children])
other.children.clear()
s.flush()
print(kid.parent_id)
s.delete(root)
s.commit()
print(s.query(Node).count())
