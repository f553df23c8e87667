u = session.get(User, 2)
session.query(User).filter(User.id == 2).update({User.name: "Robert"})
u.name
session.query(User).filter(User.is_active == False).update({"is_active": True}, synchronize_session=False)
session.execute(update(User).where(User.role_id == 2).values(role_id=3))
session.query(Message).filter(Message.user_id == 4).delete()
session.execute(delete(Message).where(Message.id > 18))
session.commit()
session.execute(update(User).values(name=User.name + "!"))
session.execute(insert(Role).values(name="x"))
session.query(User).filter(User.id == 2).first().name
session.execute(select(User).where(User.id == 1))
x = session.get(Message, 2)
session.query(Message).filter(Message.id == 2).delete()
inspect(x).deleted
session.commit()
inspect(x).detached
