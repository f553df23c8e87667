//! PostgreSQL as SQLAlchemy's `postgresql+asyncpg` dialect drives it
//! (`sqlalchemy/dialects/postgresql/asyncpg.py`): the tutor's own
//! [`PgConnection`] (the `postgres` crate; no asyncpg), sent statements
//! compiled for [`POSTGRESQL_ASYNCPG`] (`$1::INTEGER`, a sequence of
//! values), with its errors raised as SQLAlchemy's asyncpg adapter raises
//! asyncpg's ([`asyncpg_error`]). Transactions as the adapter's: a `BEGIN`
//! before the first statement, as psycopg2's.

use super::postgresql::PgConnection;
use super::{Connection, DbError, ExecResult};
use crate::sql::compiler::Compiled;
use crate::sql::dialect::{Dialect, POSTGRESQL_ASYNCPG};
use crate::sql::schema::SqlValue;

/// A connection of an `AsyncEngine` on PostgreSQL (`postgresql+asyncpg://`),
/// made at its first use: `create_async_engine` connects to nothing, as
/// SQLAlchemy's pool opens its first connection at the first checkout.
#[derive(Debug)]
pub struct AsyncpgConnection {
    url: String,
    conn: std::cell::OnceCell<PgConnection>,
}

impl AsyncpgConnection {
    /// A connection to the server `url` names
    /// (`postgresql[+driver]://user@host:port/db`), opened when first used.
    pub fn new(url: &str) -> AsyncpgConnection {
        AsyncpgConnection {
            url: url.to_string(),
            conn: std::cell::OnceCell::new(),
        }
    }

    /// The open connection, connecting first when needed.
    ///
    /// Errors: as [`PgConnection::connect`] (libpq's wording for a server
    /// that cannot be reached, not asyncpg's `OSError`); the next use tries
    /// again.
    fn conn(&self) -> Result<&PgConnection, DbError> {
        if let Some(c) = self.conn.get() {
            return Ok(c);
        }
        let c = PgConnection::connect_as(&self.url, &POSTGRESQL_ASYNCPG)?;
        Ok(self.conn.get_or_init(|| c))
    }
}

impl Connection for AsyncpgConnection {
    fn dialect(&self) -> &'static Dialect {
        &POSTGRESQL_ASYNCPG
    }

    fn query(&self, compiled: &Compiled) -> Result<Vec<Vec<SqlValue>>, DbError> {
        self.conn()?.query(compiled).map_err(asyncpg_error)
    }

    fn query_with_names(
        &self,
        compiled: &Compiled,
    ) -> Result<(Vec<String>, Vec<Vec<SqlValue>>), DbError> {
        self.conn()?
            .query_with_names(compiled)
            .map_err(asyncpg_error)
    }

    fn execute(&self, compiled: &Compiled) -> Result<ExecResult, DbError> {
        self.conn()?.execute(compiled).map_err(asyncpg_error)
    }

    fn executemany(
        &self,
        compiled: &Compiled,
        rows: &[Vec<SqlValue>],
    ) -> Result<ExecResult, DbError> {
        self.conn()?
            .executemany(compiled, rows)
            .map_err(asyncpg_error)
    }

    fn execute_script(&self, sql: &str) -> Result<(), DbError> {
        self.conn()?.execute_script(sql).map_err(asyncpg_error)
    }

    fn in_transaction(&self) -> bool {
        self.conn.get().is_some_and(|c| c.in_transaction())
    }

    fn begin(&self) -> Result<(), DbError> {
        self.conn()?.begin().map_err(asyncpg_error)
    }

    /// Nothing to end on a connection never opened.
    fn commit(&self) -> Result<(), DbError> {
        match self.conn.get() {
            Some(c) => c.commit().map_err(asyncpg_error),
            None => Ok(()),
        }
    }

    /// Nothing to end on a connection never opened.
    fn rollback(&self) -> Result<(), DbError> {
        match self.conn.get() {
            Some(c) => c.rollback().map_err(asyncpg_error),
            None => Ok(()),
        }
    }

    fn has_table(&self, name: &str) -> Result<bool, DbError> {
        self.conn()?.has_table(name).map_err(asyncpg_error)
    }
}

