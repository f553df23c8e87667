# Unified Tutorial data_update.rst: values() given a dict keyed by the table's Column objects, on Core update()/insert() and an ORM update(), as with string keys
users_t = User.__table__
stmt = update(users_t).values({users_t.c.name: "Alicia"}).where(users_t.c.id == 1)
print(stmt)
with engine.begin() as conn:
    conn.execute(stmt)
    print(conn.execute(select(users_t.c.name).where(users_t.c.id == 1)).scalar())
session.execute(update(User).values({users_t.c.email: "bob@new.example"}).where(User.id == 2))
session.get(User, 2).email
stmt = insert(users_t).values({users_t.c.name: "Zed", users_t.c.email: "zed@example.com", users_t.c.role_id: 1})
print(stmt)
session.execute(stmt)
session.scalar(select(func.count()).select_from(users_t))
session.rollback()
