# inspect(engine): the Inspector on SQLite — table names, columns, foreign keys, indexes, primary keys, has_table
insp = inspect(engine)
insp.get_table_names()
insp.has_table("users")
insp.has_table("nope")
[c["name"] for c in insp.get_columns("users")]
for c in insp.get_columns("messages"):
    print(c["name"], c["type"], c["nullable"], c["default"], c["primary_key"])
insp.get_pk_constraint("user_groups")
insp.get_foreign_keys("messages")
insp.get_foreign_keys("user_groups")
insp.get_indexes("users")
insp.get_unique_constraints("roles")
insp.get_columns("nope")
type(insp).__name__
len(insp.get_columns("messages"))
[repr(c["type"]) for c in insp.get_columns("users")]
insp.get_columns("users")[3]
with engine.begin() as conn:
    conn.execute(text("CREATE INDEX ix_messages_user_created ON messages (user_id, created_at)"))
insp.get_indexes("messages")
inspect(engine).get_indexes("messages")[0]["column_names"]
insp.get_foreign_keys("nope")
insp.get_pk_constraint("nope")
insp.get_indexes("nope")
insp.get_table_names()
insp.get_unique_constraints("users")
