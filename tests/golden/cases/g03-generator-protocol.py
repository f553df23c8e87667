# Generators as Python runs them: lazy bodies, send, throw, close, yield from, return values, and contextlib's errors
from contextlib import contextmanager
def counter(n):
    print("started")
    total = 0
    try:
        for i in range(n):
            got = yield i
            if got is not None:
                total += got
    except KeyError:
        print("KeyError inside")
        yield -1
    finally:
        print("finally, total", total)
    return total
g = counter(3)
print("nothing ran yet")
next(g)
g.send(10)
g.send(5)
next(g)
next(g, "done")
g = counter(5)
next(g)
g.throw(KeyError("k"))
next(g)
g = counter(5)
next(g)
g.close()
g.close()
next(g, "closed")
g = counter(2)
g.send(1)
g = counter(2)
iter(g) is g
list(g)
sum(counter(4))
def outer():
    result = yield from counter(2)
    print("inner returned", result)
    yield from ["a", "b"]
list(outer())
squares = (x * x for x in range(4))
type(squares).__name__
list(squares)
list(squares)
def lines():
    for name in ["ann", "bob"]:
        if name.startswith("b"):
            yield name.upper()
        else:
            yield name
    while True:
        yield "again"
        break
[line for line in lines()]
def no_yield():
    if False:
        yield
with contextmanager(no_yield)():
    pass
def twice():
    yield 1
    yield 2
with contextmanager(twice)() as x:
    print(x)
def swallow():
    try:
        yield "s"
    except ZeroDivisionError:
        print("swallowed")
with contextmanager(swallow)() as s:
    print(s)
    1 / 0
print("went on")
