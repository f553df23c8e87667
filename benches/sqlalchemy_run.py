"""Runs one benchmark workload under real SQLAlchemy 2.0, as the tutor runs it.

Usage: python3 sqlalchemy_run.py DB_FILE SCRIPT MODELS_PY

The workload script is the same text the tutor runs with `orm-tutor --db
DB_FILE run SCRIPT`: it sees the models of MODELS_PY (the fixture's
`models.py`), a `session` on DB_FILE, and the loader options, as in the
tutor's start-up namespace. benches/workloads.rs times this process.
"""

import runpy
import sys

from sqlalchemy import create_engine
from sqlalchemy.orm import Session, joinedload, selectinload, subqueryload


def main():
    db, script, models = sys.argv[1:4]
    namespace = runpy.run_path(models)
    engine = create_engine(f"sqlite:///{db}")
    with Session(engine) as session:
        namespace.update(
            session=session,
            selectinload=selectinload,
            joinedload=joinedload,
            subqueryload=subqueryload,
        )
        with open(script) as f:
            code = compile(f.read(), script, "exec")
        exec(code, namespace)


if __name__ == "__main__":
    main()
