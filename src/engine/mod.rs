//! The engine layer: a DBAPI-like [`Connection`] trait the rest of the
//! crate talks to, and the [`Database`] that owns one connection and the log
//! of every statement sent through it (SQLAlchemy's `Engine` with its echo).
//!
//! [`sqlite`] holds the rusqlite implementation (Python's `sqlite3`,
//! pysqlite); a PostgreSQL driver implements the same trait and reports
//! [`crate::sql::dialect::POSTGRESQL`] as its dialect, with no change to the
//! ORM. Statements arrive compiled ([`Compiled`]) for the connection's
//! dialect: a qmark driver binds the values in order, a named/pyformat
//! driver by [`crate::sql::compiler::BoundParam::name`].
//!
//! Transactions follow the driver: pysqlite sends a real `BEGIN` just before
//! the first INSERT, UPDATE or DELETE, and `COMMIT`/`ROLLBACK` only when a
//! transaction is open. The ORM's transaction events (`BEGIN (implicit)`,
//! …) are logged separately by the Session, as SQLAlchemy's engine events
//! report them.

pub mod asyncpg;
mod asyncpg_errors;
pub mod echo;
pub mod events;
pub mod postgresql;
mod postgresql_errors;
pub mod server;
pub mod sqlite;

use std::cell::RefCell;
use std::collections::VecDeque;
use std::path::Path;
use std::rc::Rc;

use crate::outcome::{Cause, Event, SentStatement, TxEvent};
use crate::sql::compiler::Compiled;
use crate::sql::dialect::Dialect;
use crate::sql::schema::SqlValue;

/// A driver error, named as Python's DBAPI names it (`IntegrityError`,
/// `OperationalError`, `InterfaceError`), with the database's message; or
/// a statement the tutor stopped (`KeyboardInterrupt`, `RuntimeError`,
/// `MemoryError`: see [`sqlite::MAX_STATEMENT_OPS`]).
#[derive(Debug, Clone, PartialEq)]
pub struct DbError {
    /// `IntegrityError`, `OperationalError`, …
    pub kind: &'static str,
    /// The database's message, e.g. `UNIQUE constraint failed: users.email`.
    pub message: String,
    /// The driver's own exception class, as SQLAlchemy's message names it,
    /// when it is not `sqlite3.<kind>`: `psycopg2.errors.UniqueViolation`,
    /// `psycopg2.OperationalError`.
    pub class: Option<String>,
    /// Raised while connecting (psycopg2's `connect()`), not by a
    /// statement: SQLAlchemy's message then has no `[SQL: …]`, and
    /// libpq's closing newline is the message's last character.
    pub at_connect: bool,
}

impl DbError {
    /// An error of pysqlite's (`sqlite3.<kind>`).
    pub fn sqlite(kind: &'static str, message: impl Into<String>) -> DbError {
        DbError {
            kind,
            message: message.into(),
            class: None,
            at_connect: false,
        }
    }
}

impl std::fmt::Display for DbError {
    /// As SQLAlchemy wraps a DBAPI error: `(sqlite3.IntegrityError) …`,
    /// `(psycopg2.errors.UniqueViolation) …`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.class {
            // psycopg2's messages end with libpq's newline; asyncpg's not
            Some(class) if class.starts_with("psycopg2") => {
                writeln!(f, "({class}) {}", self.message)
            }
            Some(class) => write!(f, "({class}) {}", self.message),
            None => write!(f, "(sqlite3.{}) {}", self.kind, self.message),
        }
    }
}

/// What an INSERT, UPDATE or DELETE did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExecResult {
    /// `cursor.rowcount`.
    pub rows_affected: usize,
    /// `cursor.lastrowid` after an INSERT.
    pub last_insert_rowid: i64,
    /// Rows of a `RETURNING` clause.
    pub returned: Vec<Vec<SqlValue>>,
}

