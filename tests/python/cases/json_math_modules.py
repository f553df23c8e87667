# json and math, as learners use them around SQLAlchemy code
import json
import math
from json import JSONDecodeError
from math import pi, sqrt

data = {"name": "ann", "tags": ["a", "b"], "score": 9.5, "active": True, "extra": None}
print(json.dumps(data))
print(json.dumps(data, indent=2, sort_keys=True))
print(json.dumps([1, [2, {}], []], indent=4))
print(json.dumps({"b": 1, "a": 2}, separators=(",", ":"), sort_keys=True))
print(json.dumps("café \n\t\"q\" \\ \x01"))
print(json.dumps("café", ensure_ascii=False))
print(json.dumps({1: "one", 2.5: "x", None: 0, False: 1}))
print(json.dumps([float("inf"), float("-inf"), 1e20, 0.1, -0.0, 10**15]))
print(json.dumps((1, 2)))
print(json.dumps([1], indent="\t"))
print(json.dumps({"when": "x"}, default=str))


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


print(json.dumps(Point(1, 2), default=lambda o: {"x": o.x, "y": o.y}))
for bad in [Point(1, 2), {(1, 2): 3}, {"b": 1, 2: 2}]:
    try:
        print(json.dumps(bad, sort_keys=True))
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
try:
    json.dumps(float("nan"), allow_nan=False)
except ValueError as e:
    print("ValueError", e)
loop = []
loop.append(loop)
try:
    json.dumps(loop)
except ValueError as e:
    print("ValueError", e)
print(json.loads('{"a": [1, 2.5, 1e3, -0, true, false, null], "b": "\\u00e9\\ud83d\\ude00", "c": {}}'))
print(json.loads("  [1, 2]  "), json.loads("NaN"), json.loads("-Infinity"), json.loads('"x"'))
print(json.loads('{"a": 1, "a": 2}'))
print(json.loads('{"k": {"n": 1}}', object_hook=lambda d: sorted(d)))
for text in ["", "{", '{"a" 1}', "[1,]", "[1 2]", "1 2", '"abc', "{'a': 1}", "tru", '"a\\qb"', "\n\n  x", '{"a":1,}', "[1, 2"]:
    try:
        json.loads(text)
    except JSONDecodeError as e:
        print(repr(text), "->", e)
try:
    json.loads(5)
except TypeError as e:
    print("TypeError", e)
try:
    json.loads("{")
except ValueError as e:
    print(type(e).__name__, isinstance(e, ValueError))
print(json.loads(json.dumps(data)) == data)

print(pi, math.e, math.tau, math.inf, -math.inf, math.nan)
print(sqrt(16), math.sqrt(2), math.sqrt(True))
print(math.floor(2.7), math.ceil(2.1), math.floor(-2.5), math.ceil(-2.5), math.trunc(-2.7), math.floor(7))
print(math.isclose(1.0, 1.0000000001), math.isclose(1, 1.1), math.isclose(1, 1.05, rel_tol=0.1), math.isclose(0, 1e-10, abs_tol=1e-9))
print(math.fabs(-3), math.log(math.e), math.log(8, 2), math.log(100, 10), math.log10(1000), math.log2(1024))
print(math.exp(0), math.exp(1), math.pow(2, 10), math.pow(2, 0.5))
print(math.gcd(12, 18), math.gcd(12, 18, 24), math.gcd(), math.gcd(-4, 6))
print(math.prod([1, 2, 3, 4]), math.prod([]), math.prod([1.5, 2]), math.prod([2, 3], start=10))
print(math.fsum([0.1] * 10), sum([0.1] * 10), math.fsum([]))
print(math.isnan(math.nan), math.isnan(1.0), math.isinf(math.inf), math.isinf(1), math.isfinite(2))
print(math.factorial(0), math.factorial(5), math.factorial(20))
print(math.degrees(math.pi), math.radians(180), math.sin(0), math.cos(0))
for expr in [lambda: math.sqrt(-1), lambda: math.log(0), lambda: math.log(-1), lambda: math.exp(1000),
             lambda: math.factorial(-1), lambda: math.factorial(2.0), lambda: math.floor(math.inf),
             lambda: math.floor(math.nan), lambda: math.sqrt("x"), lambda: math.trunc("x"),
             lambda: math.pow(0, -1), lambda: math.log(1, 1), lambda: math.gcd(2.5, 1),
             lambda: math.isclose(1, 2, rel_tol=-1)]:
    try:
        print(expr())
    except (ValueError, TypeError, OverflowError, ZeroDivisionError) as e:
        print(type(e).__name__, e)
print(math.sqrt, json.dumps is json.dumps, math.floor is math.floor)
print(round(math.pi, 3), f"{math.pi:.2f}", int(math.floor(3.9)))
