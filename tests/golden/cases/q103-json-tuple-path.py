# A JSON path as a tuple index, col[("a", 1)]: SQLite's JSON_EXTRACT path $."a"[1], PostgreSQL's #> / #>> with '{a, 1}'
from sqlalchemy import JSON, type_coerce
doc = type_coerce({"outer": {"inner": "x", "n": 7}, "list": [10, 20]}, JSON)
p = doc[("outer", "inner")]
print(select(p))
session.execute(select(p)).scalar()
session.execute(select(doc[("list", 1)])).scalar()
session.execute(select(doc[("outer", "n")].as_integer() + 1)).scalar()
print(doc[("outer", "inner")].as_string())
session.execute(select(doc[("outer", "inner")].as_string())).scalar()
