class Tag(Base):
    __tablename__ = "tags"
    id = Column(Integer, primary_key=True)
    label = Column(String(30))
    user_id = Column(Integer, ForeignKey("users.id"))
    user = relationship("User")
session.query(Tag).all()
session.rollback()
Base.metadata.create_all(engine)
Base.metadata.create_all(engine)
t = Tag(label="x", user=session.get(User, 1))
session.add(t)
session.commit()
t.user.name
session.query(Tag).join(Tag.user).filter(User.name == "Alice").count()
print(t)
