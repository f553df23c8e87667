# Sequence and Identity options: a standalone Sequence(metadata=md) created first, a non-key column's sequence, Identity(always=True, …) DDL, next_value() in select() and insert(), conn.scalar(seq), reprs
md = MetaData()
counter = Sequence("counter_p47", start=5, increment=2, metadata=md)
counter
Identity(always=True, start=3, increment=2, cycle=True, cache=5)
Sequence("plain_p47", optional=True)
counter.name, counter.start, counter.increment
items = Table("items_p47", md, Column("id", Integer, Identity(always=True, start=3, increment=2, minvalue=1, maxvalue=1000, cycle=True, cache=5), primary_key=True), Column("serial", Integer, Sequence("serial_p47")), Column("label", String(10)))
md.create_all(engine)
with engine.begin() as conn:
    print(conn.execute(insert(items).values(label="a")).inserted_primary_key)
    conn.execute(insert(items), [{"label": "b"}, {"label": "c"}])
    print(conn.execute(select(items.c.id, items.c.serial, items.c.label).order_by(items.c.id)).all())
with engine.begin() as conn:
    print(conn.scalar(counter))
with engine.begin() as conn:
    print(conn.execute(select(counter.next_value())).scalar())
with engine.begin() as conn:
    conn.execute(insert(items).values(label="d", serial=counter.next_value()))
    print(conn.execute(select(items.c.serial).where(items.c.label == "d")).scalar())
print(select(counter.next_value()))
Column("x", Integer, Identity(), Sequence("both_p47"))
md.drop_all(engine)
