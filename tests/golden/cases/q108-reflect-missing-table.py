# reflection errors: Table(autoload_with=) of a missing table raises NoSuchTableError and leaves no table behind; reflect(only=[...]) of a missing one is InvalidRequestError; a table already there is not reflected again
from sqlalchemy import MetaData, Table
md = MetaData()
Table("nope", md, autoload_with=engine)
print(list(md.tables))
try:
    Table("nope", md, autoload_with=engine)
except NoSuchTableError as e:
    print(type(e).__name__, e)
md.reflect(engine, only=["users", "nope"])
print(list(md.tables))
r = Table("roles", md, autoload_with=engine)
r2 = Table("roles", md, autoload_with=engine)
print(r is r2, list(md.tables))
md.reflect(engine, only=["roles"])
print(sorted(md.tables))
Table("roles", md, autoload_with=session)
