//! `sqlalchemy.ext.asyncio`'s Python face: `create_async_engine`,
//! `AsyncEngine`/`AsyncConnection`, `AsyncSession`, `async_sessionmaker`
//! and `AsyncSessionTransaction`, as SQLAlchemy 2.0 builds them on the sync
//! classes: an `AsyncSession` holds a sync [`Session`] (its
//! `sync_session`) whose IO needs the greenlet bridge
//! ([`crate::orm::concurrency`]). Its awaitable methods return coroutines
//! that run the sync method inside `greenlet_spawn`; `add`, `add_all`,
//! `expire`, … are plain proxies, as in SQLAlchemy.
//!
//! Every async engine runs on the tutor's own database, as the oracle binds
//! `async_engine` to the fixture's (`create_async_engine(url)` too, as
//! `create_engine(url)` gives the tutor's engine).

use std::rc::Rc;

use crate::interpreter::Interpreter;
use crate::orm::concurrency::greenlet_spawn;
use crate::orm::session::{Session, SessionConfig};
use crate::python::coroutine::Coroutine;
use crate::python::exceptions::type_error;
use crate::python::format::address_of;
use crate::python::{PyErr, PyObject, PyResult, Signature, Value, Vm};

/// `AsyncSession`'s awaitable methods: each runs the sync session's method
/// of the same name inside `greenlet_spawn`.
pub const ASYNC_SESSION_AWAITABLES: &[&str] = &[
    "execute",
    "scalars",
    "scalar",
    "get",
    "get_one",
    "commit",
    "rollback",
    "flush",
    "refresh",
    "delete",
    "merge",
    "close",
    "reset",
    "run_sync",
    "connection",
];

/// `AsyncSession`'s plain methods, proxied to the sync session.
pub const ASYNC_SESSION_PROXIES: &[&str] = &[
    "add",
    "add_all",
    "expunge",
    "expunge_all",
    "expire",
    "expire_all",
    "in_transaction",
    "in_nested_transaction",
    "is_modified",
    "begin",
    "get_bind",
    "get_transaction",
    "get_nested_transaction",
    "identity_key",
    "object_session",
];

/// `AsyncSession`'s attributes proxied to the sync session.
pub const ASYNC_SESSION_ATTRIBUTES: &[&str] = &[
    "sync_session",
    "info",
    "new",
    "dirty",
    "deleted",
    "identity_map",
    "is_active",
    "autoflush",
    "no_autoflush",
];

/// Every public attribute of SQLAlchemy 2.0's `AsyncSession` class: those
/// the tutor lacks are `NotImplementedError`, never `AttributeError`.
const ASYNC_SESSION_REAL: &[&str] = &[
    "aclose",
    "add",
    "add_all",
    "autoflush",
    "begin",
    "begin_nested",
    "close",
    "close_all",
    "commit",
    "connection",
    "delete",
    "deleted",
    "dirty",
    "execute",
    "expire",
    "expire_all",
    "expunge",
    "expunge_all",
    "flush",
    "get",
    "get_bind",
    "get_nested_transaction",
    "get_one",
    "get_transaction",
    "identity_key",
    "identity_map",
    "in_nested_transaction",
    "in_transaction",
    "info",
    "invalidate",
    "is_active",
    "is_modified",
    "merge",
    "new",
    "no_autoflush",
    "object_session",
    "refresh",
    "reset",
    "rollback",
    "run_sync",
    "scalar",
    "scalars",
    "stream",
    "stream_scalars",
    "sync_session_class",
    "sync_session",
    "bind",
];

macro_rules! object_repr {
    ($t:ty, $name:literal, $path:literal) => {
        impl PyObject for $t {
            fn type_name(&self) -> String {
                $name.into()
            }
            fn repr(&self) -> String {
                format!(
                    concat!("<", $path, " object at {}>"),
                    address_of(self as *const $t)
                )
            }
            fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
                self
            }
        }
    };
}

pub use super::asyncio_engine::{AsyncConnection, AsyncEngine, AsyncTransaction};
use super::asyncio_scoping::AsyncScopedSession;

/// `await session.stream(stmt)`'s `AsyncResult` (`scalar` false) or
/// `AsyncScalarResult` (`scalar` true) over the sync result `inner`, or
/// `AsyncMappingResult` when `inner` is a `MappingResult`: its fetching
/// methods are awaitable, `async for` iterates it.
#[derive(Debug)]
pub struct AsyncResult {
    pub inner: Value,
    pub scalar: bool,
}

