# A joined eager load of a collection needs Result.unique() only where SQLAlchemy filters rows: first() and scalar() read without it, one()/all()/fetchmany() raise, an empty result reads fine
from sqlalchemy import select
from sqlalchemy.orm import joinedload
stmt = select(User).options(joinedload(User.messages))
session.scalars(stmt).first().name
session.execute(stmt).first()[0].name
session.execute(stmt).scalar().name
session.execute(stmt).scalars().first().name
session.scalars(stmt.where(User.id == 1)).one()
session.scalars(stmt).one_or_none()
session.execute(stmt.where(User.id == 1)).scalar_one()
session.scalars(stmt).all()
session.execute(stmt).fetchmany(2)
session.execute(stmt).fetchone()
session.scalars(stmt.where(User.id == 999)).all()
session.scalars(stmt.where(User.id == 999)).one_or_none()
session.execute(stmt).columns(0).first()[0].name
session.scalars(stmt).unique().all()