/// The columns of one entity in a row, and its lone integer primary key's
/// column: where that key repeats the row before's, so do the columns (the
/// same row of the entity's table), and a driver may leave them undecoded
/// ([`Connection::query_each_repeating`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RepeatedColumns {
    /// The primary key's column.
    pub key: usize,
    /// The first of the entity's columns.
    pub start: usize,
    /// One past the last of them.
    pub end: usize,
}

/// One DBAPI connection (PEP 249) as SQLAlchemy drives it: statements come
/// compiled for [`Connection::dialect`]. Implementations begin transactions
/// as their Python driver does (pysqlite: implicitly before DML).
pub trait Connection {
    /// The dialect statements for this connection are compiled with.
    fn dialect(&self) -> &'static Dialect;

    /// `cursor.execute()` of a statement that returns rows; the rows.
    fn query(&self, compiled: &Compiled) -> Result<Vec<Vec<SqlValue>>, DbError>;

    /// `cursor.execute()` of a statement that returns rows, each row handed
    /// to `each` as it is read, until `each` returns `false` or the rows
    /// end. The slice is only valid for the call (a driver may reuse it for
    /// the next row). This default reads every row first ([`Connection::query`]);
    /// SQLite streams them.
    ///
    /// Errors: as [`Connection::query`]'s.
    fn query_each(
        &self,
        compiled: &Compiled,
        each: &mut dyn FnMut(&[SqlValue]) -> bool,
    ) -> Result<(), DbError> {
        for row in self.query(compiled)? {
            if !each(&row) {
                break;
            }
        }
        Ok(())
    }

    /// [`Connection::query_each`] of rows that repeat one entity's columns
    /// row after row (a joined eager load's parent, on each of its
    /// children's rows): a row whose column `repeated.key` holds the
    /// integer of the row before may keep the row before's values in
    /// `repeated.start..repeated.end` instead of decoding them again. This
    /// default decodes every column.
    ///
    /// Errors: as [`Connection::query`]'s.
    fn query_each_repeating(
        &self,
        compiled: &Compiled,
        repeated: RepeatedColumns,
        each: &mut dyn FnMut(&[SqlValue]) -> bool,
    ) -> Result<(), DbError> {
        let _ = repeated;
        self.query_each(compiled, each)
    }

    /// `cursor.execute()` of a statement that returns rows, with the column
    /// names of `cursor.description` (for `text()` statements, whose result
    /// keys come from the cursor).
    fn query_with_names(
        &self,
        compiled: &Compiled,
    ) -> Result<(Vec<String>, Vec<Vec<SqlValue>>), DbError>;

    /// `cursor.execute()` of an INSERT, UPDATE or DELETE: `rowcount`,
    /// `lastrowid`, and the rows of a `RETURNING` clause.
    fn execute(&self, compiled: &Compiled) -> Result<ExecResult, DbError>;

    /// `cursor.executemany()`: `compiled` once with each row of values,
    /// given in the order of `compiled.params`.
    fn executemany(
        &self,
        compiled: &Compiled,
        rows: &[Vec<SqlValue>],
    ) -> Result<ExecResult, DbError>;

    /// Runs one or more statements with no parameters (DDL, set-up SQL).
    fn execute_script(&self, sql: &str) -> Result<(), DbError>;

    /// True while a transaction is open on the database.
    fn in_transaction(&self) -> bool;

    /// Empties the database, as a new connection to an in-memory SQLite
    /// database finds it (after `engine.dispose()`); other databases keep
    /// their data.
    fn reset_in_memory(&self) -> Result<(), DbError> {
        Ok(())
    }

    /// Opens a transaction unless one is open (pysqlite's implicit `BEGIN`,
    /// which `execute` and `executemany` send before DML themselves).
    fn begin(&self) -> Result<(), DbError>;

    /// `commit()`: `COMMIT` if a transaction is open.
    fn commit(&self) -> Result<(), DbError>;

    /// `rollback()`: `ROLLBACK` if a transaction is open.
    fn rollback(&self) -> Result<(), DbError>;

