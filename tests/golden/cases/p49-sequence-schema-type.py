# Sequence(schema=, data_type=, quote=, order=): CREATE SEQUENCE public.s AS BIGINT and nextval('public.s') on PostgreSQL, schema-qualified has_sequence checks, reprs and attributes; ignored on SQLite
md = MetaData()
wide = Sequence("wide_p49", start=3, data_type=BigInteger, metadata=md)
qualified = Sequence("qual_p49", schema="public", start=10)
quoted = Sequence("quoted_p49", quote=True, order=True)
print(repr(wide), repr(qualified), repr(quoted))
print(wide.data_type, qualified.schema, quoted.order, quoted.name, wide.schema)
items = Table("items_p49", md, Column("id", Integer, qualified, primary_key=True), Column("serial", Integer, quoted), Column("label", String(10)))
md.create_all(engine)
with engine.begin() as conn:
    print(conn.execute(insert(items).values(label="a")).inserted_primary_key)
    conn.execute(insert(items), [{"label": "b"}, {"label": "c"}])
    print(conn.execute(select(items.c.id, items.c.serial, items.c.label).order_by(items.c.id)).all())
with engine.begin() as conn:
    print(conn.execute(select(wide.next_value(), qualified.next_value())).all())
print(select(qualified.next_value()))
md.drop_all(engine)
