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

The timestamps and the durations inside `[generated in 0.00015s]`,
`[cached since 0.001s ago]` … vary from run to run: the comparators mask
them (tests/trace_compare `mask_echo`, record.py's `ECHO_*`). record.py runs
every case through this wrapper; the tests never run it.
"""
import logging
import runpy
import sys

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


def main():
    runner = sys.argv[1]
    sys.argv = sys.argv[1:]
    sqlalchemy.log._add_default_handler = _add_default_handler
    runpy.run_path(runner, run_name="__main__")


if __name__ == "__main__":
    main()