    /// True when a table named `name` exists (for reopening a `--db` file).
    fn has_table(&self, name: &str) -> Result<bool, DbError>;

    /// A second DBAPI connection to the same database, as a second
    /// `engine.connect()` checks out of SQLAlchemy's pool; `None` where the
    /// tutor keeps one connection per engine (SQLite: pysqlite commits DDL
    /// at once, so sharing it shows what separate connections would see).
    ///
    /// Errors: the driver's, when the server refuses the connection.
    fn connect_again(&self) -> Option<Result<Box<dyn Connection>, DbError>> {
        None
    }
}

/// The connection and the statement log of the current step. Databases
/// made for one tutor share one log ([`Database::sibling`]), so a step's
/// statements on every engine come out in the order they were sent.
pub struct Database {
    conn: Box<dyn Connection>,
    log: Rc<RefCell<Vec<Event>>>,
    /// False for the stand-in of a `Session()` with no bind.
    bound: bool,
    /// The engine's pool of idle second connections to a server
    /// ([`Database::checkout`]): those `engine.connect()` gave back, rolled
    /// back on return. Empty on SQLite and on a pooled connection itself.
    idle: RefCell<VecDeque<Rc<Database>>>,
    /// The next statement was logged ahead of its driver call
    /// ([`Database::log_ahead`]): its own record is skipped.
    logged_ahead: std::cell::Cell<bool>,
    /// The engine's compiled cache, as far as the tutor needs it: the SQL
    /// of each SELECT compiled for execution so far (shared by the
    /// engine's pooled connections). See [`Database::first_compile`].
    compiled: Rc<RefCell<std::collections::HashSet<String>>>,
    /// The engine's `enable_from_linting` (true unless
    /// `create_engine(..., enable_from_linting=False)`).
    from_linting: Rc<std::cell::Cell<bool>>,
    /// The engine's logging (`echo=True`) and compiled cache as its log
    /// lines tell it, shared by its pooled connections.
    echo: Rc<echo::EngineEcho>,
    /// Where every engine of the tutor writes its log lines (shared like
    /// `log`), for the interpreter to print ([`Database::take_echo`]).
    echo_out: echo::EchoOut,
    /// The insertmanyvalues execution being sent, for the cursor events
    /// ([`Database::set_many_context`]).
    many_context: RefCell<Option<events::ManyContext>>,
    /// The engine's pool has made its DBAPI connection (the fixture's
    /// before the script runs): the `connect` event has had its turn.
    connected: std::cell::Cell<bool>,
}

/// Ctrl-C while code runs (called from the Ctrl-C handler's thread): the
/// interpreter raises `KeyboardInterrupt` at its next check
/// ([`crate::outcome::INTERRUPTED`]; SQLite's progress handler stops a
/// running statement), and a statement running on a PostgreSQL server is
/// cancelled there ([`postgresql::cancel_running`]).
pub fn interrupt() {
    crate::outcome::CTRL_C.store(true, std::sync::atomic::Ordering::SeqCst);
    crate::outcome::INTERRUPTED.store(true, std::sync::atomic::Ordering::SeqCst);
    postgresql::cancel_running();
}

/// The message of `UnboundExecutionError`, as SQLAlchemy 2.0's
/// `Session.get_bind` raises it.
pub const UNBOUND_MESSAGE: &str =
    "Could not locate a bind configured on SQL expression or this Session.";

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Database({})", self.conn.dialect().name)
    }
}

impl Database {
    /// A database over any connection.
    pub fn new(conn: Box<dyn Connection>) -> Database {
        Database {
            conn,
            log: Rc::new(RefCell::new(Vec::new())),
            bound: true,
            idle: RefCell::default(),
            logged_ahead: std::cell::Cell::new(false),
            compiled: Rc::default(),
            from_linting: Rc::new(std::cell::Cell::new(true)),
            echo: Rc::default(),
            echo_out: Rc::default(),
            many_context: RefCell::default(),
            connected: std::cell::Cell::new(true),
        }
    }

