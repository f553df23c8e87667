//! `sqlalchemy.event`: `listen()`, `listens_for()`, `remove()` and
//! `contains()`, as SQLAlchemy 2.0 has them, and the running of the
//! listeners registered with them.
//!
//! The events the tutor fires: `SessionEvents` (`before_flush`,
//! `after_flush`, `after_flush_postexec`, `before_commit`,
//! `after_commit`, `after_rollback`) on a `Session`, a `sessionmaker` or
//! the `Session` class (`orm::events`, from the flush and the
//! transaction); `MapperEvents` (`before_insert`, `after_insert`,
//! `before_update`, `after_update`, `before_delete`, `after_delete`) on a
//! mapped class (from the flush); `ConnectionEvents`
//! (`before_cursor_execute`, `after_cursor_execute`) on an engine or the
//! `Engine` class (`engine::events`, around each statement). Any other
//! event SQLAlchemy has for the target is `NotImplementedError` at the
//! `listen()` line, never a listener that silently does not run; a name
//! it does not have is its `InvalidRequestError` "No such event …".

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::engine::DbError;
use crate::engine::events::CursorExecute;
use crate::interpreter::Interpreter;
use crate::orm::events::OrmEvent;
use crate::python::signature::Signature;
use crate::python::value::DictObj;
use crate::python::{ExcType, PyErr, PyObject, PyResult, Value};

/// What a listener listens to.
#[derive(Debug, Clone, PartialEq)]
enum Target {
    /// The `Session` class: every session.
    SessionClass,
    /// One session (its `uid`).
    Session(u64),
    /// The sessions a `sessionmaker` makes (its address).
    Sessionmaker(usize),
    /// A mapped class (its mapper's address).
    Mapper(usize),
    /// The `Engine` class: every engine.
    EngineClass,
    /// One engine ([`crate::engine::Database::engine_key`]).
    Engine(usize),
}

/// The events SQLAlchemy 2.0 has for each kind of target, and those the
/// tutor fires.
const SESSION_EVENTS: &[&str] = &[
    "after_attach",
    "after_begin",
    "after_bulk_delete",
    "after_bulk_update",
    "after_commit",
    "after_flush",
    "after_flush_postexec",
    "after_rollback",
    "after_soft_rollback",
    "after_transaction_create",
    "after_transaction_end",
    "before_attach",
    "before_commit",
    "before_flush",
    "deleted_to_detached",
    "deleted_to_persistent",
    "detached_to_persistent",
    "do_orm_execute",
    "loaded_as_persistent",
    "pending_to_persistent",
    "pending_to_transient",
    "persistent_to_deleted",
    "persistent_to_detached",
    "persistent_to_transient",
    "transient_to_pending",
];
const SESSION_FIRED: &[&str] = &[
    "before_flush",
    "after_flush",
    "after_flush_postexec",
    "before_commit",
    "after_commit",
    "after_rollback",
];
/// `MapperEvents` and `InstanceEvents`: both take a mapped class.
const MAPPER_EVENTS: &[&str] = &[
    "after_configured",
    "after_delete",
    "after_insert",
    "after_mapper_constructed",
    "after_update",
    "before_configured",
    "before_delete",
    "before_insert",
    "before_mapper_configured",
    "before_update",
    "instrument_class",
    "mapper_configured",
    "expire",
    "first_init",
    "init",
    "init_failure",
    "load",
    "pickle",
    "refresh",
    "refresh_flush",
    "unpickle",
];
const MAPPER_FIRED: &[&str] = &[
    "before_insert",
    "after_insert",
    "before_update",
    "after_update",
    "before_delete",
    "after_delete",
];
/// `ConnectionEvents`, `DialectEvents` and `PoolEvents`: all take an engine.
const ENGINE_EVENTS: &[&str] = &[
    "after_cursor_execute",
    "after_execute",
    "before_cursor_execute",
    "before_execute",
    "begin",
    "begin_twophase",
    "commit",
    "commit_twophase",
    "engine_connect",
    "engine_disposed",
    "prepare_twophase",
    "release_savepoint",
    "rollback",
    "rollback_savepoint",
    "rollback_twophase",
    "savepoint",
    "set_connection_execution_options",
    "set_engine_execution_options",
    "do_connect",
    "do_execute",
    "do_execute_no_params",
    "do_executemany",
    "do_setinputsizes",
    "handle_error",
    "checkin",
    "checkout",
    "close",
    "close_detached",
    "connect",
    "detach",
    "first_connect",
    "invalidate",
    "reset",
    "soft_invalidate",
];
const ENGINE_FIRED: &[&str] = &["before_cursor_execute", "after_cursor_execute", "connect"];

