# group_by()/order_by() with a string: resolved to a label or a FROM column, else CompileError
session.execute(select(Message.user_id, func.count(Message.id)).group_by("user_id")).all()
session.query(Message.user_id, func.count(Message.id).label("n")).group_by("user_id").order_by(desc("n"), "user_id").all()
session.execute(select(User.name).order_by("name")).all()
session.execute(select(User.name).order_by(desc("email")).limit(3)).all()
session.query(User.name).order_by("users_name").limit(2).all()
session.execute(select(User.name).order_by("nope")).all()
session.query(User.id).group_by("bogus").all()
session.execute(select(Message.user_id, func.count(Message.id).label("c")).join(Message.user).group_by("role_id").order_by("c")).all()
