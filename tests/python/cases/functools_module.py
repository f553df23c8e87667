# functools as learners use it: reduce, partial, wraps in a decorator, lru_cache and cache
import functools
from functools import lru_cache, partial, reduce, wraps

print(reduce(lambda a, b: a + b, [1, 2, 3, 4]))
print(reduce(lambda a, b: a * b, [], 1))
print(functools.reduce(max, [3, 9, 2]))
try:
    reduce(lambda a, b: a + b, [])
except TypeError as e:
    print("TypeError", e)


def power(base, exp=2, *, label="="):
    return f"{base}^{exp} {label} {base ** exp}"


square = partial(power, exp=2)
cube = partial(power, exp=3, label="is")
print(square(4), cube(2), cube(2, label="=="))
print(partial(power, 10)(3))


def logged(func):
    @wraps(func)
    def wrapper(*args, **kwargs):
        print("calling", func.__name__)
        return func(*args, **kwargs)
    return wrapper


@logged
def add(a, b):
    return a + b


print(add(2, 3), add.__name__)

calls = []


@lru_cache(maxsize=None)
def fib(n):
    calls.append(n)
    return n if n < 2 else fib(n - 1) + fib(n - 2)


print(fib(20), len(calls))


@functools.cache
def slow_square(x):
    print("computing", x)
    return x * x


print(slow_square(3), slow_square(3), slow_square(x=3))


@lru_cache
def total(items):
    return sum(items)


print(total((1, 2, 3)))
try:
    total([1, 2])
except TypeError as e:
    print("TypeError", e)
