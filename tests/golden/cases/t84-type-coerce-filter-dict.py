# type_coerce() (rendered as written, labelled by its column, results processed by the new type), func.count(...).filter(...) as FILTER (WHERE ...), and a mapped object's __dict__
print(select(type_coerce(User.id, String)))
session.execute(select(type_coerce(User.id, String)).where(User.id < 3).order_by(User.id)).all()
session.execute(select(User.name).where(type_coerce(User.id, Integer) == 2)).scalar()
session.execute(select(type_coerce(User.name, String).label("n")).where(User.id == 1)).keys()
type_coerce(User.name, String).type
active = func.count(User.id).filter(User.is_active == True)
print(select(active))
session.execute(select(func.count(User.id).filter(User.id > 2))).scalar()
session.execute(select(func.count(Message.id).filter(Message.user_id == 1), func.count(Message.id).filter(Message.user_id == 2, Message.id > 3))).all()
session.execute(select(User.is_active, func.count(User.id).filter(User.email.like("%gmail%"))).group_by(User.is_active).order_by(User.is_active)).all()
u = session.get(User, 1)
sorted(u.__dict__)
u.__dict__["name"]
type(u.__dict__["_sa_instance_state"]).__name__
u.messages
sorted(u.__dict__)
session.expire(u, ["email"])
"email" in u.__dict__
session.commit()
sorted(u.__dict__)
u.name
sorted(u.__dict__)
n = User(name="x", email="y")
sorted(n.__dict__)
