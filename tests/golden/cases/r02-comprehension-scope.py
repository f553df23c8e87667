# a list comprehension's loop variables live in its own scope (Python 3)
n = 'before'
xs = [n for n in range(3)]
print(xs, n)
pairs = [(k, v) for k, v in [(1, 2), (3, 4)]]
print(pairs)
k
names = [u.name for u in session.query(User).order_by(User.id).limit(2)]
print(names)
u