    /// Another database over `conn` whose statements go to this one's log
    /// (a learner's own `create_engine(...)`).
    pub fn sibling(&self, conn: Box<dyn Connection>) -> Database {
        Database {
            conn,
            log: self.log.clone(),
            bound: true,
            idle: RefCell::default(),
            logged_ahead: std::cell::Cell::new(false),
            compiled: Rc::default(),
            from_linting: Rc::new(std::cell::Cell::new(true)),
            echo: Rc::default(),
            echo_out: self.echo_out.clone(),
            many_context: RefCell::default(),
            connected: std::cell::Cell::new(false),
        }
    }

    /// A database over a second connection to this one's server, logging
    /// to the same log ([`Connection::connect_again`]); `None` for SQLite,
    /// whose engines keep one connection.
    ///
    /// Errors: the driver's, when the server refuses the connection.
    pub fn connect_again(&self) -> Option<Result<Database, DbError>> {
        let conn = self.conn.connect_again()?;
        Some(conn.map(|c| Database {
            compiled: self.compiled.clone(),
            from_linting: self.from_linting.clone(),
            echo: self.echo.clone(),
            ..self.sibling(c)
        }))
    }

    /// Records `sql` in the engine's compiled cache: true the first time
    /// (a cache miss, where SQLAlchemy compiles the statement and its FROM
    /// linter may warn), false when the engine compiled it before.
    pub fn first_compile(&self, sql: &str) -> bool {
        self.compiled.borrow_mut().insert(sql.to_string())
    }

    /// The engine's logging settings (`create_engine(echo=True,
    /// logging_name=..., hide_parameters=...)`, `engine.echo = ...`).
    pub fn echo(&self) -> &echo::EngineEcho {
        &self.echo
    }

    /// Takes the log lines every engine of the tutor wrote since the last
    /// call, for the step's printed output.
    pub fn take_echo(&self) -> String {
        std::mem::take(&mut *self.echo_out.borrow_mut())
    }

    /// `echo="debug"`: a result's `Col (...)` line.
    pub fn echo_columns(&self, names: &[String]) {
        self.echo.log_columns(&self.echo_out, names);
    }

    /// `echo="debug"`: the `Row (...)` logging of a result of the
    /// statement just run; `None` unless the engine logs DEBUG lines.
    pub fn row_log(&self) -> Option<echo::RowLog> {
        echo::RowLog::new(&self.echo, &self.echo_out)
    }

    /// The engine's `enable_from_linting`: whether its FROM linter warns of
    /// cartesian products.
    pub fn from_linting(&self) -> bool {
        self.from_linting.get()
    }

    /// Sets [`Database::from_linting`] (`create_engine(...,
    /// enable_from_linting=False)`), for this engine's pooled connections
    /// too.
    pub fn set_from_linting(&self, on: bool) {
        self.from_linting.set(on);
    }

    /// A connection checked out of the engine's pool, as SQLAlchemy's
    /// `QueuePool.connect()`: the oldest idle one given back by
    /// [`Database::checkin`], else a new one ([`Database::connect_again`]);
    /// `None` for SQLite, whose engines keep one connection.
    ///
    /// Errors: the driver's, when the server refuses a new connection.
    pub fn checkout(&self) -> Option<Result<Rc<Database>, DbError>> {
        let idle = self.idle.borrow_mut().pop_front();
        match idle {
            Some(db) => Some(Ok(db)),
            None => Some(self.connect_again()?.map(Rc::new)),
        }
    }

    /// Gives `pooled`, a connection of [`Database::checkout`], back to the
    /// engine's pool, as SQLAlchemy's pool does at `conn.close()` (or when
    /// the `Connection` is garbage collected): its reset-on-return rolls
    /// back whatever the DBAPI connection still has open (an aborted
    /// transaction too), without a `rollback` event. A connection the
    /// rollback fails on is dropped (closed) instead.
    pub fn checkin(&self, pooled: Rc<Database>) {
        if pooled.rollback().is_ok() {
            self.idle.borrow_mut().push_back(pooled);
        }
    }

