# help() of learner functions shows their annotations as pydoc does (classes by module, strings quoted, typing forms) and their docstrings
from typing import List, Optional, Dict, Union, Any
import datetime
from decimal import Decimal
from sqlalchemy.orm import Session, Mapped
def find(session: Session, name: str = "x", *, limit: int | None = None) -> list[str]:
    "Find things."
    return []
help(find)
def load(user: "User", ids: List[int], extra: Optional["User"] = None, **kw: Any) -> Dict[str, Any]:
    """Load a user.

    Then the rest,
      indented.
    """
    return {}
help(load)
class Note:
    pass
def pick(a: Union[int, None], b: Union[int, str], c: list["User"], d: Note | None, *rest: float) -> Optional[datetime.datetime]:
    return None
help(pick)
def plain(x, y=2):
    return x
help(plain)
def price(amount: Decimal, when: datetime.date, flag: bool = False, nothing: None = None) -> Mapped[int]:
    return 0
help(price)