/// The argument names of each event fired, as `named=True` passes them.
fn argument_names(event: &str) -> &'static [&'static str] {
    match event {
        "before_flush" => &["session", "flush_context", "instances"],
        "after_flush" | "after_flush_postexec" => &["session", "flush_context"],
        "before_commit" | "after_commit" | "after_rollback" => &["session"],
        "connect" => &["dbapi_connection", "connection_record"],
        "before_cursor_execute" | "after_cursor_execute" => &[
            "conn",
            "cursor",
            "statement",
            "parameters",
            "context",
            "executemany",
        ],
        _ => &["mapper", "connection", "target"],
    }
}

/// One registered listener.
#[derive(Debug)]
struct Listener {
    target: Target,
    event: String,
    function: Value,
    named: bool,
    once: bool,
}

/// The listeners of an interpreter, in registration order.
#[derive(Debug, Default)]
pub struct Registry {
    listeners: RefCell<Vec<Rc<Listener>>>,
    /// `conn.info` of each engine's connection, as its pooled DBAPI
    /// connection's record keeps it.
    infos: RefCell<Vec<(usize, Value)>>,
}

thread_local! {
    /// The interpreter whose step is running ([`enter`]).
    static CURRENT: Cell<Option<*mut Interpreter>> = const { Cell::new(None) };
}

/// Called as each top-level step starts: the listeners fired below the
/// interpreter are `interp`'s.
pub fn enter(interp: &mut Interpreter) {
    CURRENT.with(|c| c.set(Some(interp as *mut Interpreter)));
    crate::orm::events::set_hook(orm_hook);
    crate::engine::events::set_hook(cursor_hook);
    crate::engine::events::set_connect_hook(connect_hook);
    sync_flags(&interp.events);
}

/// Tells the rooms below which events have listeners.
fn sync_flags(registry: &Registry) {
    let listeners = registry.listeners.borrow();
    crate::orm::events::set_active(listeners.iter().any(|l| {
        matches!(
            l.target,
            Target::SessionClass | Target::Session(_) | Target::Sessionmaker(_) | Target::Mapper(_)
        )
    }));
    for connect in [false, true] {
        let of_kind = |l: &&Rc<Listener>| (l.event == "connect") == connect;
        let engines = listeners
            .iter()
            .filter(of_kind)
            .filter_map(|l| match l.target {
                Target::Engine(k) => Some(k),
                _ => None,
            })
            .collect();
        let all = listeners
            .iter()
            .filter(of_kind)
            .any(|l| l.target == Target::EngineClass);
        if connect {
            crate::engine::events::set_connect_listened(engines, all);
        } else {
            crate::engine::events::set_listened(engines, all);
        }
    }
}

/// The `Engine` class (`from sqlalchemy.engine import Engine`), as an event
/// target.
#[derive(Debug)]
pub struct EngineClass;

