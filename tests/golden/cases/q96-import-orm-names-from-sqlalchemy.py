# Names only sqlalchemy.orm exports (Bundle, aliased, selectinload) are Python's ImportError / AttributeError from the top-level sqlalchemy package
from sqlalchemy import Bundle
from sqlalchemy import select, aliased
from sqlalchemy.orm import Bundle, aliased
import sqlalchemy
sqlalchemy.selectinload
print(sqlalchemy.select is select)
from sqlalchemy.orm import select as orm_select
print(orm_select is select)
