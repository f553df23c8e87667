# random as CPython 3.11 gives it: random.seed(n) makes the same numbers (Mersenne Twister)
import random
from random import choice, randint, randrange, sample, shuffle, uniform

random.seed(42)
print(random.random(), random.random())
print([randint(1, 6) for _ in range(10)])
print(randrange(10), randrange(5, 50), randrange(0, 100, 7), randrange(10, 0, -3))
print(choice("abcdef"), choice([10, 20, 30]), choice(range(1000)))
deck = list(range(12))
shuffle(deck)
print(deck)
print(sample(range(100), 5), sample(["a", "b", "c", "d"], 2), sample(range(10**6), 8))
print(sample(list(range(40)), 10))
print(uniform(1, 2), uniform(-5.5, 5.5))
print(random.getrandbits(1), random.getrandbits(31), random.getrandbits(32), random.getrandbits(64))
print(random.getrandbits(100), random.getrandbits(0))

random.seed(0)
first = [random.random() for _ in range(3)]
random.seed(0)
print(first == [random.random() for _ in range(3)], first)
random.seed(12345678901234567890)
print(random.random(), randint(-100, 100))
random.seed(-7)
a = random.random()
random.seed(7)
print(a == random.random())
random.seed(True)
print(random.random())

# unseeded: only the shapes are fixed
random.seed()
x = random.random()
print(0.0 <= x < 1.0, 1 <= randint(1, 3) <= 3)

for bad in [lambda: choice([]), lambda: randrange(0), lambda: randrange(5, 5),
            lambda: randrange(1, 10, 0), lambda: sample([1, 2], 3), lambda: sample({1, 2}, 1),
            lambda: random.getrandbits(-1), lambda: shuffle((1, 2)), lambda: choice({1, 2}),
            lambda: randint(1, 0)]:
    try:
        bad()
    except Exception as e:
        print(type(e).__name__, e)
print(random.seed(3), shuffle([]), shuffle((1,)))
