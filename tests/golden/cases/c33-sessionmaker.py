SessionLocal = sessionmaker(bind=engine)
s = SessionLocal()
s.get(User, 1).name
s.close()
with SessionLocal() as s2:
    print(s2.query(User).count())
with Session(engine) as s4, s4.begin():
    s4.add(Role(name="ops2"))
s5 = Session(engine, expire_on_commit=False)
u = s5.get(User, 2)
s5.commit()
s5.close()
with session.begin():
    session.add(Role(name="x"))
session.commit()
