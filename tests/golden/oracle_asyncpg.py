#!/usr/bin/env python3
"""Run the SQLAlchemy oracle on PostgreSQL with `async_engine` bound (a developer tool).

    python3 tests/golden/oracle_asyncpg.py ORACLE.py CASE.py --url postgresql+psycopg2://… [oracle args]

The oracle (../shared/oracle/oracle.py, not part of the project) binds
`async_engine` only on SQLite (aiosqlite on a temporary file). On PostgreSQL
SQLAlchemy's own would be `create_async_engine("postgresql+asyncpg://…")` on
the same server, as the tutor binds it with `--db postgresql://…`. This
wrapper runs the oracle unchanged, but for a case whose source names
`async_engine` (the oracle's own test) it binds
`async_engine = create_async_engine("postgresql+asyncpg://<same server>")`
in the case's namespace, right after the oracle's start-up imports, and
disposes of it on the oracle's event loop before that loop closes.

The oracle listens on the `Engine` class, so the async engine's
`sync_engine` (an `Engine`) has its statements, parameters (as asyncpg's
adapter gets them: a list for `$1, $2`) and transaction events recorded
like any other engine's. Needs `pip install asyncpg`. record.py runs this
for every case it records with `--url postgresql…`; the tests never run it.
"""
import asyncio
import builtins
import importlib.util
import sys

from sqlalchemy.engine import make_url


def asyncpg_url(url):
    """The same server, database and user as `url`, with the asyncpg driver."""
    return make_url(url).set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


def main():
    oracle_path, argv = sys.argv[1], sys.argv[2:]
    url = None
    for i, arg in enumerate(argv):
        if arg == "--url" and i + 1 < len(argv):
            url = argv[i + 1]
        elif arg.startswith("--url="):
            url = arg.split("=", 1)[1]
    spec = importlib.util.spec_from_file_location("oracle", oracle_path)
    oracle = importlib.util.module_from_spec(spec)
    sys.argv = [oracle_path, *argv]
    spec.loader.exec_module(oracle)
    if url is None or not url.startswith("postgresql"):
        oracle.main()
        return

    engines = []
    case_source = {}
    read_text = oracle.pathlib.Path.read_text

    def remember_source(path, *args, **kwargs):
        # run_case reads the case first: the oracle binds `async_engine` when
        # its source names it, and so does this wrapper.
        text = read_text(path, *args, **kwargs)
        if path.suffix == ".py":
            case_source["text"] = text
        return text

    def start_up(code, ns=None, *rest):
        # run_case's one `exec`: the start-up imports into the case's namespace.
        builtins.exec(code, ns, *rest)
        if ns is not None and "async_engine" in case_source.get("text", ""):
            from sqlalchemy.ext.asyncio import create_async_engine
            engine = create_async_engine(asyncpg_url(url))
            engines.append(engine)
            ns["async_engine"] = engine

    class Loop(asyncio.SelectorEventLoop):
        def close(self):
            # The asyncpg connections belong to this loop: close them on it.
            while engines:
                self.run_until_complete(engines.pop().dispose())
            super().close()

    class AsyncioWithLoop:
        def __getattr__(self, name):
            return getattr(asyncio, name)

        @staticmethod
        def new_event_loop():
            return Loop()

    oracle.pathlib.Path.read_text = remember_source
    oracle.exec = start_up
    oracle.asyncio = AsyncioWithLoop()
    oracle.main()


if __name__ == "__main__":
    main()