/// A psycopg2-shaped error as SQLAlchemy's asyncpg dialect raises it: the
/// asyncpg class of its SQLSTATE (`UniqueViolationError`), translated to
/// the adapter's DBAPI class along `_asyncpg_error_translate`
/// (`IntegrityError`, `ProgrammingError`, `InternalServerError`, and
/// `Error` — SQLAlchemy's `DBAPIError` — for the rest, division by zero
/// and aborted transactions included), and the message `<class
/// 'asyncpg.exceptions.UniqueViolationError'>: duplicate key … \nDETAIL:
/// …` without psycopg2's closing newline. Errors the server did not raise
/// (a connection lost, a value asyncpg could not encode) keep their class
/// under the adapter's name.
pub fn asyncpg_error(e: DbError) -> DbError {
    let message = e.message.trim_end_matches('\n').to_string();
    let sqlstate = e
        .class
        .as_deref()
        .and_then(|c| c.strip_prefix("psycopg2.errors."))
        .and_then(|name| {
            super::postgresql_errors::SQLSTATE_CLASSES
                .iter()
                .find(|(_, class, _)| *class == name)
        })
        .map(|(code, _, _)| *code);
    let found = sqlstate.and_then(|code| {
        super::asyncpg_errors::SQLSTATE_CLASSES
            .binary_search_by(|(c, _, _)| (*c).cmp(code))
            .ok()
            .map(|i| super::asyncpg_errors::SQLSTATE_CLASSES[i])
    });
    let Some((_, class, adapter)) = found else {
        if e.class.is_none() {
            return e;
        }
        let adapter = match e.kind {
            "DataError" | "DatabaseError" => "Error",
            kind => kind,
        };
        return DbError {
            kind: sqlalchemy_kind(adapter),
            message,
            class: Some(format!("sqlalchemy.dialects.postgresql.asyncpg.{adapter}")),
            at_connect: false,
        };
    };
    DbError {
        kind: sqlalchemy_kind(adapter),
        message: format!("<class 'asyncpg.exceptions.{class}'>: {message}"),
        class: Some(format!("sqlalchemy.dialects.postgresql.asyncpg.{adapter}")),
        at_connect: false,
    }
}

/// The `sqlalchemy.exc` class SQLAlchemy wraps an asyncpg adapter class in
/// (by name along its `__mro__`): `Error` is `DBAPIError`,
/// `InternalServerError` an `InternalError`.
fn sqlalchemy_kind(adapter: &str) -> &'static str {
    match adapter {
        "IntegrityError" => "IntegrityError",
        "ProgrammingError" => "ProgrammingError",
        "InternalServerError" | "InternalClientError" | "InternalError" => "InternalError",
        "InvalidCachedStatementError" | "NotSupportedError" => "NotSupportedError",
        "OperationalError" => "OperationalError",
        "InterfaceError" => "InterfaceError",
        _ => "DBAPIError",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn psycopg2(kind: &'static str, class: &str, message: &str) -> DbError {
        DbError {
            kind,
            message: message.to_string(),
            class: Some(class.to_string()),
            at_connect: false,
        }
    }

    #[test]
    fn a_unique_violation_is_an_integrity_error_naming_asyncpgs_class() {
        // as SQLAlchemy 2.0.58 + asyncpg 0.32 words it
        let e = asyncpg_error(psycopg2(
            "IntegrityError",
            "psycopg2.errors.UniqueViolation",
            "duplicate key value violates unique constraint \"t_pkey\"\nDETAIL:  Key (id)=(1) already exists.\n",
        ));
        assert_eq!(e.kind, "IntegrityError");
        assert_eq!(
            e.to_string(),
            "(sqlalchemy.dialects.postgresql.asyncpg.IntegrityError) <class 'asyncpg.exceptions.UniqueViolationError'>: duplicate key value violates unique constraint \"t_pkey\"\nDETAIL:  Key (id)=(1) already exists."
        );
    }

    #[test]
    fn errors_outside_the_translated_classes_are_dbapi_errors() {
        let e = asyncpg_error(psycopg2(
            "DataError",
            "psycopg2.errors.DivisionByZero",
            "division by zero\n",
        ));
        assert_eq!(e.kind, "DBAPIError");
        assert_eq!(
            e.to_string(),
            "(sqlalchemy.dialects.postgresql.asyncpg.Error) <class 'asyncpg.exceptions.DivisionByZeroError'>: division by zero"
        );
        let e = asyncpg_error(psycopg2(
            "ProgrammingError",
            "psycopg2.errors.UndefinedColumn",
            "column \"nope\" does not exist\n",
        ));
        assert_eq!(e.kind, "ProgrammingError");
        assert!(e.to_string().starts_with(
            "(sqlalchemy.dialects.postgresql.asyncpg.ProgrammingError) <class 'asyncpg.exceptions.UndefinedColumnError'>"
        ));
    }

    #[test]
    fn the_generated_table_is_sorted_for_binary_search() {
        let t = super::super::asyncpg_errors::SQLSTATE_CLASSES;
        assert!(t.windows(2).all(|w| w[0].0 < w[1].0));
    }
}
