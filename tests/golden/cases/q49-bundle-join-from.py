# Bundle: columns grouped under one name in each row, with attribute access; single_entity
from sqlalchemy.orm import Bundle
b = Bundle("user", User.name, User.email)
stmt = select(b, Bundle("msg", Message.content)).join_from(User, Message).where(User.id < 3).order_by(Message.id)
print(stmt)
rows = session.execute(stmt).all()
rows
[(r.user.name, r.user.email, r.msg.content) for r in rows]
rows[0].user
rows[0].user._fields
rows[0]._fields
session.execute(select(b).order_by(User.id)).first()
session.scalars(select(b).order_by(User.id)).first()
session.execute(select(User.id, Bundle("b", User.name, User.role_id)).where(User.id == 2)).one()
bs = Bundle("s", User.name, User.email, single_entity=True)
session.query(bs).order_by(User.id).first()
session.execute(select(bs).where(User.id == 1)).all()
print(select(User.name, Message.content).join_from(User, Message, User.id == Message.user_id, isouter=True))
session.execute(select(User.name, Message.content).join_from(Message, User).where(Message.id < 3)).all()
session.execute(select(User.name, Message.content).select_from(User).join_from(User, Message).where(Message.id < 3)).all()
session.execute(select(Bundle("u", User.id, User.name.label("nm"))).where(User.id == 1)).one().u.nm
