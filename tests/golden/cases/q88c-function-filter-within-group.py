# FunctionElement.filter() in the tutorial's form and within_group() (a list argument is one parameter)
users = User.__table__
messages = Message.__table__
stmt = select(func.count(messages.c.id).filter(users.c.name == "Alice"), func.count(messages.c.id).filter(users.c.name == "Bob")).select_from(users).join(messages)
print(stmt)
session.execute(stmt).all()
session.execute(select(users.c.name, func.count(messages.c.id).filter(messages.c.content.like("%?%")).label("questions")).join_from(users, messages).group_by(users.c.name).order_by(users.c.name)).all()
wg = func.percentile_disc(0.5).within_group(users.c.id)
print(wg)
type(wg)
print(select(wg))
print(func.unnest(func.percentile_disc([0.5, 1]).within_group(users.c.name)))
print(select(func.percentile_cont(0.25).within_group(users.c.id.desc()).label("p")))
