# issue 9: NotImplemented, Ellipsis (...), dict.fromkeys and the built-in types' names
print(NotImplemented, ..., repr(...), ... is Ellipsis, Ellipsis)
def todo():
    ...
print(todo())
class Money:
    def __init__(self, cents):
        self.cents = cents
    def __eq__(self, other):
        if not isinstance(other, Money):
            return NotImplemented
        return self.cents == other.cents
print(Money(5) == Money(5), Money(5) == 5, Money(5) != "x")
print(dict.fromkeys("ab", 0), dict.fromkeys([1, 2]))
print(int, str, list, dict, tuple, set, float, bool)
print(int.__name__, type(1).__name__, type(1) is int, type(1) == int, type(2.5) is int)
print({int: "i", str: "s"}[type(3)], isinstance(3, type(4)))
