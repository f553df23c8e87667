class Tag(Base):
    __tablename__ = "tags"
    id = Column(Integer, primary_key=True)
    label = Column(String(30), unique=True, nullable=False)
    def __repr__(self):
        return f"<Tag {self.label}>"
Base.metadata.create_all(engine)
session.add_all([Tag(label="a"), Tag(label="b")])
session.commit()
session.query(Tag).all()
print(session.query(Tag).all())
t = session.query(Tag).filter_by(label="b").one()
print(t, repr(t), str(t))
print(Tag.__tablename__, Tag.label)
