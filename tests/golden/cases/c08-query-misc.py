q = session.query(User).order_by(User.id)
q[2]
q[1:3]
q[0].name
for u in session.query(User).filter(User.role_id == 1): print(u.name)
session.query(User).with_entities(User.name).filter(User.id < 3).all()
session.query(User.id + 1).filter(User.id == 1).scalar()
session.query(User.name + " <" + User.email + ">").filter(User.id == 2).scalar()
session.execute(select((User.id * 10).label("x")).where(User.id == 3)).all()
q.count()
session.query(User).filter(User.id.in_([])).all()
session.query(User.id).filter(User.name.in_(session.query(User.name).filter(User.role_id == 2))).all()
session.query(literal(1)).scalar()
session.query(User).filter(User.name.is_(None)).count()
session.query(User.id).filter(User.email.ilike("%GMAIL%")).all()
session.query(User).filter(User.id.between(7, 100)).order_by(User.id.desc()).all()
