# the operator module: attrgetter/itemgetter/methodcaller as sort keys, the operator functions, their reprs and TypeErrors
import operator
from operator import attrgetter, itemgetter, methodcaller


class User:
    def __init__(self, name, age, team):
        self.name = name
        self.age = age
        self.team = team

    def __repr__(self):
        return f"User({self.name!r})"


class Team:
    def __init__(self, title):
        self.title = title


red, blue = Team("red"), Team("blue")
users = [User("carol", 31, red), User("alice", 25, blue), User("bob", 31, blue)]
print(sorted(users, key=attrgetter("name")))
print(sorted(users, key=attrgetter("age", "name")))
print([attrgetter("team.title")(u) for u in users])
print(max(users, key=attrgetter("age")))
rows = [(3, "c"), (1, "a"), (2, "b")]
print(sorted(rows, key=itemgetter(0)), itemgetter(1, 0)(rows[0]))
print(itemgetter("x")({"x": 1}), list(map(itemgetter(1), rows)))
print(list(map(methodcaller("upper"), ["a", "b"])), methodcaller("split", ",", maxsplit=1)("a,b,c"))
print(operator.add(1, 2), operator.mul("ab", 3), operator.sub(5, 7), operator.truediv(7, 2))
print(operator.floordiv(7, 2), operator.mod(7, 3), operator.pow(2, 10), operator.neg(4))
print(operator.eq(1, 1.0), operator.ne(1, 2), operator.lt("a", "b"), operator.ge(2, 3))
print(operator.contains([1, 2], 2), operator.getitem("abc", 1), operator.not_(0), operator.truth([]))
print(operator.is_(None, None), operator.is_not(1, None), operator.and_(6, 3), operator.or_(6, 3), operator.xor(6, 3))
print(operator.abs(-3), operator.invert(5), operator.lshift(1, 4), operator.rshift(32, 2))
from functools import reduce
print(reduce(operator.mul, [1, 2, 3, 4]), reduce(operator.add, ["a", "b"], ""))
print(repr(attrgetter("a.b", "c")), repr(itemgetter(1, "x")), repr(methodcaller("f", 1, k=2)))
print(operator.add, type(attrgetter("a")).__name__, callable(itemgetter(0)))
for bad in [
    lambda: attrgetter(),
    lambda: attrgetter(1),
    lambda: itemgetter(),
    lambda: methodcaller(),
    lambda: methodcaller(1),
    lambda: attrgetter("x")(),
    lambda: operator.add(1),
    lambda: operator.neg(),
    lambda: operator.add(1, b=2),
    lambda: itemgetter(1)(1, 2),
    lambda: attrgetter("nope")(red),
    lambda: operator.add(1, "a"),
]:
    try:
        bad()
    except (TypeError, AttributeError) as e:
        print(type(e).__name__, e)