impl PyObject for AsyncResult {
    fn type_name(&self) -> String {
        if self.scalar {
            "AsyncScalarResult".into()
        } else if self.is_mapping() {
            "AsyncMappingResult".into()
        } else {
            "AsyncResult".into()
        }
    }
    fn repr(&self) -> String {
        format!(
            "<sqlalchemy.ext.asyncio.result.{} object at {}>",
            self.type_name(),
            address_of(self as *const AsyncResult)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

impl AsyncResult {
    /// Over a `MappingResult` (`result.mappings()`).
    fn is_mapping(&self) -> bool {
        self.inner.type_name() == "MappingResult"
    }
}

/// Every public attribute of SQLAlchemy 2.0's `AsyncMappingResult`.
const ASYNC_MAPPING_RESULT_REAL: &[&str] = &[
    "all",
    "close",
    "closed",
    "columns",
    "fetchall",
    "fetchmany",
    "fetchone",
    "first",
    "keys",
    "one",
    "one_or_none",
    "partitions",
    "unique",
    "yield_per",
];

/// `AsyncResult`'s awaitable methods the tutor has.
const ASYNC_RESULT_AWAITABLES: &[&str] = &[
    "all",
    "close",
    "freeze",
    "fetchall",
    "fetchmany",
    "fetchone",
    "first",
    "one",
    "one_or_none",
    "scalar",
    "scalar_one",
    "scalar_one_or_none",
];

/// Every public attribute of SQLAlchemy 2.0's `AsyncResult`.
const ASYNC_RESULT_REAL: &[&str] = &[
    "all",
    "close",
    "closed",
    "columns",
    "fetchall",
    "fetchmany",
    "fetchone",
    "first",
    "freeze",
    "keys",
    "mappings",
    "one",
    "one_or_none",
    "partitions",
    "scalar",
    "scalar_one",
    "scalar_one_or_none",
    "scalars",
    "t",
    "tuples",
    "unique",
    "yield_per",
];

/// Every public attribute of SQLAlchemy 2.0's `AsyncScalarResult`.
const ASYNC_SCALAR_RESULT_REAL: &[&str] = &[
    "all",
    "close",
    "closed",
    "fetchall",
    "fetchmany",
    "first",
    "one",
    "one_or_none",
    "partitions",
    "unique",
    "yield_per",
];

/// The methods of an `AsyncResult` that give an async result over the sync
/// result's same-named method (not awaitable), as SQLAlchemy 2.0's.
const RESULT_RETURNING_RESULTS: &[&str] = &[
    "unique",
    "scalars",
    "mappings",
    "columns",
    "tuples",
    "yield_per",
];

/// `result.name` on an `AsyncResult`/`AsyncScalarResult`.
fn result_attr(obj: &Value, r: &AsyncResult, name: &str) -> PyResult<Value> {
    let real = if r.scalar {
        ASYNC_SCALAR_RESULT_REAL
    } else if r.is_mapping() {
        ASYNC_MAPPING_RESULT_REAL
    } else {
        ASYNC_RESULT_REAL
    };
    if real.contains(&name) {
        match name {
            // `AsyncResult.t`: the result itself, typed for tuples.
            "t" => return Ok(obj.clone()),
            "closed" => {
                let closed =
                    super::result::as_result(&r.inner).is_some_and(|inner| inner.borrow().closed);
                return Ok(Value::Bool(closed));
            }
            _ => {}
        }
    }
    let served = RESULT_RETURNING_RESULTS.contains(&name)
        || name == "keys"
        || name == "partitions"
        || ASYNC_RESULT_AWAITABLES.contains(&name);
    if served && real.contains(&name) {
        Ok(bound_method(obj, name))
    } else {
        Err(no_attr(obj, name, real))
    }
}

/// `result.name(...)` on an `AsyncResult`: `unique()`, `scalars()` wrap the
/// sync result's; `keys()` is the sync one's; fetching methods return
/// coroutines.
fn result_call(
    interp: &mut Interpreter,
    r: &AsyncResult,
    name: &str,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<Value> {
    let inner = r.inner.clone();
    if name == "partitions" {
        // An async iterator of lists of rows, as `AsyncResult.partitions(size)`.
        let m = interp.get_attr(&inner, "partitions")?;
        let parts = interp.call(&m, args, kwargs)?;
        let parts = interp.iterate_value(&parts)?;
        return Ok(Value::native(AsyncResult {
            inner: Value::list(parts),
            scalar: r.scalar,
        }));
    }
    if RESULT_RETURNING_RESULTS.contains(&name) || name == "keys" {
        let m = interp.get_attr(&inner, name)?;
        let v = interp.call(&m, args, kwargs)?;
        return Ok(match name {
            "keys" => v,
            _ => Value::native(AsyncResult {
                inner: v,
                scalar: r.scalar || name == "scalars",
            }),
        });
    }
    let name = name.to_string();
    Ok(Coroutine::native(
        format!("{}.{name}", r.type_name()),
        move |vm| {
            let m = vm.get_attr(&inner, &name)?;
            vm.call_value(&m, args, kwargs)
        },
    ))
}

/// An `AsyncSession` and its `sync_session`.
#[derive(Debug)]
pub struct AsyncSession {
    pub sync: Rc<Session>,
    /// The `AsyncEngine` it was made with (`session.bind`), if any.
    pub bind: Option<Value>,
}
object_repr!(
    AsyncSession,
    "AsyncSession",
    "sqlalchemy.ext.asyncio.session.AsyncSession"
);

/// `session.begin()` on an `AsyncSession`, for `async with`; with
/// `nested`, `session.begin_nested()`, whose sync `NestedSessionTransaction`
/// (`savepoint`) exists once awaited or entered.
#[derive(Debug)]
pub struct AsyncSessionTransaction {
    pub sync: Rc<Session>,
    pub nested: bool,
    pub savepoint: std::cell::RefCell<Option<Value>>,
}
object_repr!(
    AsyncSessionTransaction,
    "AsyncSessionTransaction",
    "sqlalchemy.ext.asyncio.session.AsyncSessionTransaction"
);

/// `async_sessionmaker(engine, ...)`: calling it makes an `AsyncSession`
/// bound to `bind` (an `AsyncEngine`, or `None`).
#[derive(Debug)]
pub struct AsyncSessionMaker(pub SessionConfig, pub Option<Value>, pub bool);

impl AsyncSessionMaker {
    /// `sessionmaker` when made by `sessionmaker(class_=AsyncSession)`.
    fn class_name(&self) -> &'static str {
        if self.2 {
            "sessionmaker"
        } else {
            "async_sessionmaker"
        }
    }
}

impl PyObject for AsyncSessionMaker {
    fn type_name(&self) -> String {
        self.class_name().into()
    }
    fn repr(&self) -> String {
        let flag = |b: bool| if b { "True" } else { "False" };
        format!(
            "{}(class_='AsyncSession', bind={}, autoflush={}, expire_on_commit={})",
            self.class_name(),
            self.1
                .as_ref()
                .map_or("None".to_string(), crate::python::format::repr_plain),
            flag(self.0.autoflush),
            flag(self.0.expire_on_commit)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `async with factory.begin() as session:`: a new `AsyncSession` with its
/// transaction begun, committed at the end (rolled back when the block
/// raised) and the session closed, as SQLAlchemy 2.0's
/// `async_sessionmaker.begin()`.
#[derive(Debug)]
pub struct AsyncSessionMakerBegin(pub Value);
object_repr!(
    AsyncSessionMakerBegin,
    "_AsyncSessionContextManager",
    "sqlalchemy.ext.asyncio.session._AsyncSessionContextManager"
);

/// A callable name of `sqlalchemy.ext.asyncio`: `create_async_engine`,
/// `AsyncSession`, `async_sessionmaker`.
#[derive(Debug)]
pub struct AsyncName(pub &'static str);

impl PyObject for AsyncName {
    fn type_name(&self) -> String {
        match self.0 {
            "create_async_engine" | "close_all_sessions" => "function".into(),
            _ => "type".into(),
        }
    }
    fn repr(&self) -> String {
        match self.0 {
            "create_async_engine" | "close_all_sessions" => format!(
                "<function {} at {}>",
                self.0,
                address_of(self as *const AsyncName)
            ),
            "AsyncSession" => "<class 'sqlalchemy.ext.asyncio.session.AsyncSession'>".into(),
            "async_scoped_session" => {
                "<class 'sqlalchemy.ext.asyncio.scoping.async_scoped_session'>".into()
            }
            _ => "<class 'sqlalchemy.ext.asyncio.session.async_sessionmaker'>".into(),
        }
    }
    /// `isinstance(s, AsyncSession)`, `isinstance(f, async_sessionmaker)`
    /// (not a `sessionmaker(class_=AsyncSession)`, as in SQLAlchemy).
    fn instancecheck(&self, v: &Value) -> bool {
        match self.0 {
            "AsyncSession" => v.downcast::<AsyncSession>().is_some(),
            "async_sessionmaker" => v.downcast::<AsyncSessionMaker>().is_some_and(|m| !m.2),
            "async_scoped_session" => v
                .downcast::<AsyncScopedSession>()
                .is_some_and(|s| s.type_name() == "async_scoped_session"),
            _ => false,
        }
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `sqlalchemy.ext.asyncio.AsyncAttrs`, the mixin a declarative base lists
/// before `DeclarativeBase`.
#[derive(Debug)]
pub struct AsyncAttrs;

impl PyObject for AsyncAttrs {
    fn type_name(&self) -> String {
        "type".into()
    }
    fn repr(&self) -> String {
        "<class 'sqlalchemy.ext.asyncio.session.AsyncAttrs'>".into()
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// True for `AsyncAttrs` among a class's bases.
pub fn is_async_attrs(v: &Value) -> bool {
    v.downcast::<AsyncAttrs>().is_some()
}

/// `obj.awaitable_attrs` (SQLAlchemy 2.0's `_AsyncAttrGetitem`): each
/// attribute read through it is a coroutine that reads `obj.name` inside
/// `greenlet_spawn`, so a lazy load or an expired attribute loads there.
#[derive(Debug)]
pub struct AsyncAttrGetitem(pub Value);

impl PyObject for AsyncAttrGetitem {
    fn type_name(&self) -> String {
        "_AsyncAttrGetitem".into()
    }
    fn repr(&self) -> String {
        format!(
            "<sqlalchemy.ext.asyncio.session.AsyncAttrs._AsyncAttrGetitem object at {}>",
            address_of(self as *const AsyncAttrGetitem)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `obj.awaitable_attrs` on an instance of a class whose base lists
/// `AsyncAttrs`; `None` otherwise (Python's `AttributeError` follows).
pub fn awaitable_attrs(
    obj: &Value,
    mapper: &crate::orm::mapper::Mapper,
    name: &str,
) -> Option<Value> {
    if name != "awaitable_attrs" || !mapper.registry().ok()?.async_attrs.get() {
        return None;
    }
    Some(Value::native(AsyncAttrGetitem(obj.clone())))
}

/// `from sqlalchemy.ext.asyncio import NAME`, for the names the tutor has.
pub fn module_value(name: &str) -> Option<Value> {
    if name == "AsyncAttrs" {
        return Some(Value::native(AsyncAttrs));
    }
    let name = [
        "create_async_engine",
        "AsyncSession",
        "async_sessionmaker",
        "async_scoped_session",
        "close_all_sessions",
    ]
    .into_iter()
    .find(|n| *n == name)?;
    Some(Value::native(AsyncName(name)))
}

/// `AsyncSession.__init__`'s parameters, as SQLAlchemy 2.0's.
const ASYNC_SESSION_INIT: Signature = Signature::method(
    "AsyncSession.__init__",
    &[
        "bind=",
        "*",
        "binds=!",
        "sync_session_class=!",
        "autoflush=",
        "expire_on_commit=",
        "autobegin=!",
        "info=!",
    ],
);

/// `async_sessionmaker.__init__`'s parameters.
const ASYNC_SESSIONMAKER: Signature = Signature::method(
    "async_sessionmaker.__init__",
    &[
        "bind=",
        "*",
        "class_=",
        "autoflush=",
        "expire_on_commit=",
        "info=!",
    ],
);

fn configure(config: &mut SessionConfig, b: &crate::python::Bound) {
    config.autoflush = b.flag("autoflush", config.autoflush);
    config.expire_on_commit = b.flag("expire_on_commit", config.expire_on_commit);
}

/// A new `AsyncSession` with `config`, changed by the call's keywords.
fn new_async_session(
    interp: &mut Interpreter,
    mut config: SessionConfig,
    bind: Option<Value>,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<Value> {
    let b = ASYNC_SESSION_INIT.bind(args, kwargs)?;
    configure(&mut config, &b);
    let bind = b.get("bind").cloned().or(bind);
    match &bind {
        Some(v) if v.downcast::<AsyncConnection>().is_some() => {
            return Err(PyErr::unsupported("AsyncSession(bind=<AsyncConnection>)"));
        }
        Some(v) if !matches!(v, Value::None) && v.downcast::<AsyncEngine>().is_none() => {
            // As SQLAlchemy 2.0's `AsyncSession.__init__` → `_get_sync_engine_or_connection`.
            return Err(PyErr::new(
                crate::python::ExcType::ArgumentError,
                format!(
                    "AsyncEngine expected, got {}",
                    crate::python::format::repr_plain(v)
                ),
            ));
        }
        _ => {}
    }
    let bind = bind.filter(|v| !matches!(v, Value::None));
    if let Some(e) = bind.as_ref().and_then(|e| e.downcast::<AsyncEngine>()) {
        super::asyncio_engine::check_supported(&e)?;
    }
    let sync_engine = bind
        .as_ref()
        .and_then(|e| e.downcast::<AsyncEngine>())
        .map(|e| e.sync.clone());
    let db = sync_engine
        .as_ref()
        .and_then(|e| e.downcast::<super::objects::Engine>())
        .map_or_else(|| interp.db.clone(), |e| e.1.clone());
    let id = interp.new_session_id();
    let s = Session::new(id, db, interp.registry.clone());
    s.autoflush.set(config.autoflush);
    s.set_expire_on_commit(config.expire_on_commit);
    s.requires_greenlet.set(true);
    *s.bind.borrow_mut() = sync_engine;
    Ok(Value::native(AsyncSession { sync: s, bind }))
}

/// The coroutine of `close_all_sessions()` / `AsyncSession.close_all()`:
/// every live session (sync ones too) closed, inside `greenlet_spawn`.
fn close_all_coroutine(qualname: &str) -> Value {
    awaitable(qualname.into(), |_| {
        crate::orm::session::close_all_sessions().map(|()| Value::None)
    })
}

/// True for `sqlalchemy.ext.asyncio.AsyncSession`, the class.
pub fn is_async_session_class(v: &Value) -> bool {
    v.downcast::<AsyncName>()
        .is_some_and(|n| n.0 == "AsyncSession")
}

/// True for the values this module calls: its classes and functions,
/// `async_sessionmaker` factories.
pub fn is_callable(v: &Value) -> bool {
    v.downcast::<AsyncName>().is_some()
        || v.downcast::<super::asyncio_scoping::ScopedRegistry>()
            .is_some()
        || v.downcast::<AsyncSessionMaker>().is_some()
        || v.downcast::<AsyncScopedSession>().is_some()
        || v.downcast::<AsyncTransaction>().is_some()
        || v.downcast::<AsyncSessionMaker>().is_some()
        || v.downcast::<AsyncSessionMakerBegin>().is_some()
}

/// Calls a value [`is_callable`] accepts.
pub fn call(
    interp: &mut Interpreter,
    f: &Value,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<Value> {
    if let Some(s) = f.downcast::<AsyncScopedSession>() {
        return super::asyncio_scoping::call(interp, &s, args, kwargs);
    }
    if let Some(r) = f.downcast::<super::asyncio_scoping::ScopedRegistry>() {
        return super::asyncio_scoping::call_registry(interp, &r, args, kwargs);
    }
    if let Some(m) = f.downcast::<AsyncSessionMaker>() {
        return new_async_session(interp, m.0.clone(), m.1.clone(), args, kwargs);
    }
    match f.downcast::<AsyncName>().map(|n| n.0) {
        Some("create_async_engine") => {
            super::asyncio_engine::create_async_engine(interp, args, kwargs)
        }
        Some("AsyncSession") => {
            new_async_session(interp, SessionConfig::default(), None, args, kwargs)
        }
        Some("async_scoped_session") => super::asyncio_scoping::new(args, kwargs),
        Some("close_all_sessions") => {
            // `await close_all_sessions()`, as SQLAlchemy 2.0's
            // `sqlalchemy.ext.asyncio.close_all_sessions()`: every session
            // closed inside `greenlet_spawn`.
            Signature::function("close_all_sessions", &[]).bind(args, kwargs)?;
            Ok(close_all_coroutine("close_all_sessions"))
        }
        _ => {
            let b = ASYNC_SESSIONMAKER.bind(args, kwargs)?;
            let mut config = SessionConfig::default();
            configure(&mut config, &b);
            Ok(Value::native(AsyncSessionMaker(
                config,
                b.get("bind").cloned(),
                false,
            )))
        }
    }
}

/// True for the objects whose attributes and methods this module serves.
pub fn is_async_object(v: &Value) -> bool {
    v.downcast::<AsyncSession>().is_some()
        || v.downcast::<AsyncName>()
            .is_some_and(|n| n.0 == "AsyncSession")
        || v.downcast::<AsyncEngine>().is_some()
        || v.downcast::<AsyncConnection>().is_some()
        || v.downcast::<AsyncSessionTransaction>().is_some()
        || v.downcast::<AsyncResult>().is_some()
        || v.downcast::<AsyncAttrGetitem>().is_some()
        || v.downcast::<AsyncScopedSession>().is_some()
        || v.downcast::<super::asyncio_scoping::ScopedRegistry>()
            .is_some()
        || v.downcast::<AsyncTransaction>().is_some()
        || v.downcast::<AsyncSessionMaker>().is_some()
        || v.downcast::<AsyncSessionMakerBegin>().is_some()
}

pub(super) fn bound_method(receiver: &Value, name: &str) -> Value {
    Value::Method(Rc::new(crate::python::value::Method {
        receiver: receiver.clone(),
        name: name.to_string(),
    }))
}

/// The error for `v.name` that the tutor does not serve: `NotImplementedError`
/// when SQLAlchemy has it (`real`), else Python's `AttributeError` with a
/// "did you mean" among `real`.
pub(super) fn no_attr(v: &Value, name: &str, real: &[&str]) -> PyErr {
    if real.contains(&name) {
        return PyErr::unsupported(format!("{}.{name}", v.type_name()));
    }
    let err = crate::python::exceptions::attribute_error(format!(
        "'{}' object has no attribute '{name}'",
        v.type_name()
    ));
    match crate::python::exceptions::did_you_mean(name, real.iter().copied()) {
        Some(h) => err.with_hint(format!("did you mean '{h}'?")),
        None => err,
    }
}

/// `obj.name` on an object [`is_async_object`] accepts.
pub fn get_attr(interp: &mut Interpreter, obj: &Value, name: &str) -> PyResult<Value> {
    if let Some(s) = obj.downcast::<AsyncSession>() {
        if name == "sync_session" {
            return Ok(Value::Native(s.sync.clone()));
        }
        if name == "bind" {
            // Set only when given, as SQLAlchemy 2.0's `AsyncSession.__init__`.
            return s.bind.clone().ok_or_else(|| {
                crate::python::exceptions::attribute_error(
                    "'AsyncSession' object has no attribute 'bind'",
                )
            });
        }
        if name == "sync_session_class" {
            return Ok(Value::Builtin(crate::python::value::Builtin::SessionClass));
        }
        if ASYNC_SESSION_ATTRIBUTES.contains(&name) {
            return interp.get_attr(&Value::Native(s.sync.clone()), name);
        }
        if ASYNC_SESSION_AWAITABLES.contains(&name)
            || ASYNC_SESSION_PROXIES.contains(&name)
            || name == "aclose"
            || name == "invalidate"
            || name == "begin_nested"
            || name == "stream"
            || name == "stream_scalars"
        {
            return Ok(bound_method(obj, name));
        }
        return Err(no_attr(obj, name, ASYNC_SESSION_REAL));
    }
    if let Some(r) = obj.downcast::<AsyncResult>() {
        return result_attr(obj, &r, name);
    }
    if let Some(s) = obj.downcast::<AsyncScopedSession>() {
        return super::asyncio_scoping::get_attr(interp, obj, &s, name);
    }
    if let Some(r) = obj.downcast::<super::asyncio_scoping::ScopedRegistry>() {
        return super::asyncio_scoping::registry_attr(obj, &r, name);
    }
    if let Some(a) = obj.downcast::<AsyncAttrGetitem>() {
        let (instance, name) = (a.0.clone(), name.to_string());
        return Ok(awaitable("greenlet_spawn".into(), move |vm| {
            vm.get_attr(&instance, &name)
        }));
    }
    if let Some(e) = obj.downcast::<AsyncEngine>() {
        return super::asyncio_engine::engine_attr(interp, obj, &e, name);
    }
    if let Some(c) = obj.downcast::<AsyncConnection>() {
        return super::asyncio_engine::connection_attr(obj, &c, name);
    }
    if let Some(t) = obj.downcast::<AsyncTransaction>() {
        return super::asyncio_engine::transaction_attr(obj, &t, name);
    }
    if obj.downcast::<AsyncSessionTransaction>().is_some() {
        return match name {
            "commit" | "rollback" => Ok(bound_method(obj, name)),
            _ => Err(no_attr(
                obj,
                name,
                &[
                    "commit",
                    "rollback",
                    "is_active",
                    "nested",
                    "session",
                    "sync_transaction",
                    "start",
                ],
            )),
        };
    }
    if obj.downcast::<AsyncSessionMaker>().is_some() {
        return if name == "begin" {
            Ok(bound_method(obj, name))
        } else {
            Err(no_attr(obj, name, &["begin", "class_", "configure", "kw"]))
        };
    }
    if obj
        .downcast::<AsyncName>()
        .is_some_and(|n| n.0 == "AsyncSession")
    {
        // `AsyncSession`'s class methods.
        return match name {
            "identity_key" | "object_session" | "close_all" => Ok(bound_method(obj, name)),
            _ if ASYNC_SESSION_REAL.contains(&name) => {
                Err(PyErr::unsupported(format!("AsyncSession.{name}")))
            }
            _ => Err(crate::python::exceptions::attribute_error(format!(
                "type object 'AsyncSession' has no attribute '{name}'"
            ))),
        };
    }
    if name == "__aenter__" {
        Ok(bound_method(obj, name))
    } else {
        Err(no_attr(obj, name, &[]))
    }
}

/// The coroutine of an awaitable method: `f` runs inside `greenlet_spawn`
/// when it is awaited.
pub(super) fn awaitable(
    qualname: String,
    f: impl FnOnce(&mut dyn Vm) -> PyResult<Value> + 'static,
) -> Value {
    Coroutine::native(qualname, move |vm| greenlet_spawn(|| f(vm)))
}

/// `receiver.name(*args, **kwargs)` on an object [`is_async_object`]
/// accepts.
pub fn call_method(
    interp: &mut Interpreter,
    receiver: &Value,
    name: &str,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<Value> {
    if let Some(s) = receiver.downcast::<AsyncScopedSession>() {
        return super::asyncio_scoping::call_method(interp, receiver, &s, name, args, kwargs);
    }
    if let Some(r) = receiver.downcast::<super::asyncio_scoping::ScopedRegistry>() {
        return super::asyncio_scoping::registry_call(interp, receiver, &r, name, args, kwargs);
    }
    get_attr(interp, receiver, name)?;
    if let Some(s) = receiver.downcast::<AsyncSession>() {
        let sync = Value::Native(s.sync.clone());
        if name == "begin" || name == "begin_nested" {
            let sig = if name == "begin" {
                "AsyncSession.begin"
            } else {
                "AsyncSession.begin_nested"
            };
            Signature::method(sig, &[]).bind(args, kwargs)?;
            return Ok(Value::native(AsyncSessionTransaction {
                sync: s.sync.clone(),
                nested: name == "begin_nested",
                savepoint: Default::default(),
            }));
        }
        if name == "get_transaction" || name == "get_nested_transaction" {
            // The `AsyncSessionTransaction` over the sync one, or None.
            let m = interp.get_attr(&sync, name)?;
            let t = interp.call(&m, args, kwargs)?;
            if matches!(t, Value::None) {
                return Ok(t);
            }
            let nested = name == "get_nested_transaction";
            return Ok(Value::native(AsyncSessionTransaction {
                sync: s.sync.clone(),
                nested,
                savepoint: std::cell::RefCell::new(nested.then_some(t)),
            }));
        }
        if ASYNC_SESSION_PROXIES.contains(&name) {
            let m = interp.get_attr(&sync, name)?;
            return interp.call(&m, args, kwargs);
        }
        if name == "connection" {
            // `await session.connection()`: an `AsyncConnection` over the
            // sync session's connection.
            return Ok(awaitable("AsyncSession.connection".into(), move |vm| {
                let m = vm.get_attr(&sync, "connection")?;
                let c = vm.call_value(&m, args, kwargs)?;
                match super::connection::as_connection(&c) {
                    Some(sync) => Ok(Value::native(AsyncConnection { sync, begin: false })),
                    None => Ok(c),
                }
            }));
        }
        if name == "run_sync" {
            let mut args = args.into_iter();
            let f = args.next().ok_or_else(|| {
                type_error("AsyncSession.run_sync() missing 1 required positional argument: 'fn'")
            })?;
            let mut full = vec![sync];
            full.extend(args);
            return Ok(awaitable("AsyncSession.run_sync".into(), move |vm| {
                vm.call_value(&f, full, kwargs)
            }));
        }
        if name == "stream" || name == "stream_scalars" {
            let scalar = name == "stream_scalars";
            let sync_name = if scalar { "scalars" } else { "execute" };
            return Ok(awaitable(format!("AsyncSession.{name}"), move |vm| {
                let m = vm.get_attr(&sync, sync_name)?;
                let inner = vm.call_value(&m, args, kwargs)?;
                Ok(Value::native(AsyncResult { inner, scalar }))
            }));
        }
        if name == "invalidate" {
            // `Session.invalidate()`: the connection is dropped, its
            // transaction rolled back, and the session closed.
            Signature::method("AsyncSession.invalidate", &[]).bind(args, kwargs)?;
            let s = s.sync.clone();
            return Ok(awaitable("AsyncSession.invalidate".into(), move |_| {
                s.close().map(|()| Value::None)
            }));
        }
        let name = if name == "aclose" { "close" } else { name }.to_string();
        return Ok(awaitable(format!("AsyncSession.{name}"), move |vm| {
            let m = vm.get_attr(&sync, &name)?;
            vm.call_value(&m, args, kwargs)
        }));
    }
    if receiver.downcast::<AsyncName>().is_some() {
        get_attr(interp, receiver, name)?;
        if name == "close_all" {
            // Deprecated since 2.0, as SQLAlchemy's `AsyncSession.close_all()`.
            Signature::method("AsyncSession.close_all", &[]).bind(args, kwargs)?;
            crate::python::warnings::warn(
                "SADeprecationWarning",
                "The AsyncSession.close_all() method is deprecated and will be removed in a future release.  Please refer to close_all_sessions(). (deprecated since: 2.0)",
            );
            return Ok(close_all_coroutine("AsyncSession.close_all"));
        }
        if name == "object_session" {
            let b = Signature::method("AsyncSession.object_session", &["instance"])
                .bind(args, kwargs)?;
            return super::inspection::object_session(
                vec![b.required("instance")?.clone()],
                Vec::new(),
            );
        }
        let b = Signature::method(
            "AsyncSession.identity_key",
            super::session::IDENTITY_KEY_PARAMS,
        )
        .bind(args, kwargs)?;
        return super::session::identity_key_of(&b);
    }
    if let Some(r) = receiver.downcast::<AsyncResult>() {
        if name == "t" || name == "closed" {
            // Properties: `result.t()` calls the result itself.
            let v = result_attr(receiver, &r, name)?;
            return interp.call(&v, args, kwargs);
        }
        return result_call(interp, &r, name, args, kwargs);
    }
    if let Some(e) = receiver.downcast::<AsyncEngine>() {
        return super::asyncio_engine::engine_call(interp, &e, name, args, kwargs);
    }
    if let Some(c) = receiver.downcast::<AsyncConnection>() {
        return super::asyncio_engine::connection_call(interp, receiver, &c, name, args, kwargs);
    }
    if let Some(t) = receiver.downcast::<AsyncTransaction>() {
        return super::asyncio_engine::transaction_call(receiver, &t, name, args, kwargs);
    }
    if let Some(t) = receiver.downcast::<AsyncSessionTransaction>() {
        get_attr(interp, receiver, name)?;
        let sig = if name == "commit" {
            "AsyncSessionTransaction.commit"
        } else {
            "AsyncSessionTransaction.rollback"
        };
        Signature::method(sig, &[]).bind(args, kwargs)?;
        // The savepoint's own commit()/rollback(), or the session's.
        let target = t
            .savepoint
            .borrow()
            .clone()
            .unwrap_or_else(|| Value::Native(t.sync.clone()));
        let name = name.to_string();
        return Ok(awaitable(sig.into(), move |vm| {
            let m = vm.get_attr(&target, &name)?;
            vm.call_value(&m, Vec::new(), Vec::new())
        }));
    }
    if let Some(m) = receiver.downcast::<AsyncSessionMaker>() {
        get_attr(interp, receiver, name)?;
        if m.2 {
            // a sync `with` over an `AsyncSession` in SQLAlchemy
            return Err(PyErr::unsupported(
                "sessionmaker(class_=AsyncSession).begin()",
            ));
        }
        Signature::method("async_sessionmaker.begin", &[]).bind(args, kwargs)?;
        let session = new_async_session(interp, m.0.clone(), m.1.clone(), Vec::new(), Vec::new())?;
        return Ok(Value::native(AsyncSessionMakerBegin(session)));
    }
    Err(no_attr(receiver, name, &[]))
}

/// `await v` for SQLAlchemy's awaitable objects that are not coroutines:
/// `await session.begin()` begins the transaction and gives it.
pub fn await_object(interp: &mut Interpreter, v: &Value) -> Option<PyResult<Value>> {
    if let Some(c) = v.downcast::<AsyncConnection>() {
        return Some(greenlet_spawn(|| c.sync.start_async()).map(|()| v.clone()));
    }
    if let Some(t) = v.downcast::<AsyncTransaction>() {
        return Some(super::asyncio_engine::transaction_start(v, &t));
    }
    v.downcast::<AsyncSessionTransaction>()?;
    async_enter(interp, v)
}

/// `async with ctx:`'s `await ctx.__aenter__()`; `None` when `ctx` is not
/// an asynchronous context manager.
pub fn async_enter(interp: &mut Interpreter, ctx: &Value) -> Option<PyResult<Value>> {
    let _ = interp;
    if ctx.downcast::<AsyncSession>().is_some() {
        return Some(Ok(ctx.clone()));
    }
    if let Some(c) = ctx.downcast::<AsyncConnection>() {
        return Some(super::asyncio_engine::connection_enter(ctx, &c));
    }
    if let Some(t) = ctx.downcast::<AsyncTransaction>() {
        return Some(super::asyncio_engine::transaction_start(ctx, &t));
    }
    if let Some(b) = ctx.downcast::<AsyncSessionMakerBegin>() {
        let s = b.0.downcast::<AsyncSession>()?;
        return Some(greenlet_spawn(|| s.sync.begin().map(|_| b.0.clone())));
    }
    let t = ctx.downcast::<AsyncSessionTransaction>()?;
    let sync = Value::Native(t.sync.clone());
    if t.savepoint.borrow().is_some() {
        return Some(Ok(ctx.clone()));
    }
    Some(greenlet_spawn(|| {
        let m = interp.get_attr(&sync, if t.nested { "begin_nested" } else { "begin" })?;
        let begun = interp.call(&m, Vec::new(), Vec::new())?;
        if t.nested {
            *t.savepoint.borrow_mut() = Some(begun);
        }
        Ok(ctx.clone())
    }))
}

/// `async with ctx:`'s `await ctx.__aexit__(...)`: an `AsyncSession`
/// closes; `session.begin()` commits, or rolls back when the block raised.
pub fn async_exit(interp: &mut Interpreter, ctx: &Value, failed: bool) -> PyResult<()> {
    let _ = interp;
    // SQLAlchemy's `_run_to_completion()`: the close runs in a task of its
    // own (`asyncio.create_task(...)` under `shield`), which takes a name
    if ctx.downcast::<AsyncSession>().is_some()
        || ctx.downcast::<AsyncConnection>().is_some()
        || ctx.downcast::<AsyncSessionMakerBegin>().is_some()
    {
        crate::interpreter::coroutines::new_task_id();
    }
    if let Some(s) = ctx.downcast::<AsyncSession>() {
        return greenlet_spawn(|| s.sync.close());
    }
    if let Some(c) = ctx.downcast::<AsyncConnection>() {
        return super::asyncio_engine::connection_exit(&c, failed);
    }
    if let Some(t) = ctx.downcast::<AsyncTransaction>() {
        return super::asyncio_engine::transaction_exit(&t, failed);
    }
    if let Some(s) = ctx
        .downcast::<AsyncSessionMakerBegin>()
        .and_then(|b| b.0.downcast::<AsyncSession>())
    {
        return greenlet_spawn(|| {
            let ended = if failed {
                s.sync.rollback()
            } else {
                s.sync.commit()
            };
            ended.and(s.sync.close())
        });
    }
    if let Some(t) = ctx.downcast::<AsyncSessionTransaction>() {
        if let Some(sp) = t.savepoint.borrow().clone() {
            return greenlet_spawn(|| super::session_nested::context_exit(&sp, failed));
        }
        return greenlet_spawn(|| {
            if failed {
                t.sync.rollback()
            } else {
                t.sync.commit()
            }
        });
    }
    Ok(())
}

/// `async for x in v:`'s items; `None` when `v` has no `__aiter__`.
pub fn async_iterate(interp: &mut Interpreter, v: &Value) -> Option<PyResult<Vec<Value>>> {
    let r = v.downcast::<AsyncResult>()?;
    Some(interp.iterate_value(&r.inner))
}
