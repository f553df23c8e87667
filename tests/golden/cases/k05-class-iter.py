# A plain class iterable through __iter__ returning iter(...), and __getitem__ iteration.
class Basket:
    def __init__(self, items):
        self.items = list(items)
    def __iter__(self):
        return iter(self.items)
b = Basket([1, 2, 3])
[x * 2 for x in b]
list(b)
sum(b)
3 in b
for x in b:
    print(x)
