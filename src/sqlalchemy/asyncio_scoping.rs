//! `sqlalchemy.ext.asyncio.async_scoped_session`: one `AsyncSession` per
//! scope (the value `scopefunc()` gives, usually `asyncio.current_task()`),
//! made by the factory on first use, with the `AsyncSession`'s methods
//! proxied to the current scope's session and `await remove()` closing it,
//! as SQLAlchemy 2.0's `async_scoped_session`. Also `sqlalchemy.orm`'s
//! `scoped_session`, the same registry over a sync `Session` (one scope
//! without a `scopefunc`, as its `ThreadLocalRegistry` in one thread).

use std::cell::RefCell;
use std::rc::Rc;

use super::asyncio::{AsyncSession, awaitable, bound_method, no_attr};
use crate::interpreter::Interpreter;
use crate::interpreter::coroutines::Task;
use crate::python::format::address_of;
use crate::python::{PyObject, PyResult, Signature, Value, Vm};

/// An `async_scoped_session(factory, scopefunc)` and its sessions by
/// scope; with `sync`, a `scoped_session(factory, scopefunc=None)`.
#[derive(Debug)]
pub struct AsyncScopedSession {
    factory: Value,
    scopefunc: Value,
    sessions: RefCell<Vec<(String, Value)>>,
    sync: bool,
}

