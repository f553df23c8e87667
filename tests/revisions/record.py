"""Records what real Alembic sends for the revision commands that
tests/revisions.rs runs through the tutor's `.upgrade`, `.downgrade`,
`.stamp` and `.current`, and writes tests/revisions/alembic.json.

Three revisions on a SQLite file whose `users` table has a row, run with
the usual env.py (`engine.connect()`, `context.configure(connection=…)`,
`context.begin_transaction()`), through `alembic.command` as the
`alembic` command line runs them. Each command's record: Alembic's log
lines (as alembic.ini formats them) and what `current`/`history` print
(`stdout`), the engine's events (`BEGIN`, each statement, `COMMIT`,
`ROLLBACK`) and the error, if any (`FAILED: …` for a CommandError).

    python3 tests/revisions/record.py   # needs sqlalchemy 2.0 and alembic
    python3 tests/revisions/record.py --url postgresql+psycopg2://postgres@127.0.0.1:PORT/postgres
                                        # alembic-postgresql.json (psycopg2), on a
                                        # server whose users/alembic_version tables it drops
"""
import contextlib
import io
import json
import logging
import os
import sys
import tempfile

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, text

COMMANDS = [
    "current", "upgrade:+1", "current", "upgrade:head", "current", "history",
    "downgrade:-1", "downgrade:base", "upgrade:2b3c4d5e6f70",
    "downgrade:1a2b3c4d5e6f", "stamp:head", "stamp:base", "upgrade:zzz",
    "downgrade:-5", "upgrade:+1", "upgrade:+3",
]

REVISIONS = [
    ("1a2b3c4d5e6f", "add age",
     "op.add_column('users', sa.Column('age', sa.Integer(), nullable=True))",
     "op.drop_column('users', 'age')"),
    ("2b3c4d5e6f70", "add index",
     "op.create_index('ix_users_age', 'users', ['age'])",
     "op.drop_index('ix_users_age', table_name='users')"),
    ("3c4d5e6f7081", "add nick",
     "op.add_column('users', sa.Column('nick', sa.String(), nullable=False))",
     "op.drop_column('users', 'nick')"),
]

ENV = '''
from alembic import context
import __main__
def run_migrations_online():
    with __main__.engine.connect() as connection:
        context.configure(connection=connection, target_metadata=None)
        with context.begin_transaction():
            context.run_migrations()
run_migrations_online()
'''

URL = sys.argv[2] if sys.argv[1:2] == ["--url"] else None
d = tempfile.mkdtemp()
db = os.path.join(d, "t.db")
engine = create_engine(URL or "sqlite:///" + db)
with engine.begin() as c:
    if URL:
        c.execute(text("DROP TABLE IF EXISTS users, alembic_version"))
    c.execute(text("CREATE TABLE users (id %s PRIMARY KEY, name VARCHAR)" % ("SERIAL" if URL else "INTEGER")))
    c.execute(text("INSERT INTO users (name) VALUES ('Alice')"))

events = []
lines = []


@event.listens_for(engine, "before_cursor_execute")
def _sql(conn, cursor, statement, parameters, context, executemany):
    events.append(["SQL", statement])


for name in ("begin", "commit", "rollback"):
    event.listen(engine, name, lambda conn, n=name.upper(): events.append([n]))


class Lines(logging.Handler):
    def emit(self, record):
        lines.append("%-5.5s [%s] %s" % (record.levelname, record.name, record.getMessage()))


logging.getLogger("alembic").addHandler(Lines())
logging.getLogger("alembic").setLevel(logging.INFO)

scripts = os.path.join(d, "migrations")
cfg = Config(os.path.join(d, "alembic.ini"))
cfg.set_main_option("script_location", scripts)
with contextlib.redirect_stdout(io.StringIO()):
    command.init(cfg, scripts)
with open(os.path.join(scripts, "env.py"), "w") as f:
    f.write(ENV)
for rev, message, up, down in REVISIONS:
    with contextlib.redirect_stdout(io.StringIO()):
        script = command.revision(cfg, message=message, rev_id=rev)
    with open(script.path) as f:
        s = f.read()
    s = s.replace('"""Upgrade schema."""\n    pass', '"""Upgrade schema."""\n    ' + up)
    s = s.replace('"""Downgrade schema."""\n    pass', '"""Downgrade schema."""\n    ' + down)
    with open(script.path, "w") as f:
        f.write(s)

records = []
for step in COMMANDS:
    name, _, arg = step.partition(":")
    events.clear()
    lines.clear()
    out = io.StringIO()
    error = None
    cfg.stdout = out
    try:
        with contextlib.redirect_stdout(out):
            getattr(command, name)(cfg, *([arg] if arg else []))
    except Exception as e:  # noqa: BLE001 - recorded as the CLI shows it
        if type(e).__name__ == "CommandError":
            lines.append("FAILED: " + str(e))
        else:
            error = [type(e).__name__, str(e).split("\n(Background on this error")[0]]
    records.append({
        "command": step,
        "stdout": lines + out.getvalue().splitlines(),
        "events": events[:],
        "error": error,
    })

if URL:
    with engine.begin() as c:
        c.execute(text("DROP TABLE IF EXISTS users, alembic_version"))
here = os.path.dirname(os.path.abspath(__file__))
out_path = os.path.join(here, "alembic-postgresql.json" if URL else "alembic.json")
with open(out_path, "w") as f:
    json.dump(records, f, indent=1)
    f.write("\n")
print("wrote", out_path, file=sys.stderr)
