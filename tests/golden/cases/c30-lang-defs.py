def describe(u):
    return f"{u.name} <{u.email}>"
print(describe(session.get(User, 1)))
def active_names():
    return [u.name for u in session.query(User).filter_by(is_active=True).order_by(User.name)]
active_names()
total = 0
i = 0
while i < 3:
    i += 1
    if i == 2:
        continue
    print(i)
result = "big" if total > 10 else "small"
