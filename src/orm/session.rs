//! The Session (SQLAlchemy's `orm/session.py`): its public operations
//! (`add`, `delete`, `get`, `flush`, `commit`, `rollback`, `close`,
//! `expunge`, `merge`, `refresh`, `expire`) and ORM query execution, with
//! SQLAlchemy 2.0's defaults (autoflush on, expire_on_commit on). Its
//! transaction is in [`super::session_transaction`], its identity map in
//! [`super::identity`], loading in [`super::loading`].

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use crate::engine::{Database, DbError};
use crate::outcome::Cause;
use crate::python::ExcType;
use crate::python::exceptions::{PyErr, PyResult, invalid_request};
use crate::python::value::Value;
use crate::sql::compiler::{self, Compiled};
use crate::sql::elements::{LabelStyle, Select};
use crate::sql::schema::SqlValue;

use super::attributes::{
    collections_changed, expire_instance, get_attribute, objects_in, set_column_attribute,
};
use super::identity::{IdentityMap, RowKey, identity_key, identity_key_repr, instance_key};
use super::mapper::{Mapper, Registry, Relationship};
use super::query::{Query, RowPlan};
use super::session_transaction::SessionTx;
use super::state::{FastHash, Instance, InstanceCell, Obj, ObjectState, next_address, state_str};
use super::strategy_options::LoaderOption;

thread_local! {
    static SESSIONS: RefCell<Vec<Weak<Session>>> = const { RefCell::new(Vec::new()) };
    static NEXT_UID: Cell<u64> = const { Cell::new(1) };
}

/// What [`Session::execute_text`] gives: the column names of a statement
/// that returns rows, its rows, and the rowcount (`-1` for rows).
pub type TextRows = (Option<Vec<String>>, Vec<Vec<SqlValue>>, i64);

/// The number a session is known by in messages (`Session(engine)`
/// numbers them 1, 2, … per tutor), from its unique id.
pub fn display_id(uid: u64) -> u32 {
    session_by_id(uid).map(|s| s.id).unwrap_or(0)
}

/// The live session with this unique id.
pub fn session_by_id(id: u64) -> Option<Rc<Session>> {
    SESSIONS.with(|s| {
        s.borrow()
            .iter()
            .filter_map(Weak::upgrade)
            .find(|sess| sess.uid == id)
    })
}

/// `make_transient(obj)`, as SQLAlchemy 2.0's `orm.session.make_transient()`:
/// the object leaves its Session (if any) and loses its identity key, so
/// it is transient again — adding it back INSERTs it with the values it
/// holds. Expired attributes are forgotten, not loaded: they read `None`
/// afterwards. Loaded values, relationships included, stay.
pub fn make_transient(obj: &Obj) {
    let held_by = obj.borrow().session.and_then(session_by_id);
    if let Some(s) = held_by {
        s.detach(obj);
    }
    let mut o = obj.borrow_mut();
    o.session = None;
    o.key = None;
    o.marked_deleted = false;
    o.deleted_flushed = false;
    o.gone = false;
    o.clear_expired();
}

/// `make_transient_to_detached(obj)`, as SQLAlchemy 2.0's
/// `orm.session.make_transient_to_detached()`: a transient object gets the
/// identity key of the primary-key values it holds (`None` where unset)
/// and every attribute it has no value for is marked expired, so it
/// behaves as a detached object loaded earlier: `session.add()` makes it
/// persistent without a SELECT, and an unset attribute loads on access.
///
/// Errors: `InvalidRequestError("Given object must be transient")` for an
/// object that has a Session or an identity key.
pub fn make_transient_to_detached(obj: &Obj) -> PyResult<()> {
    let mut o = obj.borrow_mut();
    if o.session.is_some() || o.key.is_some() {
        return Err(invalid_request("Given object must be transient"));
    }
    let mapper = o.mapper.clone();
    let key: Vec<Value> = mapper
        .primary_key()
        .into_iter()
        .map(|p| {
            mapper
                .columns
                .iter()
                .find(|(_, c)| *c == p)
                .and_then(|(k, _)| o.dict.get(k).cloned())
                .unwrap_or(Value::None)
        })
        .collect();
    o.key = Some(key.into());
    for name in mapper.attribute_names() {
        if !o.dict.contains_key(&name) {
            o.expire_attribute(&name);
        }
    }
    Ok(())
}

/// `sqlalchemy.orm.close_all_sessions()`: closes every live session, the
/// oldest first, as SQLAlchemy 2.0's (which walks its `_sessions` registry).
///
/// Errors: the sync session of an `AsyncSession` holding a connection
/// rolls back outside `await`: its `ROLLBACK` is logged and the session
/// closed, then `MissingGreenlet` stops the walk, as SQLAlchemy's
/// `await_only()` does. `in_greenlet` (the async `close_all_sessions()`,
/// `AsyncSession.close_all()`) lets it roll back.
pub fn close_all_sessions() -> PyResult<()> {
    let all: Vec<Rc<Session>> =
        SESSIONS.with(|s| s.borrow().iter().filter_map(Weak::upgrade).collect());
    for s in all {
        let connected =
            s.tx.borrow()
                .as_ref()
                .is_some_and(|t| t.connection_begun && t.joined.is_none());
        s.close()?;
        if connected && s.requires_greenlet.get() && !super::concurrency::in_greenlet() {
            return Err(super::concurrency::missing_greenlet());
        }
    }
    Ok(())
}

/// Rows an ORM query produced: one value per entity per row.
#[derive(Debug, Clone)]
pub struct LoadedRows {
    /// The rows' values one after another, `keys.len()` a row (one
    /// allocation for all the rows: [`LoadedRows::into_rows`] splits them).
    pub values: Vec<Value>,
    /// How many rows.
    pub count: usize,
    /// Row keys, one per entity (`User`, `name`, `count`).
    pub keys: Vec<String>,
    /// A joined eager load of a collection was part of the query
    /// (`select()` results then need `.unique()`).
    pub joined_collection: bool,
    /// `echo="debug"`: the cursor's rows' `Row (...)` lines, logged when
    /// dropped unless a result takes them ([`LoadedRows::take_row_lines`]).
    pub row_lines: RowLines,
    /// The selectin and subquery eager loads a `session.execute()` result
    /// runs at its first read ([`Session::defer_post_loads`]).
    pub post_loads: Option<Rc<super::loading::PendingPostLoads>>,
}

/// `echo="debug"`: the `Row (...)` lines of one statement's rows (their
/// values' reprs after the result processors), not logged yet. SQLAlchemy's
/// `loading.instances` fetches every row of an ORM result when the result
/// is first read, so a result keeps them until then; a load read at once (a
/// lazy load, `Query.all()`, `Session.get()`) logs them when dropped.
#[derive(Debug, Default)]
pub struct RowLines(Option<(crate::engine::echo::RowLog, Vec<Vec<String>>)>);

impl RowLines {
    /// Logs the lines (once).
    pub fn emit(&mut self) {
        if let Some((log, rows)) = self.0.take() {
            for row in &rows {
                log.row(row);
            }
        }
    }

    /// The logging these lines go to, forgetting the lines (a Core result
    /// logs its rows one at a time as it hands them out instead).
    pub fn into_log(mut self) -> Option<crate::engine::echo::RowLog> {
        self.0.take().map(|(log, _)| log)
    }
}

/// `echo="debug"`: a row's values' reprs as the result processors give
/// them (`types`: each position's type, where known).
fn row_reprs(
    row: &[SqlValue],
    types: Option<&[Option<crate::sql::schema::SqlType>]>,
) -> Vec<String> {
    row.iter()
        .enumerate()
        .map(|(i, v)| {
            let ty = types.and_then(|t| t.get(i)).and_then(Option::as_ref);
            crate::python::format::repr_plain(&super::expression::result_value(v, ty))
        })
        .collect()
}

/// A copy owes no lines: the original logs them.
impl Clone for RowLines {
    fn clone(&self) -> Self {
        RowLines(None)
    }
}

impl Drop for RowLines {
    fn drop(&mut self) {
        self.emit();
    }
}

impl LoadedRows {
    /// The `Row (...)` lines, for a result that logs them at its first read.
    pub fn take_row_lines(&mut self) -> RowLines {
        std::mem::take(&mut self.row_lines)
    }

    /// Values per row: one per entity.
    pub fn width(&self) -> usize {
        self.keys.len()
    }

    /// The rows, each a `Vec` of its entities' values.
    pub fn into_rows(self) -> Vec<Vec<Value>> {
        let width = self.width();
        let mut values = self.values.into_iter();
        (0..self.count)
            .map(|_| values.by_ref().take(width).collect())
            .collect()
    }
}

/// What `Session.get()` takes besides the class and key: loader options
/// (`options=[selectinload(User.messages)]`) and `populate_existing=True`.
#[derive(Debug, Clone, Default)]
pub struct GetOptions {
    pub options: Vec<Rc<LoaderOption>>,
    pub populate_existing: bool,
}

/// An engine as a `sessionmaker` remembers it: its number among the
/// engines of the interpreter (the fixture's is 0) and its URL.
#[derive(Debug, Clone, PartialEq)]
pub struct EngineRef {
    pub id: usize,
    /// `sqlite://`, `sqlite:///app.db`, …
    pub url: String,
    /// `create_engine(..., echo=True)`: `engine.echo` (None when not given).
    pub echo: Option<bool>,
}

