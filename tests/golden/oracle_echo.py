#!/usr/bin/env python3
"""Run the SQLAlchemy oracle with `echo=True`'s log lines in each step's output (a developer tool).

    python3 tests/golden/oracle_echo.py RUNNER.py [runner args]

`create_engine(..., echo=True)` makes SQLAlchemy add a
`logging.StreamHandler(sys.stdout)` to the engine's logger
(`sqlalchemy.log._add_default_handler`), formatted
`%(asctime)s %(levelname)s %(name)s %(message)s`. The handler keeps the
`sys.stdout` of the moment it was made: under the oracle, the step that
called `create_engine`, whose captured output is finished by the time the
next step logs, so every later log line was lost. This wrapper makes that
handler write to whatever `sys.stdout` is when a line is logged, so each line
lands in the `stdout` of the step that caused it, in order with its
`print()`s, as a Python run shows them on the terminal. Then it runs RUNNER
(the oracle's oracle.py, or oracle_asyncpg.py with its own arguments)
unchanged.

It also makes the oracle compile a script as Python compiles a file (see
`FutureFlags` and `MainModule`): a `from __future__ import annotations`
holds for the steps after it, and SQLAlchemy resolves string annotations
in the script's own namespace.

The timestamps and the durations inside `[generated in 0.00015s]`,
`[cached since 0.001s ago]` … vary from run to run: the comparators mask
them (tests/trace_compare `mask_echo`, record.py's `ECHO_*`). record.py runs
every case through this wrapper; the tests never run it.
"""
import __future__
import ast
import builtins
import logging
import runpy
import sys
import types

import sqlalchemy.log


class CurrentStdout:
    """A stream that writes to `sys.stdout` as it is at each write."""

    def write(self, text):
        return sys.stdout.write(text)

    def flush(self):
        sys.stdout.flush()


def _add_default_handler(logger):
    # SQLAlchemy's own (log.py), with the stream looked up at each line.
    handler = logging.StreamHandler(CurrentStdout())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logger.addHandler(handler)


class FutureFlags:
    """`compile` for the oracle's steps that keeps the script's `from
    __future__ import …` flags for the steps after it, as CPython's REPL
    (`codeop.Compile`) and a whole-file compile do: the oracle compiles
    each top-level statement alone, so `from __future__ import
    annotations` would otherwise change nothing after its own step. A
    future import after other statements is the `SyntaxError` compiling
    the file raises ("from __future__ imports must occur at the beginning
    of the file"). Only calls given an `ast.Module`/`ast.Expression` (the
    oracle's) are touched; SQLAlchemy's own `compile`/`exec` are not."""

    def __init__(self, compile_):
        self.compile = compile_
        self.flags = 0
        self.seen = []

    def __call__(self, source, filename, mode, flags=0, dont_inherit=False, optimize=-1, **kw):
        if not isinstance(source, (ast.Module, ast.Expression)):
            return self.compile(source, filename, mode, flags, dont_inherit, optimize, **kw)
        nodes = (source.body if isinstance(source, ast.Module)
                 else [ast.copy_location(ast.Expr(source.body), source.body)])
        for node in nodes:
            if isinstance(node, ast.ImportFrom) and node.module == "__future__" and self.seen:
                # CPython's own error, from the statements before it
                self.compile(ast.Module(self.seen + [node], type_ignores=[]), filename, "exec",
                             dont_inherit=True)
        self.seen.extend(nodes)
        code = self.compile(source, filename, mode, flags | self.flags, True, optimize, **kw)
        for name in __future__.all_feature_names:
            feature = getattr(__future__, name)
            if code.co_flags & feature.compiler_flag:
                self.flags |= feature.compiler_flag
        return code


class MainModule:
    """`sys.modules["__main__"]` while the oracle runs a script: its
    `__dict__` is the script's namespace, as a script's module is, so
    SQLAlchemy resolves string annotations (`"Mapped[str]"`, and every
    annotation under `from __future__ import annotations`;
    `sqlalchemy.util.typing.eval_expression`) among the script's names and
    not among the oracle's."""

    def __init__(self, ns):
        object.__setattr__(self, "_ns", ns)

    @property
    def __dict__(self):
        return object.__getattribute__(self, "_ns")

    def __getattr__(self, name):
        try:
            return object.__getattribute__(self, "_ns")[name]
        except KeyError:
            raise AttributeError(name) from None


def main_eval(eval_):
    """`eval` of the oracle's steps that makes the script's namespace the
    `__main__` module SQLAlchemy looks string annotations up in."""

    def run(code, globals=None, locals=None, **kw):
        if (isinstance(code, types.CodeType) and isinstance(globals, dict)
                and globals.get("__name__") == "__main__"
                and getattr(sys.modules.get("__main__"), "__dict__", None) is not globals):
            sys.modules["__main__"] = MainModule(globals)
        return eval_(code, globals, locals, **kw)
    return run


def main():
    runner = sys.argv[1]
    sys.argv = sys.argv[1:]
    sqlalchemy.log._add_default_handler = _add_default_handler
    builtins.compile = FutureFlags(builtins.compile)
    builtins.eval = main_eval(builtins.eval)
    runpy.run_path(runner, run_name="__main__")


if __name__ == "__main__":
    main()