    /// `engine.dispose()`'s pool side: closes the idle connections.
    pub fn dispose_pool(&self) {
        self.idle.borrow_mut().clear();
    }

    /// The stand-in database of a `Session()` made with no bind: every
    /// statement fails with `UnboundExecutionError` before reaching a
    /// connection (see [`Database::is_bound`]).
    pub fn unbound(&self) -> Result<Database, DbError> {
        Ok(Database {
            conn: Box::new(sqlite::SqliteConnection::open_in_memory()?),
            log: self.log.clone(),
            bound: false,
            idle: RefCell::default(),
            logged_ahead: std::cell::Cell::new(false),
            compiled: Rc::default(),
            from_linting: Rc::new(std::cell::Cell::new(true)),
            echo: Rc::default(),
            echo_out: self.echo_out.clone(),
            many_context: RefCell::default(),
            connected: std::cell::Cell::new(false),
        })
    }

    /// False for [`Database::unbound`]'s stand-in.
    pub fn is_bound(&self) -> bool {
        self.bound
    }

    /// A fresh in-memory SQLite database.
    pub fn open_in_memory() -> Result<Database, DbError> {
        Ok(Database::new(Box::new(
            sqlite::SqliteConnection::open_in_memory()?,
        )))
    }

    /// A SQLite database file, created when missing.
    pub fn open_file(path: &Path) -> Result<Database, DbError> {
        Ok(Database::new(Box::new(
            sqlite::SqliteConnection::open_file(path)?,
        )))
    }

    /// A PostgreSQL server through psycopg2's rules
    /// ([`postgresql::PgConnection`]): `url` is
    /// `postgresql[+psycopg2]://user[:password]@host[:port]/dbname`.
    ///
    /// Errors: `ArgumentError` for an unreadable URL, `OperationalError`
    /// (libpq's text) when the server cannot be reached or refuses.
    pub fn open_postgresql(url: &str) -> Result<Database, DbError> {
        Ok(Database::new(Box::new(postgresql::PgConnection::connect(
            url,
        )?)))
    }

