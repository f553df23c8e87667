# Keyword arguments the ORM's methods accept.
u = session.get(User, 1, options=[selectinload(User.messages)])
len(u.messages)
b = session.get(User, 2)
c = session.query(User).filter(User.id == 3).one()
other = Session(engine)
other.get(User, 2).name = "Robert"
other.get(User, 3).name = "Carla"
other.commit()
session.get(User, 2).name
session.get(User, 2, populate_existing=True).name
session.query(User).filter(User.id == 3).one().name
session.query(User).populate_existing().filter(User.id == 3).one().name
s = Session(engine, expire_on_commit=False)
a = s.get(User, 4)
s.commit()
a.name
s.close()
users = session.query(User).options(joinedload(User.messages, innerjoin=True)).filter(User.id < 3).all()
[len(x.messages) for x in users]
