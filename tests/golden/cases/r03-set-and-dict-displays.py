# set displays, set and dict comprehensions
s = {3, 1, 2, 3}
print(len(s), 2 in s, sorted(s))
print(sorted({1, 2} | {5}), sorted({1, 2, 3} - {2}), {1, 2} & {2, 7})
ids = {u.id for u in session.query(User).all()}
print(sorted(ids))
by_id = {u.id: u.name for u in session.query(User).order_by(User.id).limit(3)}
print(by_id)
counts = {u.name: len(u.messages) for u in session.query(User).order_by(User.id).all() if u.is_active}
print(counts)
