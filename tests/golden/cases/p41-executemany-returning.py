# executemany with returning(): insertmanyvalues batches, ORM (session.execute) and Core (conn.execute), rows back in order
from sqlalchemy import bindparam
md = MetaData()
tags = Table("tags_p41", md, Column("id", Integer, primary_key=True), Column("name", String(20)), Column("weight", Integer, server_default="1"))
md.create_all(engine)
with engine.begin() as conn:
    r = conn.execute(insert(tags).returning(tags.c.id, tags.c.name), [{"name": "red", "weight": 3}, {"name": "blue", "weight": 4}, {"name": "green", "weight": 5}])
    r.all()
with engine.begin() as conn:
    conn.execute(insert(tags).returning(tags.c.id, tags.c.weight), [{"name": "cyan"}, {"name": "teal"}]).all()
with engine.connect() as conn:
    r = conn.execute(tags.insert().values(name=bindparam("nm")).returning(tags.c.id), [{"nm": "x"}, {"nm": "y"}])
    r.scalars().all()
    conn.execute(insert(tags).returning(tags.c.name), [{"name": "solo"}]).all()
    conn.rollback()
session.execute(insert(User).returning(User.id, User.name), [{"name": "ann", "email": "ann@x.org"}, {"name": "bo", "email": "bo@x.org"}]).all()
session.scalars(insert(User).returning(User), [{"name": "cy", "email": "cy@x.org"}, {"name": "di", "email": "di@x.org"}]).all()
session.rollback()
md.drop_all(engine)
