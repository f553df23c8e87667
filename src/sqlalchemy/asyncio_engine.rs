//! `sqlalchemy.ext.asyncio.engine`'s Python face: `create_async_engine`,
//! `AsyncEngine` over a sync `Engine` (its `sync_engine`) and
//! `AsyncConnection` over a sync Core `Connection` (its `sync_connection`),
//! as SQLAlchemy 2.0 builds them: each awaitable method runs the sync
//! connection's method of the same name inside `greenlet_spawn`.
//!
//! `create_async_engine("sqlite+aiosqlite://")` is a new empty database and
//! `sqlite+aiosqlite:///file.db` that file, as `create_engine` makes them;
//! the `async_engine` bound at start is over the fixture's engine.

use std::rc::Rc;

use super::asyncio::{AsyncResult, awaitable, bound_method, no_attr};
use super::connection::{Connection, Transaction};
use crate::interpreter::Interpreter;
use crate::orm::concurrency::greenlet_spawn;
use crate::python::exceptions::type_error;
use crate::python::format::address_of;
use crate::python::{PyErr, PyObject, PyResult, Value, Vm};

/// An `AsyncEngine` and its `sync_engine` (an `Engine` value).
#[derive(Debug)]
pub struct AsyncEngine {
    pub sync: Value,
}

