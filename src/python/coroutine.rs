//! Python's coroutine objects: what calling an `async def` (or an awaitable
//! method of `sqlalchemy.ext.asyncio`) returns. Nothing runs until the
//! coroutine is awaited; awaiting it twice is Python's `RuntimeError`.
//! The interpreter runs the body ([`Coroutine::take`]) when it awaits one.

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

use super::exceptions::{PyErr, PyResult};
use super::value::{Function, Value};
use super::vm::{Kwargs, Vm};
use super::{ExcType, PyObject};

/// A native awaitable's body: runs when awaited, with the interpreter.
pub type NativeBody = Box<dyn FnOnce(&mut dyn Vm) -> PyResult<Value>>;

/// What a coroutine runs when awaited.
pub enum CoroutineBody {
    /// A call of an `async def`: its function and arguments.
    Function {
        func: Rc<Function>,
        args: Vec<Value>,
        kwargs: Kwargs,
    },
    /// An awaitable of the tutor's own (`AsyncSession.get`, `asyncio.sleep`).
    Native(NativeBody),
}

impl std::fmt::Debug for CoroutineBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CoroutineBody::Function { func, .. } => write!(f, "Function({})", func.name),
            CoroutineBody::Native(_) => write!(f, "Native"),
        }
    }
}

/// Python's `coroutine` object: `<coroutine object main at 0x7f…>`.
#[derive(Debug)]
pub struct Coroutine {
    /// `__qualname__`: `main`, `AsyncSession.get`.
    pub qualname: String,
    body: RefCell<Option<CoroutineBody>>,
}

impl Coroutine {
    /// A coroutine that will run `body` when awaited.
    pub fn value(qualname: impl Into<String>, body: CoroutineBody) -> Value {
        Value::native(Coroutine {
            qualname: qualname.into(),
            body: RefCell::new(Some(body)),
        })
    }

    /// A coroutine of a native awaitable.
    pub fn native(
        qualname: impl Into<String>,
        body: impl FnOnce(&mut dyn Vm) -> PyResult<Value> + 'static,
    ) -> Value {
        Coroutine::value(qualname, CoroutineBody::Native(Box::new(body)))
    }

    /// The body to run, once: awaiting a coroutine again raises Python's
    /// `RuntimeError: cannot reuse already awaited coroutine`.
    pub fn take(&self) -> PyResult<CoroutineBody> {
        self.body.borrow_mut().take().ok_or_else(|| {
            PyErr::new(
                ExcType::RuntimeError,
                "cannot reuse already awaited coroutine",
            )
        })
    }
}

/// A coroutine dropped before it was awaited gives Python's
/// `RuntimeWarning: coroutine 'AsyncSession.get' was never awaited` (CPython
/// issues it when the object is freed: on the last reference's drop, as
/// here).
impl Drop for Coroutine {
    fn drop(&mut self) {
        if self.body.get_mut().is_some() {
            super::warnings::warn(
                "RuntimeWarning",
                format!("coroutine '{}' was never awaited", self.qualname),
            );
        }
    }
}

impl PyObject for Coroutine {
    fn type_name(&self) -> String {
        "coroutine".into()
    }
    fn repr(&self) -> String {
        format!(
            "<coroutine object {} at {}>",
            self.qualname,
            super::format::address_of(self as *const Coroutine)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn Any> {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_coroutine_runs_once() {
        let c = Coroutine::native("AsyncSession.get", |_| Ok(Value::Int(1)));
        let co = c.downcast::<Coroutine>().unwrap();
        assert_eq!(c.type_name(), "coroutine");
        assert!(
            crate::python::format::repr_plain(&c)
                .starts_with("<coroutine object AsyncSession.get at 0x")
        );
        assert!(co.take().is_ok());
        let err = co.take().unwrap_err();
        assert_eq!(err.message, "cannot reuse already awaited coroutine");
    }

    #[test]
    fn a_coroutine_never_awaited_warns_when_dropped() {
        let _ = crate::python::warnings::take();
        drop(Coroutine::native("AsyncSession.get", |_| Ok(Value::None)));
        let w = crate::python::warnings::take();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].category, "RuntimeWarning");
        assert_eq!(
            w[0].message,
            "coroutine 'AsyncSession.get' was never awaited"
        );
        let c = Coroutine::native("AsyncSession.get", |_| Ok(Value::None));
        let _ = c.downcast::<Coroutine>().map(|c| c.take());
        drop(c);
        assert!(crate::python::warnings::take().is_empty());
    }
}
