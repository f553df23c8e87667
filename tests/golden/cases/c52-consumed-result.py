# A Result is read once; after close() it cannot be read.
r = session.execute(select(User).where(User.id < 3))
r.all()
r.all()
r.close()
r.all()
r2 = session.execute(select(User.name).where(User.id == 1))
r2.first()
r2.first()
