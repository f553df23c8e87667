//! `PgConnection` against a real PostgreSQL server: the URL comes from
//! `ORM_TUTOR_TEST_PG` (`postgresql://postgres@127.0.0.1:54329/postgres`),
//! which `.ci/run` always sets after starting a throwaway server. Without
//! it each test prints a skip line and checks nothing; with CI set
//! (`CI=true`) a missing URL fails instead, so CI can never skip them.

use std::io::Write;

use orm_tutor::engine::postgresql::PgUrl;
use orm_tutor::engine::{Connection, Database, DbError, postgresql::PgConnection};
use orm_tutor::outcome::Cause;
use orm_tutor::sql::compiler::{BoundParam, Compiled};
use orm_tutor::sql::schema::SqlValue;

const URL_VAR: &str = "ORM_TUTOR_TEST_PG";

/// The server's URL, or `None` (with a skip line) outside CI.
fn server_url(test: &str) -> Option<String> {
    match std::env::var(URL_VAR) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("CI").is_err(),
                "{URL_VAR} is unset under CI: .ci/run must start PostgreSQL and set it"
            );
            // Straight to stderr, past the test harness's capture, so the
            // skip shows in every run.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED {test}: set {URL_VAR}=postgresql://… to run it on a PostgreSQL server"
            );
            None
        }
    }
}

fn connect(test: &str) -> Option<PgConnection> {
    let url = server_url(test)?;
    Some(PgConnection::connect(&url).unwrap_or_else(|e| panic!("connecting to {url}: {e:?}")))
}

/// A statement with named pyformat parameters, as the compiler gives it.
fn compiled(sql: &str, params: &[(&str, SqlValue)]) -> Compiled {
    Compiled {
        sql: sql.into(),
        params: params
            .iter()
            .map(|(name, value)| BoundParam {
                name: (*name).into(),
                value: value.clone(),
                callable_: None,
            })
            .collect(),
    }
}

/// A table name of this test's own, dropped first: tests run in parallel on
/// one server.
fn fresh_table(conn: &PgConnection, name: &str, columns: &str) {
    conn.execute_script(&format!(
        "DROP TABLE IF EXISTS {name}; CREATE TABLE {name} ({columns})"
    ))
    .unwrap();
    conn.commit().unwrap();
}

fn text(s: &str) -> SqlValue {
    SqlValue::Text(s.into())
}

