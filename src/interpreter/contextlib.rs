//! What learners do with generators: the generator methods (`__next__`,
//! `send`, `throw`, `close`; `next()`, `iter()` and `for` reach a generator
//! through the generic iterator protocol, [`crate::python::iterators`] and
//! [`generator_next`]), generator expressions, and Python's
//! `contextlib.contextmanager` / `asynccontextmanager`, whose context
//! managers run the generator to its `yield` on entry and resume it (or
//! throw the block's exception in at the `yield`) on exit — so a
//! `session.commit()` after the `yield` runs when the `with` block ends.

use std::cell::Cell;
use std::rc::Rc;

use crate::language::ast::Span;
use crate::python::exceptions::{PyErr, PyResult, attribute_error, type_error};
use crate::python::generator::Generator;
use crate::python::iter::PyIter;
use crate::python::value::{Method, Value};
use crate::python::{ExcType, PyObject, Signature};

use super::eval::{Flow, Interpreter};
use super::generators::{Input, IterFrame, Resumed, generator_exit};

type Kwargs = Vec<(String, Value)>;

/// A callable of `contextlib`.
#[derive(Debug)]
pub enum Callable {
    /// `contextlib.contextmanager` (`false`) or `asynccontextmanager`.
    ContextManager(bool),
    /// What `contextmanager(func)` returns: a function that makes a
    /// `_GeneratorContextManager` of `func(*args, **kwargs)`.
    Helper { func: Value, is_async: bool },
}

