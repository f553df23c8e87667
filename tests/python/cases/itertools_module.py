# itertools as CPython 3.11 gives it: lazy iterators, infinite ones included
import itertools
from itertools import (accumulate, chain, combinations, combinations_with_replacement, compress,
                       count, cycle, dropwhile, filterfalse, groupby, islice, pairwise,
                       permutations, product, repeat, starmap, takewhile, tee, zip_longest)

print(list(chain([1, 2], (3,), "ab")), list(chain.from_iterable([[1], [2, 3], []])))
print(list(itertools.chain()), list(islice("abcdefg", 2)), list(islice("abcdefg", 2, 4)))
print(list(islice("abcdefg", 2, None)), list(islice("abcdefg", 0, None, 2)), list(islice(count(), 3, 12, 4)))
c = count(5)
print(c, next(c), next(c), c)
print(list(islice(count(0, 2), 5)), list(islice(count(1.5, 0.5), 3)), count(2, 3))
print(list(islice(cycle("ab"), 5)), list(islice(cycle([]), 5)))
print(repeat("x", 3), list(repeat("x", 3)), list(islice(repeat(7), 4)), list(repeat(1, -2)))
print(list(zip(count(1), "abc")), list(map(pow, range(4), repeat(2))))
for i, letter in zip(count(), cycle("xy")):
    if i == 4:
        break
    print(i, letter, end="; ")
print()
print(list(accumulate([1, 2, 3, 4])), list(accumulate([3, 1, 4, 1, 5], max)),
      list(accumulate([1, 2, 3], lambda a, b: a * b, initial=10)), list(accumulate([])),
      list(accumulate("abc")))
for key, group in groupby("AAAABBBCCDAABBB"):
    print(key, list(group), end=" ")
print()
rows = [("a", 1), ("a", 2), ("b", 3), ("a", 4)]
print([(k, [n for _, n in g]) for k, g in groupby(rows, key=lambda r: r[0])])
print([(k, list(g)) for k, g in list(groupby("aabbb"))])
print(list(product("ab", [1, 2])), list(product(range(2), repeat=3))[:4], list(product()))
print(list(product("ab", [])))
print(list(permutations("abc", 2)), list(permutations(range(3))), list(permutations("ab", 3)))
print(list(combinations("abcd", 2)), list(combinations(range(4), 3)), list(combinations("ab", 0)))
print(list(combinations_with_replacement("abc", 2)), list(combinations_with_replacement([], 2)))
print(list(zip_longest("abcd", "xy", fillvalue="-")), list(zip_longest([1], [2, 3], [])))
print(list(starmap(pow, [(2, 5), (3, 2)])), list(takewhile(lambda x: x < 5, [1, 4, 6, 4, 1])))
print(list(dropwhile(lambda x: x < 5, [1, 4, 6, 4, 1])), list(filterfalse(lambda x: x % 2, range(10))))
print(list(filterfalse(None, [0, 1, "", "a"])), list(compress("ABCDEF", [1, 0, 1, 0, 1, 1])))
print(list(pairwise("abcd")), list(pairwise([1])), list(takewhile(lambda n: n < 20, map(lambda x: x * x, count()))))
a, b = tee([1, 2, 3])
print(list(a), list(b), len(tee("ab", 3)))
it = iter([1, 2, 3, 4])
x, y = tee(it)
print(next(x), next(x), next(y), list(y), list(x))
print(sum(islice(count(1), 100)), next(dropwhile(lambda n: n < 1000, count())))
print(type(chain()).__name__, type(islice("a", 1)).__name__)
for bad in [lambda: islice("a", -1), lambda: islice("a", 0, 1, 0), lambda: list(combinations("ab", -1)),
            lambda: islice("a"), lambda: list(product([1], repeat=-1))]:
    try:
        bad()
    except Exception as e:
        print(type(e).__name__, e)
