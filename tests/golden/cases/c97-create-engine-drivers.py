# create_engine() for databases whose driver is not installed, unknown dialects, and pool keywords an in-memory SQLite engine refuses
e = create_engine("mysql://scott:tiger@localhost/test")
e = create_engine("mysql+pymysql://scott:tiger@localhost/test")
e = create_engine("mssql+pyodbc://scott:tiger@mydsn")
e = create_engine("oracle+oracledb://scott:tiger@localhost/xe")
e = create_engine("postgresql+psycopg://scott:tiger@localhost/test")
e = create_engine("nosuchdb://scott@localhost/test")
e = create_engine("postgresql+nosuchdriver://scott@localhost/test")
e = create_engine("sqlite://", max_overflow=10)
e = create_engine("sqlite:///:memory:", pool_timeout=30)
e = create_engine("sqlite://", pool_size=5, pool_pre_ping=True)
e.url
