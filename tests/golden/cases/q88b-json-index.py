# JSON indexing on a function, a cast and type_coerce(): str() forms, SQLite's JSON_EXTRACT / PostgreSQL's -> and ->>, as_string()/as_integer()
from sqlalchemy import JSON, type_coerce, cast
fexpr = func.json_object('{x, 1, y, "abc"}', type_=JSON)
fexpr.type
print(select(fexpr["y"]))
print(cast("{'k': 'v'}", JSON)["k"])
doc = type_coerce({"outer": {"inner": "x", "n": 7}, "list": [10, 20]}, JSON)
s = select(doc["outer"])
print(s)
session.execute(s).all()
session.execute(select(doc["outer"]["inner"])).scalar()
session.execute(select(doc["list"][1])).scalar()
e = doc["outer"]["inner"].as_string()
print(e)
session.execute(select(e)).scalar()
session.execute(select(doc["outer"]["n"].as_integer() + 1)).scalar()
users = User.__table__
session.execute(select(type_coerce({"a": 1}, JSON)["a"].as_integer(), users.c.name).where(users.c.id == 1)).all()
type(doc["outer"])
