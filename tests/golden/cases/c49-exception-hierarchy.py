# SQLAlchemy's exceptions are classes in one hierarchy under Exception.
try:
    session.query(User).filter(User.id == 99).one()
except Exception as e:
    print("caught", type(e).__name__)
r = session.execute(select(User))
r.close()
try:
    r.all()
except InvalidRequestError as e:
    print("invalid request:", type(e).__name__)
try:
    session.query(User).filter(User.id == 99).one()
except NoResultFound as e:
    print(isinstance(e, SQLAlchemyError), isinstance(e, InvalidRequestError), isinstance(e, Exception))
    print(type(e).__mro__)
try:
    session.get(User, 1).nonexistent
except Exception as e:
    print(type(e).__name__, isinstance(e, SQLAlchemyError))
