# the SQLite foreign-keys recipe: a "connect" listener on the Engine class runs PRAGMA foreign_keys=ON through the DBAPI cursor, so a bad foreign key fails
from sqlalchemy import event
from sqlalchemy.engine import Engine
@event.listens_for(Engine, "connect")
def set_sqlite_pragma(dbapi_connection, connection_record):
    print("connect", type(dbapi_connection).__name__)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
e = create_engine("sqlite://")
Base.metadata.create_all(e)
with e.connect() as conn:
    print(conn.execute(text("PRAGMA foreign_keys")).scalar())
s2 = Session(e)
s2.add(Role(id=1, name="admin"))
s2.commit()
s2.add(User(name="a", email="a@x", role_id=99))
try:
    s2.commit()
except IntegrityError as err:
    print("refused:", err.orig)
    s2.rollback()
s2.add(User(name="b", email="b@x", role_id=1))
s2.commit()
with e.begin() as conn:
    conn.execute(delete(Role.__table__))
print(s2.scalars(select(Role.name)).all())
s2.close()
event.remove(Engine, "connect", set_sqlite_pragma)
