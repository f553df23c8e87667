//! SQLAlchemy 2.0 Core connections (`sqlalchemy.engine.base`):
//! `engine.connect()`'s `Connection`, its `RootTransaction` and
//! `NestedTransaction` (SAVEPOINT), and `engine.begin()`'s context manager.
//!
//! A `Connection` autobegins at its first statement ("commit as you go":
//! `BEGIN (implicit)` is logged then, `COMMIT` at `conn.commit()`), and
//! `close()` rolls back a transaction still open, as SQLAlchemy's. Its
//! statements run through a [`Session::for_connection`] executor on the
//! engine's database, so `text()`, `select()` and DML give the results
//! `session.execute()` gives, as `CursorResult`s.

use std::cell::RefCell;
use std::rc::Rc;

use crate::interpreter::Interpreter;
use crate::orm::result::ResultObj;
use crate::orm::session::Session;
use crate::outcome::TxEvent;
use crate::python::object::{PyObject, downcast};
use crate::python::{ExcType, PyErr, PyResult, Value};

use super::method::{self, Method};

/// `engine.connect()`: one connection to the engine's database.
pub struct Connection {
    /// The `Engine` value it came from (`conn.engine`).
    pub engine: Value,
    /// Runs the statements, inside this connection's transaction.
    pub executor: Rc<Session>,
    state: RefCell<ConnState>,
    /// On a server, the engine's database whose pool `executor`'s DBAPI
    /// connection was checked out of and goes back to at `close()` (or when
    /// this is dropped unclosed), as SQLAlchemy's pool.
    pool: RefCell<Option<Rc<crate::engine::Database>>>,
    /// An `AsyncConnection`'s sync connection, once started: the async
    /// engine's pool it was checked out of (`concurrency::pool_take`); the
    /// DBAPI connection itself is its executor's (`Session::replace_driver_connection`).
    async_pool: std::cell::Cell<Option<usize>>,
}

impl Drop for Connection {
    /// A `Connection` garbage collected unclosed gives its DBAPI connection
    /// back to the pool, reset (rolled back), as SQLAlchemy's
    /// `_ConnectionFairy` finalizer.
    fn drop(&mut self) {
        if let Some(pool) = self.pool.get_mut().take() {
            pool.checkin(self.executor.db.clone());
        }
    }
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Connection")
    }
}

/// A connection's transaction state.
#[derive(Debug, Default)]
struct ConnState {
    closed: bool,
    /// The id of the open root transaction (begun or autobegun).
    root: Option<u64>,
    /// Open savepoints, innermost last: transaction id and name.
    savepoints: Vec<(u64, String)>,
    /// `sa_savepoint_N`'s N, counted per connection as SQLAlchemy's.
    savepoint_seq: u32,
    next_id: u64,
}

/// `conn.begin()`'s `RootTransaction` or `conn.begin_nested()`'s
/// `NestedTransaction` (with its savepoint's name).
#[derive(Debug)]
pub struct Transaction {
    pub conn: Rc<Connection>,
    id: u64,
    savepoint: Option<String>,
}

/// `engine.begin()`: a context manager that gives a connection with a
/// transaction begun, commits it (or rolls it back when the block raised)
/// and closes the connection, as SQLAlchemy 2.0 `Engine.begin()`.
#[derive(Debug)]
pub struct EngineBegin(pub Rc<Connection>);

