//! The embedded SQLite database (rusqlite, bundled) and the log of every
//! statement sent to it.
//!
//! Transactions follow Python's `sqlite3` driver (pysqlite), which SQLAlchemy
//! uses on SQLite: a real `BEGIN` is sent just before the first INSERT,
//! UPDATE or DELETE, and `COMMIT`/`ROLLBACK` only when a transaction is open.
//! The ORM's transaction events (`BEGIN (implicit)`, …) are logged separately
//! by the Session, as SQLAlchemy's engine events report them.

use std::cell::RefCell;
use std::path::Path;

use rusqlite::types::{ToSqlOutput, Value as RusqliteValue, ValueRef};
use rusqlite::{Connection, params_from_iter};

use crate::outcome::{Cause, Event, SentStatement, TxEvent};
use crate::sql::compiler::Compiled;
use crate::sql::schema::SqlValue;

/// A driver error, named as Python's `sqlite3` module names it
/// (`IntegrityError`, `OperationalError`), with SQLite's message.
#[derive(Debug, Clone, PartialEq)]
pub struct DbError {
    /// `IntegrityError`, `OperationalError`, …
    pub kind: &'static str,
    /// SQLite's message, e.g. `UNIQUE constraint failed: users.email`.
    pub message: String,
}

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "(sqlite3.{}) {}", self.kind, self.message)
    }
}

impl From<rusqlite::Error> for DbError {
    fn from(e: rusqlite::Error) -> DbError {
        let kind = match &e {
            rusqlite::Error::SqliteFailure(err, _) => match err.code {
                rusqlite::ErrorCode::ConstraintViolation => "IntegrityError",
                rusqlite::ErrorCode::ReadOnly
                | rusqlite::ErrorCode::DatabaseBusy
                | rusqlite::ErrorCode::DatabaseLocked => "OperationalError",
                _ => "OperationalError",
            },
            _ => "InterfaceError",
        };
        let message = match &e {
            rusqlite::Error::SqliteFailure(_, Some(msg)) => msg.clone(),
            other => other.to_string(),
        };
        DbError { kind, message }
    }
}

/// What an INSERT, UPDATE or DELETE did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExecResult {
    pub rows_affected: usize,
    /// `cursor.lastrowid` after an INSERT.
    pub last_insert_rowid: i64,
    /// Rows of a `RETURNING` clause.
    pub returned: Vec<Vec<SqlValue>>,
}

/// The connection and the statement log of the current step.
pub struct Database {
    conn: Connection,
    log: RefCell<Vec<Event>>,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Database")
    }
}

fn to_sql(v: &SqlValue) -> ToSqlOutput<'_> {
    match v {
        SqlValue::Null => ToSqlOutput::Owned(RusqliteValue::Null),
        SqlValue::Integer(i) => ToSqlOutput::Owned(RusqliteValue::Integer(*i)),
        SqlValue::Real(f) => ToSqlOutput::Owned(RusqliteValue::Real(*f)),
        SqlValue::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        SqlValue::Blob(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
    }
}

struct Param<'a>(&'a SqlValue);

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(to_sql(self.0))
    }
}

fn from_sql(v: ValueRef<'_>) -> SqlValue {
    match v {
        ValueRef::Null => SqlValue::Null,
        ValueRef::Integer(i) => SqlValue::Integer(i),
        ValueRef::Real(f) => SqlValue::Real(f),
        ValueRef::Text(t) => SqlValue::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => SqlValue::Blob(b.to_vec()),
    }
}

impl Database {
    /// A fresh in-memory database.
    pub fn open_in_memory() -> Result<Database, DbError> {
        Ok(Database::new(Connection::open_in_memory()?))
    }

    /// A database file, created when missing.
    pub fn open_file(path: &Path) -> Result<Database, DbError> {
        Ok(Database::new(Connection::open(path)?))
    }

    fn new(conn: Connection) -> Database {
        conn.set_prepared_statement_cache_capacity(256);
        Database {
            conn,
            log: RefCell::new(Vec::new()),
        }
    }

