# A learner working through the Unified Tutorial's "Using INSERT Statements" on a table of their own: values(), compile(), params, executemany, the empty INSERT, a scalar subquery with bindparam(), returning(), from_select()
from sqlalchemy import create_engine, MetaData, Table, Column, Integer, String, ForeignKey, insert, select, bindparam
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
pet
pet.c.name
repr(pet.c.species)
repr(toy.c.pet_id)
repr(pet)
pet.primary_key
repr(toy.primary_key)
pet.c.keys()
pet.c["name", "species"]
list(pet.c["name", "species"].keys())
pet.c["name"]
stmt = insert(pet).values(name="rex", species="dog")
print(stmt)
c = stmt.compile()
c.params
str(c)
with engine.connect() as conn:
    res = conn.execute(stmt)
    conn.commit()
res.inserted_primary_key
res.inserted_primary_key[0]
print(insert(pet))
with engine.connect() as conn:
    conn.execute(insert(pet), [{"name": "tom", "species": "cat"}, {"name": "polly", "species": "parrot"}])
    conn.commit()
print(insert(pet).values().compile(engine))
owner_of = select(pet.c.id).where(pet.c.name == bindparam("petname")).scalar_subquery()
with engine.begin() as conn:
    conn.execute(
        insert(toy).values(pet_id=owner_of),
        [
            {"petname": "rex", "label": "bone"},
            {"petname": "tom", "label": "yarn"},
            {"petname": "tom", "label": "mouse"},
        ],
    )
ret = insert(toy).returning(toy.c.id, toy.c.label)
print(ret)
with engine.begin() as conn:
    r = conn.execute(ret, {"pet_id": 3, "label": "mirror"})
    print(r.all())
copy_names = select(pet.c.id, pet.c.name + " toy")
copy = insert(toy).from_select(["pet_id", "label"], copy_names)
print(copy)
print(copy.returning(toy.c.id, toy.c.label))
with engine.begin() as conn:
    r = conn.execute(copy)
    r.rowcount
with engine.begin() as conn:
    r = conn.execute(insert(toy).from_select([toy.c.pet_id, toy.c.label], select(pet.c.id, pet.c.species).where(pet.c.id > 1)).returning(toy.c.id, toy.c.label))
    print(r.all())
with engine.connect() as conn:
    for row in conn.execute(select(toy).order_by(toy.c.id)):
        print(row)
pet.name
pet.species
