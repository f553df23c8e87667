# A learner working through the Unified Tutorial's "Using UPDATE and DELETE Statements" on a table of their own: where/values, expressions in SET, bindparam() executemany, correlated updates, UPDATE..FROM, delete(), rowcount, returning()
from sqlalchemy import create_engine, MetaData, Table, Column, Integer, String, ForeignKey, insert, select, update, delete, bindparam
engine = create_engine("sqlite+pysqlite:///:memory:")
meta = MetaData()
pet = Table(
    "pet",
    meta,
    Column("id", Integer, primary_key=True),
    Column("name", String(20)),
    Column("species", String),
)
toy = Table(
    "toy",
    meta,
    Column("id", Integer, primary_key=True),
    Column("pet_id", ForeignKey("pet.id"), nullable=False),
    Column("label", String, nullable=False),
)
meta.create_all(engine)
with engine.begin() as conn:
    conn.execute(insert(pet), [{"name": "rex", "species": "dog"}, {"name": "tom", "species": "cat"}, {"name": "polly", "species": "parrot"}])
    conn.execute(insert(toy), [{"pet_id": 1, "label": "bone"}, {"pet_id": 2, "label": "yarn"}, {"pet_id": 2, "label": "mouse"}])
stmt = update(pet).where(pet.c.name == "tom").values(species="tiger")
print(stmt)
with engine.begin() as conn:
    r = conn.execute(stmt)
    print(r.rowcount)
shout = update(pet).values(name="Mr. " + pet.c.name)
print(shout)
rename = update(pet).where(pet.c.name == bindparam("old")).values(name=bindparam("new"))
print(rename)
with engine.begin() as conn:
    conn.execute(rename, [{"old": "rex", "new": "max"}, {"old": "polly", "new": "kiwi"}, {"old": "nobody", "new": "x"}])
with engine.connect() as conn:
    print(conn.execute(select(pet.c.name).order_by(pet.c.id)).scalars().all())
first_toy = select(toy.c.label).where(toy.c.pet_id == pet.c.id).order_by(toy.c.id).limit(1).scalar_subquery()
corr = update(pet).values(species=first_toy)
print(corr)
with engine.begin() as conn:
    conn.execute(corr)
with engine.connect() as conn:
    print(conn.execute(select(pet).order_by(pet.c.id)).all())
upd_from = update(pet).where(pet.c.id == toy.c.pet_id).where(toy.c.label == "yarn").values(name="Tom")
print(upd_from)
with engine.begin() as conn:
    print(conn.execute(upd_from).rowcount)
gone = delete(toy).where(toy.c.label == "mouse")
print(gone)
with engine.begin() as conn:
    print(conn.execute(gone).rowcount)
ret = update(pet).where(pet.c.name == "Tom").values(species="cat").returning(pet.c.id, pet.c.name)
print(ret)
with engine.begin() as conn:
    print(conn.execute(ret).all())
del_ret = delete(toy).where(toy.c.pet_id == 1).returning(toy.c.id, toy.c.label)
print(del_ret)
with engine.begin() as conn:
    print(conn.execute(del_ret).all())
with engine.begin() as conn:
    r = conn.execute(update(pet).values(species="?"))
    r.rowcount
with engine.begin() as conn:
    r = conn.execute(delete(pet).where(pet.c.id > 2))
    r.rowcount
with engine.connect() as conn:
    conn.execute(select(pet).order_by(pet.c.id)).all()
update(pet).values(nope=1)
