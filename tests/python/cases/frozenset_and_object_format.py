# frozenset, and %-formatting / str.format / f-strings of objects with __str__, __repr__ and __format__
class P:
    def __init__(self, n):
        self.n = n

    def __str__(self):
        return f"P{self.n}"

    def __repr__(self):
        return f"P({self.n})"

    def __format__(self, spec):
        return "<" + format(self.n, spec) + ">"


class Q:
    def __str__(self):
        return "q!"


p = P(3)
print("%s and %r" % (p, p), "%s" % p, "%-5s|" % Q(), "%(a)s" % {"a": p})
print("{} {!r} {!s} {:>4}".format(p, p, p, p), f"{p} {p!r} {p!s} {p:03}", format(p, "x"))
print("{}".format(Q()), f"{Q()}", "[%s]" % Q())
try:
    f"{Q():>5}"
except TypeError as e:
    print("TypeError", e)
print(sorted([P(2), P(1)], key=lambda x: x.n), min([3, 1, 2], key=lambda x: -x), max([], default=0))
print(min([], key=len, default="none"), max(["aa", "b"], key=len), min(4, 2, 8))
fs = frozenset({1, 2})
print(fs, frozenset(), frozenset("aa"), {fs: 1}[frozenset([2, 1])], len(fs), 2 in fs)
print(fs | {3}, sorted({3} | fs), fs & {1}, fs - {1}, type(fs).__name__, type(fs | {3}).__name__)
print(hash(fs) == hash(frozenset([2, 1])), fs == {1, 2}, isinstance(fs, frozenset), isinstance(fs, set))
print(fs.union([5]), fs.issubset({1, 2, 3}), sorted(fs))
try:
    fs.add(3)
except AttributeError as e:
    print("AttributeError", e)
try:
    hash({1})
except TypeError as e:
    print("TypeError", e)
