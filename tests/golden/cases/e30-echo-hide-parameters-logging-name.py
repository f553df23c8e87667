# create_engine(echo=True, hide_parameters=True, logging_name="shop"): the log lines name the logger sqlalchemy.engine.Engine.shop and hide every parameter set, single or executemany; print() output comes between the log lines in order
from sqlalchemy import create_engine, text
shop = create_engine("sqlite://", echo=True, hide_parameters=True, logging_name="shop")
shop.echo
with shop.begin() as conn:
    conn.execute(text("CREATE TABLE item (id INTEGER PRIMARY KEY, name VARCHAR(30), price FLOAT)"))
    conn.execute(text("INSERT INTO item (name, price) VALUES (:name, :price)"), [{"name": "pen", "price": 1.5}, {"name": "ink", "price": 2.25}])
with shop.connect() as conn:
    for row in conn.execute(text("SELECT name, price FROM item WHERE price > :p ORDER BY id"), {"p": 1}):
        print(row.name, row.price)
    print("done")
quiet = create_engine("sqlite://", echo=False, logging_name="quiet")
quiet.echo
with quiet.connect() as conn:
    conn.execute(text("SELECT 1")).scalar()