impl PyObject for Callable {
    fn type_name(&self) -> String {
        "function".into()
    }
    fn repr(&self) -> String {
        let at = crate::python::format::address_of(self as *const Callable);
        match self {
            Callable::ContextManager(false) => format!("<function contextmanager at {at}>"),
            Callable::ContextManager(true) => format!("<function asynccontextmanager at {at}>"),
            Callable::Helper { func, .. } => match func {
                Value::Function(f) => format!("<function {} at {at}>", f.qualname),
                _ => format!("<function helper at {at}>"),
            },
        }
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `contextlib._GeneratorContextManager` (or its async twin): the
/// generator to run around a `with` block.
#[derive(Debug)]
pub struct GeneratorContextManager {
    gen_: Value,
    is_async: bool,
    entered: Cell<bool>,
}

impl PyObject for GeneratorContextManager {
    fn type_name(&self) -> String {
        self.class_name().into()
    }
    fn repr(&self) -> String {
        format!(
            "<contextlib.{} object at {}>",
            self.class_name(),
            crate::python::format::address_of(self as *const GeneratorContextManager)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

impl GeneratorContextManager {
    fn class_name(&self) -> &'static str {
        if self.is_async {
            "_AsyncGeneratorContextManager"
        } else {
            "_GeneratorContextManager"
        }
    }
}

/// The learner's function a `@contextmanager` decorated: the helper
/// binds as a method as it would (`with repo.scope() as s:`); `None` for
/// other values.
pub fn decorated_function(v: &Value) -> Option<Rc<crate::python::value::Function>> {
    match v.downcast::<Callable>().as_deref() {
        Some(Callable::Helper {
            func: Value::Function(f),
            ..
        }) => Some(f.clone()),
        _ => None,
    }
}

/// An attribute of a `contextlib` callable: the helper `@contextmanager`
/// made has its function's `__name__`, `__qualname__`, `__doc__`,
/// `__module__` and the function as `__wrapped__` (`functools.wraps`).
///
/// Errors: `AttributeError: 'function' object has no attribute 'x'`.
pub fn callable_attr(interp: &mut Interpreter, c: &Callable, name: &str) -> PyResult<Value> {
    match (c, name) {
        (Callable::Helper { func, .. }, "__wrapped__") => Ok(func.clone()),
        (Callable::Helper { func, .. }, "__name__" | "__qualname__" | "__doc__" | "__module__") => {
            super::methods::get_attr(interp, func, name)
        }
        (Callable::ContextManager(is_async), "__name__" | "__qualname__") => {
            Ok(Value::str(if *is_async {
                "asynccontextmanager"
            } else {
                "contextmanager"
            }))
        }
        _ => Err(attribute_error(format!(
            "'function' object has no attribute '{name}'"
        ))),
    }
}

/// `contextlib.NAME`, when the tutor has it.
pub fn contextlib_value(name: &str) -> Option<Value> {
    match name {
        "contextmanager" => Some(Value::native(Callable::ContextManager(false))),
        "asynccontextmanager" => Some(Value::native(Callable::ContextManager(true))),
        _ => None,
    }
}

/// Calls one of [`Callable`], as Python 3.11.
pub fn call(
    interp: &mut Interpreter,
    c: &Callable,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<Value> {
    match c {
        Callable::ContextManager(is_async) => {
            let b = Signature::function("contextmanager", &["func"]).bind(args, kwargs)?;
            let func = b.get("func").cloned().unwrap_or(Value::None);
            Ok(Value::native(Callable::Helper {
                func,
                is_async: *is_async,
            }))
        }
        Callable::Helper { func, is_async } => {
            let gen_ = interp.call(func, args, kwargs)?;
            Ok(Value::native(GeneratorContextManager {
                gen_,
                is_async: *is_async,
                entered: Cell::new(false),
            }))
        }
    }
}

/// `next(g)` / `g.__next__()`: the generator runs to its next `yield` and
/// gives its value; at its end, `StopIteration` with its `return` value.
pub fn generator_next(interp: &mut Interpreter, g: &Generator) -> PyResult<Value> {
    match interp.resume_generator(g, Input::Send(Value::None))? {
        Resumed::Yielded(v) => Ok(v),
        Resumed::Returned(v) => Err(stop_iteration(interp, &v)?),
    }
}

/// `StopIteration(value)`: the message is `str(value)`, empty for `None`.
fn stop_iteration(interp: &mut Interpreter, v: &Value) -> PyResult<PyErr> {
    let message = match v {
        Value::None => String::new(),
        v => interp.to_str(v)?,
    };
    Ok(PyErr::new(ExcType::StopIteration, message))
}

/// The value of a generator expression `(elt for …)`, from its items (the
/// tutor computes them at once: what it prints, `<generator object
/// <genexpr> at 0x…>`, and what it yields are Python's; only the timing of
/// the items' evaluation differs).
/// `is_async`: an asynchronous generator expression (`async for` or `await`
/// in it), an `async_generator`.
pub fn generator_expression(
    interp: &mut Interpreter,
    items: Value,
    is_async: bool,
) -> PyResult<Value> {
    let items = PyIter::new(interp, &items)?;
    Ok(Generator::value(
        if is_async {
            "async_generator"
        } else {
            "generator"
        },
        "<genexpr>",
        Box::new(IterFrame(items)),
    ))
}

/// The methods of generators and async generators, as Python 3.11 names
/// them.
const GENERATOR_METHODS: &[&str] = &["__next__", "__iter__", "send", "throw", "close"];
const ASYNC_GENERATOR_METHODS: &[&str] = &["__anext__", "__aiter__", "asend", "athrow", "aclose"];

/// `gen.NAME`: a bound method, or CPython's `AttributeError`.
pub fn generator_attr(obj: &Value, g: &Generator, name: &str) -> PyResult<Value> {
    let names = match g.type_name {
        "generator" => GENERATOR_METHODS,
        "async_generator" => ASYNC_GENERATOR_METHODS,
        _ => &["__next__", "__iter__"][..],
    };
    if names.contains(&name) {
        return Ok(Value::Method(Rc::new(Method {
            receiver: obj.clone(),
            name: name.to_string(),
        })));
    }
    if name == "__name__" || name == "__qualname__" {
        return Ok(Value::str(&g.qualname));
    }
    Err(attribute_error(format!(
        "'{}' object has no attribute '{name}'",
        g.type_name
    )))
}

/// `gen.NAME(*args)`: `send`, `throw`, `close`, `__next__`, `__iter__`;
/// an async generator's `asend`/`athrow`/`aclose`/`__anext__` return
/// awaitables that run the same step when awaited.
pub fn call_generator_method(
    interp: &mut Interpreter,
    receiver: &Value,
    g: &Rc<Generator>,
    name: &str,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<Value> {
    let sync_name = match name {
        "__anext__" | "asend" | "athrow" | "aclose" if g.is_async() => {
            let sync_name = match name {
                "__anext__" => "__next__",
                other => &other[1..],
            };
            let sync_name: &'static str = match sync_name {
                "__next__" => "__next__",
                "send" => "send",
                "throw" => "throw",
                _ => "close",
            };
            let receiver = receiver.clone();
            let qualname = format!("{}.{name}", g.qualname);
            let anext = name == "__anext__";
            return Ok(crate::python::coroutine::Coroutine::native(
                qualname,
                move |vm| {
                    let m = Value::Method(Rc::new(Method {
                        receiver,
                        name: format!("{sync_name}!"),
                    }));
                    vm.call_value(&m, args, kwargs).map_err(|e| {
                        if anext && e.exc == ExcType::StopIteration {
                            PyErr::new(ExcType::StopAsyncIteration, "")
                        } else {
                            e
                        }
                    })
                },
            ));
        }
        n => n.strip_suffix('!').unwrap_or(n),
    };
    let label = sync_name;
    match label {
        "__iter__" | "__aiter__" => Ok(receiver.clone()),
        "__next__" | "send" => {
            let arg = if label == "send" {
                Signature::method("send", &["value"])
                    .bind(args, kwargs)?
                    .get("value")
                    .cloned()
                    .unwrap_or(Value::None)
            } else {
                Value::None
            };
            match interp.resume_generator(g, Input::Send(arg))? {
                Resumed::Yielded(v) => Ok(v),
                Resumed::Returned(v) => Err(stop_iteration(interp, &v)?),
            }
        }
        "throw" => {
            let b = Signature::method("throw", &["typ", "val=", "tb="]).bind(args, kwargs)?;
            let err = match b.get("typ") {
                Some(Value::Exception(e)) => (**e).clone(),
                Some(Value::ExceptionClass(c)) => PyErr::new(*c, ""),
                other => {
                    return Err(type_error(format!(
                        "exceptions must be classes or instances deriving from BaseException, not {}",
                        other.map_or("NoneType".into(), |v| v.type_name())
                    )));
                }
            };
            match interp.resume_generator(g, Input::Throw(err))? {
                Resumed::Yielded(v) => Ok(v),
                Resumed::Returned(v) => Err(stop_iteration(interp, &v)?),
            }
        }
        "close" => {
            close(interp, g)?;
            Ok(Value::None)
        }
        _ => Err(attribute_error(format!(
            "'{}' object has no attribute '{name}'",
            g.type_name
        ))),
    }
}

/// `gen.close()`: `GeneratorExit` at the paused `yield`; CPython's
/// `RuntimeError: generator ignored GeneratorExit` if it yields again.
pub fn close(interp: &mut Interpreter, g: &Generator) -> PyResult<()> {
    match interp.resume_generator(g, Input::Throw(generator_exit())) {
        Ok(Resumed::Yielded(_)) => Err(PyErr::new(
            ExcType::RuntimeError,
            format!("{} ignored GeneratorExit", g.type_name.replace('_', " ")),
        )),
        Ok(Resumed::Returned(_)) => Ok(()),
        Err(e) if matches!(e.exc, ExcType::GeneratorExit | ExcType::StopIteration) => Ok(()),
        Err(e) => Err(e),
    }
}

fn as_cm(v: &Value, is_async: bool) -> Option<Rc<GeneratorContextManager>> {
    v.downcast::<GeneratorContextManager>()
        .filter(|cm| cm.is_async == is_async)
}

impl Interpreter {
    /// Enters a `with` (or `async with`) item's context manager and gives
    /// what `as` binds: a `contextmanager` runs its generator to the
    /// `yield` (`RuntimeError: generator didn't yield` if it ends first).
    pub(super) fn enter_context(&mut self, cm: &Value, is_async: bool) -> PyResult<Value> {
        if let Some(c) = as_cm(cm, is_async) {
            let Some(g) = c.gen_.downcast::<Generator>() else {
                return Err(type_error(format!(
                    "'{}' object is not an {}iterator",
                    c.gen_.type_name(),
                    if is_async { "async " } else { "" }
                )));
            };
            c.entered.set(true);
            return match self.resume_generator(&g, Input::Send(Value::None))? {
                Resumed::Yielded(v) => Ok(v),
                Resumed::Returned(_) => {
                    Err(PyErr::new(ExcType::RuntimeError, "generator didn't yield"))
                }
            };
        }
        if is_async && let Some(r) = super::coroutines::task_group_enter(cm) {
            return r;
        }
        if is_async {
            return crate::sqlalchemy::asyncio::async_enter(self, cm).unwrap_or_else(|| {
                Err(type_error(format!(
                    "'{}' object does not support the asynchronous context manager protocol",
                    cm.type_name()
                )))
            });
        }
        super::methods::context_enter(self, cm)
    }

    /// Exits a `with` item's context manager after its block ended with
    /// `result`. A `contextmanager`'s generator resumes after its `yield`,
    /// or has the block's exception thrown in there (its `except` may
    /// roll back and re-raise, or swallow it), as contextlib's `__exit__`,
    /// with its "generator didn't stop" errors.
    pub(super) fn exit_context(
        &mut self,
        cm: &Value,
        result: Result<(), Flow>,
        is_async: bool,
        span: Span,
    ) -> Result<(), Flow> {
        let Some(c) = as_cm(cm, is_async) else {
            let failed = matches!(result, Err(Flow::Error(_)));
            let body_error = match &result {
                Err(Flow::Error(e)) => Some(e),
                _ => None,
            };
            if is_async && let Some(r) = super::coroutines::task_group_exit(cm, body_error) {
                // The group's ExceptionGroup replaces the block's error
                // (a CancelledError of the block stands when no task failed).
                return match r {
                    Err(group) => Err(Flow::Error(group.at(span))),
                    Ok(()) => result,
                };
            }
            if is_async {
                crate::sqlalchemy::asyncio::async_exit(self, cm, failed).map_err(|e| e.at(span))?;
            } else {
                super::methods::context_exit(self, cm, failed).map_err(|e| e.at(span))?;
            }
            return result;
        };
        let Some(g) = c.gen_.downcast::<Generator>() else {
            return result;
        };
        let athrow = if is_async { "athrow()" } else { "throw()" };
        match result {
            Err(Flow::Error(e)) => match self.resume_generator(&g, Input::Throw(e.clone())) {
                Ok(Resumed::Returned(_)) => Ok(()),
                Ok(Resumed::Yielded(_)) => {
                    let _ = close(self, &g);
                    Err(Flow::Error(
                        PyErr::new(
                            ExcType::RuntimeError,
                            format!("generator didn't stop after {athrow}"),
                        )
                        .at(span),
                    ))
                }
                Err(raised) if raised.exc == e.exc && raised.message == e.message => {
                    Err(Flow::Error(e))
                }
                Err(raised) => Err(Flow::Error(raised.at(span))),
            },
            other => match self.resume_generator(&g, Input::Send(Value::None)) {
                Ok(Resumed::Returned(_)) => other,
                Ok(Resumed::Yielded(_)) => {
                    let _ = close(self, &g);
                    Err(Flow::Error(
                        PyErr::new(ExcType::RuntimeError, "generator didn't stop").at(span),
                    ))
                }
                Err(e) => Err(Flow::Error(e.at(span))),
            },
        }
    }
}
