# A helper that turns a database error into the caller's own, with raise ... from ...
def add_user(session, name, email):
    try:
        session.add(User(name=name, email=email))
        session.commit()
    except IntegrityError as e:
        session.rollback()
        raise ValueError(f"email {email} is taken") from e
try:
    add_user(session, "Dup", "alice@example.com")
except ValueError as err:
    print(err, type(err.__cause__).__name__, err.__suppress_context__)
add_user(session, "Dup", "alice@example.com")
assert session.scalars(select(User).filter_by(name="Dup")).first() is None, "rolled back"
