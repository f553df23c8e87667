# Annotated aliases with mapped_column(): intpk, str50 and a required timestamp, as SQLAlchemy's ORM Declarative docs write them
from typing import Annotated, Optional
from datetime import datetime
from sqlalchemy import create_engine, String, ForeignKey, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, Session

intpk = Annotated[int, mapped_column(primary_key=True)]
str50 = Annotated[str, mapped_column(String(50))]
timestamp = Annotated[datetime, mapped_column(nullable=False, server_default=func.CURRENT_TIMESTAMP())]

class Base(DeclarativeBase):
    pass

class User(Base):
    __tablename__ = "user_account"
    id: Mapped[intpk]
    name: Mapped[str50]
    nickname: Mapped[Optional[str50]]
    created: Mapped[timestamp]

eng = engine
Base.metadata.create_all(eng)
print(User.__table__.c.name.type, User.__table__.c.nickname.nullable, User.__table__.c.id.primary_key)
s = Session(eng)
s.add(User(name="ann"))
s.commit()
print(s.scalars(select(User.name)).all())