impl PyObject for Connection {
    fn type_name(&self) -> String {
        "Connection".into()
    }
    fn repr(&self) -> String {
        format!(
            "<sqlalchemy.engine.base.Connection object at {:#x}>",
            self as *const Connection as usize
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

impl PyObject for Transaction {
    fn type_name(&self) -> String {
        if self.savepoint.is_some() {
            "NestedTransaction".into()
        } else {
            "RootTransaction".into()
        }
    }
    fn repr(&self) -> String {
        format!(
            "<sqlalchemy.engine.base.{} object at {:#x}>",
            self.type_name(),
            self as *const Transaction as usize
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

impl PyObject for EngineBegin {
    fn type_name(&self) -> String {
        "_GeneratorContextManager".into()
    }
    fn repr(&self) -> String {
        format!(
            "<contextlib._GeneratorContextManager object at {:#x}>",
            self as *const EngineBegin as usize
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

fn closed_error() -> PyErr {
    PyErr::new(ExcType::ResourceClosedError, "This Connection is closed")
}

impl Connection {
    /// A new connection on `engine`'s database (`engine.connect()`): on a
    /// server, a DBAPI connection of its own checked out of the engine's
    /// pool ([`Database::checkout`]), so it sees only what other
    /// connections committed, never the session's aborted transaction; on
    /// SQLite the engine's one connection.
    ///
    /// Errors: `OperationalError` when the server refuses a new connection.
    ///
    /// [`Database::checkout`]: crate::engine::Database::checkout
    pub fn open(
        interp: &Interpreter,
        engine: &Value,
        e: &super::objects::Engine,
    ) -> PyResult<Rc<Connection>> {
        let (db, pool) = match e.1.checkout() {
            None => (e.1.clone(), None),
            Some(db) => (
                db.map_err(|err| crate::orm::session::db_error(err, None))?,
                Some(e.1.clone()),
            ),
        };
        Ok(Rc::new(Connection {
            engine: engine.clone(),
            executor: Session::for_connection(db, interp.registry.clone()),
            state: RefCell::new(ConnState::default()),
            pool: RefCell::new(pool),
            async_pool: std::cell::Cell::new(None),
        }))
    }

    /// A new connection on `engine` whose statements go to `db`, a second
    /// DBAPI connection to the engine's server ([`Database::connect_again`]).
    ///
    /// [`Database::connect_again`]: crate::engine::Database::connect_again
    pub fn open_on(
        interp: &Interpreter,
        engine: &Value,
        db: Rc<crate::engine::Database>,
    ) -> Rc<Connection> {
        Rc::new(Connection {
            engine: engine.clone(),
            executor: Session::for_connection(db, interp.registry.clone()),
            state: RefCell::new(ConnState::default()),
            pool: RefCell::default(),
            async_pool: std::cell::Cell::new(None),
        })
    }

    /// `session.connection()`: the connection of `session`'s transaction,
    /// begun (`BEGIN` logged) if it was not; its statements run in that
    /// transaction, as SQLAlchemy 2.0's `Session.connection()`.
    ///
    /// Errors: the session's own (`PendingRollbackError`,
    /// `UnboundExecutionError`).
    pub fn of_session(engine: Value, session: &Rc<Session>) -> PyResult<Rc<Connection>> {
        session.begin_for_flush()?;
        Ok(Rc::new(Connection {
            engine,
            executor: session.clone(),
            state: RefCell::new(ConnState {
                root: Some(1),
                next_id: 1,
                ..ConnState::default()
            }),
            pool: RefCell::default(),
            async_pool: std::cell::Cell::new(None),
        }))
    }

    /// `conn.closed`
    pub fn is_closed(&self) -> bool {
        self.state.borrow().closed
    }

    /// `conn.in_transaction()`
    pub fn in_transaction(&self) -> bool {
        self.state.borrow().root.is_some()
    }

    /// Errors: `ResourceClosedError` once closed.
    pub fn check_open(&self) -> PyResult<()> {
        if self.is_closed() {
            return Err(closed_error());
        }
        Ok(())
    }

    /// `begin()` on a closed connection: SQLAlchemy fires the `begin`
    /// event before it finds the DBAPI connection gone, then `rollback`.
    ///
    /// Errors: `ResourceClosedError` once closed.
    fn check_begin_open(&self) -> PyResult<()> {
        if self.is_closed() {
            self.executor.db.log_tx(TxEvent::Begin);
            self.executor.db.log_tx(TxEvent::Rollback);
            return Err(closed_error());
        }
        Ok(())
    }

    /// Begins the root transaction, logging `BEGIN (implicit)`; its id.
    fn begin_root(&self) -> u64 {
        let mut st = self.state.borrow_mut();
        st.next_id += 1;
        let id = st.next_id;
        st.root = Some(id);
        self.executor.db.log_tx(TxEvent::Begin);
        id
    }

    /// SQLAlchemy's autobegin: the first statement outside a transaction
    /// begins one.
    ///
    /// Errors: `ResourceClosedError` once closed.
    pub fn autobegin(&self) -> PyResult<()> {
        self.check_open()?;
        if !self.in_transaction() {
            self.begin_root();
        }
        Ok(())
    }

    /// `conn.begin()`: a `RootTransaction`.
    ///
    /// Errors: `InvalidRequestError` when one is begun already (explicitly
    /// or by autobegin), with SQLAlchemy 2.0's message.
    pub fn begin(self: &Rc<Self>) -> PyResult<Transaction> {
        self.check_begin_open()?;
        if self.in_transaction() {
            return Err(PyErr::new(
                ExcType::InvalidRequestError,
                "This connection has already initialized a SQLAlchemy Transaction() object via begin() or autobegin; can't call begin() here unless rollback() or commit() is called first.",
            ));
        }
        let id = self.begin_root();
        Ok(Transaction {
            conn: self.clone(),
            id,
            savepoint: None,
        })
    }

    /// `conn.begin_nested()`: autobegins, then `SAVEPOINT sa_savepoint_N`.
    pub fn begin_nested(self: &Rc<Self>) -> PyResult<Transaction> {
        self.check_begin_open()?;
        self.autobegin()?;
        let (id, name) = {
            let mut st = self.state.borrow_mut();
            st.next_id += 1;
            st.savepoint_seq += 1;
            (st.next_id, format!("sa_savepoint_{}", st.savepoint_seq))
        };
        self.executor.savepoint_sql(&format!("SAVEPOINT {name}"))?;
        self.state.borrow_mut().savepoints.push((id, name.clone()));
        Ok(Transaction {
            conn: self.clone(),
            id,
            savepoint: Some(name),
        })
    }

    /// `conn.commit()`: commits the root transaction (`COMMIT`), if any.
    ///
    /// An `AsyncConnection`'s waits for aiosqlite's `commit()` (one
    /// `await_only()`, the other tasks running meanwhile) with its
    /// transaction still begun, as SQLAlchemy's `RootTransaction._do_commit`
    /// deactivates it only after the driver's call.
    ///
    /// Errors: `ResourceClosedError` once closed; `CancelledError` when the
    /// task is cancelled while it waits.
    pub fn commit(&self) -> PyResult<()> {
        self.check_open()?;
        if self.in_transaction() {
            if let Some(e) = self.asyncpg_forget_busy() {
                // The server stays in the transaction asyncpg forgot: what
                // it holds is never committed.
                let _ = self.executor.db.rollback();
                self.end_root(Ok::<(), String>(()), TxEvent::Commit)?;
                return Err(e);
            }
            let done = self.executor.db.commit();
            self.end_root(done, TxEvent::Commit)?;
        }
        Ok(())
    }

    /// [`Session::asyncpg_forget_busy`] for an `AsyncConnection`'s own
    /// connection (not a session's).
    fn asyncpg_forget_busy(&self) -> Option<PyErr> {
        self.async_pool.get()?;
        self.executor.asyncpg_forget_busy()
    }

    /// The root transaction's end after the driver's `commit()` or
    /// `rollback()` (`done`): its event logged, aiosqlite's await made with
    /// the transaction still begun, then the transaction and its savepoints
    /// gone, as SQLAlchemy's `RootTransaction._do_commit`/`_do_rollback`.
    ///
    /// Errors: the driver's error as `OperationalError`; `CancelledError`
    /// when the task is cancelled while it waits.
    fn end_root(&self, done: Result<(), impl std::fmt::Display>, event: TxEvent) -> PyResult<()> {
        done.map_err(|e| PyErr::new(ExcType::OperationalError, e.to_string()))?;
        self.executor.db.log_tx(event);
        let method = if event == TxEvent::Commit {
            "commit"
        } else {
            "rollback"
        };
        let waited = self.driver_await(method);
        let mut st = self.state.borrow_mut();
        st.root = None;
        st.savepoints.clear();
        drop(st);
        waited
    }

    /// True for an `AsyncConnection`'s sync connection: its driver calls
    /// are aiosqlite's awaits.
    pub fn is_async(&self) -> bool {
        self.executor.requires_greenlet.get()
    }

    /// One of aiosqlite's calls on an `AsyncConnection`'s connection
    /// (`commit()`, `rollback()`): an `await_only()`, during which the
    /// event loop runs the other tasks.
    ///
    /// On asyncpg only a transaction whose `BEGIN` was sent awaits
    /// ([`Session::core_driver_end`]).
    fn driver_await(&self, method: &'static str) -> PyResult<()> {
        if self.is_async() && self.async_pool.get().is_some() {
            self.executor.core_driver_end(method)?;
        }
        Ok(())
    }

    /// `AsyncConnection.start()` (`await conn`, `async with conn:`): checks
    /// a connection out of the async engine's pool, opening a new one
    /// (aiosqlite's `connect()` awaits, other tasks running meanwhile) when
    /// none is idle, as SQLAlchemy's `greenlet_spawn(sync_engine.connect)`.
    /// Starting it again does nothing.
    ///
    /// Errors: `CancelledError` when the task is cancelled while it waits.
    pub fn start_async(&self) -> PyResult<()> {
        if self.async_pool.get().is_some() || self.is_closed() {
            return Ok(());
        }
        let key = Rc::as_ptr(&self.executor.db) as usize;
        self.async_pool.set(Some(key));
        let pooled = match crate::orm::concurrency::pool_take(key) {
            Some(c) => c,
            None => {
                crate::orm::concurrency::io_await(crate::orm::concurrency::CONNECT_AWAITS)?;
                crate::orm::concurrency::PooledConnection::connect()
            }
        };
        self.executor.replace_driver_connection(Some(pooled));
        Ok(())
    }

    /// `conn.rollback()`: rolls the root transaction back (`ROLLBACK`), if
    /// any.
    ///
    /// An `AsyncConnection`'s waits for aiosqlite's `rollback()` with its
    /// transaction still begun, as [`Connection::commit`].
    pub fn rollback(&self) -> PyResult<()> {
        if self.in_transaction() {
            let busy = self.asyncpg_forget_busy();
            let done = self.executor.db.rollback();
            self.end_root(done, TxEvent::Rollback)?;
            if let Some(e) = busy {
                return Err(e);
            }
        }
        Ok(())
    }

    /// SQLAlchemy's `_handle_dbapi_exception` after a statement failed
    /// outside a transaction (another task ended or closed it meanwhile):
    /// `_rollback_impl()`, whose `rollback` event fires even when the
    /// connection is closed by then (the DBAPI rollback is skipped).
    pub fn rollback_after_failure(&self) {
        if self.in_transaction() {
            return;
        }
        if self.is_closed() {
            self.executor.db.log_tx(TxEvent::Rollback);
        } else {
            self.autorollback();
        }
    }

    /// SQLAlchemy's `Connection._autorollback()` after a statement failed
    /// before reaching the cursor: outside a transaction the DBAPI
    /// connection is rolled back anyway, firing a `rollback` event.
    pub fn autorollback(&self) {
        if !self.in_transaction() {
            let _ = self.executor.db.rollback();
            self.executor.db.log_tx(TxEvent::Rollback);
        }
    }

    /// `conn.close()`: rolls back an open transaction, then closes;
    /// closing twice does nothing.
    ///
    /// An `AsyncConnection`'s goes back to the async engine's pool: with no
    /// transaction open, the pool's reset-on-return still awaits
    /// aiosqlite's `rollback()` (no `ROLLBACK` event), as SQLAlchemy's
    /// `_ConnectionFairy._reset`.
    pub fn close(&self) -> PyResult<()> {
        if self.is_closed() {
            return Ok(());
        }
        let reset = if self.in_transaction() {
            self.rollback()
        } else {
            self.driver_await("rollback")
        };
        self.state.borrow_mut().closed = true;
        if let Some(pool) = self.pool.borrow_mut().take() {
            pool.checkin(self.executor.db.clone());
        }
        if let Some(key) = self.async_pool.take()
            && let Some(c) = self.executor.replace_driver_connection(None)
        {
            crate::orm::concurrency::pool_return(key, c);
        }
        reset
    }
}

impl Transaction {
    /// `trans.is_active`
    pub fn is_active(&self) -> bool {
        let st = self.conn.state.borrow();
        if st.closed {
            return false;
        }
        match &self.savepoint {
            None => st.root == Some(self.id),
            Some(_) => st.savepoints.iter().any(|(id, _)| *id == self.id),
        }
    }

    /// `trans.commit()`: `COMMIT`, or `RELEASE SAVEPOINT` for a nested one.
    ///
    /// Errors: `InvalidRequestError` ("This transaction is inactive") once
    /// committed or rolled back.
    pub fn commit(&self) -> PyResult<()> {
        if !self.is_active() {
            return Err(PyErr::new(
                ExcType::InvalidRequestError,
                "This transaction is inactive",
            ));
        }
        match &self.savepoint {
            None => self.conn.commit(),
            Some(name) => {
                self.end_savepoint();
                self.conn
                    .executor
                    .savepoint_sql(&format!("RELEASE SAVEPOINT {name}"))
            }
        }
    }

    /// `trans.rollback()`: `ROLLBACK`, or `ROLLBACK TO SAVEPOINT` for a
    /// nested one; nothing once inactive.
    pub fn rollback(&self) -> PyResult<()> {
        if !self.is_active() {
            return Ok(());
        }
        match &self.savepoint {
            None => self.conn.rollback(),
            Some(name) => {
                self.end_savepoint();
                self.conn
                    .executor
                    .savepoint_sql(&format!("ROLLBACK TO SAVEPOINT {name}"))
            }
        }
    }

    /// Forgets this savepoint and those inside it.
    fn end_savepoint(&self) {
        let mut st = self.conn.state.borrow_mut();
        if let Some(i) = st.savepoints.iter().position(|(id, _)| *id == self.id) {
            st.savepoints.truncate(i);
        }
    }
}

/// `engine.connect()`
pub fn connect(interp: &Interpreter, engine: &Value) -> PyResult<Value> {
    let Some(e) = engine.downcast::<super::objects::Engine>() else {
        return Err(PyErr::unsupported("connect() on this object"));
    };
    Ok(Value::Native(Connection::open(interp, engine, &e)?))
}

/// `engine.begin()`
pub fn engine_begin(interp: &Interpreter, engine: &Value) -> PyResult<Value> {
    let Some(e) = engine.downcast::<super::objects::Engine>() else {
        return Err(PyErr::unsupported("begin() on this object"));
    };
    Ok(Value::native(EngineBegin(Connection::open(
        interp, engine, &e,
    )?)))
}

/// True for the objects of this module, which its hooks serve.
pub fn is_connection_object(v: &Value) -> bool {
    super::session_nested::is_object(v)
        || crate::python::types::row_mapping::is_object(v)
        || v.downcast::<Connection>().is_some()
        || v.downcast::<Transaction>().is_some()
        || v.downcast::<EngineBegin>().is_some()
}

/// `Connection`'s methods, as SQLAlchemy 2.0 `sqlalchemy.engine.Connection`.
pub static CONNECTION: &[Method<Rc<Connection>>] = &[
    Method {
        name: "execute",
        params: &["statement", "parameters=", "*", "execution_options="],
        call: |_, c, b| {
            super::connection_execute::execute(c, b.required("statement")?, b.get("parameters"))
        },
    },
    Method {
        name: "scalar",
        params: &["statement", "parameters=", "*", "execution_options="],
        call: |_, c, b| {
            if let Some(s) = super::connection_execute::as_sequence(b.required("statement")?) {
                return super::connection_execute::fire_sequence(c, &s);
            }
            let r = super::connection_execute::execute(
                c,
                b.required("statement")?,
                b.get("parameters"),
            )?;
            match super::result::as_result(&r) {
                Some(r) => r.borrow_mut().scalar(),
                None => Ok(Value::None),
            }
        },
    },
    Method {
        name: "scalars",
        params: &["statement", "parameters=", "*", "execution_options="],
        call: |_, c, b| {
            let r = super::connection_execute::execute(
                c,
                b.required("statement")?,
                b.get("parameters"),
            )?;
            if let Some(res) = super::result::as_result(&r) {
                res.borrow_mut().scalars = true;
            }
            Ok(r)
        },
    },
    Method {
        name: "exec_driver_sql",
        params: &["statement", "parameters=", "execution_options="],
        call: |_, c, b| {
            super::connection_execute::exec_driver_sql(
                c,
                b.required("statement")?,
                b.get("parameters"),
            )
        },
    },
    Method {
        name: "commit",
        params: &[],
        call: |_, c, _| c.commit().map(|_| Value::None),
    },
    Method {
        name: "rollback",
        params: &[],
        call: |_, c, _| c.rollback().map(|_| Value::None),
    },
    Method {
        name: "close",
        params: &[],
        call: |_, c, _| c.close().map(|_| Value::None),
    },
    Method {
        name: "begin",
        params: &[],
        call: |_, c, _| c.begin().map(Value::native),
    },
    Method {
        name: "begin_nested",
        params: &[],
        call: |_, c, _| c.begin_nested().map(Value::native),
    },
    Method {
        name: "in_transaction",
        params: &[],
        call: |_, c, _| Ok(Value::Bool(c.in_transaction())),
    },
    Method {
        name: "in_nested_transaction",
        params: &[],
        call: |_, c, _| Ok(Value::Bool(!c.state.borrow().savepoints.is_empty())),
    },
];

/// `Connection`'s attributes that are not methods.
pub const CONNECTION_PROPERTIES: &[&str] = &["closed", "engine"];

/// `Transaction`'s methods, as SQLAlchemy 2.0 `sqlalchemy.engine.Transaction`.
pub static TRANSACTION: &[Method<Rc<Transaction>>] = &[
    Method {
        name: "commit",
        params: &[],
        call: |_, t, _| t.commit().map(|_| Value::None),
    },
    Method {
        name: "rollback",
        params: &[],
        call: |_, t, _| t.rollback().map(|_| Value::None),
    },
    Method {
        name: "close",
        params: &[],
        call: |_, t, _| t.rollback().map(|_| Value::None),
    },
];

/// `Transaction`'s attributes that are not methods.
pub const TRANSACTION_PROPERTIES: &[&str] = &["connection", "is_active", "is_valid"];

fn bound_method(receiver: &Value, name: &str) -> Value {
    Value::Method(Rc::new(crate::python::value::Method {
        receiver: receiver.clone(),
        name: name.to_string(),
    }))
}

fn no_attr(obj: &Value, name: &str, names: Vec<&str>) -> PyErr {
    let err = crate::python::exceptions::attribute_error(format!(
        "'{}' object has no attribute '{name}'",
        obj.type_name()
    ));
    match crate::python::exceptions::did_you_mean(name, names.iter().copied()) {
        Some(h) => err.with_hint(format!("did you mean '{h}'?")),
        None => err,
    }
}

/// `obj.name` on a connection, transaction or `engine.begin()`.
pub fn get_attr(obj: &Value, name: &str) -> PyResult<Value> {
    if super::session_nested::is_object(obj) {
        return super::session_nested::get_attr(obj, name);
    }
    if crate::python::types::row_mapping::is_object(obj) {
        let names = crate::python::types::row_mapping::method_names(obj);
        return if names.contains(&name) {
            Ok(bound_method(obj, name))
        } else {
            Err(no_attr(obj, name, names.to_vec()))
        };
    }
    if let Some(c) = obj.downcast::<Connection>() {
        return match name {
            "closed" => Ok(Value::Bool(c.is_closed())),
            "engine" => Ok(c.engine.clone()),
            _ if method::has(CONNECTION, name) => Ok(bound_method(obj, name)),
            _ => Err(no_attr(obj, name, connection_names())),
        };
    }
    if let Some(t) = obj.downcast::<Transaction>() {
        return match name {
            "is_active" | "is_valid" => Ok(Value::Bool(t.is_active())),
            "connection" => Ok(Value::Native(t.conn.clone())),
            _ if method::has(TRANSACTION, name) => Ok(bound_method(obj, name)),
            _ => Err(no_attr(obj, name, transaction_names())),
        };
    }
    Err(no_attr(obj, name, Vec::new()))
}

/// `obj.name(*args, **kwargs)` on a connection or transaction.
pub fn call_method(
    interp: &mut Interpreter,
    obj: &Value,
    name: &str,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<Value> {
    if super::session_nested::is_object(obj) {
        return super::session_nested::call_method(interp, obj, name, args, kwargs);
    }
    if crate::python::types::row_mapping::is_object(obj) {
        return crate::python::types::row_mapping::call_method(obj, name, args, kwargs)
            .unwrap_or_else(|| get_attr(obj, name).map(|_| Value::None));
    }
    let found = if let Some(c) = obj.downcast::<Connection>() {
        method::dispatch(CONNECTION, "Connection", interp, &c, name, args, kwargs)
    } else if let Some(t) = obj.downcast::<Transaction>() {
        let ty = t.type_name();
        method::dispatch(TRANSACTION, &ty, interp, &t, name, args, kwargs)
    } else {
        None
    };
    found.unwrap_or_else(|| get_attr(obj, name).map(|_| Value::None))
}

/// `with` entry: a connection gives itself, `engine.begin()` a connection
/// with its transaction begun, a transaction itself.
pub fn context_enter(ctx: &Value) -> PyResult<Value> {
    if super::session_nested::is_object(ctx) {
        return super::session_nested::context_enter(ctx);
    }
    if let Some(b) = ctx.downcast::<EngineBegin>() {
        b.0.begin()?;
        return Ok(Value::Native(b.0.clone()));
    }
    Ok(ctx.clone())
}

/// `with` exit: a connection closes (rolling back what is open); a
/// transaction still active commits, or rolls back when the block raised;
/// `engine.begin()` does both.
pub fn context_exit(ctx: &Value, failed: bool) -> PyResult<()> {
    if super::session_nested::is_object(ctx) {
        return super::session_nested::context_exit(ctx, failed);
    }
    let end = |t: &Transaction| {
        if failed { t.rollback() } else { t.commit() }
    };
    if let Some(c) = ctx.downcast::<Connection>() {
        return c.close();
    }
    if let Some(t) = ctx.downcast::<Transaction>() {
        return if t.is_active() { end(&t) } else { Ok(()) };
    }
    if let Some(b) = ctx.downcast::<EngineBegin>() {
        let conn = &b.0;
        let result = if failed {
            conn.rollback()
        } else {
            conn.commit()
        };
        conn.close()?;
        return result;
    }
    Ok(())
}

/// Every public name of a `Connection`, sorted, for completion.
pub fn connection_names() -> Vec<&'static str> {
    let mut v = method::names(CONNECTION);
    v.extend(CONNECTION_PROPERTIES);
    v.sort_unstable();
    v
}

/// Every public name of a `Transaction`, sorted, for completion.
pub fn transaction_names() -> Vec<&'static str> {
    let mut v = method::names(TRANSACTION);
    v.extend(TRANSACTION_PROPERTIES);
    v.sort_unstable();
    v
}

/// `ResultObj` for a statement that returned no rows (`CursorResult` of
/// DML) with its rowcount.
pub fn cursor_result(rowcount: i64) -> ResultObj {
    let mut r = ResultObj::new(Vec::new(), Vec::new(), false);
    r.rowcount = rowcount;
    r.cursor = true;
    r
}

/// `v` as a connection, for `Session(conn)` and `create_all(conn)`.
pub fn as_connection(v: &Value) -> Option<Rc<Connection>> {
    match v {
        Value::Native(n) => downcast::<Connection>(n),
        _ => None,
    }
}

impl crate::orm::session_bind::BoundTransaction for Transaction {
    fn commit(&self) -> PyResult<()> {
        Transaction::commit(self)
    }
    fn rollback(&self) -> PyResult<()> {
        Transaction::rollback(self)
    }
    fn is_active(&self) -> bool {
        Transaction::is_active(self)
    }
}

/// The connection of `Session(conn)`, as the session sees it.
#[derive(Debug)]
pub struct SessionConnection(pub Rc<Connection>);

impl crate::orm::session_bind::ConnectionBind for SessionConnection {
    /// SQLAlchemy 2.0's `"conservative_savepoint"` join: a SAVEPOINT of its
    /// own inside a savepoint, the outer transaction "rollback only", or a
    /// transaction begun for the session.
    fn join(&self) -> PyResult<crate::orm::session_bind::Joined> {
        let conn = &self.0;
        conn.check_begin_open()?;
        let root = conn.state.borrow().root;
        let (transaction, should_commit) = if !conn.state.borrow().savepoints.is_empty() {
            (conn.begin_nested()?, true)
        } else if let Some(id) = root {
            let t = Transaction {
                conn: conn.clone(),
                id,
                savepoint: None,
            };
            (t, false)
        } else {
            (conn.begin()?, true)
        };
        Ok(crate::orm::session_bind::Joined {
            transaction: Rc::new(transaction),
            should_commit,
        })
    }
}
