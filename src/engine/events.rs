//! SQLAlchemy's `sqlalchemy.engine.events` as this room fires them:
//! `ConnectionEvents.before_cursor_execute` / `after_cursor_execute`
//! around each statement an engine sends. The listeners are Python
//! functions the rooms above hold; they install the hook that runs them
//! ([`set_hook`]). Nothing is fired while none is registered.

use std::cell::{Cell, RefCell};

use super::DbError;
use crate::sql::schema::SqlValue;

/// A statement about to be sent, or just sent, by an engine.
pub struct CursorExecute<'a> {
    /// `before_cursor_execute` or `after_cursor_execute`.
    pub name: &'static str,
    /// The engine's identity ([`super::Database::engine_key`]).
    pub engine: usize,
    /// The statement's text, as the driver gets it.
    pub statement: &'a str,
    /// Its parameters in order (one row; empty for executemany).
    pub params: Vec<SqlValue>,
    /// Their names, for a named/pyformat driver (psycopg2's dict).
    pub names: Option<Vec<String>>,
    /// executemany's rows.
    pub many: Option<Vec<Vec<SqlValue>>>,
    /// The `executemany` flag listeners get: true for executemany and for
    /// each batch of an insertmanyvalues execution.
    pub executemany: bool,
    /// True on a server driver (psycopg2), false on pysqlite.
    pub server: bool,
}

/// What runs the listeners of a cursor event; an error raised is kept by
/// the hook and taken back with [`take_error`]'s caller.
pub type CursorHook = fn(&CursorExecute) -> Result<(), DbError>;

/// What runs the `connect` listeners of an engine (its
/// [`super::Database::engine_key`]) on its new DBAPI connection.
pub type ConnectHook = fn(engine: usize) -> Result<(), DbError>;

thread_local! {
    static CONNECT_HOOK: Cell<Option<ConnectHook>> = const { Cell::new(None) };
    static CONNECT_ENGINES: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
    static CONNECT_ALL: Cell<bool> = const { Cell::new(false) };
    static HOOK: Cell<Option<CursorHook>> = const { Cell::new(None) };
    static ENGINES: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
    static ALL: Cell<bool> = const { Cell::new(false) };
}

/// Installs the function that runs listeners.
pub fn set_hook(hook: CursorHook) {
    HOOK.with(|h| h.set(Some(hook)));
}

/// The engines with cursor listeners (`all`: a listener on the `Engine`
/// class, for every engine).
pub fn set_listened(engines: Vec<usize>, all: bool) {
    ENGINES.with(|e| *e.borrow_mut() = engines);
    ALL.with(|a| a.set(all));
}

/// True when an engine's statements have listeners.
pub fn listened(engine: usize) -> bool {
    ALL.with(Cell::get) || ENGINES.with(|e| e.borrow().contains(&engine))
}

/// Installs the function that runs `connect` listeners.
pub fn set_connect_hook(hook: ConnectHook) {
    CONNECT_HOOK.with(|h| h.set(Some(hook)));
}

/// The engines with `connect` listeners (`all`: on the `Engine` class).
pub fn set_connect_listened(engines: Vec<usize>, all: bool) {
    CONNECT_ENGINES.with(|e| *e.borrow_mut() = engines);
    CONNECT_ALL.with(|a| a.set(all));
}

/// Runs the `connect` listeners of `engine`, if it has any.
pub fn fire_connect(engine: usize) -> Result<(), DbError> {
    let listened =
        CONNECT_ALL.with(Cell::get) || CONNECT_ENGINES.with(|e| e.borrow().contains(&engine));
    match CONNECT_HOOK.with(Cell::get) {
        Some(hook) if listened => hook(engine),
        _ => Ok(()),
    }
}

/// Runs the listeners of `event`.
pub fn fire(event: &CursorExecute) -> Result<(), DbError> {
    match HOOK.with(Cell::get) {
        Some(hook) => hook(event),
        None => Ok(()),
    }
}

/// The kind of [`DbError`] a hook returns for a listener's own exception
/// (kept by the hook, raised as it was).
pub const LISTENER_ERROR: &str = "ListenerError";

/// The insertmanyvalues execution the statements sent next belong to
/// (SQLAlchemy's `_exec_insertmany_context`): each batch's
/// `before_cursor_execute` says `executemany=True`, and its
/// `after_cursor_execute` is given this statement and every row.
#[derive(Debug, Clone)]
pub struct ManyContext {
    /// The statement as compiled for one row.
    pub statement: String,
    /// Every row's parameters, in the statement's order.
    pub rows: Vec<Vec<SqlValue>>,
    /// Their names, for a named/pyformat driver.
    pub names: Option<Vec<String>>,
}
