# Query.slice(), Select.slice() and query[i], query[a:b] as LIMIT/OFFSET (added to an offset already set), empty and negative slices
print(session.query(User).order_by(User.id)[1:3])
print(session.query(User).order_by(User.id)[2])
print(session.query(User).order_by(User.id).slice(1, 3).all())
print(session.query(User).order_by(User.id).offset(1).slice(1, 3).all())
print(session.query(User).order_by(User.id).slice(0, 2).all())
print(session.scalars(select(User).order_by(User.id).slice(2, 4)).all())
print(select(User.id).slice(1, 3))
print(session.query(User).order_by(User.id).limit(5).slice(1, 2).all())
print(session.query(User).order_by(User.id)[:2])
print(session.query(User).order_by(User.id)[3:])
print(session.query(User).order_by(User.id)[-1])
print(session.query(User).order_by(User.id)[3:1])
print(session.query(User).order_by(User.id)[0:4:2])
try:
    session.query(User)[-2:]
except IndexError as e:
    print(e)
print(session.query(User).filter(User.id > 100)[:1])
try:
    session.query(User).filter(User.id > 100)[0]
except IndexError as e:
    print(e)
print(session.query(User.name).order_by(User.id).offset(2)[1])
