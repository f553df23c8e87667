# engine.url and URL: drivername, database, host, port, username, password masked in repr/str, render_as_string, make_url, URL.create, set; dialect.name, echo
from sqlalchemy import make_url, URL
from sqlalchemy.ext.asyncio import create_async_engine
engine.dialect.name
engine.echo
e2 = create_engine("sqlite:///:memory:", echo=True)
e2.url
e2.url.drivername
e2.url.database
e2.url.host
e2.echo
e2.url.get_backend_name()
e2.url.get_driver_name()
ae = create_async_engine("sqlite+aiosqlite://")
ae.url
str(ae.url)
ae.url.drivername
ae.url.database
ae.url.get_driver_name()
ae.dialect.name
ae.echo
ae.sync_engine.url == ae.url
u = make_url("postgresql+asyncpg://scott:tiger@localhost:5432/mydb")
u
print(u)
repr(u)
str(u)
u.drivername
u.username
u.password
u.host
u.port
u.database
u.query
u.render_as_string()
u.render_as_string(hide_password=False)
u.get_backend_name()
u.get_driver_name()
u2 = u.set(drivername="postgresql+psycopg2", database="other")
u2
u
u == make_url("postgresql+asyncpg://scott:tiger@localhost:5432/mydb")
u == u2
u.set(port=6543).port
u3 = URL.create("postgresql+psycopg2", username="user", password="p@ss/word", host="db.example.com", database="app")
u3
u3.render_as_string(hide_password=False)
u3.port
u3.password
make_url(u3) is u3
make_url("sqlite://").database
make_url("sqlite:///app.db").database
make_url("mysql+pymysql://u:p@h/d?charset=utf8mb4").query
make_url("mysql+pymysql://u:p@h/d?charset=utf8mb4")
make_url("not a url")
make_url("postgresql://u:p@h:abc/d")
u.port = 1
u.nope
e3 = create_engine(URL.create("sqlite", database=":memory:"))
e3.url
