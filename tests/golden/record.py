#!/usr/bin/env python3
"""Record expected golden traces with real SQLAlchemy (a developer tool).

    python3 tests/golden/record.py [CASE ...] [--all] [--oracle PATH]

Runs each case script (tests/golden/cases/CASE.py; a name or a path) through
the SQLAlchemy oracle and writes its trace to tests/golden/expected/CASE.json.
With no CASE, records every case that has no expected trace yet; --all records
every case again (review the diff before committing it).

With --url postgresql+psycopg2://user@host:port/dbname the cases run on a
PostgreSQL server (`pip install psycopg2-binary`; the oracle empties the
database's public schema before each case) and the traces go to
tests/golden/postgresql/expected/ instead.

The oracle is not part of the project: it is found with --oracle, else
$ORM_TUTOR_ORACLE, else as shared/oracle/oracle.py in a folder above the
repository. It needs `pip install 'sqlalchemy>=2.0,<2.1'`. The tests never
run this script; they only read what it wrote.
"""
import argparse
import os
import pathlib
import re
import subprocess
import sys
import tempfile

GOLDEN = pathlib.Path(__file__).resolve().parent
CASES = GOLDEN / "cases"
EXPECTED = GOLDEN / "expected"
# Wall-clock timestamps (column defaults at run time), as the harness folds them.
NOW = re.compile(r"\b20(?:2[5-9]|[3-9]\d)-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?")


def same_but_now(old, new):
    """Whether two traces differ only in run-time timestamps."""
    return NOW.sub("<now>", old) == NOW.sub("<now>", new)


def find_oracle(given):
    if given:
        return pathlib.Path(given)
    if os.environ.get("ORM_TUTOR_ORACLE"):
        return pathlib.Path(os.environ["ORM_TUTOR_ORACLE"])
    for parent in GOLDEN.parents:
        candidate = parent / "shared" / "oracle" / "oracle.py"
        if candidate.is_file():
            return candidate
    sys.exit("record.py: oracle.py not found; pass --oracle PATH or set ORM_TUTOR_ORACLE")


def case_path(name):
    path = pathlib.Path(name)
    if path.suffix != ".py":
        path = CASES / f"{name}.py"
    if not path.is_file():
        sys.exit(f"record.py: no case {path}")
    return path.resolve()


FIXTURE = re.compile(r"^# fixture:\s*(\w+)")


def case_fixture(path):
    """The fixture a case runs on: `# fixture: NAME` among the comment lines
    that open it (the oracle needs its twin in fixtures/NAME.py), else chat."""
    for line in path.read_text().splitlines():
        if not line.startswith("#"):
            break
        m = FIXTURE.match(line)
        if m:
            return m.group(1)
    return "chat"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cases", nargs="*", help="case names (e.g. c46-argument-checks) or paths")
    ap.add_argument("--all", action="store_true", help="record every case again")
    ap.add_argument("--oracle", help="path to the oracle's oracle.py")
    ap.add_argument("--url", help="record on this database (postgresql+psycopg2://…)")
    a = ap.parse_args()
    global EXPECTED
    url_args = []
    if a.url:
        EXPECTED = GOLDEN / "postgresql" / "expected"
        EXPECTED.mkdir(parents=True, exist_ok=True)
        url_args = ["--url", a.url]
    if a.all:
        cases = sorted(CASES.glob("*.py"))
    elif a.cases:
        cases = [case_path(c) for c in a.cases]
    else:
        cases = [p for p in sorted(CASES.glob("*.py")) if not (EXPECTED / f"{p.stem}.json").exists()]
    if not cases:
        print("record.py: every case has an expected trace (name cases, or --all)")
        return
    oracle = find_oracle(a.oracle)
    with tempfile.TemporaryDirectory() as out:
        for case in cases:
            # One process a case, as the traces were made: session numbers and
            # once-only warnings would otherwise carry over between cases.
            subprocess.run([sys.executable, str(oracle), str(case), "--out", out,
                            "--fixture", case_fixture(case), *url_args], check=True)
            text = pathlib.Path(out, f"{case.stem}.json").read_text()
            target = EXPECTED / f"{case.stem}.json"
            shown = target.relative_to(GOLDEN.parent.parent)
            if target.exists() and same_but_now(target.read_text(), text):
                print(f"unchanged {shown}")
                continue
            target.write_text(text)
            print(f"wrote {shown}")


if __name__ == "__main__":
    main()