#[test]
fn every_value_type_round_trips() {
    let Some(conn) = connect("every_value_type_round_trips") else {
        return;
    };
    fresh_table(
        &conn,
        "pg_values",
        "id SERIAL PRIMARY KEY, n INTEGER, big BIGINT, name VARCHAR(50), body TEXT, \
         active BOOLEAN, price FLOAT, amount NUMERIC(10, 2), created TIMESTAMP WITHOUT TIME ZONE, \
         day DATE, data BYTEA",
    );
    let insert = compiled(
        "INSERT INTO pg_values (n, big, name, body, active, price, amount, created, day, data) \
         VALUES (%(n)s, %(big)s, %(name)s, %(body)s, %(active)s, %(price)s, %(amount)s, \
         %(created)s, %(day)s, %(data)s) RETURNING pg_values.id",
        &[
            ("n", SqlValue::Integer(42)),
            ("big", SqlValue::Integer(9_000_000_000)),
            ("name", text("héllo 'quoted' %s")),
            ("body", SqlValue::Null),
            ("active", SqlValue::Integer(1)),
            ("price", SqlValue::Real(2.5)),
            ("amount", SqlValue::Real(12.25)),
            ("created", text("2024-01-15 09:30:00.250000")),
            ("day", text("2024-02-29")),
            ("data", SqlValue::Blob(vec![0, 1, 255])),
        ],
    );
    let result = conn.execute(&insert).unwrap();
    assert_eq!(result.rows_affected, 1);
    assert_eq!(result.returned, vec![vec![SqlValue::Integer(1)]]);
    let rows = conn
        .query(&compiled(
            "SELECT n, big, name, body, active, price, amount, created, day, data, \
             active IS TRUE, pg_typeof(active)::text FROM pg_values WHERE id = %(id_1)s",
            &[("id_1", SqlValue::Integer(1))],
        ))
        .unwrap();
    assert_eq!(
        rows,
        vec![vec![
            SqlValue::Integer(42),
            SqlValue::Integer(9_000_000_000),
            text("héllo 'quoted' %s"),
            SqlValue::Null,
            // psycopg2's types: bool, Decimal, datetime, date
            SqlValue::Bool(true),
            SqlValue::Real(2.5),
            SqlValue::Numeric("12.25".parse().unwrap()),
            SqlValue::Timestamp(
                chrono::NaiveDateTime::parse_from_str(
                    "2024-01-15 09:30:00.25",
                    "%Y-%m-%d %H:%M:%S%.f"
                )
                .unwrap()
            ),
            SqlValue::Date(chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()),
            SqlValue::Blob(vec![0, 1, 255]),
            SqlValue::Bool(true),
            text("boolean"),
        ]]
    );
    // A false boolean and NULLs of every type.
    conn.execute(&compiled(
        "INSERT INTO pg_values (active, n, created) VALUES (%(active)s, %(n)s, %(created)s)",
        &[
            ("active", SqlValue::Integer(0)),
            ("n", SqlValue::Null),
            ("created", SqlValue::Null),
        ],
    ))
    .unwrap();
    let rows = conn
        .query(&compiled(
            "SELECT active, n, created FROM pg_values WHERE id = 2",
            &[],
        ))
        .unwrap();
    assert_eq!(
        rows,
        vec![vec![SqlValue::Bool(false), SqlValue::Null, SqlValue::Null]]
    );
    conn.rollback().unwrap();
}

#[test]
fn repeated_and_out_of_order_names_bind_once_each() {
    let Some(conn) = connect("repeated_and_out_of_order_names_bind_once_each") else {
        return;
    };
    let rows = conn
        .query(&compiled(
            "SELECT %(b)s::int, %(a)s::text, %(b)s::int + 1, 7 %% 4",
            &[("a", text("first")), ("b", SqlValue::Integer(10))],
        ))
        .unwrap();
    assert_eq!(
        rows,
        vec![vec![
            SqlValue::Integer(10),
            text("first"),
            SqlValue::Integer(11),
            SqlValue::Integer(3),
        ]]
    );
    // executemany: each row of values in the order of `compiled.params`.
    fresh_table(&conn, "pg_many", "a INTEGER, b TEXT");
    let insert = compiled(
        "INSERT INTO pg_many (b, a) VALUES (%(b)s, %(a)s)",
        &[("a", SqlValue::Null), ("b", SqlValue::Null)],
    );
    let result = conn
        .executemany(
            &insert,
            &[
                vec![SqlValue::Integer(1), text("one")],
                vec![SqlValue::Integer(2), text("two")],
            ],
        )
        .unwrap();
    assert_eq!(result.rows_affected, 2);
    let rows = conn
        .query(&compiled("SELECT a, b FROM pg_many ORDER BY a", &[]))
        .unwrap();
    assert_eq!(
        rows,
        vec![
            vec![SqlValue::Integer(1), text("one")],
            vec![SqlValue::Integer(2), text("two")],
        ]
    );
    conn.rollback().unwrap();
}

