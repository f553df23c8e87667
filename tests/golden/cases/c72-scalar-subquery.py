# scalar_subquery(): compared, used as a column, labelled
sq = select(func.count(Message.id)).where(Message.user_id == User.id).scalar_subquery()
session.scalars(select(User.name).where(sq == 0)).all()
session.scalars(select(User.name).where(sq > 3).order_by(User.name)).all()
session.execute(select(User.name, sq).where(User.id < 4)).all()
session.execute(select(User.name, sq.label("n")).where(User.id < 3)).all()
session.query(User.name).filter(sq >= 4).all()
session.query(User.name, sq).filter(User.id == 2).all()
mx = session.query(func.max(Message.id)).scalar_subquery()
session.query(Message.content).filter(Message.id == mx).all()
session.scalars(select(User.id).where(User.id.in_(select(Message.user_id).where(Message.id > 18)))).all()
type(sq).__name__
row = session.execute(select(User.name, sq.label("n")).where(User.id == 1)).one()
row.n
session.scalars(select(User.name).where(sq + 1 == 2)).all()
