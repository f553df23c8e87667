print(undefined_name)
d = {"a": 1}
d["b"]
[1, 2][5]
1 / 0
int("x")
"a" + 1
None.name
u = session.get(User, 1)
u.name()
len(5)
x = [1, 2, 3]
x.push(4)
raise ValueError("custom")
try:
    1 / 0
except ZeroDivisionError as e:
    print("caught", e)
try:
    session.query(User).filter(User.id == 99).one()
except NoResultFound as e:
    print("none:", e)
try:
    session.query(User).one()
except MultipleResultsFound as e:
    print("many:", e)
