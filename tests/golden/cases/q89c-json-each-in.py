# The tutorial's table-valued json_each() filtered with IN, run: rows on SQLite; on PostgreSQL the string parameters are read as json
onetwothree = func.json_each('["one", "two", "three"]').table_valued("value")
stmt = select(onetwothree).where(onetwothree.c.value.in_(["two", "three"]))
session.execute(stmt).all()
session.rollback()
session.execute(select(func.count()).select_from(onetwothree)).scalar()
