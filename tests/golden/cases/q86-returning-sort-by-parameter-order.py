# returning(..., sort_by_parameter_order=True) with a list of parameter dicts: the ORM bulk INSERT and Core's executemany give the new rows in the order of the parameters
data = [{"name": "r3"}, {"name": "r1"}, {"name": "r2"}]
ids = session.scalars(insert(Role).returning(Role.id, sort_by_parameter_order=True), data)
print([(i, d["name"]) for i, d in zip(ids, data)])
roles = session.scalars(insert(Role).returning(Role, sort_by_parameter_order=True), [{"name": "o1"}, {"id": 40, "name": "o2"}, {"name": "o3"}])
print([(r.id, r.name) for r in roles])
session.rollback()
rt = Role.__table__
with engine.begin() as conn:
    r = conn.execute(rt.insert().returning(rt.c.id, rt.c.name, sort_by_parameter_order=True), [{"name": "c1"}, {"name": "c2"}])
    print(r.all())
    r = conn.execute(insert(rt).returning(rt.c.name, sort_by_parameter_order=True), [{"id": 30, "name": "d1"}, {"id": 31, "name": "d2"}])
    print(r.all())
    conn.rollback()
print(insert(Role).returning(Role.id, sort_by_parameter_order=True))
