//! The rusqlite (bundled SQLite) implementation of [`Connection`], behaving
//! as Python's `sqlite3` driver (pysqlite) does under SQLAlchemy.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};

use rusqlite::params_from_iter;
use rusqlite::types::{ToSqlOutput, Value as RusqliteValue, ValueRef};

use super::{Connection, DbError, ExecResult, RepeatedColumns};
use crate::sql::compiler::Compiled;
use crate::sql::dialect::{Dialect, SQLITE};
use crate::sql::schema::SqlValue;

impl From<rusqlite::Error> for DbError {
    /// SQLite's error codes as Python's `sqlite3` module names them; a
    /// statement SQLite cannot prepare (`no such function: nosuch`) is an
    /// `OperationalError` with SQLite's bare message, as pysqlite raises it.
    fn from(e: rusqlite::Error) -> DbError {
        if let rusqlite::Error::ToSqlConversionFailure(inner) = &e
            && inner.is::<IntTooLarge>()
        {
            return DbError::sqlite("OverflowError", inner.to_string());
        }
        let code_kind = |code| match code {
            rusqlite::ErrorCode::ConstraintViolation => "IntegrityError",
            _ => "OperationalError",
        };
        let kind = match &e {
            rusqlite::Error::SqliteFailure(err, _) => code_kind(err.code),
            rusqlite::Error::SqlInputError { error, .. } => code_kind(error.code),
            _ => "InterfaceError",
        };
        let message = match &e {
            rusqlite::Error::SqliteFailure(_, Some(msg)) => msg.clone(),
            rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
            other => other.to_string(),
        };
        DbError::sqlite(kind, message)
    }
}

/// SQLite VM instructions between two calls of the progress handler.
const PROGRESS_OPS: u64 = 10_000;

/// The most SQLite VM instructions one statement may run before the tutor
/// stops it with `RuntimeError`, as the interpreter stops a loop past
/// 10,000,000 iterations: about two seconds of SQLite's work, seven times
/// what a `joinedload` of 100,000 users with 1,000,000 messages takes. A
/// recursive CTE whose recursive part never returns an empty set would
/// otherwise run (and, fetched, grow) forever, as it does under SQLAlchemy.
pub const MAX_STATEMENT_OPS: u64 = 100_000_000;

/// The most values (rows × columns) one statement's result may hold before
/// the tutor stops it with `MemoryError`: twice the 9,000,000 of that
/// `joinedload`, and about 1.5 GB at most.
pub const MAX_FETCHED_VALUES: usize = 20_000_000;

/// Why the progress handler stopped the running statement.
const STOPPED_BY_CTRL_C: u8 = 1;
const STOPPED_BY_BUDGET: u8 = 2;

/// What the progress handler shares with its connection: the handler calls
/// since the running statement began, and why it stopped one (`0`: it did
/// not).
#[derive(Default)]
struct Watchdog {
    calls: AtomicU64,
    stopped: AtomicU8,
}

/// A rusqlite connection with pysqlite's transaction behaviour: an implicit
/// `BEGIN` before the first INSERT, UPDATE or DELETE; foreign keys not
/// enforced (`PRAGMA foreign_keys` is off, as Python leaves it). A running
/// statement stops at Ctrl-C (`KeyboardInterrupt`) and past
/// [`MAX_STATEMENT_OPS`] (`RuntimeError`); a result past
/// [`MAX_FETCHED_VALUES`] raises `MemoryError`.
pub struct SqliteConnection {
    conn: rusqlite::Connection,
    watchdog: Arc<Watchdog>,
}

fn to_sql(v: &SqlValue) -> ToSqlOutput<'_> {
    if let std::borrow::Cow::Owned(converted) = v.pysqlite() {
        return match converted {
            SqlValue::Integer(i) => ToSqlOutput::Owned(RusqliteValue::Integer(i)),
            SqlValue::Real(f) => ToSqlOutput::Owned(RusqliteValue::Real(f)),
            SqlValue::Text(s) => ToSqlOutput::Owned(RusqliteValue::Text(s)),
            _ => ToSqlOutput::Owned(RusqliteValue::Null),
        };
    }
    match v {
        SqlValue::Null => ToSqlOutput::Owned(RusqliteValue::Null),
        SqlValue::Integer(i) => ToSqlOutput::Owned(RusqliteValue::Integer(*i)),
        SqlValue::Real(f) => ToSqlOutput::Owned(RusqliteValue::Real(*f)),
        SqlValue::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        SqlValue::Blob(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
        // converted above
        SqlValue::Numeric(_)
        | SqlValue::Bool(_)
        | SqlValue::Timestamp(_)
        | SqlValue::Date(_)
        | SqlValue::Time(_)
        | SqlValue::Array(_)
        | SqlValue::BigInt(_) => ToSqlOutput::Owned(RusqliteValue::Null),
    }
}

