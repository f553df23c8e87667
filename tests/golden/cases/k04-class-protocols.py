# Plain classes: dunder methods, properties, classmethods, inheritance with super(), decorators.
class Money:
    currency = "EUR"

    def __init__(self, cents):
        self.cents = cents

    def __repr__(self):
        return f"Money({self.cents})"

    def __str__(self):
        return f"{self.cents / 100:.2f} {self.currency}"

    def __eq__(self, other):
        return isinstance(other, Money) and self.cents == other.cents

    def __lt__(self, other):
        return self.cents < other.cents

    def __bool__(self):
        return self.cents != 0

    @property
    def euros(self):
        return self.cents // 100

    @classmethod
    def zero(cls):
        return cls(0)

    @staticmethod
    def parse(text):
        return Money(int(text.replace(".", "")))

m = Money(250)
m
print(m)
m.euros
Money.zero()
bool(Money.zero())
Money.parse("3.10")
sorted([Money(5), Money(1), Money(3)])
Money(5) == Money(5)
Money(5) != Money(6)
Money(1) < Money(2)
m.add
m.euros = 3
class Basket:
    def __init__(self, items):
        self.items = list(items)
    def __len__(self):
        return len(self.items)
    def __contains__(self, x):
        return x in self.items
    def __getitem__(self, i):
        return self.items[i]
    def __call__(self, n):
        return self.items[:n]
b = Basket([1, 2, 3])
len(b)
2 in b
b[0]
b(2)
bool(Basket([]))
class Animal:
    sound = "..."
    def __init__(self, name):
        self.name = name
    def speak(self):
        return f"{self.name} says {self.sound}"
class Dog(Animal):
    sound = "woof"
    def __init__(self, name, trick):
        super().__init__(name)
        self.trick = trick
    def speak(self):
        return super().speak() + "!"
d = Dog("Rex", "sit")
d.speak()
isinstance(d, Animal)
issubclass(Dog, Animal)
Dog.__mro__
type(d)
d
Dog.speak
registry = []
def register(cls):
    registry.append(cls.__name__)
    return cls
@register
class Cat(Animal):
    sound = "meow"
registry
Cat("Tom").speak()
class NoInit:
    pass
NoInit(1)
