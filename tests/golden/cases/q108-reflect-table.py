# reflection: Table(autoload_with=engine), metadata.reflect(engine), reflect(only=[...]), the reflected Table in select/insert/join
from sqlalchemy import MetaData, Table
md = MetaData()
t = Table("users", md, autoload_with=engine)
print([(c.name, repr(c.type), c.primary_key, c.nullable) for c in t.columns])
print(sorted(fk.target_fullname for fk in t.foreign_keys))
session.execute(select(t.c.name).where(t.c.id == 1)).all()
md2 = MetaData()
md2.reflect(engine, only=["messages", "users"])
print(sorted(md2.tables))
m = md2.tables["messages"]
session.execute(select(m.c.content).join(md2.tables["users"]).where(md2.tables["users"].c.name == "Alice")).all()
md3 = MetaData()
md3.reflect(engine)
print(sorted(md3.tables))