/// pysqlite's refusal of an `int` past 64 bits, raised as Python's
/// `OverflowError` (SQLAlchemy does not wrap it: not a DBAPI error).
#[derive(Debug)]
struct IntTooLarge;

impl std::fmt::Display for IntTooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Python int too large to convert to SQLite INTEGER")
    }
}

impl std::error::Error for IntTooLarge {}

struct Param<'a>(&'a SqlValue);

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        if let SqlValue::BigInt(_) = self.0 {
            return Err(rusqlite::Error::ToSqlConversionFailure(Box::new(
                IntTooLarge,
            )));
        }
        Ok(to_sql(self.0))
    }
}

fn from_sql(v: ValueRef<'_>) -> SqlValue {
    match v {
        ValueRef::Null => SqlValue::Null,
        ValueRef::Integer(i) => SqlValue::Integer(i),
        ValueRef::Real(f) => SqlValue::Real(f),
        // valid UTF-8 (the usual case) is checked word by word, quicker
        // than `from_utf8_lossy`'s walk; invalid bytes become U+FFFD
        ValueRef::Text(t) => SqlValue::Text(match std::str::from_utf8(t) {
            Ok(s) => s.to_owned(),
            Err(_) => String::from_utf8_lossy(t).into_owned(),
        }),
        ValueRef::Blob(b) => SqlValue::Blob(b.to_vec()),
    }
}

/// Puts `v` in `slot` as [`from_sql`] reads it, reusing the buffer of a
/// text value already there (a streamed row's columns keep their kinds).
#[inline(always)]
fn refill(slot: &mut SqlValue, v: ValueRef<'_>) {
    match (slot, v) {
        (SqlValue::Text(s), ValueRef::Text(t)) if let Ok(t) = std::str::from_utf8(t) => {
            s.clear();
            s.push_str(t);
        }
        (slot, v) => *slot = from_sql(v),
    }
}

/// Every row of `rows` (`n` columns each), each value decoded once.
///
/// Errors: SQLite's; `MemoryError` past [`MAX_FETCHED_VALUES`] values.
fn collect_rows(mut rows: rusqlite::Rows<'_>, n: usize) -> Result<Vec<Vec<SqlValue>>, DbError> {
    let mut out = Vec::new();
    let most_rows = MAX_FETCHED_VALUES / n.max(1);
    while let Some(row) = rows.next()? {
        if out.len() >= most_rows {
            return Err(too_many_values());
        }
        let mut values = Vec::with_capacity(n);
        for i in 0..n {
            values.push(from_sql(row.get_ref(i)?));
        }
        out.push(values);
    }
    Ok(out)
}

/// The `MemoryError` of a result past [`MAX_FETCHED_VALUES`] values.
fn too_many_values() -> DbError {
    DbError::sqlite(
        "MemoryError",
        "this SQL statement returned more than 20,000,000 values, more than the tutor holds",
    )
}

impl SqliteConnection {
    /// A fresh in-memory database.
    pub fn open_in_memory() -> Result<SqliteConnection, DbError> {
        Ok(SqliteConnection::new(
            rusqlite::Connection::open_in_memory()?
        ))
    }

    /// A database file, created when missing.
    pub fn open_file(path: &Path) -> Result<SqliteConnection, DbError> {
        Ok(SqliteConnection::new(rusqlite::Connection::open(path)?))
    }

    fn new(mut conn: rusqlite::Connection) -> SqliteConnection {
        conn.set_prepared_statement_cache_capacity(256);
        // Python's sqlite3 leaves foreign keys unenforced; so does SQLAlchemy.
        let _ = conn.execute_batch("PRAGMA foreign_keys = OFF");
        let watchdog = Arc::new(Watchdog::default());
        let shared = Arc::clone(&watchdog);
        let _ = conn.progress_handler(
            PROGRESS_OPS as i32,
            Some(move || {
                if crate::outcome::INTERRUPTED.swap(false, Ordering::SeqCst) {
                    shared.stopped.store(STOPPED_BY_CTRL_C, Ordering::SeqCst);
                    return true;
                }
                if shared.calls.fetch_add(1, Ordering::Relaxed) + 1
                    > MAX_STATEMENT_OPS / PROGRESS_OPS
                {
                    shared.stopped.store(STOPPED_BY_BUDGET, Ordering::SeqCst);
                    return true;
                }
                false
            }),
        );
        SqliteConnection { conn, watchdog }
    }

