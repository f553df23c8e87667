# relationship(secondary="table", primaryjoin="...", secondaryjoin="...") as strings naming the table, with backref= (its joins swapped), on two classes
class Base(DeclarativeBase): pass
node_to_node = Table(
    "node_to_node_v30",
    Base.metadata,
    Column("left_node_id", Integer, ForeignKey("node_v30.id"), primary_key=True),
    Column("right_node_id", Integer, ForeignKey("node_v30.id"), primary_key=True),
)
class Node(Base):
    __tablename__ = "node_v30"
    id = mapped_column(Integer, primary_key=True)
    label = mapped_column(String(20))
    right_nodes = relationship(
        "Node",
        secondary="node_to_node_v30",
        primaryjoin="Node.id == node_to_node_v30.c.left_node_id",
        secondaryjoin="Node.id == node_to_node_v30.c.right_node_id",
        backref="left_nodes",
    )
Base.metadata.create_all(engine)
s = Session(engine)
a, b, c = Node(label="a"), Node(label="b"), Node(label="c")
a.right_nodes = [b]
s.add_all([a, b, c])
s.commit()
[n.label for n in b.left_nodes]
[n.label for n in a.right_nodes]
c.left_nodes.append(b)
s.commit()
[n.label for n in b.right_nodes]
s.scalars(select(Node).where(Node.left_nodes.any(Node.label == "b"))).all()[0].label
s.close()
Base.metadata.drop_all(engine)
