# ==, !=, == None, contains(), any(), has() on self-referential relationships whose primaryjoin has extra criteria (remote() annotations)
class Base(DeclarativeBase): pass
class Node(Base):
    __tablename__ = "nodes_v44"
    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("nodes_v44.id"))
    name: Mapped[str] = mapped_column(String(30))
    live_parent: Mapped[Optional["Node"]] = relationship(
        primaryjoin="and_(Node.parent_id == remote(Node.id), remote(Node.name) != 'dead')",
        viewonly=True,
    )
    live_children: Mapped[List["Node"]] = relationship(
        primaryjoin="and_(Node.id == remote(Node.parent_id), remote(Node.name) != 'dead')",
        viewonly=True,
    )
Base.metadata.create_all(engine)
s = Session(engine)
root = Node(name="root")
dead = Node(name="dead")
s.add_all([root, dead])
s.flush()
kid = Node(name="kid", parent_id=root.id)
orphan = Node(name="orphan", parent_id=dead.id)
s.add_all([kid, orphan])
s.commit()
(root.name, kid.name)
print(Node.live_parent == root)
print(Node.live_parent == None)
print(Node.live_children.contains(kid))
s.scalars(select(Node.name).where(Node.live_parent == root).order_by(Node.id)).all()
s.scalars(select(Node.name).where(Node.live_parent != root).order_by(Node.id)).all()
s.scalars(select(Node.name).where(Node.live_parent == None).order_by(Node.id)).all()
s.scalars(select(Node.name).where(Node.live_parent != None).order_by(Node.id)).all()
s.scalars(select(Node.name).where(Node.live_children.contains(kid)).order_by(Node.id)).all()
s.scalars(select(Node.name).where(Node.live_children == None).order_by(Node.id)).all()
s.scalars(select(Node.name).where(Node.live_children.any(Node.name == "kid")).order_by(Node.id)).all()
s.scalars(select(Node.name).where(Node.live_parent.has(Node.name == "root")).order_by(Node.id)).all()
s.close()
Base.metadata.drop_all(engine)