#[test]
fn a_select_opens_the_transaction_as_psycopg2_does() {
    let Some(conn) = connect("a_select_opens_the_transaction_as_psycopg2_does") else {
        return;
    };
    fresh_table(&conn, "pg_tx", "id INTEGER PRIMARY KEY");
    assert!(!conn.in_transaction());
    // The server's own transaction id: one per transaction, so two SELECTs
    // in one transaction see the same, and a COMMIT ends it.
    let xact = compiled("SELECT txid_current()", &[]);
    let first = conn.query(&xact).unwrap();
    assert!(conn.in_transaction(), "a SELECT opens the transaction");
    assert_eq!(conn.query(&xact).unwrap(), first);
    conn.commit().unwrap();
    assert!(!conn.in_transaction());
    assert_ne!(conn.query(&xact).unwrap(), first);
    // ROLLBACK undoes what the transaction did.
    conn.execute(&compiled(
        "INSERT INTO pg_tx (id) VALUES (%(id)s)",
        &[("id", SqlValue::Integer(1))],
    ))
    .unwrap();
    conn.rollback().unwrap();
    assert!(!conn.in_transaction());
    let count = compiled("SELECT count(*) FROM pg_tx", &[]);
    assert_eq!(
        conn.query(&count).unwrap(),
        vec![vec![SqlValue::Integer(0)]]
    );
    // COMMIT keeps it, seen from a second connection.
    conn.execute(&compiled(
        "INSERT INTO pg_tx (id) VALUES (%(id)s)",
        &[("id", SqlValue::Integer(2))],
    ))
    .unwrap();
    let other = connect("a_select_opens_the_transaction_as_psycopg2_does").unwrap();
    assert_eq!(
        other.query(&count).unwrap(),
        vec![vec![SqlValue::Integer(0)]]
    );
    other.rollback().unwrap();
    conn.commit().unwrap();
    assert_eq!(
        other.query(&count).unwrap(),
        vec![vec![SqlValue::Integer(1)]]
    );
    // has_table sees committed tables and opens no transaction.
    other.rollback().unwrap();
    assert!(other.has_table("pg_tx").unwrap());
    assert!(!other.has_table("pg_no_such_table").unwrap());
    assert!(!other.in_transaction());
}

#[test]
fn constraint_violations_are_integrity_errors() {
    let Some(conn) = connect("constraint_violations_are_integrity_errors") else {
        return;
    };
    fresh_table(
        &conn,
        "pg_unique",
        "id INTEGER PRIMARY KEY, email VARCHAR UNIQUE, parent INTEGER REFERENCES pg_unique(id)",
    );
    let insert = |id: i64, email: &str| {
        conn.execute(&compiled(
            "INSERT INTO pg_unique (id, email) VALUES (%(id)s, %(email)s)",
            &[("id", SqlValue::Integer(id)), ("email", text(email))],
        ))
    };
    insert(1, "a@example.com").unwrap();
    conn.commit().unwrap();
    let err = insert(2, "a@example.com").unwrap_err();
    assert_eq!(
        err,
        DbError {
            kind: "IntegrityError",
            message: "duplicate key value violates unique constraint \"pg_unique_email_key\"\n\
                      DETAIL:  Key (email)=(a@example.com) already exists."
                .into(),
            class: Some("psycopg2.errors.UniqueViolation".into()),
            at_connect: false,
        }
    );
    conn.rollback().unwrap();
    let err = conn
        .execute(&compiled(
            "INSERT INTO pg_unique (id, parent) VALUES (5, %(parent)s)",
            &[("parent", SqlValue::Integer(99))],
        ))
        .unwrap_err();
    assert_eq!(err.kind, "IntegrityError");
    assert!(
        err.message.contains("violates foreign key constraint"),
        "{}",
        err.message
    );
    conn.rollback().unwrap();
    // A failed transaction refuses more statements until the rollback.
    insert(1, "x").unwrap_err();
    let err = conn.query(&compiled("SELECT 1", &[])).unwrap_err();
    assert_eq!(err.kind, "InternalError");
    assert_eq!(
        err.message,
        "current transaction is aborted, commands ignored until end of transaction block"
    );
    conn.rollback().unwrap();
    assert!(conn.query(&compiled("SELECT 1", &[])).is_ok());
}