impl PyObject for AsyncScopedSession {
    fn type_name(&self) -> String {
        if self.sync {
            "scoped_session".into()
        } else {
            "async_scoped_session".into()
        }
    }
    fn repr(&self) -> String {
        let class = if self.sync {
            "sqlalchemy.orm.scoping.scoped_session"
        } else {
            "sqlalchemy.ext.asyncio.scoping.async_scoped_session"
        };
        format!(
            "<{class} object at {}>",
            address_of(self as *const AsyncScopedSession)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `async_scoped_session(session_factory, scopefunc)`.
///
/// Errors: Python's `TypeError` without `scopefunc`, as SQLAlchemy 2.0's
/// `__init__` requires it.
pub fn new(args: Vec<Value>, kwargs: Vec<(String, Value)>) -> PyResult<Value> {
    let b = Signature::method(
        "async_scoped_session.__init__",
        &["session_factory", "scopefunc"],
    )
    .bind(args, kwargs)?;
    Ok(Value::native(AsyncScopedSession {
        factory: b.get("session_factory").cloned().unwrap_or(Value::None),
        scopefunc: b.get("scopefunc").cloned().unwrap_or(Value::None),
        sessions: RefCell::new(Vec::new()),
        sync: false,
    }))
}

/// `scoped_session(session_factory, scopefunc=None)`, as SQLAlchemy 2.0's
/// `sqlalchemy.orm.scoped_session`: `Scoped()` is one `Session` until
/// `Scoped.remove()` closes it, and `Scoped.query(...)`, `Scoped.add(...)`
/// … are that session's.
///
/// Errors: Python's `TypeError` for arguments that do not fit.
pub fn new_sync(args: Vec<Value>, kwargs: Vec<(String, Value)>) -> PyResult<Value> {
    let b = Signature::method(
        "scoped_session.__init__",
        &["session_factory", "scopefunc="],
    )
    .bind(args, kwargs)?;
    Ok(Value::native(AsyncScopedSession {
        factory: b.get("session_factory").cloned().unwrap_or(Value::None),
        scopefunc: b.get("scopefunc").cloned().unwrap_or(Value::None),
        sessions: RefCell::new(Vec::new()),
        sync: true,
    }))
}

/// The scope key of `scopefunc()`'s value: a task by its number, another
/// value by its `repr`.
fn scope_key(interp: &mut Interpreter, s: &AsyncScopedSession) -> PyResult<String> {
    if s.sync && matches!(s.scopefunc, Value::None) {
        // `ThreadLocalRegistry`: the tutor runs one thread
        return Ok("thread".into());
    }
    let v = interp.call(&s.scopefunc, Vec::new(), Vec::new())?;
    Ok(match v.downcast::<Task>() {
        Some(t) => format!("task {}", t.0),
        None => crate::python::format::repr_plain(&v),
    })
}

/// `Scoped()`: the current scope's `AsyncSession`, made by the factory the
/// first time (SQLAlchemy's `ScopedRegistry.__call__`).
pub fn call(
    interp: &mut Interpreter,
    s: &AsyncScopedSession,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<Value> {
    let key = scope_key(interp, s)?;
    if let Some((_, v)) = s.sessions.borrow().iter().find(|(k, _)| *k == key) {
        if !args.is_empty() || !kwargs.is_empty() {
            return Err(crate::python::PyErr::new(
                crate::python::ExcType::InvalidRequestError,
                "Scoped session is already present; no new arguments may be specified.",
            ));
        }
        return Ok(v.clone());
    }
    let made = interp.call(&s.factory, args, kwargs)?;
    s.sessions.borrow_mut().push((key, made.clone()));
    Ok(made)
}

/// `Scoped.name`: `remove`, `session_factory`, or the current scope's
/// session's attribute (a method of it, bound to that session).
pub fn get_attr(
    interp: &mut Interpreter,
    obj: &Value,
    s: &AsyncScopedSession,
    name: &str,
) -> PyResult<Value> {
    match name {
        "remove" => Ok(bound_method(obj, name)),
        "session_factory" => Ok(s.factory.clone()),
        "registry" => Ok(Value::native(ScopedRegistry(obj.clone()))),
        "configure" | "query_property" if s.sync => Err(crate::python::PyErr::unsupported(
            format!("scoped_session.{name}()"),
        )),
        _ => {
            let session = call(interp, s, Vec::new(), Vec::new())?;
            let served = if s.sync {
                session.downcast::<crate::orm::session::Session>().is_some()
            } else {
                session.downcast::<AsyncSession>().is_some()
            };
            if !served {
                return Err(no_attr(obj, name, &[]));
            }
            // the scoped session proxies the session's own names only: a
            // name it lacks is the scoped session's `AttributeError`
            interp.get_attr(&session, name).map_err(|e| {
                if e.exc == crate::python::ExcType::AttributeError {
                    no_attr(obj, name, &[])
                } else {
                    e
                }
            })
        }
    }
}

/// `Scoped.name(...)`: `await Scoped.remove()` closes the current scope's
/// session and forgets it; other names call the session's method.
pub fn call_method(
    interp: &mut Interpreter,
    obj: &Value,
    s: &AsyncScopedSession,
    name: &str,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<Value> {
    if name != "remove" {
        let m = get_attr(interp, obj, s, name)?;
        return interp.call(&m, args, kwargs);
    }
    let qualname = if s.sync {
        "scoped_session.remove"
    } else {
        "async_scoped_session.remove"
    };
    Signature::method(qualname, &[]).bind(args, kwargs)?;
    let key = scope_key(interp, s)?;
    let removed = {
        let mut sessions = s.sessions.borrow_mut();
        let i = sessions.iter().position(|(k, _)| *k == key);
        i.map(|i| sessions.remove(i).1)
    };
    if s.sync {
        // `scoped_session.remove()`: the session closed, then forgotten
        if let Some(session) = removed {
            let close = interp.get_attr(&session, "close")?;
            interp.call(&close, Vec::new(), Vec::new())?;
        }
        return Ok(Value::None);
    }
    Ok(awaitable("async_scoped_session.remove".into(), move |vm| {
        if let Some(session) = removed {
            let close = vm.get_attr(&session, "close")?;
            let co = vm.call_value(&close, Vec::new(), Vec::new())?;
            vm.await_value(&co)?;
        }
        Ok(Value::None)
    }))
}

/// `Scoped.registry`: SQLAlchemy 2.0's `ScopedRegistry` over the scoped
/// session's sessions by scope (`has()`, `set(obj)`, `clear()`, and a call
/// for the current scope's session, made on first use).
#[derive(Debug)]
pub struct ScopedRegistry(Value);

impl ScopedRegistry {
    /// `ThreadLocalRegistry` for a `scoped_session` without `scopefunc`.
    fn class_name(&self) -> &'static str {
        match self.0.downcast::<AsyncScopedSession>() {
            Some(s) if s.sync && matches!(s.scopefunc, Value::None) => "ThreadLocalRegistry",
            _ => "ScopedRegistry",
        }
    }
}

impl PyObject for ScopedRegistry {
    fn type_name(&self) -> String {
        self.class_name().into()
    }
    fn repr(&self) -> String {
        format!(
            "<sqlalchemy.util._collections.{} object at {}>",
            self.class_name(),
            address_of(self as *const ScopedRegistry)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// The `ScopedRegistry` methods and attributes of SQLAlchemy 2.0.
const REGISTRY_REAL: &[&str] = &["clear", "createfunc", "has", "registry", "scopefunc", "set"];

fn scoped_of(r: &ScopedRegistry) -> PyResult<Rc<AsyncScopedSession>> {
    r.0.downcast::<AsyncScopedSession>().ok_or_else(|| {
        crate::python::exceptions::type_error("ScopedRegistry without a scoped session")
    })
}

/// `Scoped.registry()`: as `Scoped()`, the current scope's session.
pub fn call_registry(
    interp: &mut Interpreter,
    r: &ScopedRegistry,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<Value> {
    Signature::method("ScopedRegistry.__call__", &[]).bind(args, kwargs)?;
    call(interp, &*scoped_of(r)?, Vec::new(), Vec::new())
}

/// `Scoped.registry.name`: its methods, `createfunc` (the factory) and
/// `scopefunc`.
pub fn registry_attr(obj: &Value, r: &ScopedRegistry, name: &str) -> PyResult<Value> {
    let s = scoped_of(r)?;
    match name {
        "has" | "set" | "clear" => Ok(bound_method(obj, name)),
        "createfunc" => Ok(s.factory.clone()),
        "scopefunc" => Ok(s.scopefunc.clone()),
        _ => Err(no_attr(obj, name, REGISTRY_REAL)),
    }
}

/// `Scoped.registry.has()` (a session in the current scope), `.set(obj)`
/// (`obj` becomes the current scope's session) and `.clear()` (the current
/// scope's session forgotten, not closed), as SQLAlchemy 2.0's
/// `ScopedRegistry`.
pub fn registry_call(
    interp: &mut Interpreter,
    obj: &Value,
    r: &ScopedRegistry,
    name: &str,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<Value> {
    registry_attr(obj, r, name)?;
    let s = scoped_of(r)?;
    let sig = match name {
        "set" => Signature::method("ScopedRegistry.set", &["obj"]),
        "has" => Signature::method("ScopedRegistry.has", &[]),
        _ => Signature::method("ScopedRegistry.clear", &[]),
    };
    let b = sig.bind(args, kwargs)?;
    let key = scope_key(interp, &s)?;
    let mut sessions = s.sessions.borrow_mut();
    let at = sessions.iter().position(|(k, _)| *k == key);
    match name {
        "has" => Ok(Value::Bool(at.is_some())),
        "set" => {
            let v = b.required("obj")?.clone();
            match at {
                Some(i) => sessions[i].1 = v,
                None => sessions.push((key, v)),
            }
            Ok(Value::None)
        }
        _ => {
            if let Some(i) = at {
                sessions.remove(i);
            }
            Ok(Value::None)
        }
    }
}