    /// The dialect every statement for this database is compiled with.
    pub fn dialect(&self) -> &'static Dialect {
        self.conn.dialect()
    }

    /// Runs set-up SQL (fixture rows) without logging it; `params` are
    /// bound in order.
    pub fn execute_setup(&self, sql: &str, params: &[SqlValue]) -> Result<(), DbError> {
        let compiled = Compiled {
            sql: sql.to_string(),
            params: params
                .iter()
                .enumerate()
                .map(|(i, v)| crate::sql::compiler::BoundParam {
                    name: format!("param_{}", i + 1),
                    value: v.clone(),
                    callable_: None,
                })
                .collect(),
        };
        self.conn.execute(&compiled)?;
        Ok(())
    }

    /// `engine.dispose()` of an in-memory database: its connection is gone,
    /// so the next one finds an empty database; unlogged.
    pub fn reset_in_memory(&self) -> Result<(), DbError> {
        self.conn.reset_in_memory()
    }

    /// Runs a query of the tutor's own, unlogged (what the tutor checks
    /// for itself, never what the learner's code sends).
    pub fn query_setup(&self, sql: &str) -> Result<Vec<Vec<SqlValue>>, DbError> {
        self.conn.query(&Compiled::text(sql))
    }

    /// Runs set-up SQL made of several statements, unlogged.
    pub fn execute_batch_setup(&self, sql: &str) -> Result<(), DbError> {
        self.conn.execute_script(sql)
    }

    /// True when a table named `name` exists (for reopening a `--db` file).
    pub fn has_table(&self, name: &str) -> Result<bool, DbError> {
        self.conn.has_table(name)
    }

    fn record(&self, compiled: &Compiled, many: Option<&[Vec<SqlValue>]>, cause: Cause) {
        self.echo.log_first_connect(&self.echo_out);
        if self.logged_ahead.replace(false) {
            return;
        }
        // `exec_driver_sql()`'s positional parameters have no names.
        let named = matches!(
            self.dialect().paramstyle,
            crate::sql::dialect::ParamStyle::Named | crate::sql::dialect::ParamStyle::Pyformat
        ) && compiled.params.iter().all(|p| !p.name.is_empty());
        let names: Option<Vec<String>> =
            named.then(|| compiled.params.iter().map(|p| p.name.clone()).collect());
        if compiled.sql.starts_with("PRAGMA ") {
            // the SQLite dialect's reflection runs its PRAGMAs through
            // `exec_driver_sql()`
            self.echo.set_next_stats(echo::Stats::Raw);
        }
        // the parameters as the log line shows them, only when it is written
        let logged = self.echo.info();
        let shown: Vec<SqlValue> = if !logged {
            Vec::new()
        } else if self.is_server() {
            compiled.positional_values()
        } else {
            compiled
                .positional_values()
                .iter()
                .map(|v| v.pysqlite().into_owned())
                .collect()
        };
        let many_shown: Option<Vec<Vec<SqlValue>>> = many.filter(|_| logged).map(|rows| {
            rows.iter()
                .map(|r| {
                    r.iter()
                        .map(|v| {
                            if self.is_server() {
                                v.clone()
                            } else {
                                v.pysqlite().into_owned()
                            }
                        })
                        .collect()
                })
                .collect()
        });
        // SQLAlchemy's cache key, as far as the SQL shows it: the kind of
        // statement (an ORM query, a lazy load, a refresh of expired
        // attributes … are different statements with the same SQL), the
        // parameters' names, executemany or not
        let kind = match &cause {
            Cause::Query => "query".to_string(),
            Cause::Flush | Cause::Autoflush => "flush".to_string(),
            Cause::LazyLoad(a) => format!("lazy {a}"),
            Cause::EagerLoad(a) => format!("eager {a}"),
            // every expired attribute reloads at once
            Cause::ExpiredReload(_) => "expired".to_string(),
            Cause::DeferredLoad(a) => format!("deferred {a}"),
        };
        let key = format!(
            "{kind}\u{0}{}\u{0}{}\u{0}{}",
            many.is_some(),
            compiled.positiontup().join(","),
            compiled.sql
        );
        self.echo.log_statement(
            &self.echo_out,
            &key,
            &compiled.sql,
            &shown,
            names.as_deref(),
            many_shown.as_deref(),
        );
        self.log.borrow_mut().push(Event::Statement(SentStatement {
            sql: compiled.sql.clone(),
            params: if many.is_some() {
                Vec::new()
            } else {
                compiled.positional_values()
            },
            many: many.map(|m| m.to_vec()),
            names,
            server: self.is_server().then_some("PostgreSQL"),
            cause,
            elapsed: Default::default(),
        }));
    }

    /// Runs the driver call of the statement just [`record`](Self::record)ed,
    /// noting its time on it.
    fn timed<T>(&self, call: impl FnOnce() -> T) -> T {
        let start = std::time::Instant::now();
        let out = call();
        let took = start.elapsed();
        if let Some(Event::Statement(s)) = self.log.borrow_mut().last_mut() {
            s.elapsed = crate::outcome::Elapsed(Some(took));
        }
        out
    }

    /// Logs a statement without sending it: what SQLAlchemy's engine logs
    /// before a driver call that fails outside `await` (`MissingGreenlet`).
    pub fn log_unsent(&self, compiled: &Compiled, cause: Cause) {
        self.record(compiled, None, cause);
    }

    /// Logs a statement whose driver call comes later (SQLAlchemy's
    /// `before_cursor_execute`, then a wait for the connection): the next
    /// statement this database records is this one, not logged again.
    pub fn log_ahead(&self, compiled: &Compiled, cause: Cause) {
        self.record(compiled, None, cause);
        self.logged_ahead.set(true);
    }

    /// Forgets a [`log_ahead`](Self::log_ahead) whose driver call will not
    /// come (its statement failed before reaching the driver).
    pub fn cancel_log_ahead(&self) {
        self.logged_ahead.set(false);
    }

    /// Logs a transaction event (`BEGIN (implicit)`, `COMMIT`, `ROLLBACK`).
    pub fn log_tx(&self, event: TxEvent) {
        self.echo.log_first_connect(&self.echo_out);
        let line = match event {
            TxEvent::Begin => "BEGIN (implicit)",
            other => other.name(),
        };
        self.echo.log_info(&self.echo_out, line);
        self.log.borrow_mut().push(Event::Tx(event));
    }

    /// Takes the events logged since the last call.
    pub fn take_events(&self) -> Vec<Event> {
        std::mem::take(&mut *self.log.borrow_mut())
    }

    /// The engine's identity, shared by its pooled connections: what
    /// `event.listen(engine, …)` listeners are keyed by.
    pub fn engine_key(&self) -> usize {
        Rc::as_ptr(&self.echo) as usize
    }

    /// Fires `before_cursor_execute`/`after_cursor_execute`
    /// ([`events`]) for `compiled` when this engine's statements have
    /// listeners.
    fn cursor_event(
        &self,
        name: &'static str,
        compiled: &Compiled,
        many: Option<&[Vec<SqlValue>]>,
    ) -> Result<(), DbError> {
        let engine = self.engine_key();
        if !events::listened(engine) {
            return Ok(());
        }
        let context = self.many_context.borrow().clone();
        if let Some(c) = context.filter(|_| name == "after_cursor_execute") {
            return events::fire(&events::CursorExecute {
                name,
                engine,
                statement: &c.statement,
                params: Vec::new(),
                names: c.names,
                many: Some(c.rows),
                executemany: true,
                server: self.is_server(),
            });
        }
        let insertmany = self.many_context.borrow().is_some();
        let named = matches!(
            self.dialect().paramstyle,
            crate::sql::dialect::ParamStyle::Named | crate::sql::dialect::ParamStyle::Pyformat
        ) && compiled.params.iter().all(|p| !p.name.is_empty());
        events::fire(&events::CursorExecute {
            name,
            engine,
            statement: &compiled.sql,
            params: if many.is_some() {
                Vec::new()
            } else {
                compiled.positional_values()
            },
            names: named.then(|| compiled.params.iter().map(|p| p.name.clone()).collect()),
            many: many.map(<[Vec<SqlValue>]>::to_vec),
            executemany: many.is_some() || insertmany,
            server: self.is_server(),
        })
    }

    /// Notes the insertmanyvalues execution whose batches are sent next
    /// (`None` once they are): what the cursor events are given.
    pub fn set_many_context(&self, context: Option<events::ManyContext>) {
        *self.many_context.borrow_mut() = context;
    }

    /// True when this engine's statements have cursor event listeners.
    pub fn has_cursor_listeners(&self) -> bool {
        events::listened(self.engine_key())
    }

    /// [`Self::record`] with the cursor events around the driver call.
    fn around<T>(
        &self,
        compiled: &Compiled,
        many: Option<&[Vec<SqlValue>]>,
        cause: Cause,
        call: impl FnOnce() -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        if !self.connected.replace(true) {
            // the pool's first connection: `PoolEvents.connect`
            events::fire_connect(self.engine_key())?;
        }
        self.cursor_event("before_cursor_execute", compiled, many)?;
        self.record(compiled, many, cause);
        let out = self.timed(call)?;
        self.cursor_event("after_cursor_execute", compiled, many)?;
        Ok(out)
    }

    /// Runs a SELECT (logged under `cause`) and returns its rows.
    pub fn query(&self, compiled: &Compiled, cause: Cause) -> Result<Vec<Vec<SqlValue>>, DbError> {
        self.around(compiled, None, cause, || self.conn.query(compiled))
    }

    /// Runs a SELECT (logged under `cause`), handing each row to `each` as
    /// it is read ([`Connection::query_each`]); the time noted on the
    /// statement includes `each`'s.
    ///
    /// Errors: the driver's.
    pub fn query_each(
        &self,
        compiled: &Compiled,
        cause: Cause,
        repeated: Option<RepeatedColumns>,
        each: &mut dyn FnMut(&[SqlValue]) -> bool,
    ) -> Result<(), DbError> {
        self.around(compiled, None, cause, || match repeated {
            Some(r) => self.conn.query_each_repeating(compiled, r, each),
            None => self.conn.query_each(compiled, each),
        })
    }

    /// Runs a statement that returns rows (logged under `cause`): its
    /// column names and rows.
    pub fn query_with_names(
        &self,
        compiled: &Compiled,
        cause: Cause,
    ) -> Result<(Vec<String>, Vec<Vec<SqlValue>>), DbError> {
        let result = self.around(compiled, None, cause, || {
            self.conn.query_with_names(compiled)
        });
        if let Ok((names, _)) = &result {
            // `echo="debug"`: the result's columns; its rows are logged as
            // the result hands them out ([`Database::row_log`])
            self.echo_columns(names);
        }
        result
    }

    /// Runs an INSERT, UPDATE or DELETE (logged under `cause`), returning
    /// what it did; with `RETURNING`, the returned rows.
    pub fn execute(&self, compiled: &Compiled, cause: Cause) -> Result<ExecResult, DbError> {
        self.around(compiled, None, cause, || self.conn.execute(compiled))
    }

    /// `cursor.executemany()`: one statement, several parameter rows (in the
    /// order of `compiled.params`), logged once with every row.
    pub fn execute_many(
        &self,
        compiled: &Compiled,
        rows: &[Vec<SqlValue>],
        cause: Cause,
    ) -> Result<ExecResult, DbError> {
        self.around(compiled, Some(rows), cause, || {
            self.conn.executemany(compiled, rows)
        })
    }

    /// Runs a DDL statement (`CREATE TABLE`), logged under `cause`.
    pub fn execute_ddl(&self, sql: &str, cause: Cause) -> Result<(), DbError> {
        self.echo.set_next_stats(echo::Stats::NoKey);
        self.around(&Compiled::text(sql), None, cause, || {
            self.conn.execute_script(sql)
        })
    }

    /// True while the driver's connection has a transaction open (pysqlite:
    /// after DML; psycopg2: after any statement).
    pub fn in_transaction(&self) -> bool {
        self.conn.in_transaction()
    }

    /// The driver's `commit()`: `COMMIT` if a transaction is open.
    pub fn commit(&self) -> Result<(), DbError> {
        self.conn.commit()
    }

    /// The driver's `rollback()`: `ROLLBACK` if a transaction is open.
    pub fn rollback(&self) -> Result<(), DbError> {
        self.conn.rollback()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compiled(sql: &str, params: Vec<SqlValue>) -> Compiled {
        Compiled {
            sql: sql.into(),
            params: params
                .into_iter()
                .map(|value| crate::sql::compiler::BoundParam {
                    name: "param_1".into(),
                    value,
                    callable_: None,
                })
                .collect(),
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
    fn sqlite_engines_keep_one_connection_so_nothing_is_pooled() {
        let db = Database::open_in_memory().unwrap();
        assert!(db.checkout().is_none());
        db.dispose_pool();
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

#[cfg(test)]
mod dialect_tests {
    use super::*;

    #[test]
    fn the_sqlite_database_reports_the_pysqlite_dialect() {
        let db = Database::open_in_memory().unwrap();
        assert_eq!(db.dialect().name, "sqlite");
        assert_eq!(db.dialect().driver, "pysqlite");
    }
}
