# Lesson 4.18.10, part 1: add() + commit() in a loop, add_all(), bulk insert(), insert().returning(), bulk update() by primary key, Query.update() synchronisation
for name in ["Ann", "Ben", "Cat"]:
    session.add(User(name=name, email=name.lower() + "@example.com"))
    session.commit()
session.add_all([User(name=name, email=name.lower() + "@example.org") for name in ["Dan", "Eva", "Fay"]])
session.commit()
rows = [{"name": name, "email": name.lower() + "@example.net"} for name in ["Gus", "Hal", "Ida"]]
result = session.execute(insert(User), rows)
session.commit()
result.all()
session.scalar(select(func.count()).select_from(User))
new = session.scalars(insert(User).returning(User), [{"name": "Jo", "email": "jo@example.com"}, {"name": "Kim", "email": "kim@example.com"}]).all()
[(u.id, u.name) for u in new]
alice = session.get(User, 1)
session.execute(update(User), [{"id": 1, "is_active": False}, {"id": 2, "is_active": False}])
alice.is_active
bob = session.get(User, 2)
session.query(User).filter(User.role_id == 2).update({User.name: User.name + "!"})
bob.name
session.rollback()
bob.name
