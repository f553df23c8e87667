# dir() of a learner's plain class and object, type(NotImplemented), nested f-string format specs
class Repo:
    kind = "users"

    def __init__(self, name):
        self.name = name
        self._cache = {}

    def get(self, key):
        return self._cache.get(key)

    @property
    def size(self):
        return len(self._cache)


class SqlRepo(Repo):
    dialect = "sqlite"

    def __repr__(self):
        return f"SqlRepo({self.name!r})"


print(dir(Repo))
print(dir(SqlRepo("x")))
print([n for n in dir(SqlRepo) if not n.startswith("__")])
print(type(NotImplemented), type(Ellipsis), NotImplemented, isinstance(NotImplemented, type(NotImplemented)))
value, width, precision = 3.14159, 10, 3
print(f"[{value:{width}}]", f"[{value:{width}.{precision}f}]", f"[{'ab':>{width}}]")
print(f"[{value:>{width}.{precision}}]", f"[{42:0{width}d}]", f"[{'mid':^{width - 2}}]")
for label, n in [("users", 3), ("messages", 120)]:
    print(f"{label:<{width}}|{n:>{precision + 2}}|")
fill, align = "*", "^"
print(f"[{'x':{fill}{align}{width}}]", f"{value:.{precision}e}", f"{1234567:,}")
