# A function's __annotations__: what Python evaluated at the def (a quoted annotation stays a string), empty without annotations
from typing import List
def plain(a: int, b: str = "x") -> bool:
    return True
print(plain.__annotations__)
def bare(a, b):
    pass
print(bare.__annotations__)
def quoted(a: "User", *, limit: int = 0) -> "list[User]":
    pass
print(quoted.__annotations__["a"], quoted.__annotations__["return"])
