# Loader options that meet: the last wildcard wins, and two strategies for one relationship conflict when the statement compiles
from sqlalchemy import select
from sqlalchemy.orm import lazyload, raiseload, joinedload, selectinload, defaultload
m = session.query(Message).options(lazyload("*"), raiseload("*")).first()
print(m.user)
session.rollback()
m = session.query(Message).options(raiseload("*"), lazyload("*")).first()
print(m.user.name)
session.rollback()
stmt = select(User).options(joinedload(User.messages), selectinload(User.messages))
print(stmt)
session.scalars(stmt).first()
session.scalars(select(User).options(joinedload(User.messages), joinedload(User.messages))).first().name
session.scalars(select(User).options(joinedload(User.messages, innerjoin=True), joinedload(User.messages))).first()
session.scalars(select(User).options(defaultload(User.messages), selectinload(User.messages))).first().name
session.scalars(select(Message).options(selectinload(Message.user).selectinload(User.messages), joinedload(Message.user))).first()
