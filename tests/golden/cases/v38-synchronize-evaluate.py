# synchronize_session="evaluate" with criteria Python cannot evaluate: SQLAlchemy's InvalidRequestError, and evaluate cases that work
s = Session(engine)
users = s.scalars(select(User).order_by(User.id)).all()
s.execute(update(User).where(User.name.like("A%")).values(name="x").execution_options(synchronize_session="evaluate"))
s.execute(update(User).where(User.name.ilike("a%")).values(name="x"), execution_options={"synchronize_session": "evaluate"})
s.execute(update(User).where(User.id.between(1, 2)).values(name="x").execution_options(synchronize_session="evaluate"))
s.execute(delete(User).where(func.length(User.name) > 3).execution_options(synchronize_session="evaluate"))
s.execute(update(User).where(User.name.contains("o")).values(name="x").execution_options(synchronize_session="evaluate"))
s.execute(update(User).where(User.id.in_(select(Message.user_id))).values(name="x").execution_options(synchronize_session="evaluate"))
s.query(User).filter(User.name.like("B%")).update({"name": "y"}, synchronize_session="evaluate")
s.query(User).filter(User.name.like("B%")).delete(synchronize_session="evaluate")
s.execute(update(User).where(User.name.startswith("B")).values(name=User.name + "!").execution_options(synchronize_session="evaluate"))
[u.name for u in users]
s.execute(update(User).where(User.id > 1, User.id != 3).values(name=func.upper(User.name)).execution_options(synchronize_session="evaluate"))
[u.name for u in users]
s.execute(update(User).where(or_(User.id == 1, User.name == None)).values(name="one").execution_options(synchronize_session="evaluate"))
[u.name for u in users]
s.rollback()
s.close()