#[test]
fn missing_tables_columns_and_bad_syntax_are_programming_errors() {
    let Some(conn) = connect("missing_tables_columns_and_bad_syntax_are_programming_errors") else {
        return;
    };
    let err = conn
        .query(&compiled("SELECT * FROM pg_missing_table", &[]))
        .unwrap_err();
    assert_eq!(
        err,
        DbError {
            kind: "ProgrammingError",
            message: "relation \"pg_missing_table\" does not exist".into(),
            class: Some("psycopg2.errors.UndefinedTable".into()),
            at_connect: false,
        }
    );
    conn.rollback().unwrap();
    let err = conn
        .query(&compiled("SELECT nope FROM pg_catalog.pg_class", &[]))
        .unwrap_err();
    assert_eq!(err.kind, "ProgrammingError");
    assert_eq!(err.message, "column \"nope\" does not exist");
    conn.rollback().unwrap();
    let err = conn.query(&compiled("SELEC 1", &[])).unwrap_err();
    assert_eq!(err.kind, "ProgrammingError");
    assert_eq!(err.message, "syntax error at or near \"SELEC\"");
    conn.rollback().unwrap();
    let err = conn.query(&compiled("SELECT 1 / 0", &[])).unwrap_err();
    assert_eq!(
        (err.kind, err.message.as_str()),
        ("DataError", "division by zero")
    );
    conn.rollback().unwrap();
}

#[test]
fn a_refused_connection_is_an_operational_error() {
    let Some(_) = server_url("a_refused_connection_is_an_operational_error") else {
        return;
    };
    // A port that was free a moment ago: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err =
        Database::open_postgresql(&format!("postgresql://postgres@127.0.0.1:{port}/postgres"))
            .unwrap_err();
    assert_eq!(
        err,
        DbError {
            kind: "OperationalError",
            message: format!(
                "connection to server at \"127.0.0.1\", port {port} failed: Connection refused\n\
                 \tIs the server running on that host and accepting TCP/IP connections?"
            ),
            class: Some("psycopg2.OperationalError".into()),
            at_connect: true,
        }
    );
}

#[test]
fn a_missing_database_is_an_operational_error() {
    let Some(url) = server_url("a_missing_database_is_an_operational_error") else {
        return;
    };
    let url = PgUrl::parse(&url).unwrap();
    let err = Database::open_postgresql(&format!(
        "postgresql+psycopg2://{}@{}:{}/orm_tutor_no_such_db",
        url.user, url.host, url.port
    ))
    .unwrap_err();
    assert_eq!(
        err,
        DbError {
            kind: "OperationalError",
            message: format!(
                "connection to server at \"{}\", port {} failed: FATAL:  database \
                 \"orm_tutor_no_such_db\" does not exist",
                url.host, url.port
            ),
            class: Some("psycopg2.OperationalError".into()),
            at_connect: true,
        }
    );
}

#[test]
fn the_database_logs_sqlalchemys_text_and_reports_the_psycopg2_dialect() {
    let Some(url) =
        server_url("the_database_logs_sqlalchemys_text_and_reports_the_psycopg2_dialect")
    else {
        return;
    };
    let db = Database::open_postgresql(&url).unwrap();
    assert_eq!(
        (db.dialect().name, db.dialect().driver),
        ("postgresql", "psycopg2")
    );
    let stmt = compiled(
        "SELECT %(param_1)s::int + %(param_2)s::int AS total",
        &[
            ("param_1", SqlValue::Integer(2)),
            ("param_2", SqlValue::Integer(3)),
        ],
    );
    let rows = db.query(&stmt, Cause::Query).unwrap();
    assert_eq!(rows, vec![vec![SqlValue::Integer(5)]]);
    let events = format!("{:?}", db.take_events());
    assert!(
        events.contains("SELECT %(param_1)s::int + %(param_2)s::int AS total"),
        "{events}"
    );
    db.rollback().unwrap();
}