    /// Runs one statement under the watchdog: its budget starts afresh, and
    /// SQLite's `interrupted` error, when the progress handler stopped it,
    /// becomes the tutor's `KeyboardInterrupt` or `RuntimeError`.
    fn watched<T>(
        &self,
        sql: &str,
        run: impl FnOnce() -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        self.watchdog.calls.store(0, Ordering::Relaxed);
        self.watchdog.stopped.store(0, Ordering::SeqCst);
        let result = run();
        match self.watchdog.stopped.swap(0, Ordering::SeqCst) {
            STOPPED_BY_CTRL_C => Err(DbError::sqlite("KeyboardInterrupt", "")),
            STOPPED_BY_BUDGET => {
                let mut message =
                    "this SQL statement ran more than 100,000,000 SQLite steps and was stopped"
                        .to_string();
                if sql.contains("WITH RECURSIVE") {
                    message.push_str(
                        " (a recursive CTE runs until its recursive part returns no rows: \
                         does its WHERE ever stop it?)",
                    );
                }
                Err(DbError::sqlite("RuntimeError", message))
            }
            _ => result,
        }
    }

    /// One statement's execution, with pysqlite's implicit `BEGIN`.
    fn execute_unwatched(&self, compiled: &Compiled) -> Result<ExecResult, DbError> {
        self.begin_if_needed(&compiled.sql)?;
        let values = compiled.params.iter().map(|p| &p.value);
        if compiled.sql.contains(" RETURNING ") {
            let returned = self.fetch(&compiled.sql, values)?;
            return Ok(ExecResult {
                rows_affected: returned.len(),
                last_insert_rowid: self.conn.last_insert_rowid(),
                returned,
            });
        }
        let mut stmt = self.conn.prepare_cached(&compiled.sql)?;
        let rows_affected = stmt.execute(params_from_iter(values.map(Param)))?;
        Ok(ExecResult {
            rows_affected,
            last_insert_rowid: self.conn.last_insert_rowid(),
            returned: Vec::new(),
        })
    }

    /// One statement with many parameter sets, as `cursor.executemany()`.
    fn executemany_unwatched(
        &self,
        compiled: &Compiled,
        rows: &[Vec<SqlValue>],
    ) -> Result<ExecResult, DbError> {
        self.begin_if_needed(&compiled.sql)?;
        let mut stmt = self.conn.prepare_cached(&compiled.sql)?;
        let mut total = 0;
        for row in rows {
            total += stmt.execute(params_from_iter(row.iter().map(Param)))?;
        }
        Ok(ExecResult {
            rows_affected: total,
            last_insert_rowid: self.conn.last_insert_rowid(),
            returned: Vec::new(),
        })
    }