impl PyObject for AsyncEngine {
    fn type_name(&self) -> String {
        "AsyncEngine".into()
    }
    fn repr(&self) -> String {
        format!(
            "<sqlalchemy.ext.asyncio.engine.AsyncEngine object at {}>",
            address_of(self as *const AsyncEngine)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `engine.connect()`'s `AsyncConnection` (awaitable, and an async context
/// manager that closes it), or `engine.begin()`'s (`begin` true: the context
/// manager begins a transaction, commits it or rolls it back, and closes).
#[derive(Debug)]
pub struct AsyncConnection {
    pub sync: Rc<Connection>,
    pub begin: bool,
}

impl PyObject for AsyncConnection {
    fn type_name(&self) -> String {
        "AsyncConnection".into()
    }
    fn repr(&self) -> String {
        format!(
            "<sqlalchemy.ext.asyncio.engine.AsyncConnection object at {}>",
            address_of(self as *const AsyncConnection)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// Every public attribute of SQLAlchemy 2.0's `AsyncEngine`.
const ASYNC_ENGINE_REAL: &[&str] = &[
    "begin",
    "clear_compiled_cache",
    "connect",
    "dialect",
    "dispose",
    "driver",
    "echo",
    "engine",
    "execution_options",
    "get_execution_options",
    "name",
    "pool",
    "raw_connection",
    "sync_engine",
    "update_execution_options",
    "url",
];

/// Every public attribute of SQLAlchemy 2.0's `AsyncConnection`.
const ASYNC_CONNECTION_REAL: &[&str] = &[
    "aclose",
    "begin",
    "begin_nested",
    "close",
    "closed",
    "commit",
    "connection",
    "default_isolation_level",
    "dialect",
    "engine",
    "exec_driver_sql",
    "execute",
    "execution_options",
    "get_isolation_level",
    "get_nested_transaction",
    "get_raw_connection",
    "get_transaction",
    "in_nested_transaction",
    "in_transaction",
    "info",
    "invalidate",
    "invalidated",
    "rollback",
    "run_sync",
    "scalar",
    "scalars",
    "start",
    "stream",
    "stream_scalars",
    "sync_connection",
    "sync_engine",
];

/// `AsyncConnection`'s awaitable methods the tutor has, each the sync
/// connection's method of that name (`aclose` is `close`).
const CONNECTION_AWAITABLES: &[&str] = &[
    "execute",
    "exec_driver_sql",
    "scalar",
    "scalars",
    "commit",
    "rollback",
    "close",
    "aclose",
    "run_sync",
    "stream",
    "stream_scalars",
    "start",
];

/// `create_async_engine(url, **kw)`: an `AsyncEngine` over the sync engine
/// `create_engine` makes for the URL without its `+aiosqlite` driver.
///
/// `postgresql+asyncpg://user@host:port/db` connects to that server with
/// the asyncpg dialect ([`asyncpg_engine`]).
///
/// Errors: SQLAlchemy's `InvalidRequestError` for the sync `sqlite://`
/// driver; `NotImplementedError` for other URLs than `sqlite+aiosqlite://…`
/// and `postgresql+asyncpg://…`; `create_engine`'s errors.
pub fn create_async_engine(
    interp: &mut Interpreter,
    mut args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<Value> {
    if let Some(u) = args.first().and_then(|a| a.downcast::<super::url::Url>()) {
        // create_async_engine(URL.create(...)): the URL's string.
        args[0] = Value::str(&u.render(false));
    }
    let url = match args.first() {
        Some(Value::Str(s)) => Some(s.to_string()),
        _ => None,
    };
    if let Some(Value::Str(s)) = args.first() {
        if s.starts_with("postgresql+asyncpg://") {
            return asyncpg_engine(interp, s, &kwargs);
        }
        if s.starts_with("sqlite://") || s.starts_with("sqlite+pysqlite://") {
            return Err(PyErr::new(
                crate::python::ExcType::InvalidRequestError,
                "The asyncio extension requires an async driver to be used. The loaded 'pysqlite' is not async.",
            ));
        }
        let Some(rest) = s.strip_prefix("sqlite+aiosqlite://") else {
            return Err(PyErr::unsupported(format!(
                "create_async_engine('{s}') (the tutor's async engines are sqlite+aiosqlite)"
            )));
        };
        args[0] = Value::str(&format!("sqlite://{rest}"));
    }
    let sync = super::engine::create_engine(interp, args, kwargs)?;
    // Its `url` (and `sync_engine.url`) keeps the `+aiosqlite` driver.
    let sync = match (sync.downcast::<super::objects::Engine>(), url) {
        (Some(e), Some(url)) => Value::native(super::objects::Engine(
            crate::orm::session::EngineRef {
                id: e.0.id,
                url,
                echo: e.0.echo,
            },
            e.1.clone(),
        )),
        _ => sync,
    };
    Ok(Value::native(AsyncEngine { sync }))
}

/// The `async_engine` bound at start: an `AsyncEngine` on the fixture's
/// database, whose `sync_engine` is an engine of its own with the
/// `sqlite+aiosqlite` URL (the fixture's `engine` is not it), as the
/// oracle's `create_async_engine(url)` gives.
pub fn fixture_async_engine(engine: &Value) -> Value {
    let sync = match engine.downcast::<super::objects::Engine>() {
        Some(e) if e.0.url.starts_with("sqlite://") => Value::native(super::objects::Engine(
            crate::orm::session::EngineRef {
                id: e.0.id,
                url: e.0.url.replacen("sqlite://", "sqlite+aiosqlite://", 1),
                echo: None,
            },
            e.1.clone(),
        )),
        _ => engine.clone(),
    };
    Value::native(AsyncEngine { sync })
}

/// `create_async_engine("postgresql+asyncpg://…")`: an `AsyncEngine` on
/// that server, its own connection (SQLAlchemy's own pool) compiled for and
/// failing as [`POSTGRESQL_ASYNCPG`](crate::sql::dialect::POSTGRESQL_ASYNCPG);
/// its statements share the tutor's log. The tutor talks to the server
/// with its own client: only the SQL, parameters and errors are asyncpg's.
///
/// Errors: `NotImplementedError` for keywords `create_engine` refuses;
/// `ArgumentError` for a URL SQLAlchemy cannot parse. It connects at its
/// first statement (`OperationalError`, libpq's text, when the server
/// cannot be reached).
pub fn asyncpg_engine(
    interp: &mut Interpreter,
    url: &str,
    kwargs: &[(String, Value)],
) -> PyResult<Value> {
    let echo = kwargs
        .iter()
        .find(|(k, _)| k == "echo")
        .map(|(_, v)| v.truthy());
    if let Some((k, _)) = kwargs
        .iter()
        .find(|(k, _)| k != "echo" && !super::engine::QUIET_KEYWORDS.contains(&k.as_str()))
    {
        return Err(PyErr::unsupported(format!(
            "the '{k}' argument of create_async_engine()"
        )));
    }
    // checks the URL now, as `make_url`; connects at the first statement
    crate::engine::postgresql::PgUrl::parse(url)
        .map_err(|e| PyErr::new(crate::python::ExcType::ArgumentError, e.message))?;
    let conn = crate::engine::asyncpg::AsyncpgConnection::new(url);
    let db = Rc::new(interp.db.sibling(Box::new(conn)));
    super::engine::configure_echo(&db, kwargs);
    let sync = interp.add_engine(url.to_string(), db, echo);
    Ok(Value::native(AsyncEngine { sync }))
}

/// The `async_engine` bound at start on a server (`--db postgresql://…`):
/// as SQLAlchemy's `create_async_engine("postgresql+asyncpg://…")` on the
/// same server, user and database ([`asyncpg_engine`]); its URL is shown
/// as `url` (password masked) with the `+asyncpg` driver.
///
/// Errors: `ArgumentError` for a URL SQLAlchemy cannot parse.
pub fn server_async_engine(interp: &mut Interpreter, url: &str, shown: &str) -> PyResult<Value> {
    let asyncpg = |u: &str| match u.split_once("://") {
        Some((_, rest)) => format!("postgresql+asyncpg://{rest}"),
        None => u.to_string(),
    };
    let engine = asyncpg_engine(interp, &asyncpg(url), &[])?;
    // `engine.url` masks the password as the tutor's own engine's does
    if let Some(e) = engine.downcast::<AsyncEngine>()
        && let Some(sync) = e.sync.downcast::<super::objects::Engine>()
    {
        return Ok(Value::native(AsyncEngine {
            sync: Value::native(super::objects::Engine(
                crate::orm::session::EngineRef {
                    id: sync.0.id,
                    url: asyncpg(shown),
                    echo: None,
                },
                sync.1.clone(),
            )),
        }));
    }
    Ok(engine)
}

/// An `AsyncEngine` the tutor can run: one over SQLite (aiosqlite) or
/// PostgreSQL through the asyncpg dialect.
///
/// Errors: `NotImplementedError` for an `AsyncEngine` over another driver
/// (none is made today; a psycopg2 engine is not async).
pub fn check_supported(e: &AsyncEngine) -> PyResult<()> {
    match e.sync.downcast::<super::objects::Engine>() {
        Some(sync) if sync.1.dialect().name != "sqlite" && sync.1.dialect().driver != "asyncpg" => {
            Err(PyErr::unsupported(format!(
                "an AsyncEngine over {}",
                sync.1.dialect().driver
            )))
        }
        _ => Ok(()),
    }
}

/// `async_engine.name` (`sync_engine`, `url`, `begin`, `connect`, `dispose`).
pub fn engine_attr(
    interp: &mut Interpreter,
    obj: &Value,
    e: &AsyncEngine,
    name: &str,
) -> PyResult<Value> {
    check_supported(e)?;
    match name {
        "sync_engine" | "engine" => Ok(e.sync.clone()),
        "url" | "name" | "driver" | "dialect" | "echo" => interp.get_attr(&e.sync, name),
        "begin" | "connect" | "dispose" => Ok(bound_method(obj, name)),
        _ => Err(no_attr(obj, name, ASYNC_ENGINE_REAL)),
    }
}

/// `async_engine.connect()` / `.begin()` / `.dispose()`.
pub fn engine_call(
    interp: &mut Interpreter,
    e: &AsyncEngine,
    name: &str,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<Value> {
    let sig = format!("AsyncEngine.{name}");
    match name {
        "dispose" => {
            crate::python::Signature::method("AsyncEngine.dispose", &["close="])
                .bind(args, kwargs)?;
            let sync = e.sync.clone();
            Ok(awaitable(sig, move |_| {
                match sync.downcast::<super::objects::Engine>() {
                    Some(engine) => super::engine::dispose(&engine).map(|()| Value::None),
                    None => Ok(Value::None),
                }
            }))
        }
        _ => {
            crate::python::Signature::method("AsyncEngine.connect", &[]).bind(args, kwargs)?;
            let Some(engine) = e.sync.downcast::<super::objects::Engine>() else {
                return Err(PyErr::unsupported("this AsyncEngine's connect()"));
            };
            let sync = Connection::open(interp, &e.sync, &engine)?;
            // its driver calls are aiosqlite's awaits, IO only inside them
            sync.executor.requires_greenlet.set(true);
            Ok(Value::native(AsyncConnection {
                sync,
                begin: name == "begin",
            }))
        }
    }
}

/// `conn.name` on an `AsyncConnection`.
pub fn connection_attr(obj: &Value, c: &AsyncConnection, name: &str) -> PyResult<Value> {
    match name {
        "sync_connection" => Ok(Value::Native(c.sync.clone())),
        "closed" => Ok(Value::Bool(c.sync.is_closed())),
        "engine" => Ok(c.sync.engine.clone()),
        "in_transaction" | "begin" | "begin_nested" => Ok(bound_method(obj, name)),
        _ if CONNECTION_AWAITABLES.contains(&name) => Ok(bound_method(obj, name)),
        _ => Err(no_attr(obj, name, ASYNC_CONNECTION_REAL)),
    }
}

/// `conn.name(...)` on an `AsyncConnection`: a coroutine running the sync
/// connection's method; `stream()`/`stream_scalars()` give an
/// `AsyncResult`/`AsyncScalarResult`; `run_sync(fn, *args)` calls
/// `fn(sync_connection, *args)`.
pub fn connection_call(
    interp: &mut Interpreter,
    obj: &Value,
    c: &AsyncConnection,
    name: &str,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<Value> {
    connection_attr(obj, c, name)?;
    let sync = Value::Native(c.sync.clone());
    let qualname = format!("AsyncConnection.{name}");
    match name {
        "in_transaction" => Ok(Value::Bool(c.sync.in_transaction())),
        "begin" | "begin_nested" => {
            let sig = if name == "begin" {
                "AsyncConnection.begin"
            } else {
                "AsyncConnection.begin_nested"
            };
            crate::python::Signature::method(sig, &[]).bind(args, kwargs)?;
            Ok(Value::native(AsyncTransaction {
                conn: c.sync.clone(),
                nested: name == "begin_nested",
                sync: Default::default(),
            }))
        }
        "start" => {
            let obj = obj.clone();
            let conn = c.sync.clone();
            Ok(awaitable(qualname, move |_| {
                conn.start_async()?;
                Ok(obj)
            }))
        }
        "run_sync" => {
            let mut args = args.into_iter();
            let f = args.next().ok_or_else(|| {
                type_error(
                    "AsyncConnection.run_sync() missing 1 required positional argument: 'fn'",
                )
            })?;
            let mut full = vec![sync];
            full.extend(args);
            Ok(awaitable(qualname, move |vm| {
                vm.call_value(&f, full, kwargs)
            }))
        }
        "stream" | "stream_scalars" => {
            let scalar = name == "stream_scalars";
            let sync_name = if scalar { "scalars" } else { "execute" };
            Ok(awaitable(qualname, move |vm| {
                let m = vm.get_attr(&sync, sync_name)?;
                let inner = vm.call_value(&m, args, kwargs)?;
                Ok(Value::native(AsyncResult { inner, scalar }))
            }))
        }
        _ => {
            let name = if name == "aclose" { "close" } else { name }.to_string();
            let _ = interp;
            Ok(awaitable(qualname, move |vm| {
                let m = vm.get_attr(&sync, &name)?;
                vm.call_value(&m, args, kwargs)
            }))
        }
    }
}

/// `async with conn:` / `await conn`: checks a connection out of the
/// pool (`Connection::start_async`: aiosqlite's connect awaits when none is
/// idle); `engine.begin()`'s connection begins its transaction.
///
/// Errors: `CancelledError` when the task is cancelled while it connects.
pub fn connection_enter(ctx: &Value, c: &AsyncConnection) -> PyResult<Value> {
    greenlet_spawn(|| c.sync.start_async())?;
    if c.begin {
        greenlet_spawn(|| c.sync.begin().map(|_| ()))?;
    }
    Ok(ctx.clone())
}

/// The end of `async with conn:`: `engine.begin()`'s connection commits, or
/// rolls back when the block raised; every connection closes (rolling back
/// what is still open), as SQLAlchemy 2.0's `AsyncConnection.__aexit__`.
pub fn connection_exit(c: &AsyncConnection, failed: bool) -> PyResult<()> {
    greenlet_spawn(|| {
        let ended = if !c.begin {
            Ok(())
        } else if failed {
            c.sync.rollback()
        } else {
            c.sync.commit()
        };
        let closed = c.sync.close();
        ended.and(closed)
    })
}

/// `conn.begin()` / `conn.begin_nested()` on an `AsyncConnection`: begun
/// when awaited or entered (`async with conn.begin():` commits at the end,
/// or rolls back when the block raised), as SQLAlchemy 2.0's
/// `AsyncTransaction` over the sync `RootTransaction`/`NestedTransaction`.
#[derive(Debug)]
pub struct AsyncTransaction {
    conn: Rc<Connection>,
    nested: bool,
    sync: std::cell::RefCell<Option<Rc<Transaction>>>,
}

impl PyObject for AsyncTransaction {
    fn type_name(&self) -> String {
        "AsyncTransaction".into()
    }
    fn repr(&self) -> String {
        format!(
            "<sqlalchemy.ext.asyncio.engine.AsyncTransaction object at {}>",
            address_of(self as *const AsyncTransaction)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// Every public attribute of SQLAlchemy 2.0's `AsyncTransaction`.
const ASYNC_TRANSACTION_REAL: &[&str] = &[
    "close",
    "commit",
    "connection",
    "is_active",
    "is_valid",
    "nested",
    "rollback",
    "start",
    "sync_transaction",
];

/// `await trans` / `async with trans:`: begins the sync transaction once.
pub fn transaction_start(v: &Value, t: &AsyncTransaction) -> PyResult<Value> {
    if t.sync.borrow().is_none() {
        let begun = greenlet_spawn(|| {
            if t.nested {
                t.conn.begin_nested()
            } else {
                t.conn.begin()
            }
        })?;
        *t.sync.borrow_mut() = Some(Rc::new(begun));
    }
    Ok(v.clone())
}

/// The end of `async with conn.begin():`: commits the transaction still
/// active, or rolls it back when the block raised.
pub fn transaction_exit(t: &AsyncTransaction, failed: bool) -> PyResult<()> {
    let Some(sync) = t.sync.borrow().clone() else {
        return Ok(());
    };
    if !sync.is_active() {
        return Ok(());
    }
    greenlet_spawn(|| {
        if failed {
            sync.rollback()
        } else {
            sync.commit()
        }
    })
}

/// `trans.name` on an `AsyncTransaction`.
pub fn transaction_attr(obj: &Value, t: &AsyncTransaction, name: &str) -> PyResult<Value> {
    let sync = t.sync.borrow().clone();
    match name {
        "is_active" => Ok(Value::Bool(sync.is_some_and(|s| s.is_active()))),
        "nested" => Ok(Value::Bool(t.nested)),
        "sync_transaction" => Ok(sync.map_or(Value::None, |s| Value::Native(s))),
        "commit" | "rollback" | "close" | "start" => Ok(bound_method(obj, name)),
        _ => Err(no_attr(obj, name, ASYNC_TRANSACTION_REAL)),
    }
}

/// `await trans.commit()` / `.rollback()` / `.close()` / `.start()`.
pub fn transaction_call(
    obj: &Value,
    t: &AsyncTransaction,
    name: &str,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<Value> {
    transaction_attr(obj, t, name)?;
    let sig = match name {
        "commit" => "AsyncTransaction.commit",
        "rollback" => "AsyncTransaction.rollback",
        "close" => "AsyncTransaction.close",
        _ => "AsyncTransaction.start",
    };
    crate::python::Signature::method(sig, &[]).bind(args, kwargs)?;
    if name == "start" {
        let v = transaction_start(obj, t)?;
        return Ok(awaitable("AsyncTransaction.start".into(), move |_| Ok(v)));
    }
    let sync = t.sync.borrow().clone();
    let name = name.to_string();
    Ok(awaitable(format!("AsyncTransaction.{name}"), move |_| {
        let Some(sync) = sync else {
            return Ok(Value::None);
        };
        match name.as_str() {
            "commit" => sync.commit(),
            _ => sync.rollback(),
        }
        .map(|()| Value::None)
    }))
}