/// The detail SQLAlchemy 2.0's `Session._autoflush` adds to a
/// `StatementError` raised by an autoflush, printed first, in parentheses.
pub const AUTOFLUSH_DETAIL: &str = "(raised as a result of Query-invoked autoflush; consider using a session.no_autoflush block if this flush is occurring prematurely)\n";

/// What a `Session` is made with: `Session(engine, autoflush=...,
/// expire_on_commit=...)`, or a `sessionmaker(...)`'s defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionConfig {
    pub autoflush: bool,
    pub expire_on_commit: bool,
    /// The engine, or `None` for an unbound session.
    pub bind: Option<EngineRef>,
}

impl Default for SessionConfig {
    /// SQLAlchemy 2.0's defaults: autoflush and expire_on_commit on.
    fn default() -> SessionConfig {
        SessionConfig {
            autoflush: true,
            expire_on_commit: true,
            bind: None,
        }
    }
}

/// A Session.
#[derive(Debug)]
pub struct Session {
    /// The number shown in messages (`session '2'`), per tutor.
    pub id: u32,
    /// Unique among every session of the process: what objects refer to,
    /// so two tutors in one thread never share objects.
    pub uid: u64,
    pub db: Rc<Database>,
    pub registry: Rc<Registry>,
    pub(super) identity_map: RefCell<IdentityMap>,
    /// Objects with changes not yet flushed: held strongly, as SQLAlchemy
    /// holds modified objects, while the identity map holds the rest weakly.
    pub(super) modified: RefCell<super::state::ObjSet>,
    pub(super) new: RefCell<Vec<Obj>>,
    pub(super) deleted: RefCell<Vec<Obj>>,
    pub(super) tx: RefCell<Option<SessionTx>>,
    pub autoflush: Cell<bool>,
    /// `Session(engine, expire_on_commit=False)` turns it off: `commit()`
    /// then leaves loaded attributes as they are (SQLAlchemy's default: on).
    pub expire_on_commit: Cell<bool>,
    /// Depth of `with session.no_autoflush:` blocks.
    pub autoflush_paused: Cell<u32>,
    /// Inside `flush()`: no autoflush, no nested flush.
    pub(super) flushing: Cell<bool>,
    /// The `sync_session` of an `AsyncSession`: its IO needs the greenlet
    /// bridge ([`super::concurrency`]).
    pub requires_greenlet: Cell<bool>,
    /// Set to `Some(vec![])` to have the next [`Session::stream_compiled_select`]
    /// read `cursor.description`'s column names into it (Core's keys for a
    /// select's `text()` columns).
    pub cursor_names: RefCell<Option<Vec<String>>>,
    /// `echo="debug"`: the types of the row positions of the next SELECT
    /// run ([`Session::stream_compiled_select`],
    /// [`Session::run_compiled_select`]), set by its loader, for the
    /// values of its `Row (...)` lines.
    pub(super) row_types: RefCell<Option<Vec<Option<crate::sql::schema::SqlType>>>>,
    /// Set by `loading.instances`: the next
    /// [`Session::stream_compiled_select`] keeps its `Row (...)` lines in
    /// [`Session::loaded_row_lines`] for the result instead of logging them.
    pub(super) keep_row_lines: Cell<bool>,
    /// The columns of the next streamed SELECT's entity whose rows repeat
    /// it (`loading.instances` with a joined eager load of a collection),
    /// taken by [`Session::stream_compiled_select`] for the driver.
    pub(super) repeated_columns: Cell<Option<crate::engine::RepeatedColumns>>,
    /// The `Row (...)` lines kept for `loading.instances`.
    pub(super) loaded_row_lines: RefCell<RowLines>,
    /// Set by [`Session::defer_post_loads`]: the next `loading.instances`
    /// leaves its selectin and subquery eager loads to the result's first
    /// read ([`LoadedRows::post_loads`]).
    pub(super) post_loads_deferred: Cell<bool>,
    /// `session.execute(select(…), {"y": 1})`'s parameters, by name: the
    /// next [`Session::compile_select_for_run`] takes them, as SQLAlchemy's
    /// `construct_params` gives the statement's parameters of those names
    /// (a `bindparam("y")`'s, or an anonymous `id_1`'s) the values given.
    pub execute_params: RefCell<Option<Vec<(String, SqlValue)>>>,
    /// An `AsyncSession`'s transaction is opening its connection (in a task
    /// now suspended): SQLAlchemy's `PROVISIONING_CONNECTION` state.
    pub provisioning: Cell<bool>,
    /// An `AsyncSession`'s `commit()` or `rollback()` waiting on the
    /// driver's COMMIT/ROLLBACK (in a task now suspended): the method, as
    /// SQLAlchemy's `_StateChange` has it in progress.
    pub(super) changing: Cell<Option<&'static str>>,
    /// The connection of the transaction `changing` is ending, while its
    /// COMMIT/ROLLBACK is awaited (the session's transaction is detached
    /// meanwhile, its connection still in use).
    pub(super) ending_connection: RefCell<Option<Rc<super::concurrency::PooledConnection>>>,
    /// The executor of a Core `AsyncConnection` once started: on asyncpg its
    /// driver calls are awaited on the loop's socket
    /// ([`super::concurrency::io_await_network`]).
    pub(super) core_async: Cell<bool>,
    /// The Core connection of `Session(conn)` ([`super::session_bind`]).
    pub(super) connection_bind: RefCell<Option<Rc<dyn super::session_bind::ConnectionBind>>>,
    /// The engine (or Core connection) value it was made with, for
    /// `session.bind` and `session.get_bind()`; `None`: the fixture's.
    pub bind: RefCell<Option<Value>>,
    /// `session.info`: a dict made at first use, as SQLAlchemy's.
    pub info: RefCell<Option<Value>>,
    /// `session.add()` began the session's transaction (SQLAlchemy's
    /// autobegin) though no connection is in use yet: a `rollback()` then
    /// ends it (`after_rollback`).
    pub autobegun: Cell<bool>,
    /// Inside an `after_commit` listener: the committed transaction is
    /// still the session's.
    pub event_transaction: Cell<bool>,
    /// The `sessionmaker` that made it (its address), for the factory's
    /// event listeners; 0 for `Session(...)`.
    pub factory: Cell<usize>,
}

/// A driver error as SQLAlchemy raises it: `(sqlite3.OperationalError) …`
/// then `[SQL: …]` and `[parameters: …]` for the statement.
///
/// A statement the tutor stopped (`engine::sqlite`: Ctrl-C, or past its
/// budget of steps or values) raises the tutor's own `KeyboardInterrupt`,
/// `RuntimeError` or `MemoryError`, not a DBAPI error; so is pysqlite's
/// `OverflowError` for an `int` past 64 bits.
pub fn db_error(e: DbError, compiled: Option<&Compiled>) -> PyErr {
    statement_error(e, compiled, None)
}

/// [`db_error`] for an executemany (`cursor.executemany`, the flush's
/// batched INSERT/UPDATE/DELETE): its `[parameters: …]` is the list of
/// parameter sets, at most 10 shown, as SQLAlchemy's `_repr_params`.
pub fn db_error_many(e: DbError, compiled: &Compiled, rows: &[Vec<SqlValue>]) -> PyErr {
    statement_error(e, Some(compiled), Some(rows))
}

fn statement_error(
    e: DbError,
    compiled: Option<&Compiled>,
    many: Option<&[Vec<SqlValue>]>,
) -> PyErr {
    if e.kind == crate::engine::events::LISTENER_ERROR
        && let Some(err) = super::events::take_error()
    {
        return err;
    }
    if let kind @ ("KeyboardInterrupt" | "RuntimeError" | "MemoryError" | "OverflowError") = e.kind
    {
        return PyErr::new(
            ExcType::from_name(kind).unwrap_or(ExcType::RuntimeError),
            e.message,
        );
    }
    let mut message = e.to_string();
    // a failed connect is no statement's error: SQLAlchemy's message ends
    // with psycopg2's (its "Background on this error" line left out)
    let compiled = compiled.filter(|_| !e.at_connect);
    if e.at_connect {
        message.truncate(message.trim_end().len());
    }
    if let Some(c) = compiled {
        message.push_str(&format!("\n[SQL: {}]", c.sql));
        // psycopg2 is sent a dict, pysqlite a tuple; SQLAlchemy's
        // `StatementError` leaves out empty parameters.
        let named = e
            .class
            .as_deref()
            .is_some_and(|c| c.starts_with("psycopg2"));
        if let Some(rows) = many {
            message.push_str(&format!(
                "\n[parameters: {}]",
                params_many_repr(c, rows, named)
            ));
        } else {
            let positional = c.positional_values();
            if !positional.is_empty() {
                let params = if named {
                    params_dict_repr(c)
                } else {
                    params_repr(&positional)
                };
                message.push_str(&format!("\n[parameters: {params}]"));
            }
        }
    }
    PyErr::new(
        ExcType::from_name(e.kind).unwrap_or(ExcType::DatabaseError),
        message,
    )
}

/// An executemany's parameter sets as SQLAlchemy's error messages show
/// them: a list of tuples (psycopg2: dicts by name), past 10 sets the first
/// 8 and the last 2 around `... displaying 10 of N total bound parameter
/// sets ...`.
fn params_many_repr(c: &Compiled, rows: &[Vec<SqlValue>], named: bool) -> String {
    let names = c.positiontup();
    let one = |row: &Vec<SqlValue>| {
        if named {
            let mut seen: Vec<&str> = Vec::new();
            let mut items = Vec::new();
            for (name, v) in names.iter().zip(row) {
                if !seen.contains(name) {
                    seen.push(name);
                    items.push(format!("'{name}': {}", param_repr(v)));
                }
            }
            format!("{{{}}}", items.join(", "))
        } else {
            params_repr(row)
        }
    };
    crate::engine::echo::param_sets_repr(rows, one)
}

