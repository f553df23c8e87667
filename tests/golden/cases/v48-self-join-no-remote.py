# a self-referential primaryjoin with extra criteria and no remote(): SQLAlchemy guesses one-to-many and warns at configure
class Base(DeclarativeBase): pass
class Node(Base):
    __tablename__ = "nodes_v48"
    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("nodes_v48.id"))
    name: Mapped[str] = mapped_column(String(30))
    kids: Mapped[List["Node"]] = relationship(primaryjoin="and_(Node.id == Node.parent_id, Node.name != 'x')", viewonly=True)
configure_mappers()
Node.kids.property.direction
print(select(Node.name).where(Node.kids.contains(Node(id=1, parent_id=2, name="a"))))
Base.metadata.create_all(engine)
s = Session(engine)
s.add_all([Node(id=1, name="root"), Node(id=2, parent_id=1, name="a"), Node(id=3, parent_id=1, name="x")])
s.commit()
[n.name for n in s.get(Node, 1).kids]
s.close()
Base.metadata.drop_all(engine)