/// A database of the test's own on the server, created empty.
fn fresh_database(url: &str, name: &str) -> String {
    let mut admin = postgres::Client::connect(url, postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .unwrap();
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap();
    format!("{}/{name}", url.rsplit_once('/').unwrap().0)
}

fn tutor_run(db: &str, script: &str, extra: &[&str]) -> std::process::Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_orm-tutor"))
        .args(["run", "--format", "json", "--db", db])
        .args(extra)
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn the_cli_loads_the_fixture_on_a_server_and_drops_only_its_own_tables() {
    let Some(url) =
        server_url("the_cli_loads_the_fixture_on_a_server_and_drops_only_its_own_tables")
    else {
        return;
    };
    let db = fresh_database(&url, "orm_tutor_cli_test");
    let out = tutor_run(&db, "session.query(User).count()\n", &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let trace = String::from_utf8_lossy(&out.stdout);
    assert!(trace.contains("\"value\": 8"), "{trace}");
    assert!(trace.contains("\"params\":{}"), "{trace}");
    // the fixture's tables went with the tutor
    let mut client = postgres::Client::connect(&db, postgres::NoTls).unwrap();
    let count = |client: &mut postgres::Client| -> i64 {
        client
            .query_one(
                "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'public'",
                &[],
            )
            .unwrap()
            .get(0)
    };
    assert_eq!(count(&mut client), 0);
    // someone else's table: refused without --reset, kept with it
    client
        .batch_execute("CREATE TABLE notes (id INTEGER)")
        .unwrap();
    let out = tutor_run(&db, "session.query(User).count()\n", &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("already holds tables orm-tutor did not create (notes)"),
        "{err}"
    );
    let out = tutor_run(&db, "session.query(Role).count()\n", &["--reset"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"value\": 3"));
    assert_eq!(count(&mut client), 1);
    // a fixture table of the same name as someone else's is never used
    client
        .batch_execute("CREATE TABLE roles (id INTEGER)")
        .unwrap();
    let out = tutor_run(&db, "1\n", &["--reset"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("table roles already exists"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(count(&mut client), 2);
}

#[test]
fn async_engine_on_postgresql_is_asyncpg_on_the_same_server() {
    use orm_tutor::fixture::Fixture;
    use orm_tutor::tutor::{DbTarget, Tutor};
    let Some(url) = server_url("async_engine_on_postgresql_is_asyncpg_on_the_same_server") else {
        return;
    };
    let name = "orm_tutor_test_async_engine";
    let mut admin =
        postgres::Client::connect(&url, postgres::NoTls).unwrap_or_else(|e| panic!("{url}: {e}"));
    for sql in [
        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        format!("CREATE DATABASE {name}"),
    ] {
        admin
            .batch_execute(&sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    let base = url.rsplit_once('/').map(|(b, _)| b).unwrap_or(&url);
    let steps = {
        let target = DbTarget::Server {
            url: format!("{base}/{name}"),
            reset: false,
        };
        let mut t = Tutor::start(Fixture::chat(), target).expect("chat fixture loads");
        t.run_script(
            // the session is left open: the tutor's exit must end its
            // transaction before dropping the tables it reads
            "from sqlalchemy.ext.asyncio import AsyncSession\n\
             s = AsyncSession(async_engine)\n\
             (async_engine.url.drivername, async_engine.dialect.driver)\n\
             (await s.get(User, 1)).name\n",
        )
    };
    let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
    let json: Vec<serde_json::Value> = steps.iter().map(orm_tutor::trace::step_json).collect();
    assert!(steps.iter().all(|s| s.error.is_none()), "{json:?}");
    assert_eq!(
        json[2]["value"],
        serde_json::json!(["postgresql+asyncpg", "asyncpg"])
    );
    assert_eq!(json[3]["value"], serde_json::json!("Alice"));
    let sql = json[3]["sql"][0]["statement"].as_str().unwrap_or_default();
    assert!(sql.ends_with("WHERE users.id = $1::INTEGER"), "{sql}");
    assert_eq!(json[3]["sql"][0]["params"], serde_json::json!([1]));
}

/// The server's statements that run `pg_sleep` in database `db`.
fn sleeping_queries(url: &str, db: &str) -> Vec<String> {
    let mut admin = postgres::Client::connect(url, postgres::NoTls).unwrap();
    admin
        .query(
            "SELECT query FROM pg_stat_activity WHERE datname = $1 AND state = 'active' \
             AND query LIKE '%pg_sleep%'",
            &[&db],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[test]
fn ctrl_c_cancels_a_long_statement_on_the_server() {
    let Some(url) = server_url("ctrl_c_cancels_a_long_statement_on_the_server") else {
        return;
    };
    let name = "orm_tutor_ctrl_c_test";
    let db = fresh_database(&url, name);
    let script = std::env::temp_dir().join(format!("orm_tutor_ctrl_c_{}.py", std::process::id()));
    std::fs::write(
        &script,
        "print('before')\nsession.execute(text(\"SELECT pg_sleep(30)\")).all()\nprint('after')\n",
    )
    .unwrap();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_orm-tutor"))
        .args(["run", "--format", "json", "--db", &db])
        .arg(&script)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // wait until the statement runs on the server
    let started = std::time::Instant::now();
    while sleeping_queries(&url, name).is_empty() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "pg_sleep never started"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let sent = std::time::Instant::now();
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let out = child.wait_with_output().unwrap();
    let took = sent.elapsed();
    let _ = std::fs::remove_file(&script);
    assert!(took < std::time::Duration::from_secs(3), "took {took:?}");
    // Python's status for a script ended by Ctrl-C, the step's
    // KeyboardInterrupt, and no step after it
    assert_eq!(out.status.code(), Some(130));
    let trace: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let steps = trace["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 2, "{trace}");
    assert_eq!(steps[1]["error"]["type"], "KeyboardInterrupt", "{trace}");
    // killing the client alone would leave the server sleeping for 30 s
    assert_eq!(sleeping_queries(&url, name), Vec::<String>::new());
}

/// A learner's `create_engine("postgresql://…")` in a SQLite session is a
/// second engine on that server: its statements are PostgreSQL's, run
/// there, and an unreachable server raises psycopg2's `OperationalError`
/// at the first use, not at `create_engine()` (SQLAlchemy connects lazily).
#[test]
fn create_engine_on_a_postgresql_url_connects_at_first_use() {
    use orm_tutor::fixture::Fixture;
    use orm_tutor::tutor::{DbTarget, Tutor};
    let Some(url) = server_url("create_engine_on_a_postgresql_url_connects_at_first_use") else {
        return;
    };
    let db = fresh_database(&url, "orm_tutor_test_create_engine");
    let steps = {
        let mut t = Tutor::start(Fixture::chat(), DbTarget::Memory).expect("chat fixture loads");
        t.run_script(&format!(
            "pg = create_engine(\"{db}\")\n\
             (pg.dialect.name, pg.dialect.driver)\n\
             s = Session(pg)\n\
             s.execute(text(\"select pg_typeof(1)::text\")).scalar()\n\
             s.close()\n\
             gone = create_engine(\"postgresql://nobody@127.0.0.1:1/x\")\n\
             gone.connect()\n\
             try:\n    Session(gone).execute(text(\"select 1\"))\nexcept Exception as e:\n    print(repr(str(e)))\n"
        ))
    };
    let json: Vec<serde_json::Value> = steps.iter().map(orm_tutor::trace::step_json).collect();
    assert!(steps[..6].iter().all(|s| s.error.is_none()), "{json:?}");
    assert_eq!(
        json[1]["value"],
        serde_json::json!(["postgresql", "psycopg2"])
    );
    assert_eq!(json[3]["value"], serde_json::json!("integer"));
    assert_eq!(json[3]["sql"][0]["params"], serde_json::json!({}));
    assert_eq!(
        json[6]["error"]["type"],
        serde_json::json!("OperationalError")
    );
    // SQLAlchemy's `str(e)` without its "Background on this error" line,
    // as the oracle records it: no newline after psycopg2's text, and no
    // `[SQL: …]` for a failed connect at a session's first query
    let refused = "(psycopg2.OperationalError) connection to server at \"127.0.0.1\", port 1 \
                   failed: Connection refused\n\tIs the server running on that host and \
                   accepting TCP/IP connections?";
    assert_eq!(json[6]["error"]["message"], serde_json::json!(refused));
    assert_eq!(
        json[7]["stdout"],
        serde_json::json!(
            "'(psycopg2.OperationalError) connection to server at \"127.0.0.1\", port 1 failed: \
             Connection refused\\n\\tIs the server running on that host and accepting TCP/IP \
             connections?'\n"
        )
    );
}
