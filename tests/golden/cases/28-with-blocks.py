with Session(engine) as s:
    u = s.get(User, 3)
    print(u.name)
print(inspect(u).detached)
with Session(engine) as s2:
    with s2.begin():
        s2.add(Role(name="editor"))
session.query(Role).count()
try:
    with Session(engine) as s3:
        with s3.begin():
            s3.add(Role(name="admin"))
except IntegrityError as e:
    print("failed:", type(e).__name__)
session.query(Role).count()