impl PyObject for EngineClass {
    fn type_name(&self) -> String {
        "type".into()
    }
    fn repr(&self) -> String {
        "<class 'sqlalchemy.engine.base.Engine'>".into()
    }
    fn instancecheck(&self, v: &Value) -> bool {
        v.downcast::<super::objects::Engine>().is_some()
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `event.listens_for(target, identifier, **kw)`: the decorator that
/// registers the function it decorates and returns it.
#[derive(Debug)]
pub struct ListensFor {
    target: Value,
    identifier: Value,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
}

impl PyObject for ListensFor {
    fn type_name(&self) -> String {
        "function".into()
    }
    fn repr(&self) -> String {
        format!(
            "<function listens_for.<locals>.decorate at {}>",
            crate::python::format::address_of(self as *const Self)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// A flush's `UOWTransaction`, as the flush events pass it.
#[derive(Debug)]
struct UowTransaction;

impl PyObject for UowTransaction {
    fn type_name(&self) -> String {
        "UOWTransaction".into()
    }
    fn repr(&self) -> String {
        format!(
            "<sqlalchemy.orm.unitofwork.UOWTransaction object at {}>",
            crate::python::format::address_of(self as *const Self)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// The `Connection` a cursor event is given: its `info` dict (kept per
/// engine) and `engine`; nothing else of it yet.
#[derive(Debug)]
struct EventConnection {
    info: Value,
}

impl PyObject for EventConnection {
    fn type_name(&self) -> String {
        "Connection".into()
    }
    fn repr(&self) -> String {
        format!(
            "<sqlalchemy.engine.base.Connection object at {}>",
            crate::python::format::address_of(self as *const Self)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// The DBAPI cursor or execution context a cursor event is given; the
/// tutor has none of their attributes yet.
#[derive(Debug)]
struct Opaque(&'static str);

impl PyObject for Opaque {
    fn type_name(&self) -> String {
        self.0.rsplit('.').next().unwrap_or(self.0).into()
    }
    fn repr(&self) -> String {
        format!(
            "<{} object at {}>",
            self.0,
            crate::python::format::address_of(self as *const Self)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// Attributes of the objects listeners are given: `conn.info`; anything
/// else of them is `NotImplementedError`.
pub fn get_attr(obj: &Value, name: &str) -> Option<PyResult<Value>> {
    if let Some(c) = obj.downcast::<EventConnection>() {
        return Some(match name {
            "info" => Ok(c.info.clone()),
            _ => Err(PyErr::unsupported(format!(
                "Connection.{name} inside a cursor event listener"
            ))),
        });
    }
    if let Some(o) = obj.downcast::<Opaque>() {
        return Some(Err(PyErr::unsupported(format!(
            "{}.{name} inside an event listener",
            o.type_name()
        ))));
    }
    None
}

/// `event.listen`, `event.listens_for`, `event.remove`, `event.contains`.
pub fn call(
    interp: &mut Interpreter,
    name: &str,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<Value> {
    match name {
        "event.listen" => {
            if args.len() < 3 {
                return Err(PyErr::new(
                    ExcType::TypeError,
                    format!(
                        "listen() missing {} required positional argument{}",
                        3 - args.len(),
                        if args.len() == 2 { "" } else { "s" }
                    ),
                ));
            }
            let mut args = args;
            let rest = args.split_off(3);
            let f = args.pop().unwrap_or(Value::None);
            listen(interp, &args[0], &args[1], f, &rest, &kwargs)?;
            Ok(Value::None)
        }
        "event.listens_for" => {
            if args.len() < 2 {
                return Err(PyErr::new(
                    ExcType::TypeError,
                    format!(
                        "listens_for() missing {} required positional argument{}",
                        2 - args.len(),
                        if args.len() == 1 { "" } else { "s" }
                    ),
                ));
            }
            let mut args = args;
            let rest = args.split_off(2);
            let identifier = args.pop().unwrap_or(Value::None);
            let target = args.pop().unwrap_or(Value::None);
            // the target and name are checked where the decorator runs
            event_key(interp, &target, &identifier)?;
            Ok(Value::native(ListensFor {
                target,
                identifier,
                args: rest,
                kwargs,
            }))
        }
        "event.remove" | "event.contains" => {
            let b = Signature::function(
                if name == "event.remove" {
                    "remove"
                } else {
                    "contains"
                },
                &["target", "identifier", "fn"],
            )
            .bind(args, kwargs)?;
            let target = b.get("target").cloned().unwrap_or(Value::None);
            let identifier = b.get("identifier").cloned().unwrap_or(Value::None);
            let f = b.get("fn").cloned().unwrap_or(Value::None);
            let (t, event) = event_key(interp, &target, &identifier)?;
            let found =
                interp.events.listeners.borrow().iter().position(|l| {
                    l.target == t && l.event == event && same_function(&l.function, &f)
                });
            if name == "event.contains" {
                return Ok(Value::Bool(found.is_some()));
            }
            match found {
                Some(i) => {
                    interp.events.listeners.borrow_mut().remove(i);
                    sync_flags(&interp.events);
                    Ok(Value::None)
                }
                None => Err(PyErr::new(
                    ExcType::InvalidRequestError,
                    format!(
                        "No listeners found for event {} / {} / {}",
                        interp.repr(&target)?,
                        interp.repr(&identifier)?,
                        interp.repr(&f)?
                    ),
                )),
            }
        }
        _ => Err(PyErr::unsupported(format!("sqlalchemy.{name}"))),
    }
}

/// `a is b` for the functions listened with: the same `def`, or the same
/// bound method of the same object.
fn same_function(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Function(x), Value::Function(y)) => Rc::ptr_eq(x, y),
        (Value::Method(x), Value::Method(y)) => x.name == y.name && x.receiver.is(&y.receiver),
        _ => a.is(b),
    }
}

/// The decorator of `listens_for(...)` applied to `f`.
pub fn decorate(
    interp: &mut Interpreter,
    d: &ListensFor,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<Value> {
    let b = Signature::function("decorate", &["fn"]).bind(args, kwargs)?;
    let f = b.get("fn").cloned().unwrap_or(Value::None);
    listen(
        interp,
        &d.target,
        &d.identifier,
        f.clone(),
        &d.args,
        &d.kwargs,
    )?;
    Ok(f)
}

/// SQLAlchemy's `_event_key`: the target and event name, checked.
fn event_key(
    interp: &mut Interpreter,
    target: &Value,
    identifier: &Value,
) -> PyResult<(Target, String)> {
    let Value::Str(name) = identifier else {
        return Err(PyErr::unsupported(
            "an event identifier that is not a string",
        ));
    };
    let name = name.to_string();
    let resolved = match target {
        Value::Builtin(crate::python::value::Builtin::SessionClass) => {
            Some((Target::SessionClass, SESSION_EVENTS, SESSION_FIRED))
        }
        v if let Some(s) = super::session::as_session(v) => {
            Some((Target::Session(s.uid), SESSION_EVENTS, SESSION_FIRED))
        }
        v if let Some(m) = v.downcast::<super::session::SessionMaker>() => Some((
            Target::Sessionmaker(Rc::as_ptr(&m) as *const u8 as usize),
            SESSION_EVENTS,
            SESSION_FIRED,
        )),
        v if let Some(m) = super::objects::as_class(v) => Some((
            Target::Mapper(Rc::as_ptr(&m) as *const u8 as usize),
            MAPPER_EVENTS,
            MAPPER_FIRED,
        )),
        v if v.downcast::<EngineClass>().is_some() => {
            Some((Target::EngineClass, ENGINE_EVENTS, ENGINE_FIRED))
        }
        v if let Some(e) = v.downcast::<super::objects::Engine>() => Some((
            Target::Engine(e.1.engine_key()),
            ENGINE_EVENTS,
            ENGINE_FIRED,
        )),
        _ => None,
    };
    let no_such = |interp: &mut Interpreter| -> PyResult<PyErr> {
        Ok(PyErr::new(
            ExcType::InvalidRequestError,
            format!(
                "No such event '{name}' for target '{}'",
                interp.to_str(target)?
            ),
        ))
    };
    let Some((t, known, fired)) = resolved else {
        if ENGINE_EVENTS.contains(&name.as_str())
            || SESSION_EVENTS.contains(&name.as_str())
            || MAPPER_EVENTS.contains(&name.as_str())
            || [
                "set",
                "append",
                "remove",
                "modified",
                "init_scalar",
                "init_collection",
                "dispose_collection",
                "bulk_replace",
                "append_wo_mutation",
            ]
            .contains(&name.as_str())
        {
            return Err(PyErr::unsupported(format!("the '{name}' event")));
        }
        return Err(no_such(interp)?);
    };
    if !known.contains(&name.as_str()) {
        return Err(no_such(interp)?);
    }
    if !fired.contains(&name.as_str()) {
        return Err(PyErr::unsupported(format!("the '{name}' event")));
    }
    Ok((t, name))
}

/// `event.listen(target, identifier, fn, *args, **kw)`.
fn listen(
    interp: &mut Interpreter,
    target: &Value,
    identifier: &Value,
    f: Value,
    args: &[Value],
    kwargs: &[(String, Value)],
) -> PyResult<()> {
    let (t, event) = event_key(interp, target, identifier)?;
    if !args.is_empty() {
        return Err(PyErr::unsupported(
            "event.listen() with extra positional arguments",
        ));
    }
    let mut named = false;
    let mut once = false;
    for (k, v) in kwargs {
        let on = interp.truthy(v)?;
        match k.as_str() {
            "named" => named = on,
            "once" => once = on,
            // a mapped class's subclasses: the tutor maps none
            "propagate" | "insert" | "raw" => {
                if on && k != "propagate" {
                    return Err(PyErr::unsupported(format!("event.listen(..., {k}=True)")));
                }
            }
            "retval" if !on => {}
            _ => {
                return Err(PyErr::unsupported(format!("event.listen(..., {k}=...)")));
            }
        }
    }
    interp.events.listeners.borrow_mut().push(Rc::new(Listener {
        target: t,
        event,
        function: f,
        named,
        once,
    }));
    sync_flags(&interp.events);
    Ok(())
}

/// The listeners of `event` whose target is one of `targets`, in order;
/// `once` listeners leave the registry as they are taken.
fn take_listeners(interp: &Interpreter, event: &str, targets: &[Target]) -> Vec<Rc<Listener>> {
    let mut found = Vec::new();
    let mut removed = false;
    interp.events.listeners.borrow_mut().retain(|l| {
        if l.event == event && targets.contains(&l.target) {
            found.push(l.clone());
            if l.once {
                removed = true;
                return false;
            }
        }
        true
    });
    if removed {
        sync_flags(&interp.events);
    }
    found
}

/// Calls each listener with the event's arguments (as keywords for
/// `named=True`).
fn run(
    interp: &mut Interpreter,
    event: &str,
    listeners: &[Rc<Listener>],
    args: &[Value],
) -> PyResult<()> {
    for l in listeners {
        if l.named {
            let kwargs = argument_names(event)
                .iter()
                .zip(args)
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect();
            interp.call(&l.function, Vec::new(), kwargs)?;
        } else {
            interp.call(&l.function, args.to_vec(), Vec::new())?;
        }
    }
    Ok(())
}

/// The interpreter of the running step.
fn current<'a>() -> Option<&'a mut Interpreter> {
    let ip = CURRENT.with(Cell::get)?;
    // SAFETY: as the event loop's tasks (`event_loop::spawn`): the
    // interpreter outlives the step that set it (`enter`, at each step's
    // start), and the code that fires an event runs on its behalf, below
    // its call into the ORM or engine, which does not touch it meanwhile.
    Some(unsafe { &mut *ip })
}

fn orm_hook(event: &OrmEvent) -> PyResult<()> {
    let Some(interp) = current() else {
        return Ok(());
    };
    match event {
        OrmEvent::Session { name, session } => {
            let mut targets = vec![Target::SessionClass, Target::Session(session.uid)];
            if session.factory.get() != 0 {
                targets.push(Target::Sessionmaker(session.factory.get()));
            }
            let listeners = take_listeners(interp, name, &targets);
            if listeners.is_empty() {
                return Ok(());
            }
            let sess = Value::Native((*session).clone());
            let args = match *name {
                "before_flush" => vec![sess, Value::native(UowTransaction), Value::None],
                "after_flush" | "after_flush_postexec" => {
                    vec![sess, Value::native(UowTransaction)]
                }
                _ => vec![sess],
            };
            run(interp, name, &listeners, &args)
        }
        OrmEvent::Mapper {
            name,
            mapper,
            target,
            session,
        } => {
            let key = Rc::as_ptr(mapper) as *const u8 as usize;
            let listeners = take_listeners(interp, name, &[Target::Mapper(key)]);
            if listeners.is_empty() {
                return Ok(());
            }
            let engine = super::session::session_bind(interp, session);
            let connection =
                Value::Native(super::connection::Connection::of_session(engine, session)?);
            let args = vec![
                super::mapper_inspection::mapper_view(mapper),
                connection,
                crate::orm::state::instance_value((*target).clone()),
            ];
            run(interp, name, &listeners, &args)
        }
    }
}

/// A statement's parameters as the DBAPI is given them: pysqlite's tuple,
/// psycopg2's dict.
fn parameters(event: &CursorExecute, row: &[crate::sql::schema::SqlValue]) -> Value {
    let value = |v: &crate::sql::schema::SqlValue| {
        if event.server {
            crate::orm::expression::result_value(v, None)
        } else {
            crate::orm::expression::result_value(&v.pysqlite(), None)
        }
    };
    match &event.names {
        Some(names) => DictObj::value(
            names
                .iter()
                .zip(row)
                .map(|(n, v)| (Value::str(n), value(v)))
                .collect(),
        ),
        None => Value::tuple(row.iter().map(value).collect()),
    }
}

fn cursor_hook(event: &CursorExecute) -> Result<(), DbError> {
    let Some(interp) = current() else {
        return Ok(());
    };
    let listeners = take_listeners(
        interp,
        event.name,
        &[Target::EngineClass, Target::Engine(event.engine)],
    );
    if listeners.is_empty() {
        return Ok(());
    }
    let info = {
        let mut infos = interp.events.infos.borrow_mut();
        match infos.iter().find(|(k, _)| *k == event.engine) {
            Some((_, v)) => v.clone(),
            None => {
                let v = DictObj::value(Vec::new());
                infos.push((event.engine, v.clone()));
                v
            }
        }
    };
    let params = match &event.many {
        Some(rows) => Value::list(rows.iter().map(|r| parameters(event, r)).collect()),
        None => parameters(event, &event.params),
    };
    let args = vec![
        Value::native(EventConnection { info }),
        Value::native(Opaque(if event.server {
            "cursor"
        } else {
            "sqlite3.Cursor"
        })),
        Value::str(event.statement),
        params,
        Value::native(Opaque(if event.server {
            "sqlalchemy.dialects.postgresql.psycopg2.PGExecutionContext_psycopg2"
        } else {
            "sqlalchemy.dialects.sqlite.base.SQLiteExecutionContext"
        })),
        Value::Bool(event.executemany),
    ];
    run(interp, event.name, &listeners, &args).map_err(|e| {
        crate::orm::events::stash_error(e);
        DbError::sqlite(crate::engine::events::LISTENER_ERROR, "")
    })
}

/// A DBAPI connection as a `connect` listener gets it (pysqlite's
/// `sqlite3.Connection`, psycopg2's `connection`): `cursor()`, and
/// `execute()` on SQLite. What it runs is not SQLAlchemy's, so neither
/// logged nor counted, as under SQLAlchemy.
#[derive(Debug)]
struct DbapiConnection {
    db: Rc<crate::engine::Database>,
}

impl PyObject for DbapiConnection {
    fn type_name(&self) -> String {
        if self.db.is_server() {
            "connection".into()
        } else {
            "Connection".into()
        }
    }
    fn repr(&self) -> String {
        let class = if self.db.is_server() {
            "connection"
        } else {
            "sqlite3.Connection"
        };
        format!(
            "<{class} object at {}>",
            crate::python::format::address_of(self as *const Self)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// A DBAPI cursor of a [`DbapiConnection`]: `execute()`, `fetchone()`,
/// `fetchall()`, `close()`.
#[derive(Debug)]
struct DbapiCursor {
    db: Rc<crate::engine::Database>,
    rows: RefCell<std::collections::VecDeque<Vec<crate::sql::schema::SqlValue>>>,
}

impl PyObject for DbapiCursor {
    fn type_name(&self) -> String {
        if self.db.is_server() {
            "cursor".into()
        } else {
            "Cursor".into()
        }
    }
    fn repr(&self) -> String {
        let class = if self.db.is_server() {
            "cursor"
        } else {
            "sqlite3.Cursor"
        };
        format!(
            "<{class} object at {}>",
            crate::python::format::address_of(self as *const Self)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `cursor.execute(sql)` on the engine's connection, unlogged.
fn dbapi_execute(cursor: &Rc<DbapiCursor>, args: &[Value]) -> PyResult<()> {
    let sql = match args {
        [Value::Str(s)] => s.to_string(),
        [Value::Str(_), _, ..] => {
            return Err(PyErr::unsupported(
                "parameters to a DBAPI cursor's execute() in a listener",
            ));
        }
        _ => {
            return Err(PyErr::new(
                ExcType::TypeError,
                "execute() argument 1 must be str",
            ));
        }
    };
    let rows = cursor.db.query_setup(&sql).map_err(|e| {
        PyErr::new(
            ExcType::from_name(e.kind).unwrap_or(ExcType::DatabaseError),
            e.message,
        )
    })?;
    *cursor.rows.borrow_mut() = rows.into();
    Ok(())
}

/// Methods of the DBAPI objects a `connect` listener gets.
pub fn call_method(receiver: &Value, name: &str, args: &[Value]) -> Option<PyResult<Value>> {
    let row = |r: Vec<crate::sql::schema::SqlValue>| {
        Value::tuple(
            r.iter()
                .map(|v| crate::orm::expression::result_value(v, None))
                .collect(),
        )
    };
    if let Some(c) = receiver.downcast::<DbapiConnection>() {
        let cursor = || {
            Rc::new(DbapiCursor {
                db: c.db.clone(),
                rows: RefCell::default(),
            })
        };
        return Some(match name {
            "cursor" => Ok(Value::Native(cursor())),
            "execute" if !c.db.is_server() => {
                let cur = cursor();
                dbapi_execute(&cur, args).map(|()| Value::Native(cur))
            }
            _ => Err(PyErr::unsupported(format!(
                "{}.{name}() inside a connect listener",
                c.type_name()
            ))),
        });
    }
    let c = receiver.downcast::<DbapiCursor>()?;
    Some(match name {
        "execute" => dbapi_execute(&c, args).map(|()| {
            if c.db.is_server() {
                Value::None
            } else {
                receiver.clone()
            }
        }),
        "fetchone" => Ok(c.rows.borrow_mut().pop_front().map_or(Value::None, row)),
        "fetchall" => Ok(Value::list(
            c.rows.borrow_mut().drain(..).map(row).collect(),
        )),
        "close" => {
            c.rows.borrow_mut().clear();
            Ok(Value::None)
        }
        _ => Err(PyErr::unsupported(format!(
            "{}.{name}() inside a connect listener",
            c.type_name()
        ))),
    })
}

fn connect_hook(engine: usize) -> Result<(), DbError> {
    let Some(interp) = current() else {
        return Ok(());
    };
    let listeners = take_listeners(
        interp,
        "connect",
        &[Target::EngineClass, Target::Engine(engine)],
    );
    let db = interp
        .engines
        .iter()
        .find(|d| d.engine_key() == engine)
        .cloned();
    let (Some(db), false) = (db, listeners.is_empty()) else {
        return Ok(());
    };
    let args = vec![
        Value::native(DbapiConnection { db }),
        Value::native(Opaque("sqlalchemy.pool.base._ConnectionRecord")),
    ];
    run(interp, "connect", &listeners, &args).map_err(|e| {
        crate::orm::events::stash_error(e);
        DbError::sqlite(crate::engine::events::LISTENER_ERROR, "")
    })
}
