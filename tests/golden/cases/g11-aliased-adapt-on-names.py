# ORM Querying Guide select.rst: aliased(User, subq, adapt_on_names=True) over a subquery of literals and of relabelled columns, its entities loaded from the subquery's columns matched by name
from sqlalchemy import literal
inner = select(literal(14).label("id"), literal("made up name").label("name"), literal("x@example.com").label("email"))
subq = inner.subquery()
u = aliased(User, subq, adapt_on_names=True)
stmt = select(u)
print(stmt)
for user in session.execute(stmt).scalars():
    print(user.id, user.name, user.email)
subq2 = select(User.email.label("email"), User.name.label("name"), User.id.label("id")).where(User.id < 3).subquery()
u2 = aliased(User, subq2, adapt_on_names=True, name="u2")
rows = session.execute(select(u2).where(u2.name != "nobody").order_by(u2.id)).all()
for row in rows:
    print(row.u2.id, row.u2.name, row.u2.email)
session.execute(select(u2.name, u2.id).order_by(u2.id.desc())).all()