    /// Rows of `sql` with `params` bound in order (qmark).
    fn fetch<'a>(
        &self,
        sql: &str,
        params: impl Iterator<Item = &'a SqlValue>,
    ) -> Result<Vec<Vec<SqlValue>>, DbError> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let n = stmt.column_count();
        let rows = stmt.query(params_from_iter(params.map(Param)))?;
        collect_rows(rows, n)
    }

    /// Each row of `sql` with `params` bound in order (qmark), handed to
    /// `each` in one buffer refilled in place, until `each` returns `false`.
    ///
    /// Errors: SQLite's; `MemoryError` past [`MAX_FETCHED_VALUES`] values.
    /// The rows of `sql`, each decoded into one buffer refilled in place;
    /// with `repeated`, a row whose key column holds the integer of the row
    /// before keeps the row before's values in the entity's other columns
    /// (the same row of its table): a joined eager load's parent is decoded
    /// once, not once per child.
    fn fetch_each<'a>(
        &self,
        sql: &str,
        params: impl Iterator<Item = &'a SqlValue>,
        repeated: Option<RepeatedColumns>,
        each: &mut dyn FnMut(&[SqlValue]) -> bool,
    ) -> Result<(), DbError> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let n = stmt.column_count();
        let repeated = repeated.filter(|r| r.start <= r.key && r.key < r.end && r.end <= n);
        let mut rows = stmt.query(params_from_iter(params.map(Param)))?;
        let most_rows = MAX_FETCHED_VALUES / n.max(1);
        let mut values = vec![SqlValue::Null; n];
        let mut count = 0;
        while let Some(row) = rows.next()? {
            if count >= most_rows {
                return Err(too_many_values());
            }
            count += 1;
            let skip = match repeated {
                Some(r) => match (&values[r.key], row.get_ref(r.key)?) {
                    (SqlValue::Integer(before), ValueRef::Integer(now)) if *before == now => {
                        Some(r.start..r.end)
                    }
                    _ => None,
                },
                None => None,
            };
            match skip {
                None => {
                    for (i, slot) in values.iter_mut().enumerate() {
                        refill(slot, row.get_ref(i)?);
                    }
                }
                Some(skip) => {
                    for (i, slot) in values.iter_mut().enumerate() {
                        if !skip.contains(&i) {
                            refill(slot, row.get_ref(i)?);
                        }
                    }
                }
            }
            if !each(&values) {
                break;
            }
        }
        Ok(())
    }

    /// The rows of `sql` with the names of its result columns.
    fn fetch_with_names<'a>(
        &self,
        sql: &str,
        params: impl Iterator<Item = &'a SqlValue>,
    ) -> Result<(Vec<String>, Vec<Vec<SqlValue>>), DbError> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let names: Vec<String> = stmt.column_names().map(|n| n.to_string()).collect();
        let n = stmt.column_count();
        let rows = stmt.query(params_from_iter(params.map(Param)))?;
        Ok((names, collect_rows(rows, n)?))
    }

    /// pysqlite's implicit `BEGIN` before DML (CPython 3.11's `sqlite3`:
    /// a statement whose first keyword is INSERT, UPDATE, DELETE or
    /// REPLACE); other statements, DDL among them, run in autocommit mode
    /// outside a transaction, so a `CREATE TABLE` sent first is not undone
    /// by a later `ROLLBACK`.
    fn begin_if_needed(&self, sql: &str) -> Result<(), DbError> {
        if is_dml(sql) {
            self.begin_now()?;
        }
        Ok(())
    }

    /// `BEGIN`, unless a transaction is open.
    fn begin_now(&self) -> Result<(), DbError> {
        if self.conn.is_autocommit() {
            self.conn.execute_batch("BEGIN")?;
        }
        Ok(())
    }
}

/// Whether pysqlite begins a transaction before `sql`: its first keyword
/// (after whitespace and comments) is INSERT, UPDATE, DELETE or REPLACE, as
/// CPython 3.11's `sqlite3` checks it.
fn is_dml(sql: &str) -> bool {
    let mut rest = sql.trim_start();
    loop {
        if let Some(r) = rest.strip_prefix("--") {
            rest = r
                .split_once('\n')
                .map_or("", |(_, after)| after)
                .trim_start();
        } else if let Some(r) = rest.strip_prefix("/*") {
            rest = r
                .split_once("*/")
                .map_or("", |(_, after)| after)
                .trim_start();
        } else {
            break;
        }
    }
    let end = rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    let word = &rest[..end];
    ["INSERT", "UPDATE", "DELETE", "REPLACE"]
        .iter()
        .any(|k| word.eq_ignore_ascii_case(k))
}

