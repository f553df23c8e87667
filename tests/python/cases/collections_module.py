# collections as CPython 3.11 gives it: Counter, defaultdict, OrderedDict, namedtuple, deque
from collections import Counter, OrderedDict, defaultdict, deque, namedtuple
import collections

c = Counter("abracadabra")
print(c, c["a"], c["z"], "z" in c, len(c))
print(c.most_common(2), c.most_common(), c.most_common(0))
print(sorted(c.elements()), c.total())
c.update("aaz")
c.update({"b": 10})
c.subtract(r=5)
print(c)
print(Counter(a=3, b=1) + Counter(a=1, b=2), Counter(a=3, b=1) - Counter(a=1, b=2))
print(Counter(a=3, b=1) | Counter(a=1, b=2), Counter(a=3, b=1) & Counter(a=1, b=2))
print(Counter(a=1) == Counter(a=1, b=0), Counter(), Counter({"x": 2}), isinstance(c, dict), isinstance(c, Counter))
words = Counter()
for w in "the cat and the hat and the bat".split():
    words[w] += 1
print(words, type(words).__name__, dict(words))

dd = defaultdict(list)
for k, v in [("a", 1), ("b", 2), ("a", 3)]:
    dd[k].append(v)
print(dd, dd["missing"], dd.default_factory, len(dd))
counts = defaultdict(int)
for ch in "hello":
    counts[ch] += 1
print(counts, dict(counts), counts.get("zz"), "zz" in counts)
nd = defaultdict(None, {1: 2})
print(nd)
try:
    nd[5]
except KeyError as e:
    print("KeyError", e)
print(defaultdict(lambda: "?")["k"], isinstance(dd, defaultdict), isinstance(dd, dict))
try:
    defaultdict(3)
except TypeError as e:
    print("TypeError", e)

od = OrderedDict()
od["b"] = 2
od["a"] = 1
od["c"] = 3
print(od, list(od))
od.move_to_end("b")
print(od)
od.move_to_end("b", last=False)
print(od, od.popitem(), od.popitem(last=False), od)
print(OrderedDict(a=1, b=2) == OrderedDict(b=2, a=1), OrderedDict(a=1, b=2) == {"b": 2, "a": 1},
      dict(a=1, b=2) == dict(b=2, a=1), OrderedDict())
try:
    OrderedDict().popitem()
except KeyError as e:
    print("KeyError", e)

Point = namedtuple("Point", ["x", "y"])
p = Point(1, y=2)
print(p, p.x, p.y, p[0], p[-1], len(p), tuple(p), list(p))
x, y = p
print(x + y, p == (1, 2), p == Point(1, 2), Point._fields, p._asdict())
print(p._replace(x=10), p, hash(p) == hash((1, 2)), {p: "here"}[Point(1, 2)])
Row = namedtuple("Row", "id name email", defaults=[None])
r = Row(1, "ann")
print(r, Row._field_defaults, Row._make([2, "bob", "b@x"]), isinstance(r, Row), 2 in Point(2, 3))
Pair = namedtuple("Pair", "left, right")
print(Pair("a", "b"), Pair._fields, type(p).__name__, Point)
for bad in [lambda: Point(1), lambda: Point(1, 2, 3), lambda: namedtuple("P", ["a", "a"]),
            lambda: namedtuple("P", ["_a"]), lambda: namedtuple("P", ["def"]), lambda: p._replace(z=1),
            lambda: Point(1, 2, x=3)]:
    try:
        bad()
    except Exception as e:
        print(type(e).__name__, e)

d = deque([1, 2, 3])
d.append(4)
d.appendleft(0)
print(d, d.pop(), d.popleft(), d, len(d), d[0], d[-1], 2 in d, list(d))
d.rotate(1)
print(d)
d.rotate(-2)
print(d)
d.extendleft("ab")
print(d)
last3 = deque(maxlen=3)
for i in range(6):
    last3.append(i)
print(last3, last3.maxlen, deque().maxlen, deque("xyz", 2))
last3.appendleft("L")
print(last3, last3 == deque([ "L", 3, 4]), deque([1]) == [1], bool(deque()))
try:
    deque().pop()
except IndexError as e:
    print("IndexError", e)
q = deque()
q.extend(range(3))
while q:
    print(q.popleft(), end=" ")
print()
print(type(collections.Counter()).__name__, collections.deque([1]))
