# inspect(connection): reflection inside the connection's transaction; named constraints, ON DELETE, composite keys, numeric types
conn = engine.connect()
conn.execute(text("CREATE TABLE tags (id INTEGER, user_id INT NOT NULL, label NVARCHAR(30) DEFAULT 'x', weight NUMERIC(10, 2), blob BLOB, CONSTRAINT pk_tags PRIMARY KEY (id), CONSTRAINT fk_tags_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE, CONSTRAINT uq_tags_label UNIQUE (label, user_id))"))
insp = inspect(conn)
insp.get_table_names()
for c in insp.get_columns("tags"):
    print(c["name"], repr(c["type"]), str(c["type"]), c["nullable"], c["default"], c["primary_key"])
insp.get_pk_constraint("tags")
insp.get_foreign_keys("tags")
insp.get_unique_constraints("tags")
insp.get_indexes("tags")
conn.in_transaction()
conn.rollback()
inspect(engine).has_table("tags")
insp.has_table("tags")
insp.clear_cache()
insp.get_table_names()
insp.default_schema_name
conn.close()