impl Connection for SqliteConnection {
    fn dialect(&self) -> &'static Dialect {
        &SQLITE
    }

    fn query(&self, compiled: &Compiled) -> Result<Vec<Vec<SqlValue>>, DbError> {
        self.watched(&compiled.sql, || {
            self.fetch(&compiled.sql, compiled.params.iter().map(|p| &p.value))
        })
    }

    /// Streams the rows: one row of values is refilled in place for each
    /// (a text value's buffer reused), so a large result is never held.
    fn query_each(
        &self,
        compiled: &Compiled,
        each: &mut dyn FnMut(&[SqlValue]) -> bool,
    ) -> Result<(), DbError> {
        self.watched(&compiled.sql, || {
            self.fetch_each(
                &compiled.sql,
                compiled.params.iter().map(|p| &p.value),
                None,
                each,
            )
        })
    }

    fn query_each_repeating(
        &self,
        compiled: &Compiled,
        repeated: RepeatedColumns,
        each: &mut dyn FnMut(&[SqlValue]) -> bool,
    ) -> Result<(), DbError> {
        self.watched(&compiled.sql, || {
            self.fetch_each(
                &compiled.sql,
                compiled.params.iter().map(|p| &p.value),
                Some(repeated),
                each,
            )
        })
    }

    fn query_with_names(
        &self,
        compiled: &Compiled,
    ) -> Result<(Vec<String>, Vec<Vec<SqlValue>>), DbError> {
        self.watched(&compiled.sql, || {
            self.fetch_with_names(&compiled.sql, compiled.params.iter().map(|p| &p.value))
        })
    }

    fn execute(&self, compiled: &Compiled) -> Result<ExecResult, DbError> {
        self.watched(&compiled.sql, || self.execute_unwatched(compiled))
    }

    fn executemany(
        &self,
        compiled: &Compiled,
        rows: &[Vec<SqlValue>],
    ) -> Result<ExecResult, DbError> {
        self.watched(&compiled.sql, || self.executemany_unwatched(compiled, rows))
    }

    fn execute_script(&self, sql: &str) -> Result<(), DbError> {
        self.watched(sql, || Ok(self.conn.execute_batch(sql)?))
    }

    fn in_transaction(&self) -> bool {
        !self.conn.is_autocommit()
    }

    /// SQLite's documented reset: `SQLITE_DBCONFIG_RESET_DATABASE`, then
    /// `VACUUM` (an open transaction is rolled back first).
    fn reset_in_memory(&self) -> Result<(), DbError> {
        use rusqlite::config::DbConfig;
        if !self.conn.is_autocommit() {
            self.conn.execute_batch("ROLLBACK")?;
        }
        self.conn
            .set_db_config(DbConfig::SQLITE_DBCONFIG_RESET_DATABASE, true)?;
        let vacuumed = self.conn.execute_batch("VACUUM");
        self.conn
            .set_db_config(DbConfig::SQLITE_DBCONFIG_RESET_DATABASE, false)?;
        vacuumed?;
        Ok(())
    }

    fn begin(&self) -> Result<(), DbError> {
        self.begin_now()
    }

    fn commit(&self) -> Result<(), DbError> {
        if !self.conn.is_autocommit() {
            self.conn.execute_batch("COMMIT")?;
        }
        Ok(())
    }

    fn rollback(&self) -> Result<(), DbError> {
        if !self.conn.is_autocommit() {
            self.conn.execute_batch("ROLLBACK")?;
        }
        Ok(())
    }

    fn has_table(&self, name: &str) -> Result<bool, DbError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
        )?;
        let n: i64 = stmt.query_row([name], |r| r.get(0))?;
        Ok(n > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_int_past_64_bits_is_pysqlite_s_overflow_error() {
        let big: num_bigint::BigInt = num_traits::pow(num_bigint::BigInt::from(2), 64);
        let c = SqliteConnection::open_in_memory().expect("in-memory SQLite");
        let e = c
            .conn
            .query_row("SELECT ?", [Param(&SqlValue::BigInt(Box::new(big)))], |r| {
                r.get::<_, i64>(0)
            })
            .map_err(DbError::from)
            .expect_err("refused at bind");
        assert_eq!(e.kind, "OverflowError");
        assert_eq!(
            e.message,
            "Python int too large to convert to SQLite INTEGER"
        );
    }

    #[test]
    fn reset_in_memory_empties_the_database_even_in_a_transaction() {
        let c = SqliteConnection::open_in_memory().expect("in-memory SQLite");
        c.execute_script("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1); BEGIN; INSERT INTO t VALUES (2);")
            .expect("set-up");
        c.reset_in_memory().expect("reset");
        assert!(!c.in_transaction());
        let tables: i64 = c
            .conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .expect("count");
        assert_eq!(tables, 0);
        // the database is usable again
        c.execute_script("CREATE TABLE t (x INTEGER)")
            .expect("create again");
    }

    /// Text reads as its UTF-8; bytes that are not UTF-8 read as U+FFFD,
    /// on the quick path for valid text as on the slow one.
    #[test]
    fn text_columns_decode_utf8_and_replace_invalid_bytes() {
        let c = SqliteConnection::open_in_memory().expect("in-memory SQLite");
        let rows = c
            .fetch(
                "SELECT 'café', CAST(x'41ff42' AS TEXT), 'plain'",
                std::iter::empty(),
            )
            .expect("select");
        assert_eq!(
            rows,
            vec![vec![
                SqlValue::Text("café".into()),
                SqlValue::Text("A\u{fffd}B".into()),
                SqlValue::Text("plain".into()),
            ]]
        );
    }

    /// Streamed rows, whose one buffer is refilled in place (a text value's
    /// string reused), read as the rows `fetch` returns, whatever kind
    /// each column's value takes from row to row; returning `false` stops.
    #[test]
    fn streamed_rows_read_as_fetched_rows() {
        let c = SqliteConnection::open_in_memory().expect("in-memory SQLite");
        c.execute_script(
            "CREATE TABLE t (a, b); INSERT INTO t VALUES ('a longer text', 1), \
             (NULL, 'x'), ('é', CAST(x'41ff' AS TEXT)), (2.5, x'00'), ('z', NULL)",
        )
        .expect("set-up");
        let sql = "SELECT a, b FROM t ORDER BY rowid";
        let fetched = c.fetch(sql, std::iter::empty()).expect("fetch");
        let compiled = Compiled::text(sql);
        let mut streamed = Vec::new();
        c.query_each(&compiled, &mut |row| {
            streamed.push(row.to_vec());
            true
        })
        .expect("stream");
        assert_eq!(streamed, fetched);
        assert_eq!(streamed[2][1], SqlValue::Text("A\u{fffd}".into()));
        let mut first = Vec::new();
        c.query_each(&compiled, &mut |row| {
            first.push(row.to_vec());
            false
        })
        .expect("stream");
        assert_eq!(first, fetched[..1]);
    }

    /// A row repeating the key of the row before keeps the row before's
    /// values in the entity's columns and reads the others; a new key, or
    /// a key that is no integer, reads every column.
    #[test]
    fn repeated_entity_columns_are_read_once() {
        let c = SqliteConnection::open_in_memory().expect("in-memory SQLite");
        c.execute_script(
            "CREATE TABLE t (k, a, b); INSERT INTO t VALUES (1, 'one', 10), \
             (1, 'other', 11), (2, 'two', 12), (NULL, 'n1', 13), (NULL, 'n2', 14)",
        )
        .expect("set-up");
        let compiled = Compiled::text("SELECT k, a, b FROM t ORDER BY rowid");
        let mut rows = Vec::new();
        let repeated = RepeatedColumns {
            key: 0,
            start: 0,
            end: 2,
        };
        c.query_each_repeating(&compiled, repeated, &mut |row| {
            rows.push(row.to_vec());
            true
        })
        .expect("stream");
        let text = |s: &str| SqlValue::Text(s.into());
        let row = |k: SqlValue, a: &str, b: i64| vec![k, text(a), SqlValue::Integer(b)];
        assert_eq!(
            rows,
            vec![
                row(SqlValue::Integer(1), "one", 10),
                row(SqlValue::Integer(1), "one", 11),
                row(SqlValue::Integer(2), "two", 12),
                row(SqlValue::Null, "n1", 13),
                row(SqlValue::Null, "n2", 14),
            ]
        );
    }

    #[test]
    fn only_dml_begins_a_transaction_as_pysqlite() {
        assert!(is_dml("INSERT INTO t VALUES (1)"));
        assert!(is_dml("  -- note\n /* c */ update t SET x = 1"));
        assert!(is_dml("REPLACE INTO t VALUES (1)"));
        assert!(!is_dml("CREATE TABLE t (x INTEGER)"));
        assert!(!is_dml("SELECT 1"));
        assert!(!is_dml(
            "WITH a AS (SELECT 1) INSERT INTO t SELECT * FROM a"
        ));
        let c = SqliteConnection::open_in_memory().expect("in-memory SQLite");
        c.execute(&Compiled::text("CREATE TABLE t (x INTEGER)"))
            .expect("create");
        assert!(!c.in_transaction());
        c.rollback().expect("rollback");
        c.execute(&Compiled::text("INSERT INTO t VALUES (1)"))
            .expect("insert");
        assert!(c.in_transaction());
        c.rollback().expect("rollback");
        let n = c
            .query(&Compiled::text("SELECT count(*) FROM t"))
            .expect("count");
        assert_eq!(n, vec![vec![SqlValue::Integer(0)]]);
    }
}
