try:
    session.add(User(name="Dup", email="alice@example.com"))
    session.commit()
except IntegrityError as e:
    session.rollback()
    print("rolled back")
finally:
    print("done")
session.add(User(name="Ivan", email="ivan@example.com"))
session.commit()
session.query(User).filter(User.email == "ivan@example.com").count()
session.add(User(name="NoEmail"))
session.commit()
session.rollback()