    /// Runs set-up SQL (schema, fixture rows) without logging it.
    pub fn execute_setup(&self, sql: &str, params: &[SqlValue]) -> Result<(), DbError> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        stmt.execute(params_from_iter(params.iter().map(Param)))?;
        Ok(())
    }

    /// Runs set-up SQL made of several statements, unlogged.
    pub fn execute_batch_setup(&self, sql: &str) -> Result<(), DbError> {
        self.conn.execute_batch(sql)?;
        Ok(())
    }

    /// True when a table named `name` exists (for reopening a `--db` file).
    pub fn has_table(&self, name: &str) -> Result<bool, DbError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
        )?;
        let n: i64 = stmt.query_row([name], |r| r.get(0))?;
        Ok(n > 0)
    }

    fn record(&self, compiled: &Compiled, many: Option<&[Vec<SqlValue>]>, cause: Cause) {
        self.log.borrow_mut().push(Event::Statement(SentStatement {
            sql: compiled.sql.clone(),
            params: compiled.params.clone(),
            many: many.map(|m| m.to_vec()),
            cause,
        }));
    }

    /// Logs a transaction event (`BEGIN (implicit)`, `COMMIT`, `ROLLBACK`).
    pub fn log_tx(&self, event: TxEvent) {
        self.log.borrow_mut().push(Event::Tx(event));
    }

    /// Takes the events logged since the last call.
    pub fn take_events(&self) -> Vec<Event> {
        std::mem::take(&mut *self.log.borrow_mut())
    }

    /// Runs a SELECT (logged under `cause`) and returns its rows.
    pub fn query(&self, compiled: &Compiled, cause: Cause) -> Result<Vec<Vec<SqlValue>>, DbError> {
        self.record(compiled, None, cause);
        self.fetch(&compiled.sql, &compiled.params)
    }

    fn fetch(&self, sql: &str, params: &[SqlValue]) -> Result<Vec<Vec<SqlValue>>, DbError> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let n = stmt.column_count();
        let mut rows = stmt.query(params_from_iter(params.iter().map(Param)))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let mut values = Vec::with_capacity(n);
            for i in 0..n {
                values.push(from_sql(row.get_ref(i)?));
            }
            out.push(values);
        }
        Ok(out)
    }

    /// pysqlite's implicit `BEGIN` before DML.
    fn begin_if_needed(&self) -> Result<(), DbError> {
        if self.conn.is_autocommit() {
            self.conn.execute_batch("BEGIN")?;
        }
        Ok(())
    }

    /// Runs an INSERT, UPDATE or DELETE (logged under `cause`), returning
    /// what it did; with `RETURNING`, the returned rows.
    pub fn execute(&self, compiled: &Compiled, cause: Cause) -> Result<ExecResult, DbError> {
        self.record(compiled, None, cause);
        self.begin_if_needed()?;
        if compiled.sql.contains(" RETURNING ") {
            let returned = self.fetch(&compiled.sql, &compiled.params)?;
            return Ok(ExecResult {
                rows_affected: returned.len(),
                last_insert_rowid: self.conn.last_insert_rowid(),
                returned,
            });
        }
        let mut stmt = self.conn.prepare_cached(&compiled.sql)?;
        let rows_affected = stmt.execute(params_from_iter(compiled.params.iter().map(Param)))?;
        Ok(ExecResult {
            rows_affected,
            last_insert_rowid: self.conn.last_insert_rowid(),
            returned: Vec::new(),
        })
    }

    /// `cursor.executemany()`: one statement, several parameter rows, logged
    /// once with every row.
    pub fn execute_many(
        &self,
        sql: &str,
        rows: &[Vec<SqlValue>],
        cause: Cause,
    ) -> Result<ExecResult, DbError> {
        let compiled = Compiled {
            sql: sql.to_string(),
            params: Vec::new(),
        };
        self.record(&compiled, Some(rows), cause);
        self.begin_if_needed()?;
        let mut stmt = self.conn.prepare_cached(sql)?;
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

    /// Runs a DDL statement (`CREATE TABLE`), logged under `cause`.
    pub fn execute_ddl(&self, sql: &str, cause: Cause) -> Result<(), DbError> {
        self.record(
            &Compiled {
                sql: sql.to_string(),
                params: Vec::new(),
            },
            None,
            cause,
        );
        self.conn.execute_batch(sql)?;
        Ok(())
    }

    /// The driver's `commit()`: `COMMIT` if a transaction is open.
    pub fn commit(&self) -> Result<(), DbError> {
        if !self.conn.is_autocommit() {
            self.conn.execute_batch("COMMIT")?;
        }
        Ok(())
    }

    /// The driver's `rollback()`: `ROLLBACK` if a transaction is open.
    pub fn rollback(&self) -> Result<(), DbError> {
        if !self.conn.is_autocommit() {
            self.conn.execute_batch("ROLLBACK")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compiled(sql: &str, params: Vec<SqlValue>) -> Compiled {
        Compiled {
            sql: sql.into(),
            params,
        }
    }

    #[test]
    fn logs_statements_and_maps_constraint_errors() {
        let db = Database::open_in_memory().unwrap();
        db.execute_batch_setup("CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR UNIQUE)")
            .unwrap();
        db.execute(
            &compiled(
                "INSERT INTO t (name) VALUES (?)",
                vec![SqlValue::Text("a".into())],
            ),
            Cause::Flush,
        )
        .unwrap();
        let err = db
            .execute(
                &compiled(
                    "INSERT INTO t (name) VALUES (?)",
                    vec![SqlValue::Text("a".into())],
                ),
                Cause::Flush,
            )
            .unwrap_err();
        assert_eq!(err.kind, "IntegrityError");
        assert_eq!(err.message, "UNIQUE constraint failed: t.name");
        let rows = db
            .query(&compiled("SELECT id, name FROM t", vec![]), Cause::Query)
            .unwrap();
        assert_eq!(
            rows,
            vec![vec![SqlValue::Integer(1), SqlValue::Text("a".into())]]
        );
        assert_eq!(db.take_events().len(), 3);
        assert!(db.take_events().is_empty());
    }

    #[test]
    fn rollback_undoes_uncommitted_dml_like_pysqlite() {
        let db = Database::open_in_memory().unwrap();
        db.execute_batch_setup("CREATE TABLE t (id INTEGER PRIMARY KEY)")
            .unwrap();
        db.execute(
            &compiled("INSERT INTO t (id) VALUES (?)", vec![SqlValue::Integer(1)]),
            Cause::Flush,
        )
        .unwrap();
        db.rollback().unwrap();
        let rows = db
            .query(&compiled("SELECT count(*) FROM t", vec![]), Cause::Query)
            .unwrap();
        assert_eq!(rows, vec![vec![SqlValue::Integer(0)]]);
    }
}