/// One parameter as SQLAlchemy's error messages show it.
fn param_repr(p: &SqlValue) -> String {
    match p {
        SqlValue::Null => "None".to_string(),
        SqlValue::Integer(i) => i.to_string(),
        SqlValue::Real(f) => crate::python::value::float_repr(*f),
        SqlValue::Text(s) => crate::python::value::str_repr(s),
        SqlValue::Blob(_) => "b'…'".to_string(),
        SqlValue::Numeric(d) => crate::python::types::decimal::repr(d),
        SqlValue::Bool(b) => crate::python::format::repr_plain(&Value::Bool(*b)),
        SqlValue::Timestamp(dt) => crate::python::value::datetime_repr(dt),
        SqlValue::Date(d) => crate::python::format::repr_plain(&Value::Date(*d)),
        SqlValue::Time(t) => crate::python::types::time::repr(t),
        SqlValue::BigInt(n) => n.to_string(),
        SqlValue::Array(items) => format!(
            "[{}]",
            items.iter().map(param_repr).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// A psycopg2 statement's parameters as SQLAlchemy's error messages show
/// them: a Python dict by name (`{'name': 'Dup', 'role_id': None}`).
fn params_dict_repr(c: &Compiled) -> String {
    let mut seen: Vec<&str> = Vec::new();
    let mut items = Vec::new();
    for p in &c.params {
        if !seen.contains(&p.name.as_str()) {
            seen.push(&p.name);
            items.push(format!("'{}': {}", p.name, param_repr(&p.value)));
        }
    }
    format!("{{{}}}", items.join(", "))
}

/// Parameters as SQLAlchemy's error messages show them: a Python tuple.
pub fn params_repr(params: &[SqlValue]) -> String {
    let items: Vec<String> = params.iter().map(param_repr).collect();
    if items.len() == 1 {
        format!("({},)", items[0])
    } else {
        format!("({})", items.join(", "))
    }
}

/// Every object the delete cascade reaches from `obj`, appended to `seen`
/// depth first, as SQLAlchemy's `Mapper.cascade_iterator("delete")`: each
/// relationship's objects are loaded together, then each one's own
/// cascade is followed before the next.
fn delete_cascade(obj: &Obj, seen: &mut Vec<Obj>) -> PyResult<()> {
    let mapper = obj.borrow().mapper.clone();
    let rels: Vec<Rc<Relationship>> = mapper.relationships.borrow().clone();
    for rel in rels {
        if !rel.decl.cascade.delete {
            continue;
        }
        // `passive_deletes=True`: only children already loaded cascade;
        // the database's `ON DELETE CASCADE` removes the others.
        let loaded = obj.borrow().dict.get(&rel.key).cloned();
        let v = match loaded {
            None if rel.decl.passive_deletes != crate::orm::schema_items::PassiveDeletes::Off => {
                continue;
            }
            Some(v) => v,
            None => get_attribute(obj, &rel.key)?,
        };
        for child in objects_in(&v) {
            if seen.iter().any(|s| Rc::ptr_eq(s, &child)) {
                continue;
            }
            seen.push(child.clone());
            delete_cascade(&child, seen)?;
        }
    }
    Ok(())
}

impl Session {
    /// A new session on `db`, registered so instances can find it by id.
    pub fn new(id: u32, db: Rc<Database>, registry: Rc<Registry>) -> Rc<Session> {
        let uid = NEXT_UID.with(|n| {
            let v = n.get();
            n.set(v + 1);
            v
        });
        let s = Rc::new(Session {
            id,
            uid,
            db,
            registry,
            identity_map: RefCell::new(IdentityMap::default()),
            modified: RefCell::default(),
            new: RefCell::new(Vec::new()),
            deleted: RefCell::new(Vec::new()),
            tx: RefCell::new(None),
            autoflush: Cell::new(true),
            expire_on_commit: Cell::new(true),
            autoflush_paused: Cell::new(0),
            flushing: Cell::new(false),
            requires_greenlet: Cell::new(false),
            cursor_names: RefCell::new(None),
            row_types: RefCell::new(None),
            keep_row_lines: Cell::new(false),
            repeated_columns: Cell::new(None),
            loaded_row_lines: RefCell::default(),
            post_loads_deferred: Cell::new(false),
            execute_params: RefCell::new(None),
            provisioning: Cell::new(false),
            changing: Cell::new(None),
            ending_connection: RefCell::new(None),
            core_async: Cell::new(false),
            connection_bind: RefCell::new(None),
            bind: RefCell::new(None),
            info: RefCell::new(None),
            autobegun: Cell::new(false),
            event_transaction: Cell::new(false),
            factory: Cell::new(0),
        });
        SESSIONS.with(|all| {
            let mut all = all.borrow_mut();
            all.retain(|w| w.strong_count() > 0);
            all.push(Rc::downgrade(&s));
        });
        s
    }

    /// The dialect of the session's database: what its statements are
    /// compiled for (SQLAlchemy's `session.get_bind().dialect`).
    pub fn dialect(&self) -> &'static crate::sql::dialect::Dialect {
        self.db.dialect()
    }

    /// Notes the echo log's insertmanyvalues stats for the next statement
    /// sent: batch `batch` of `total` (`ordered`: RETURNING's rows in the
    /// parameters' order; `downgraded`: one row a statement, where the
    /// dialect cannot keep that order in a batch).
    pub fn echo_insertmanyvalues(
        &self,
        batch: usize,
        total: usize,
        ordered: bool,
        downgraded: bool,
    ) {
        self.db
            .echo()
            .set_next_stats(crate::engine::echo::Stats::InsertManyValues {
                batch,
                total,
                ordered,
                downgraded,
            });
    }

    /// The pages of an insertmanyvalues execution: `items` in runs of the
    /// dialect's `insertmanyvalues_page_size`, each page's echo stats
    /// ([`Session::echo_insertmanyvalues`]) noted as it is handed out, just
    /// before its statement is sent.
    pub fn insertmanyvalues_pages<'a, T>(
        &'a self,
        items: &'a [T],
        ordered: bool,
    ) -> impl Iterator<Item = &'a [T]> + 'a {
        let size = self.dialect().insertmanyvalues_page_size.max(1);
        let total = items.len().div_ceil(size);
        items.chunks(size).enumerate().map(move |(p, page)| {
            self.echo_insertmanyvalues(p + 1, total, ordered, false);
            page
        })
    }

    /// Compiles and runs a SELECT under `cause`.
    pub fn run_select(&self, select: &Select, cause: Cause) -> PyResult<Vec<Vec<SqlValue>>> {
        let compiled = self.compile_select_for_run(select)?;
        self.run_compiled_select(&compiled, cause)
    }

    /// [`Session::run_select`] with each row handed to `each` as the driver
    /// reads it ([`Session::stream_compiled_select`]): an eager load's
    /// child rows become objects without all being held first.
    ///
    /// Errors: as [`Session::run_select`]'s; `each`'s.
    pub fn stream_select(
        &self,
        select: &Select,
        cause: Cause,
        each: &mut dyn FnMut(&[SqlValue]) -> PyResult<()>,
    ) -> PyResult<()> {
        let compiled = self.compile_select_for_run(select)?;
        self.stream_compiled_select(&compiled, cause, each)
    }

    /// The first half of [`Session::run_select`]: begins the connection
    /// (as SQLAlchemy does before compiling) and compiles `select`.
    ///
    /// The statement's FROM linter warns (`SAWarning`, cartesian product)
    /// the first time the engine compiles it
    /// ([`compiler::compile_select_linted`]).
    ///
    /// Errors: `CompileError` for an ORDER BY label that names nothing.
    pub fn compile_select_for_run(&self, select: &Select) -> PyResult<Compiled> {
        self.begin_connection()?;
        if let Some(message) = compiler::unresolved_label_reference(select) {
            return Err(PyErr::new(ExcType::CompileError, message));
        }
        if let Some(message) = compiler::auto_correlation_error(select) {
            return Err(PyErr::new(ExcType::InvalidRequestError, message));
        }
        let (mut compiled, warnings) = compiler::compile_select_linted(select, self.dialect());
        if compiled
            .params
            .iter()
            .any(|p| matches!(p.value, SqlValue::Array(_)))
        {
            return Err(PyErr::unsupported(
                "running a statement with a list bound as one parameter (an ARRAY value)",
            ));
        }
        check_sequences(&compiled, self.dialect())?;
        warn_from_linting(&self.db, &compiled.sql, warnings);
        super::expression::resolve_bind_callables(&mut compiled)?;
        let given = self.execute_params.borrow_mut().take().unwrap_or_default();
        for p in &mut compiled.params {
            if let Some((_, v)) = given.iter().find(|(k, _)| *k == p.name) {
                p.value = v.clone();
            }
        }
        required_bindparams(select, &compiled, &given)?;
        Ok(compiled)
    }

    /// The second half of [`Session::run_select`]: runs an already compiled
    /// SELECT under `cause`, beginning the connection first if it has not
    /// begun (a cached lazy load's statement comes here directly).
    pub fn run_compiled_select(
        &self,
        compiled: &Compiled,
        cause: Cause,
    ) -> PyResult<Vec<Vec<SqlValue>>> {
        let types = self.row_types.take();
        let rows = self.fetch_all(compiled, cause)?;
        if let Some(log) = self.db.row_log() {
            // `echo="debug"`: the rows are read at once (a lazy load's
            // `.all()`), each logged
            let lines = rows
                .iter()
                .map(|r| row_reprs(r, types.as_deref()))
                .collect();
            RowLines(Some((log, lines))).emit();
        }
        Ok(rows)
    }

    /// [`Session::run_compiled_select`] without the row logging (at
    /// `echo="debug"` the cursor's names make the `Col (...)` line).
    fn fetch_all(&self, compiled: &Compiled, cause: Cause) -> PyResult<Vec<Vec<SqlValue>>> {
        self.begin_connection()?;
        self.await_only(compiled, &cause)?;
        let rows = if self.db.echo().debug() {
            self.db
                .query_with_names(compiled, cause)
                .map(|(_, rows)| rows)
        } else {
            self.db.query(compiled, cause)
        };
        self.driver_awaits()?;
        rows.map_err(|e| db_error(e, Some(compiled)))
    }

    /// [`Session::run_compiled_select`] with each row handed to `each` as
    /// the driver reads it, instead of all rows returned: the first error
    /// `each` returns stops the rows and is returned (after the driver's
    /// own awaits and errors, as when the rows were read first). An
    /// `AsyncSession`'s rows are all read first: its driver awaits (where
    /// another task may run) come before the rows become objects.
    ///
    /// Errors: the database's; `each`'s.
    pub fn stream_compiled_select(
        &self,
        compiled: &Compiled,
        cause: Cause,
        each: &mut dyn FnMut(&[SqlValue]) -> PyResult<()>,
    ) -> PyResult<()> {
        let types = self.row_types.take();
        let keep = self.keep_row_lines.replace(false);
        let repeated = self.repeated_columns.take();
        let Some(log) = self.db.row_log() else {
            return self.stream_rows(compiled, cause, repeated, each);
        };
        // `echo="debug"`: each row's `Row (...)` line, its values as the
        // result processors give them
        let types = types.as_deref();
        let mut lines = Vec::new();
        let streamed = self.stream_rows(compiled, cause, None, &mut |row| {
            lines.push(row_reprs(row, types));
            each(row)
        });
        let lines = RowLines(Some((log, lines)));
        if keep {
            *self.loaded_row_lines.borrow_mut() = lines;
        }
        streamed
    }

    /// [`Session::stream_compiled_select`] without the row logging;
    /// `repeated` as [`crate::engine::Connection::query_each_repeating`].
    fn stream_rows(
        &self,
        compiled: &Compiled,
        cause: Cause,
        repeated: Option<crate::engine::RepeatedColumns>,
        each: &mut dyn FnMut(&[SqlValue]) -> PyResult<()>,
    ) -> PyResult<()> {
        if self.requires_greenlet.get() {
            for row in self.fetch_all(compiled, cause)? {
                each(&row)?;
            }
            return Ok(());
        }
        self.begin_connection()?;
        self.await_only(compiled, &cause)?;
        let want_names = self.cursor_names.borrow().is_some();
        // at `echo="debug"` the cursor's names make the `Col (...)` line
        if want_names || self.db.echo().debug() {
            let queried = self.db.query_with_names(compiled, cause);
            self.driver_awaits()?;
            let (names, rows) = queried.map_err(|e| db_error(e, Some(compiled)))?;
            if want_names {
                *self.cursor_names.borrow_mut() = Some(names);
            }
            for row in rows {
                each(&row)?;
            }
            return Ok(());
        }
        let mut failed = None;
        let read = self
            .db
            .query_each(compiled, cause, repeated, &mut |row| match each(row) {
                Ok(()) => true,
                Err(e) => {
                    failed = Some(e);
                    false
                }
            });
        self.driver_awaits()?;
        read.map_err(|e| db_error(e, Some(compiled)))?;
        failed.map_or(Ok(()), Err)
    }

    /// `session.execute(text(...), params)`: textual SQL, run without
    /// autoflush (a `TextClause` is no ORM statement). `params` add to the
    /// clause's own `bindparams()` values. A statement that returns rows
    /// gives `Ok((Some(names), rows, -1))` with the cursor's column names;
    /// any other gives `Ok((None, [], rowcount))`.
    ///
    /// Errors: `StatementError` for a parameter without a value, as
    /// SQLAlchemy's; the database's error otherwise.
    pub fn execute_text(
        &self,
        text: &crate::sql::elements::TextClause,
        params: &[(String, SqlValue)],
    ) -> PyResult<TextRows> {
        let mut all = text.binds.clone();
        for (k, v) in params {
            all.retain(|(n, _)| n != k);
            all.push((k.clone(), v.clone()));
        }
        let (compiled, missing) = compiler::compile_text(&text.text, &all, self.dialect());
        // SQLAlchemy checks the parameters on the connection, once begun.
        self.begin_connection()?;
        if let Some(name) = missing {
            return Err(PyErr::new(
                ExcType::StatementError,
                format!(
                    "(sqlalchemy.exc.InvalidRequestError) A value is required for bind parameter '{name}'\n[SQL: {}]",
                    compiled.sql
                ),
            ));
        }
        if text.returns_rows() {
            self.await_only(&compiled, &Cause::Query)?;
            let queried = self.db.query_with_names(&compiled, Cause::Query);
            self.driver_awaits()?;
            let (names, rows) = queried.map_err(|e| db_error(e, Some(&compiled)))?;
            return Ok((Some(names), rows, -1));
        }
        let done = self.run_dml(&compiled, Cause::Query)?;
        Ok((None, Vec::new(), done.rows_affected as i64))
    }

    /// `session.execute(text(...), [params, params, …])`: one
    /// `executemany()` of the textual statement, each dict adding to the
    /// clause's own `bindparams()` values; returns the rows affected.
    ///
    /// Errors: `StatementError` for a parameter without a value, as
    /// SQLAlchemy's; the database's error otherwise.
    pub fn execute_text_many(
        &self,
        text: &crate::sql::elements::TextClause,
        rows: &[Vec<(String, SqlValue)>],
    ) -> PyResult<i64> {
        let mut first: Option<crate::sql::compiler::Compiled> = None;
        let mut many = Vec::with_capacity(rows.len());
        let mut missing_name = None;
        for row in rows {
            let mut all = text.binds.clone();
            for (k, v) in row {
                all.retain(|(n, _)| n != k);
                all.push((k.clone(), v.clone()));
            }
            let (compiled, missing) = compiler::compile_text(&text.text, &all, self.dialect());
            if missing_name.is_none() {
                missing_name = missing;
            }
            many.push(compiled.positional_values());
            first.get_or_insert(compiled);
        }
        let Some(compiled) = first else {
            return Ok(-1);
        };
        self.begin_connection()?;
        if let Some(name) = missing_name {
            return Err(PyErr::new(
                ExcType::StatementError,
                format!(
                    "(sqlalchemy.exc.InvalidRequestError) A value is required for bind parameter '{name}'\n[SQL: {}]",
                    compiled.sql
                ),
            ));
        }
        self.await_only(&compiled, &Cause::Query)?;
        let done = self.db.execute_many(&compiled, &many, Cause::Query);
        self.driver_awaits()?;
        let done = done.map_err(|e| db_error(e, Some(&compiled)))?;
        Ok(done.rows_affected as i64)
    }

    /// Flushes pending changes before a query, when autoflush is on, as
    /// SQLAlchemy 2.0 `Session._autoflush`: a `StatementError` it raises
    /// (an `IntegrityError` …) has [`AUTOFLUSH_DETAIL`] above its message.
    pub fn autoflush(self: &Rc<Self>) -> PyResult<()> {
        self.check_not_failed()?;
        if self.autoflush.get()
            && self.autoflush_paused.get() == 0
            && !self.flushing.get()
            && self.has_changes()
        {
            self.flush_with(Cause::Autoflush).map_err(|mut e| {
                // SQLAlchemy's `Session._autoflush` adds a detail to a
                // `StatementError` (a driver's error included), which
                // prints in parentheses above the message.
                if e.exc.is_subclass_of(ExcType::StatementError) && e.instance().is_none() {
                    e.message.insert_str(0, AUTOFLUSH_DETAIL);
                }
                e
            })?;
        }
        Ok(())
    }

    /// The object with this primary key in the identity map, if any (not
    /// one of an earlier class of the same name, redefined since).
    pub fn identity_lookup(&self, mapper: &Mapper, key: &[Value]) -> Option<Obj> {
        self.identity_map
            .borrow_mut()
            .get_row(&mapper.class_name, &RowKey::of(key))
            .filter(|o| std::ptr::eq(Rc::as_ptr(&o.borrow().mapper), mapper))
    }

    /// How many times this session has walked its whole identity map
    /// ([`IdentityMap::walks`]).
    pub fn identity_map_walks(&self) -> usize {
        self.identity_map.borrow().walks()
    }

    /// Every object in the identity map, in key order.
    pub fn identity_objects(&self) -> Vec<Obj> {
        self.identity_map.borrow_mut().values()
    }

    /// Keeps a modified object alive until the next flush.
    pub fn hold(&self, obj: &Obj) {
        self.modified.borrow_mut().insert(obj);
    }

    /// `session.new`: pending objects, in the order added.
    pub fn new_objects(&self) -> Vec<Obj> {
        self.new.borrow().clone()
    }

    /// `session.deleted`: objects marked for deletion.
    pub fn deleted_objects(&self) -> Vec<Obj> {
        self.deleted.borrow().clone()
    }

    /// `session.dirty`: persistent objects with changed attributes.
    ///
    /// In identity-key order. Only objects touched since the last check are
    /// examined (see [`InstanceCell`](super::state::InstanceCell)): a dirty
    /// one stays on the touched list, a clean one leaves it, so the cost
    /// follows the changes, not the size of the identity map.
    pub fn dirty_objects(&self) -> Vec<Obj> {
        let map = self.identity_map.borrow();
        let mut dirty: Vec<(super::identity::IdentityKey, Obj)> = Vec::new();
        super::state::drain_touched(|obj| {
            let b = obj.borrow();
            match b.session {
                Some(uid) if uid == self.uid => {}
                // Another Session's object waits for that Session's check;
                // one outside any Session is touched again when added.
                Some(_) => return true,
                None => return false,
            }
            let Some(key) = b.key.as_deref() else {
                return false;
            };
            let key = super::identity::identity_key(&b.mapper, key);
            if !map.holds(&key, obj)
                || b.marked_deleted
                || (b.committed().is_empty() && !collections_changed(&b))
            {
                return false;
            }
            dirty.push((key, obj.clone()));
            true
        });
        dirty.sort_by(|a, b| a.0.cmp(&b.0));
        dirty.into_iter().map(|(_, o)| o).collect()
    }

    pub(super) fn has_changes(&self) -> bool {
        !self.new.borrow().is_empty()
            || !self.deleted.borrow().is_empty()
            || !self.dirty_objects().is_empty()
    }

    /// `obj in session`
    pub fn contains(&self, obj: &Obj) -> bool {
        // As `Session.__contains__`: pending, or in the identity map, which
        // an object leaves once its DELETE is flushed.
        let b = obj.borrow();
        b.session == Some(self.uid) && !b.deleted_flushed
    }

    /// Runs an ORM query: autoflush (unless the query's `autoflush`
    /// execution option is off), the SELECT, objects from the identity
    /// map, joined eager loads from the same rows, then the selectin and
    /// subquery eager loads and loader-option marks (raiseload, noload).
    /// The next ORM query's selectin and subquery eager loads wait for its
    /// result's first read, as SQLAlchemy 2.0's `session.execute()`: its
    /// `loading.instances` returns a `ChunkedIteratorResult` whose chunks
    /// fetch the rows (logging them at `echo="debug"`) and then run the
    /// post loads, so `r = session.execute(select(A).options(selectinload(A.bs)))`
    /// sends one SELECT and the first `r.scalars().all()` the second; a
    /// result never read never sends it.
    pub fn defer_post_loads(&self) {
        self.post_loads_deferred.set(true);
    }

    /// Undoes a [`Session::defer_post_loads`] no query took (one that
    /// failed before loading).
    pub fn post_loads_deferred_cancel(&self) {
        self.post_loads_deferred.set(false);
    }

    pub fn execute_query(
        self: &Rc<Self>,
        query: &Query,
        select_override: Option<Select>,
    ) -> PyResult<LoadedRows> {
        // the autoflush's own loads do not take a deferral meant for this query
        let defer = self.post_loads_deferred.take();
        if query.autoflush {
            self.autoflush()?;
        }
        // SQLAlchemy begins the connection before it compiles the
        // statement, so a compile-time error comes after the BEGIN.
        self.begin_connection()?;
        let (select, plan) = query.to_select()?;
        let select = select_override.unwrap_or(select);
        self.post_loads_deferred.set(defer);
        self.execute_query_select(query, &select, &plan)
    }

    /// The rest of [`Session::execute_query`] once the query's SELECT and
    /// row plan are built (autoflushed and begun): compiles and runs
    /// `select`, then loads as `query` says.
    pub fn execute_query_select(
        self: &Rc<Self>,
        query: &Query,
        select: &Select,
        plan: &RowPlan,
    ) -> PyResult<LoadedRows> {
        let compiled = self.compile_select_for_run(select)?;
        if !query.options.is_empty() {
            let extra: String = query.options.iter().map(|o| o.cache_key_part()).collect();
            self.db.echo().set_next_key_extra(extra);
        }
        self.instances(query, plan, |each| {
            self.stream_compiled_select(&compiled, Cause::Query, each)
        })
    }

    /// `session.get(Model, pk)`: from the identity map without SQL when the
    /// object is there and not expired, else `SELECT … WHERE pk = ?`.
    pub fn get(self: &Rc<Self>, mapper: &Rc<Mapper>, key: Vec<Value>) -> PyResult<Value> {
        self.get_with(mapper, key, GetOptions::default())
    }

    /// `session.get(Model, pk, options=[...], populate_existing=True)`, as
    /// SQLAlchemy 2.0's `Session.get`: an object in the identity map (not
    /// expired) is returned without SQL, whatever the options; otherwise one
    /// SELECT by primary key, with the options' joined eager loads in it and
    /// their selectin/subquery loads right after. With `populate_existing`
    /// the SELECT is sent even for an object in the identity map, and its
    /// attributes are overwritten from the row (unflushed changes lost).
    ///
    /// Errors: `InvalidRequestError` when `key` has the wrong number of
    /// values; database errors.
    pub fn get_with(
        self: &Rc<Self>,
        mapper: &Rc<Mapper>,
        key: Vec<Value>,
        options: GetOptions,
    ) -> PyResult<Value> {
        let pk = mapper.primary_key();
        if key.len() != pk.len() {
            return Err(invalid_request(format!(
                "Incorrect number of values in identifier formed from argument to Session.get(); primary key columns are {}",
                pk.iter()
                    .map(|i| format!("'{}.{}'", mapper.table.name, mapper.table.columns[*i].name))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        if !super::strategy_options::loader_criteria_for(&options.options, mapper, false).is_empty()
        {
            return Err(PyErr::unsupported(
                "Session.get() with with_loader_criteria() for the entity it gets",
            ));
        }
        if let Some(obj) = self.identity_lookup(mapper, &key) {
            let (expired, deleted) = {
                let o = obj.borrow();
                (
                    o.has_expired_columns(),
                    o.marked_deleted || o.deleted_flushed,
                )
            };
            if deleted {
                return Ok(Value::None);
            }
            if !expired && !options.populate_existing {
                return Ok(crate::orm::state::instance_value(obj));
            }
        }
        let obj = self.load_on_ident(mapper, &key, options)?;
        Ok(obj
            .map(crate::orm::state::instance_value)
            .unwrap_or(Value::None))
    }

    /// `session.add(obj)`: transient → pending; cascades along
    /// relationships with `save-update`.
    ///
    /// Errors: `InvalidRequestError` when the object belongs to another session.
    pub fn add(self: &Rc<Self>, obj: &Obj) -> PyResult<()> {
        self.check_not_failed_for_add()?;
        self.autobegun.set(true);
        let mut stack = vec![obj.clone()];
        // The objects met, by address: one look-up each (a search of a
        // list was quadratic in the objects reached).
        let mut seen: std::collections::HashSet<*const InstanceCell, FastHash> =
            std::collections::HashSet::default();
        while let Some(o) = stack.pop() {
            if !seen.insert(Rc::as_ptr(&o)) {
                continue;
            }
            let (session, state) = {
                let b = o.borrow();
                (b.session, b.state())
            };
            match session {
                Some(uid) if uid != self.uid => {
                    return Err(invalid_request(format!(
                        "Object '{}' is already attached to session '{}' (this is '{}')",
                        state_str(&o),
                        display_id(uid),
                        self.id
                    )));
                }
                Some(_) => {}
                None => match state {
                    ObjectState::Transient => {
                        o.borrow_mut().session = Some(self.uid);
                        self.new.borrow_mut().push(o.clone());
                    }
                    ObjectState::Detached => {
                        let (mapper, key) = {
                            let b = o.borrow();
                            (b.mapper.clone(), b.key_values())
                        };
                        if let Some(existing) = self.identity_lookup(&mapper, &key)
                            && !Rc::ptr_eq(&existing, &o)
                        {
                            return Err(invalid_request(format!(
                                "Can't attach instance {}; another instance with key {} is already present in this session.",
                                state_str(&o),
                                identity_key_repr(&mapper, &key)
                            )));
                        }
                        o.borrow_mut().session = Some(self.uid);
                        self.identity_map
                            .borrow_mut()
                            .insert(identity_key(&mapper, &key), o.clone());
                    }
                    _ => {}
                },
            }
            // cascade save-update along loaded relationships
            // depth first, in relationship and collection order; a related
            // object already in this Session is not walked through
            // (`cascade_iterator(halt_on=self._contains_state)`), so
            // `add_all()` of a connected graph walks it once, not once per
            // object.
            let related = cascade_targets(&o);
            stack.extend(
                related
                    .into_iter()
                    .rev()
                    .filter(|r| r.borrow().session != Some(self.uid)),
            );
        }
        Ok(())
    }

    fn check_not_failed_for_add(&self) -> PyResult<()> {
        Ok(())
    }

    /// `session.delete(obj)`: marks a persistent object for deletion at the
    /// next flush.
    ///
    /// Errors: `InvalidRequestError` for an object that is not persisted.
    pub fn delete(self: &Rc<Self>, obj: &Obj) -> PyResult<()> {
        let state = obj.borrow().state();
        match state {
            ObjectState::Transient | ObjectState::Pending => Err(invalid_request(format!(
                "Instance '{}' is not persisted",
                state_str(obj)
            ))),
            ObjectState::Detached => {
                self.add(obj)?;
                self.delete(obj)
            }
            ObjectState::Deleted => Ok(()),
            ObjectState::Persistent => {
                if obj.borrow().session != Some(self.uid) {
                    return Err(invalid_request(format!(
                        "Object '{}' is already attached to session '{}' (this is '{}')",
                        state_str(obj),
                        obj.borrow().session.map(display_id).unwrap_or(0),
                        self.id
                    )));
                }
                if obj.borrow().marked_deleted {
                    return Ok(());
                }
                // The delete cascade loads what it needs without autoflush,
                // then marks the object and its children.
                let was = self.autoflush.replace(false);
                let mut children = vec![obj.clone()];
                let result = delete_cascade(obj, &mut children);
                self.autoflush.set(was);
                result?;
                for child in children {
                    let b = child.borrow();
                    let persistent = b.state() == ObjectState::Persistent;
                    let mine = b.session == Some(self.uid);
                    drop(b);
                    if persistent && mine && !child.borrow().marked_deleted {
                        child.borrow_mut().marked_deleted = true;
                        self.deleted.borrow_mut().push(child);
                    }
                }
                Ok(())
            }
        }
    }

    /// Marks for deletion each persistent object a `delete-orphan`
    /// relationship lost since the last flush and did not give back
    /// ([`Rare::lost_parents`](super::state::Rare::lost_parents)), in the
    /// order they changed, with their delete cascades — what SQLAlchemy's
    /// flush does for `Mapper._is_orphan` states.
    pub(super) fn delete_orphans(self: &Rc<Self>) -> PyResult<()> {
        let orphans: Vec<Obj> = self
            .modified
            .borrow()
            .iter()
            .filter(|o| {
                let b = o.borrow();
                b.state() == ObjectState::Persistent
                    && b.session == Some(self.uid)
                    && !b.marked_deleted
                    && !b.lost_parents().is_empty()
            })
            .cloned()
            .collect();
        for o in orphans {
            self.delete(&o)?;
        }
        Ok(())
    }

    /// An object a bulk DELETE matched: it leaves the identity map as
    /// deleted (detached at commit, back on rollback).
    pub fn mark_bulk_deleted(&self, obj: &Obj) {
        let (mapper, key) = {
            let b = obj.borrow();
            (b.mapper.clone(), b.key_values())
        };
        self.identity_map
            .borrow_mut()
            .remove(&identity_key(&mapper, &key));
        obj.borrow_mut().deleted_flushed = true;
        if let Some(t) = self.tx.borrow_mut().as_mut() {
            t.deleted.push(obj.clone());
        }
    }

    /// `session.expunge(obj)`: detaches one object.
    ///
    /// Errors: `InvalidRequestError` when it is not in this session.
    pub fn expunge(&self, obj: &Obj) -> PyResult<()> {
        if obj.borrow().session != Some(self.uid) {
            return Err(invalid_request(format!(
                "Instance {} is not present in this Session",
                state_str(obj)
            )));
        }
        self.detach(obj);
        Ok(())
    }

    fn detach(&self, obj: &Obj) {
        self.new.borrow_mut().retain(|o| !Rc::ptr_eq(o, obj));
        self.deleted.borrow_mut().retain(|o| !Rc::ptr_eq(o, obj));
        let (mapper, key) = {
            let o = obj.borrow();
            (o.mapper.clone(), o.key.clone())
        };
        if let Some(k) = key {
            let ik = identity_key(&mapper, &k);
            let mut map = self.identity_map.borrow_mut();
            if map.get(&ik).is_some_and(|o| Rc::ptr_eq(&o, obj)) {
                map.remove(&ik);
            }
        }
        let mut o = obj.borrow_mut();
        o.session = None;
        o.marked_deleted = false;
    }

    /// `session.expunge_all()`
    pub fn expunge_all(&self) {
        let all: Vec<Obj> = self
            .identity_map
            .borrow_mut()
            .values()
            .into_iter()
            .chain(self.new.borrow().iter().cloned())
            .collect();
        for o in all {
            let mut b = o.borrow_mut();
            b.session = None;
            b.marked_deleted = false;
        }
        self.identity_map.borrow_mut().clear();
        self.modified.borrow_mut().clear();
        self.new.borrow_mut().clear();
        self.deleted.borrow_mut().clear();
    }

    /// `session.expire(obj[, attrs])`: forgets loaded values so the next
    /// access reloads them.
    pub fn expire(&self, obj: &Obj, attrs: Option<&[String]>) -> PyResult<()> {
        if obj.borrow().session != Some(self.uid) {
            return Err(invalid_request(format!(
                "Instance '{}' is not persistent within this Session",
                state_str(obj)
            )));
        }
        expire_instance(obj, attrs);
        Ok(())
    }

    /// `session.expire_all()`
    pub fn expire_all(&self) {
        for o in self.identity_objects() {
            expire_instance(&o, None);
        }
    }

    /// `session.refresh(obj)`: expires then reloads every column now.
    pub fn refresh(self: &Rc<Self>, obj: &Obj, attrs: Option<&[String]>) -> PyResult<()> {
        if obj.borrow().session != Some(self.uid) || obj.borrow().key.is_none() {
            return Err(invalid_request(format!(
                "Instance '{}' is not persistent within this Session",
                state_str(obj)
            )));
        }
        let mapper = obj.borrow().mapper.clone();
        // `column_property()`s: every one not deferred, or those named.
        let mut exprs: Vec<usize> = Vec::new();
        let columns: Vec<usize> = match attrs {
            None => {
                exprs.extend(
                    mapper
                        .expressions
                        .iter()
                        .enumerate()
                        .filter(|(_, p)| p.expr.is_some() && !p.deferred)
                        .map(|(k, _)| k),
                );
                (0..mapper.table.columns.len()).collect()
            }
            Some(names) => {
                let mut cols = Vec::new();
                for n in names {
                    match mapper.column(n) {
                        Some(c) => cols.push(c),
                        None if mapper.relationship(n).is_some() => {}
                        None if let Some(k) = mapper.expression(n) => {
                            if mapper.expressions[k].expr.is_some() {
                                exprs.push(k);
                            }
                        }
                        // SQLAlchemy 2.0 looks the name up in the mapper's
                        // attributes: a `KeyError` of the name.
                        None => {
                            return Err(PyErr::new(
                                ExcType::KeyError,
                                crate::python::value::str_repr(n),
                            ));
                        }
                    }
                }
                cols.sort();
                cols
            }
        };
        // Relationships named in `attrs` load now, by their own statement
        // (never from the identity map), after a SELECT of the primary key
        // when no column was named: as SQLAlchemy 2.0's `refresh()`.
        let relationships: Vec<Rc<crate::orm::mapper::Relationship>> = attrs
            .unwrap_or_default()
            .iter()
            .filter(|n| mapper.column(n).is_none())
            .filter_map(|n| mapper.relationship(n))
            .collect();
        let mut columns = columns;
        if !relationships.is_empty() {
            columns.extend(mapper.primary_key());
            columns.sort();
            columns.dedup();
        }
        let kept = obj.borrow().deferred().clone();
        expire_instance(obj, attrs);
        if attrs.is_none() {
            // `refresh()` keeps the object's load options (SQLAlchemy 2.0):
            // columns `load_only()`/`defer()` left out stay deferred, as do
            // the mapper's `deferred()` columns.
            let mut o = obj.borrow_mut();
            o.rare_mut().deferred.extend(kept);
            columns.retain(|c| {
                mapper
                    .column_key(*c)
                    .is_none_or(|k| !o.deferred().contains_key(k))
            });
        } else {
            let mut o = obj.borrow_mut();
            for c in &columns {
                if let Some(k) = mapper.column_key(*c)
                    && let Some(r) = o.rare_if_any()
                {
                    r.deferred.remove(k);
                }
            }
        }
        if attrs.is_none() {
            let o = obj.borrow();
            exprs.retain(|k| !o.deferred().contains_key(&mapper.expressions[*k].key));
        } else {
            let mut o = obj.borrow_mut();
            for k in &exprs {
                if let Some(r) = o.rare_if_any() {
                    r.deferred.remove(&mapper.expressions[*k].key);
                }
            }
        }
        self.load_columns(
            obj,
            &exprs,
            &columns,
            LabelStyle::DisambiguateOnly,
            Cause::Query,
        )?;
        for rel in relationships {
            let v = self.lazy_load(obj, &rel, Cause::Query)?;
            match &v {
                Value::List(l) => {
                    let items = l.items.borrow().clone();
                    self.set_loaded_collection(obj, &rel.key, items);
                }
                other => self.set_loaded_scalar(obj, &rel.key, other.clone()),
            }
        }
        Ok(())
    }

    /// `session.merge(obj)`: the persistent copy of `obj` in this session
    /// (loaded by primary key when needed), with `obj`'s loaded column values
    /// copied onto it.
    pub fn merge(self: &Rc<Self>, obj: &Obj) -> PyResult<Value> {
        let (mapper, key, values) = {
            let o = obj.borrow();
            let values: Vec<(String, Value)> = o
                .mapper
                .columns
                .iter()
                .filter_map(|(k, _)| o.dict.get(k).map(|v| (k.clone(), v.clone())))
                .collect();
            (o.mapper.clone(), o.key.clone(), values)
        };
        if obj.borrow().session == Some(self.uid) {
            return Ok(crate::orm::state::instance_value(obj.clone()));
        }
        // A transient object with its primary key set is looked up by it
        // too (SQLAlchemy's merge loads the row first).
        let key = key.or_else(|| {
            let pk: Vec<Value> = mapper
                .primary_key()
                .iter()
                .filter_map(|c| mapper.column_key(*c))
                .map(|k| {
                    values
                        .iter()
                        .find(|(n, _)| n == k)
                        .map(|(_, v)| v.clone())
                        .unwrap_or(Value::None)
                })
                .collect();
            (!pk.is_empty() && pk.iter().all(|v| !matches!(v, Value::None))).then_some(pk.into())
        });
        let target = match &key {
            Some(k) => match self.get(&mapper, k.to_vec())? {
                inst if let Some(t) = crate::orm::state::as_instance(&inst) => Some(t),
                _ => None,
            },
            None => None,
        };
        let target = match target {
            Some(t) => t,
            None => {
                let t = crate::orm::state::InstanceCell::new(Instance::new(
                    mapper.clone(),
                    next_address(),
                ));
                self.add(&t)?;
                t
            }
        };
        for (k, v) in values {
            set_column_attribute(&target, &k, v)?;
        }
        Ok(crate::orm::state::instance_value(target))
    }

    /// `session.flush()`: sends pending INSERTs, UPDATEs and DELETEs in
    /// SQLAlchemy's order, inside the transaction.
    pub fn flush(self: &Rc<Self>) -> PyResult<()> {
        if self.has_changes() {
            self.check_not_failed()?;
            self.flush_with(Cause::Flush)?;
        }
        Ok(())
    }

    fn flush_with(self: &Rc<Self>, cause: Cause) -> PyResult<()> {
        self.flushing.set(true);
        // `SessionEvents.before_flush(session, flush_context, instances)`
        if let Err(e) = super::events::session_event("before_flush", self) {
            self.flushing.set(false);
            return Err(e);
        }
        let mut result = super::unit_of_work::flush(self, cause);
        if result.is_ok()
            && let Err(e) = super::events::session_event("after_flush", self)
        {
            result = Err(e);
        }
        self.flushing.set(false);
        match result {
            Ok(done) => {
                self.after_flush(done);
                super::events::session_event("after_flush_postexec", self)?;
                Ok(())
            }
            Err(e) => {
                // The session transaction is rolled back at once (SQLAlchemy's
                // `_rollback_impl` on flush failure): objects go back to their
                // state before it, and queries need rollback() first.
                let t = self.tx.borrow_mut().take().unwrap_or_default();
                let _ = self.rollback_connection(&t, Some("rollback"));
                if t.joined.is_none() {
                    let _ = self.db.rollback();
                }
                self.restore_snapshot(&t);
                *self.tx.borrow_mut() = Some(SessionTx {
                    failed: Some(e.message.clone()),
                    ..SessionTx::default()
                });
                super::events::session_event("after_rollback", self)?;
                Err(e)
            }
        }
    }

    fn after_flush(&self, done: super::unit_of_work::FlushResult) {
        self.modified.borrow_mut().clear();
        for obj in &done.inserted {
            self.identity_map
                .borrow_mut()
                .insert(instance_key(obj), obj.clone());
        }
        // by address: linear in the objects, not their product
        let inserted: std::collections::HashSet<
            *const super::state::InstanceCell,
            super::state::FastHash,
        > = done.inserted.iter().map(Rc::as_ptr).collect();
        self.new
            .borrow_mut()
            .retain(|o| !inserted.contains(&Rc::as_ptr(o)));
        for obj in &done.deleted {
            self.identity_map.borrow_mut().remove(&instance_key(obj));
            let mut o = obj.borrow_mut();
            o.marked_deleted = false;
            o.deleted_flushed = true;
        }
        self.deleted.borrow_mut().clear();
        if let Some(t) = self.tx.borrow_mut().as_mut() {
            t.inserted.extend(done.inserted);
            t.deleted.extend(done.deleted);
        }
    }

    /// SQLAlchemy's `await_only()` on the driver call of `compiled`: the
    /// sync session of an `AsyncSession` outside `greenlet_spawn` logs the
    /// statement, then raises `MissingGreenlet`.
    ///
    /// On asyncpg (`postgresql+asyncpg`), the adapter's checks before the
    /// statement reaches the server ([`Session::asyncpg_execute`]).
    pub fn await_only(&self, compiled: &Compiled, cause: &Cause) -> PyResult<()> {
        if self.requires_greenlet.get() && !super::concurrency::in_greenlet() {
            self.db.log_unsent(compiled, cause.clone());
            return Err(super::concurrency::missing_greenlet_for(cause));
        }
        if self.requires_greenlet.get() && self.is_asyncpg() {
            return self.asyncpg_execute(compiled, cause);
        }
        Ok(())
    }

    /// The pooled connection an `AsyncSession` is using: its transaction's,
    /// or the one whose COMMIT/ROLLBACK is in flight.
    pub(super) fn driver_connection(&self) -> Option<Rc<super::concurrency::PooledConnection>> {
        let held = self.tx.borrow().as_ref().and_then(|t| t.pooled.clone());
        held.or_else(|| self.ending_connection.borrow().clone())
    }

    /// [`super::concurrency::io_await`] of this session's driver calls;
    /// [`super::concurrency::io_await_network`] for a Core
    /// `AsyncConnection` on asyncpg.
    pub(super) fn driver_io_await(&self, awaits: u32) -> PyResult<()> {
        if self.core_async.get() && self.is_asyncpg() {
            super::concurrency::io_await_network(awaits)
        } else {
            super::concurrency::io_await(awaits)
        }
    }

    /// True when the session's database is driven by asyncpg.
    pub(super) fn is_asyncpg(&self) -> bool {
        self.db.dialect().driver == "asyncpg"
    }

    /// SQLAlchemy's asyncpg adapter on a statement of this session's
    /// connection (`AsyncAdapt_asyncpg_cursor._prepare_and_execute`): it
    /// waits for the connection's `_execute_mutex` (another task's
    /// statement), sends `BEGIN` first when the adapter has not
    /// (`_start_transaction`), then the statement. A failure is raised
    /// after the statement is logged, nothing sent:
    ///
    /// - `RuntimeError` (`… attached to a different loop`), after one
    ///   await, for a connection opened in another event loop
    ///   (`asyncio.run` after a top-level `await`, or a second
    ///   `asyncio.run`): its `BEGIN` stays pending on the connection;
    /// - asyncpg's `InterfaceError` "another operation is in progress"
    ///   on a connection whose `BEGIN` is pending, or while another task's
    ///   COMMIT/ROLLBACK is in flight;
    /// - asyncpg's `InterfaceError` "cannot use Connection.transaction()
    ///   in a manually started transaction" on a connection whose
    ///   COMMIT/ROLLBACK failed so.
    fn asyncpg_execute(&self, compiled: &Compiled, cause: &Cause) -> PyResult<()> {
        use super::concurrency::{AsyncpgState, MANUALLY_STARTED, OPERATION_IN_PROGRESS};
        let Some(conn) = self.driver_connection() else {
            return Ok(());
        };
        // `async with adapt_connection._execute_mutex`: the statement is
        // logged before the wait.
        let waited = conn.busy.get() == Some("execute");
        if waited {
            self.db.log_ahead(compiled, cause.clone());
            while conn.busy.get() == Some("execute") {
                if let Err(e) = self.driver_io_await(1) {
                    self.db.cancel_log_ahead();
                    return Err(e);
                }
            }
        }
        let log_unsent = || {
            if waited {
                self.db.cancel_log_ahead();
            } else {
                self.db.log_unsent(compiled, cause.clone());
            }
        };
        let fail = |message: &str| {
            log_unsent();
            Err(db_error(
                super::concurrency::asyncpg_interface_error(message),
                Some(compiled),
            ))
        };
        if conn.busy.get().is_some() {
            return fail(OPERATION_IN_PROGRESS);
        }
        if !conn.started.get() {
            match conn.state.get() {
                AsyncpgState::ServerInTransaction => return fail(MANUALLY_STARTED),
                AsyncpgState::BeginPending
                    if conn.loop_id != super::concurrency::current_loop() =>
                {
                    return fail(OPERATION_IN_PROGRESS);
                }
                AsyncpgState::BeginPending => {
                    log_unsent();
                    return Err(crate::python::PyErr::new(
                        crate::python::ExcType::NotImplementedError,
                        "orm-tutor does not support reusing an asyncpg connection whose BEGIN was sent from another event loop yet",
                    ));
                }
                AsyncpgState::Clean if conn.loop_id != super::concurrency::current_loop() => {
                    log_unsent();
                    conn.busy.set(Some("execute"));
                    let r = super::concurrency::io_await(1);
                    conn.busy.set(None);
                    conn.state.set(AsyncpgState::BeginPending);
                    if r.is_err() {
                        conn.invalidated.set(true);
                    }
                    r?;
                    return Err(super::concurrency::different_loop_error());
                }
                AsyncpgState::Clean => conn.started.set(true),
            }
        }
        conn.busy.set(Some("execute"));
        Ok(())
    }

    /// An `AsyncSession`'s driver calls for the statement just logged
    /// (SQLAlchemy's `before_cursor_execute` fires before aiosqlite's
    /// `cursor()`/`execute()` awaits): the event loop may switch tasks
    /// here, and a cancelled task stops here, its statement logged.
    pub fn driver_awaits(&self) -> PyResult<()> {
        if self.requires_greenlet.get() {
            let r = self.driver_io_await(super::concurrency::STATEMENT_AWAITS);
            if let Some(c) = self.driver_connection() {
                if c.busy.get() == Some("execute") {
                    c.busy.set(None);
                }
                // asyncpg: a cancelled statement invalidates its connection
                if r.is_err() && self.is_asyncpg() {
                    c.invalidated.set(true);
                }
            }
            r?;
        }
        Ok(())
    }

    /// Runs one flush statement.
    pub fn run_dml(
        &self,
        compiled: &Compiled,
        cause: Cause,
    ) -> PyResult<crate::engine::ExecResult> {
        self.await_only(compiled, &cause)?;
        let done = self.db.execute(compiled, cause);
        self.driver_awaits()?;
        done.map_err(|e| db_error(e, Some(compiled)))
    }

    /// `session.commit()`: flush, COMMIT, then expire every object (unless
    /// `expire_on_commit` is off).
    pub fn commit(self: &Rc<Self>) -> PyResult<()> {
        self.check_not_provisioning("commit")?;
        self.check_not_failed()?;
        super::events::session_event("before_commit", self)?;
        if self.has_changes() {
            self.flush_with(Cause::Flush)?;
        }
        // Open `begin_nested()` savepoints are released first.
        self.release_savepoints(0)?;
        let tx = self.tx.borrow_mut().take();
        if let Some(t) = tx {
            self.commit_connection(&t)?;
            for o in &t.deleted {
                let mut b = o.borrow_mut();
                b.session = None;
                b.deleted_flushed = true;
            }
        }
        if self.expire_on_commit.get() {
            self.expire_all();
        }
        // `after_commit` runs while the committed transaction is still the
        // session's (`in_transaction()` is true in it)
        self.event_transaction.set(true);
        let fired = super::events::session_event("after_commit", self);
        self.event_transaction.set(false);
        self.autobegun.set(false);
        fired
    }

    /// `Session(engine, expire_on_commit=False)`: whether `commit()` expires
    /// every object afterwards (SQLAlchemy 2.0 `Session.expire_on_commit`).
    pub fn set_expire_on_commit(&self, expire: bool) {
        self.expire_on_commit.set(expire);
    }

    /// `session.rollback()`: ROLLBACK; pending objects are expunged, objects
    /// inserted in the transaction become transient, deleted ones persistent
    /// again, and every object is expired.
    pub fn rollback(self: &Rc<Self>) -> PyResult<()> {
        self.check_not_provisioning("rollback")?;
        let tx = self.tx.borrow_mut().take();
        let autobegun = self.autobegun.replace(false);
        let Some(t) = tx else {
            // No transaction yet: pending objects still leave the session.
            self.restore_snapshot(&SessionTx::default());
            if autobegun {
                // `session.add()` began the session's transaction
                super::events::session_event("after_rollback", self)?;
            }
            return Ok(());
        };
        if t.failed.is_none() {
            self.rollback_connection(&t, Some("rollback"))?;
        }
        self.restore_snapshot(&t);
        if t.failed.is_none() {
            super::events::session_event("after_rollback", self)?;
        }
        Ok(())
    }

    /// `session.close()`: ends the transaction (ROLLBACK) and detaches every
    /// object, which keeps what it had loaded.
    pub fn close(&self) -> PyResult<()> {
        if self.changing.get().is_some() {
            // `_close_impl` expunges before the transaction's state check.
            self.expunge_all();
        }
        self.check_not_provisioning("close")?;
        let tx = self.tx.borrow_mut().take();
        if let Some(t) = tx
            && t.failed.is_none()
        {
            self.close_connection(&t)?;
        }
        self.expunge_all();
        Ok(())
    }

    /// The persistent objects a flush must look at: the dirty ones and those
    /// marked for deletion that are still in the identity map, in
    /// identity-key order. As SQLAlchemy's flush, which takes `_new`,
    /// `_deleted` and the identity map's `_modified` set and never walks
    /// the whole map, its cost follows the changes, not the session's size.
    pub fn flush_persistent(&self) -> Vec<Obj> {
        let mut found = self.dirty_objects();
        let deleted: Vec<Obj> = self.deleted.borrow().clone();
        if deleted.is_empty() {
            return found;
        }
        let map = self.identity_map.borrow();
        let mut seen = super::state::ObjSet::default();
        for o in &found {
            seen.insert(o);
        }
        for o in deleted {
            let key = {
                let b = o.borrow();
                let Some(k) = b.key.as_deref() else { continue };
                identity_key(&b.mapper, k)
            };
            if map.holds(&key, &o) && seen.insert(&o) {
                found.push(o);
            }
        }
        drop(map);
        let mut keyed: Vec<(super::identity::IdentityKey, Obj)> = found
            .into_iter()
            .map(|o| (super::identity::instance_key(&o), o))
            .collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        keyed.into_iter().map(|(_, o)| o).collect()
    }

    /// Adds objects found by cascade during flush as pending.
    pub fn add_pending(&self, obj: &Obj) {
        if obj.borrow().session.is_none() && obj.borrow().key.is_none() {
            obj.borrow_mut().session = Some(self.uid);
            self.new.borrow_mut().push(obj.clone());
        }
    }
}

/// Related objects a `save-update` cascade reaches from `obj`.
fn cascade_targets(obj: &Obj) -> Vec<Obj> {
    let o = obj.borrow();
    let mut out = Vec::new();
    for rel in o.mapper.relationships.borrow().iter() {
        if !rel.decl.cascade.save_update {
            continue;
        }
        if let Some(v) = o.dict.get_interned(&rel.interned_key) {
            out.extend(objects_in(v));
        }
    }
    out
}

/// Issues the FROM linter's `SAWarning`s for a statement `db` executes:
/// only when the engine compiles `sql` (not when its compiled cache already
/// holds it) and its `enable_from_linting` is on.
pub fn warn_from_linting(db: &Database, sql: &str, warnings: Vec<String>) {
    if !warnings.is_empty() && db.from_linting() && db.first_compile(sql) {
        for message in warnings {
            crate::python::warnings::warn("SAWarning", message);
        }
    }
}

/// SQLAlchemy's `NotImplementedError` for a `Sequence.next_value()` in a
/// statement compiled for a dialect without sequences (SQLite), as
/// `SQLCompiler.visit_sequence`: such a dialect renders it as the string
/// compiler does (`<next sequence value: s>`), found here.
///
/// Errors: that `NotImplementedError`.
pub fn check_sequences(
    compiled: &Compiled,
    dialect: &crate::sql::dialect::Dialect,
) -> PyResult<()> {
    if !dialect.supports_sequences && compiled.sql.contains("<next sequence value: ") {
        return Err(PyErr::new(
            ExcType::NotImplementedError,
            format!(
                "Dialect '{}' does not support sequence increments.",
                dialect.name
            ),
        ));
    }
    Ok(())
}

/// SQLAlchemy's check that each `bindparam("y")` given no value at its
/// making has one from the execute's parameters (`given`).
///
/// Errors: `StatementError` "A value is required for bind parameter 'y'",
/// with the statement.
fn required_bindparams(
    select: &Select,
    compiled: &Compiled,
    given: &[(String, SqlValue)],
) -> PyResult<()> {
    if !compiled
        .params
        .iter()
        .any(|p| p.value == SqlValue::Null && p.callable_.is_none())
    {
        return Ok(());
    }
    let mut keys = Vec::new();
    for e in select
        .columns
        .iter()
        .chain(&select.where_)
        .chain(&select.having)
    {
        crate::sql::elements::collect_bindparam_keys(e, &mut keys);
    }
    for key in keys {
        let unset = compiled
            .params
            .iter()
            .any(|p| p.name == key && p.value == SqlValue::Null && p.callable_.is_none());
        if unset && !given.iter().any(|(k, _)| *k == key) {
            return Err(PyErr::new(
                ExcType::StatementError,
                format!(
                    "(sqlalchemy.exc.InvalidRequestError) A value is required for bind parameter '{key}'\n[SQL: {}]",
                    compiled.sql
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod loaded_rows_tests {
    use super::*;

    #[test]
    fn into_rows_splits_the_flat_values_by_entity() {
        let loaded = LoadedRows {
            values: vec![Value::Int(1), Value::Int(2), Value::Int(3), Value::Int(4)],
            count: 2,
            keys: vec!["a".into(), "b".into()],
            joined_collection: false,
            row_lines: RowLines::default(),
            post_loads: None,
        };
        assert_eq!(loaded.width(), 2);
        let rows = loaded.into_rows();
        assert_eq!(rows.len(), 2);
        assert!(matches!(rows[1].as_slice(), [Value::Int(3), Value::Int(4)]));
    }

    #[test]
    fn into_rows_keeps_the_row_count_without_entities() {
        let loaded = LoadedRows {
            values: vec![],
            count: 3,
            keys: vec![],
            joined_collection: false,
            row_lines: RowLines::default(),
            post_loads: None,
        };
        let rows = loaded.into_rows();
        assert_eq!(rows.len(), 3);
        assert!(rows.iter().all(Vec::is_empty));
    }
}
