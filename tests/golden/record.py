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
tests/golden/postgresql/expected/ instead. There the oracle runs through
oracle_asyncpg.py, which binds `async_engine` as
`create_async_engine("postgresql+asyncpg://…same server…")` (`pip install
asyncpg`); the oracle itself binds it on SQLite only.

With --runs N each case is recorded N times: a case whose trace real
SQLAlchemy does not make the same way every run (asyncpg's interleaving of
gathered connections) keeps each distinct trace, CASE.json first (the one
already there when it is among them), then CASE.alt1.json, CASE.alt2.json …;
the harness accepts any of them. Traces that differ only in run-time
timestamps or file paths (`/…/x.py:12`) are the same trace.

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


# A file's path before its line number (`/…/cases/y27-x.py:14`, in a
# task's repr), as the harness masks it (tests/trace_compare `mask_paths`).
PATH = re.compile(r"(?:/[^\s:'\"<>()\[\]]+\.py|<stdin>)(?=:\d)")


# SQLAlchemy's engine log lines (echo=True) in printed output: each line's
# time, and the seconds in its `[generated in 0.00015s]`-like stats, as the
# harness masks them (tests/trace_compare `mask_echo`).
ECHO_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ")
ECHO_SECONDS = re.compile(
    r"(\[generated in |\[cached since |\[no key | does not support caching |\[caching disabled )[0-9.e+-]+s")


def same_but_now(old, new):
    """Whether two traces differ only in run-time timestamps, durations and paths."""
    def fold(text):
        text = ECHO_SECONDS.sub(r"\1<t>s", ECHO_TIME.sub("<time> ", text))
        return PATH.sub("<path>", NOW.sub("<now>", text))
    return fold(old) == fold(new)


def alternatives(stem):
    """The alternative traces of a case already recorded (CASE.altN.json)."""
    return sorted(EXPECTED.glob(f"{stem}.alt*.json"))


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
    that open it (its oracle twin is made by `oracle_for`), else chat."""
    for line in path.read_text().splitlines():
        if not line.startswith("#"):
            break
        m = FIXTURE.match(line)
        if m:
            return m.group(1)
    return "chat"


ROW = re.compile(r"^\s*(\{.*\}),?\s*$")
TABLE = re.compile(r'^\s*\(name:\s*"(\w+)"')
NONE = re.compile(r'(?<=[:\[,] )None(?=[,}\]])')

LOADER = """

import json as _json
import pathlib as _pathlib
from datetime import date as _date, datetime as _datetime

from sqlalchemy import Date as _Date, DateTime as _DateTime

MODELS = {m.class_.__name__: m.class_ for m in Base.registry.mappers}
TABLES = {t.name: t for t in Base.metadata.sorted_tables}


def load_rows(session):
    \"\"\"Insert NAME.json's rows, table by table, in file order (as the
    tutor's fixture loader does with data.ron).\"\"\"
    data = _json.loads(_pathlib.Path(__file__).with_name("%s.json").read_text())
    by_table = {m.__tablename__: m for m in MODELS.values()}
    for table, rows in data.items():
        columns = TABLES[table].c
        for row in rows:
            row = dict(row)
            for k, v in row.items():
                if isinstance(v, str) and isinstance(columns[k].type, _DateTime):
                    row[k] = _datetime.fromisoformat(v)
                elif isinstance(v, str) and isinstance(columns[k].type, _Date):
                    row[k] = _date.fromisoformat(v)
            if table in by_table:
                session.add(by_table[table](**row))
            else:
                session.flush()
                session.execute(TABLES[table].insert().values(**row))
        session.flush()
    session.commit()
"""


def ron_rows(text):
    """data.ron's rows as {table: [row, ...]}: one row a line, each a JSON
    object but for RON's `None`."""
    import json
    tables, current = {}, None
    for line in text.splitlines():
        m = TABLE.match(line)
        if m:
            current = tables.setdefault(m.group(1), [])
            continue
        m = ROW.match(line)
        if m and current is not None:
            current.append(json.loads(NONE.sub("null", m.group(1))))
    return tables


def oracle_for(oracle, fixture, tmp):
    """The oracle to run a case on `fixture` with. chat is the oracle's own;
    any other fixture's twin is made from the project's fixtures/NAME
    (models.py is real SQLAlchemy code; data.ron's rows become NAME.json) in a
    copy of the oracle, so the project's fixture is the one source."""
    import json
    import shutil
    if fixture == "chat":
        return oracle
    source = GOLDEN.parent.parent / "fixtures" / fixture
    if not (source / "models.py").is_file():
        sys.exit(f"record.py: no fixture {source}")
    copy = pathlib.Path(tmp) / f"oracle-{fixture}"
    if not copy.exists():
        shutil.copytree(oracle.parent, copy, ignore=shutil.ignore_patterns("cases", "expected*"))
        (copy / "fixtures" / f"{fixture}.py").write_text((source / "models.py").read_text() + LOADER % fixture)
        rows = ron_rows((source / "data.ron").read_text())
        (copy / "fixtures" / f"{fixture}.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False))
    return copy / oracle.name


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cases", nargs="*", help="case names (e.g. c46-argument-checks) or paths")
    ap.add_argument("--all", action="store_true", help="record every case again")
    ap.add_argument("--oracle", help="path to the oracle's oracle.py")
    ap.add_argument("--url", help="record on this database (postgresql+psycopg2://…)")
    ap.add_argument("--runs", type=int, default=1,
                    help="record each case this many times, keeping each distinct trace")
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
            fixture = case_fixture(case)
            runner = [str(oracle_for(oracle, fixture, out))]
            if a.url:
                # binds `async_engine` on the server too (asyncpg)
                runner = [str(GOLDEN / "oracle_asyncpg.py"), *runner]
            # echo=True's log lines in each step's output
            runner = [str(GOLDEN / "oracle_echo.py"), *runner]
            texts = []
            for _ in range(max(a.runs, 1)):
                subprocess.run([sys.executable, *runner, str(case),
                                "--out", out, "--fixture", fixture, *url_args], check=True)
                text = pathlib.Path(out, f"{case.stem}.json").read_text()
                if not any(same_but_now(t, text) for t in texts):
                    texts.append(text)
            target = EXPECTED / f"{case.stem}.json"
            shown = target.relative_to(GOLDEN.parent.parent)
            if a.runs > 1:
                # the trace already there stays first when it is among them
                if target.exists():
                    kept = [t for t in texts if same_but_now(target.read_text(), t)]
                    texts = kept[:1] + [t for t in texts if not kept or t is not kept[0]]
                for old in alternatives(case.stem):
                    old.unlink()
                for n, text in enumerate(texts[1:], 1):
                    alt = EXPECTED / f"{case.stem}.alt{n}.json"
                    alt.write_text(text)
                    print(f"wrote {alt.relative_to(GOLDEN.parent.parent)}")
                if len(texts) > 1:
                    print(f"{case.stem}: {len(texts)} distinct traces in {a.runs} runs")
            text = texts[0]
            if target.exists() and same_but_now(target.read_text(), text):
                print(f"unchanged {shown}")
                continue
            target.write_text(text)
            print(f"wrote {shown}")


if __name__ == "__main__":
    main()
