# from __future__ imports: a docstring may precede them, known features are accepted, unknown ones and braces are SyntaxErrors, and after other code any future import is one
"""Learners paste modules that start with a docstring."""
from __future__ import nope
from __future__ import braces
from __future__ import generator_stop, division, print_function
from __future__ import annotations
print(annotations)
import __future__
print(__future__.all_feature_names)
print(__future__.division)
x: Nope = 1
print(x)
from __future__ import annotations
def f():
    from __future__ import annotations
