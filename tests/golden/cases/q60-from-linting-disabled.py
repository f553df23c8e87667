# create_engine(enable_from_linting=False) turns the cartesian-product warning off; another engine still warns once
e2 = create_engine("sqlite://", enable_from_linting=False)
Base.metadata.create_all(e2)
with Session(e2) as s2:
    s2.execute(select(User.id, Message.id)).all()
e3 = create_engine("sqlite://")
Base.metadata.create_all(e3)
with Session(e3) as s3:
    s3.execute(select(User.id, Message.id)).all()
with Session(e3) as s3:
    s3.execute(select(User.id, Message.id)).all()
