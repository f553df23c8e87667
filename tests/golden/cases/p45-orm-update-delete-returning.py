# ORM-enabled update()/delete() with returning() through session.execute: rows, scalars(), returning(User) entities, with the identity map synchronized ("auto", "fetch", False)
u1 = session.get(User, 1)
r = session.execute(update(User).where(User.id == 1).values(name="Alicia").returning(User.id, User.name))
r.all()
u1.name
session.execute(update(User).where(User.name.like("B%")).values(is_active=False).returning(User.id)).scalars().all()
session.scalars(update(User).where(User.id == 3).values(email="c3@x.org").returning(User)).all()
session.execute(update(User).where(User.id == 2).values(name="Bobby").returning(User.name).execution_options(synchronize_session="fetch")).scalar_one()
session.execute(update(User).where(User.id == 1).values(name="Al").returning(User.id, User.name).execution_options(synchronize_session=False)).one()
u1.name
m = session.get(Message, 1)
session.execute(delete(Message).where(Message.user_id == 1).returning(Message.id, Message.content)).all()
m in session
session.scalars(delete(Message).where(Message.content.like("%o%")).returning(Message.id)).all()
session.execute(select(func.count()).select_from(Message)).scalar()
session.rollback()
r = session.execute(update(User).where(User.id == 1).values(name="Ann").returning(User.id))
type(r).__name__
r.rowcount
session.rollback()
