# lazy, joined and selectin loads and with_parent() of self-referential relationships whose primaryjoin has remote() marks or remote_side=
class Base(DeclarativeBase): pass
class Node(Base):
    __tablename__ = "nodes_v45"
    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("nodes_v45.id"))
    name: Mapped[str] = mapped_column(String(30))
    live_parent: Mapped[Optional["Node"]] = relationship(
        primaryjoin="and_(Node.parent_id == remote(Node.id), remote(Node.name) != 'dead')",
        viewonly=True,
    )
    live_children: Mapped[List["Node"]] = relationship(
        primaryjoin="and_(foreign(Node.parent_id) == remote(Node.id), Node.name != 'dead')",
        viewonly=True,
    )
    kids: Mapped[List["Node"]] = relationship(
        primaryjoin="and_(Node.id == remote(Node.parent_id), remote(Node.name) != 'dead')",
        viewonly=True,
    )
    up: Mapped[Optional["Node"]] = relationship(
        primaryjoin="and_(Node.parent_id == Node.id, Node.name != 'x')",
        remote_side=[id],
        viewonly=True,
    )
Base.metadata.create_all(engine)
s = Session(engine)
root = Node(name="root")
dead = Node(name="dead")
s.add_all([root, dead])
s.flush()
s.add_all([Node(name="kid", parent_id=root.id), Node(name="orphan", parent_id=dead.id), Node(name="dead", parent_id=root.id)])
s.commit()
kid = s.scalars(select(Node).where(Node.name == "kid")).one()
kid.live_parent.name
[n.name for n in root.kids]
kid.up.name
[n.name for n in s.scalars(select(Node).where(Node.kids.any()).order_by(Node.id))]
s.expunge_all()
nodes = s.scalars(select(Node).options(selectinload(Node.kids)).order_by(Node.id)).all()
[(n.name, [k.name for k in n.kids]) for n in nodes]
s.expunge_all()
nodes = s.scalars(select(Node).options(joinedload(Node.live_parent)).order_by(Node.id)).all()
[(n.name, n.live_parent.name if n.live_parent else None) for n in nodes]
s.expunge_all()
nodes = s.scalars(select(Node).options(joinedload(Node.kids)).order_by(Node.id)).unique().all()
[(n.name, [k.name for k in n.kids]) for n in nodes]
root = s.get(Node, 1)
s.scalars(select(Node.name).where(with_parent(root, Node.kids)).order_by(Node.id)).all()
print(Node.up == root)
s.scalars(select(Node.name).where(Node.up == root).order_by(Node.id)).all()
s.scalars(select(Node.name).where(Node.up.has(Node.name == "root")).order_by(Node.id)).all()
s.close()
Base.metadata.drop_all(engine)
