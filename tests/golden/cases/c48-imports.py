# import statements bind modules and names as Python does.
import sqlalchemy as sa
session.execute(sa.select(User).where(User.id == 1)).scalar_one().name
from sqlalchemy.orm import selectinload as sl
users = session.query(User).options(sl(User.messages)).filter(User.id < 3).all()
[len(x.messages) for x in users]
from sqlalchemy import nonsense
import fastapi
from sqlalchemy import select, func
session.scalar(select(func.count(User.id)))
