//! The Python face of `session.begin_nested()` (a nested
//! `SessionTransaction`: `commit()`, `rollback()`, `is_active`, a context
//! manager) and of `sessionmaker().begin()` (a context manager that makes a
//! session, begins it, commits or rolls back at the end and closes it), as
//! SQLAlchemy 2.0 `sqlalchemy.orm.session`.

use std::rc::Rc;

use crate::interpreter::Interpreter;
use crate::orm::session::Session;
use crate::python::object::PyObject;
use crate::python::{PyErr, PyResult, Signature, Value};

use super::session::SessionMaker;

/// `session.begin_nested()`'s `SessionTransaction`.
#[derive(Debug)]
pub struct NestedSessionTransaction {
    pub session: Rc<Session>,
    pub id: u64,
}

/// `sessionmaker(...).begin()`: the session it made.
#[derive(Debug)]
pub struct SessionMakerBegin(pub Rc<Session>);

impl PyObject for NestedSessionTransaction {
    fn type_name(&self) -> String {
        "SessionTransaction".into()
    }
    fn repr(&self) -> String {
        format!(
            "<sqlalchemy.orm.session.SessionTransaction object at {:#x}>",
            self as *const Self as usize
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

impl PyObject for SessionMakerBegin {
    fn type_name(&self) -> String {
        "_GeneratorContextManager".into()
    }
    fn repr(&self) -> String {
        format!(
            "<contextlib._GeneratorContextManager object at {:#x}>",
            self as *const Self as usize
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `session.begin_nested()`
pub fn begin_nested(s: &Rc<Session>) -> PyResult<Value> {
    let id = s.begin_nested()?;
    Ok(Value::native(NestedSessionTransaction {
        session: s.clone(),
        id,
    }))
}

/// True for this module's objects and for a `sessionmaker` (whose
/// `begin()` is here).
pub fn is_object(v: &Value) -> bool {
    v.downcast::<NestedSessionTransaction>().is_some()
        || v.downcast::<SessionMakerBegin>().is_some()
        || v.downcast::<SessionMaker>().is_some()
}

fn bound_method(receiver: &Value, name: &str) -> Value {
    Value::Method(Rc::new(crate::python::value::Method {
        receiver: receiver.clone(),
        name: name.to_string(),
    }))
}

fn no_attr(obj: &Value, name: &str) -> PyErr {
    crate::python::exceptions::attribute_error(format!(
        "'{}' object has no attribute '{name}'",
        obj.type_name()
    ))
}

/// `obj.name`
pub fn get_attr(obj: &Value, name: &str) -> PyResult<Value> {
    if let Some(t) = obj.downcast::<NestedSessionTransaction>() {
        return match name {
            "is_active" => Ok(Value::Bool(t.session.nested_is_active(t.id))),
            "nested" => Ok(Value::Bool(true)),
            "session" => Ok(Value::Native(t.session.clone())),
            "commit" | "rollback" | "close" => Ok(bound_method(obj, name)),
            _ => Err(no_attr(obj, name)),
        };
    }
    if obj.downcast::<SessionMaker>().is_some() && name == "begin" {
        return Ok(bound_method(obj, name));
    }
    Err(no_attr(obj, name))
}

/// `obj.name(*args, **kwargs)`
pub fn call_method(
    interp: &mut Interpreter,
    obj: &Value,
    name: &str,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<Value> {
    get_attr(obj, name)?;
    if let Some(t) = obj.downcast::<NestedSessionTransaction>() {
        Signature::method("SessionTransaction", &[]).bind_as(
            &format!("SessionTransaction.{name}"),
            args,
            kwargs,
        )?;
        match name {
            "commit" => t.session.nested_commit(t.id)?,
            _ => t.session.nested_rollback(t.id)?,
        }
        return Ok(Value::None);
    }
    if let Some(m) = obj.downcast::<SessionMaker>() {
        Signature::method("sessionmaker.begin", &[]).bind(args, kwargs)?;
        let s =
            super::session::construct(interp, m.0.clone(), m.1.clone(), Vec::new(), Vec::new())?;
        let Some(s) = super::session::as_session(&s) else {
            return Err(PyErr::unsupported("sessionmaker.begin() on this factory"));
        };
        return Ok(Value::native(SessionMakerBegin(s)));
    }
    Err(no_attr(obj, name))
}

/// `with` entry: the nested transaction itself; `sessionmaker().begin()`
/// its session, begun.
pub fn context_enter(ctx: &Value) -> PyResult<Value> {
    if let Some(b) = ctx.downcast::<SessionMakerBegin>() {
        b.0.begin()?;
        return Ok(Value::Native(b.0.clone()));
    }
    Ok(ctx.clone())
}

/// `with` exit: commit, or roll back when the block raised; a
/// `sessionmaker().begin()` session is then closed.
pub fn context_exit(ctx: &Value, failed: bool) -> PyResult<()> {
    if let Some(t) = ctx.downcast::<NestedSessionTransaction>() {
        return if failed {
            t.session.nested_rollback(t.id)
        } else if t.session.nested_is_active(t.id) {
            t.session.nested_commit(t.id)
        } else {
            Ok(())
        };
    }
    if let Some(b) = ctx.downcast::<SessionMakerBegin>() {
        let s = &b.0;
        let result = if failed { s.rollback() } else { s.commit() };
        s.close()?;
        return result;
    }
    Ok(())
}
