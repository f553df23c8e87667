# The seeds' FastAPI dependency get_db(): a generator driven by next() and for, its finally closing the session when resumed
def get_db():
    db = Session(engine)
    try:
        yield db
    finally:
        db.close()
gen = get_db()
type(gen).__name__
db = next(gen)
db.get(User, 1).name
db.add(Message(user_id=1, content="via get_db"))
db.commit()
db.get(User, 2).name
db.in_transaction()
next(gen, "closed")
db.in_transaction()
next(gen)
for db in get_db():
    print(db.scalar(select(func.count(Message.id))))
    db.add(Message(user_id=2, content="never committed"))
    db.flush()
    print("end of body")
print("after for")
gen = get_db()
db = next(gen)
db.get(User, 3).name
gen.close()
db.in_transaction()
gen.close()
list(get_db())[0].in_transaction()
