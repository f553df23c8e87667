# bind parameters named by object identity: one BindParameter used twice is one :id_1, distinct ones count up
b = bindparam("x", 5)
print(select(User.id).where(User.id == 1, User.id == 2))
session.execute(select(User.id).where(User.id > 1, User.id < 5)).all()
lit = literal(3)
print(select(User.id).where(User.id > lit, User.id != lit))
session.execute(select(User.id).where(User.id > lit, User.id != lit)).all()
c = User.id == 4
print(select(User.name).where(or_(c, c)))
session.execute(select(User.name).where(or_(c, c, User.id == 4))).all()
e = User.id + 1
print(select(e, e).where(e > 2))
session.execute(select(e, e, User.id + 1).where(e > 2)).all()
session.execute(select(User.name).where(User.id.in_([1, 2]), User.id.in_([1, 2]))).all()
print(select(User.name).where(User.name.like("A%"), User.name.like("A%")))
inl = User.id.in_([1, 2])
session.execute(select(User.name).where(or_(inl, inl))).all()
sq = select(func.count(Message.id)).where(Message.user_id == User.id, Message.id > 2).scalar_subquery()
session.execute(select(User.name, sq).where(sq > 0).order_by(sq)).all()
w = User.name != "x"
session.query(User.id).filter(w).filter(w).all()
session.execute(update(User).where(User.id == 99, User.id != 99).values(name="z"))
print(select(User.id).where(User.id == b, User.id != b))
session.execute(select(User.id).where(User.id == b, User.id != b)).all()
