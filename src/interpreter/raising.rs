//! Raising and handling exceptions as CPython 3.11: `raise`, `raise X from
//! Y`, `assert`, an `except` clause's body, and the exception chain
//! (`__cause__`, `__context__`) a traceback shows above the exception.

use std::rc::Rc;

use crate::language::ast::{ExceptHandler, Expr, Stmt};
use crate::python::ExcType;
use crate::python::exceptions::{PyErr, TraceFrame, type_error};
use crate::python::value::Value;

use super::eval::{Flow, Interpreter};

impl Interpreter {
    /// The exception `raise [e [from cause]]` raises: a bare `raise`
    /// re-raises the one being handled, with its own traceback. `from`
    /// sets `__cause__` (an exception class is instantiated, `None`
    /// clears it) and `__suppress_context__`.
    ///
    /// Errors: `TypeError: exception causes must derive from
    /// BaseException`; `exceptions must derive from BaseException, not
    /// int`; `RuntimeError: No active exception to reraise`.
    pub(super) fn raised(
        &mut self,
        stmt: &Stmt,
        e: Option<&Expr>,
        cause: Option<&Expr>,
    ) -> Result<PyErr, Flow> {
        let cause = match cause {
            None => None,
            Some(c) => Some(match self.eval(c)? {
                Value::None => None,
                Value::Exception(ex) => Some(ex),
                Value::ExceptionClass(class) => Some(Rc::new(PyErr::new(class, ""))),
                v @ Value::Native(_) if let Ok(e) = super::classes::raised(self, &v) => {
                    Some(Rc::new(e))
                }
                _ => {
                    return Err(Flow::Error(
                        type_error("exception causes must derive from BaseException").at(c.span),
                    ));
                }
            }),
        };
        let mut err = match e {
            None => match self.handling.last() {
                Some(e) => e.clone(),
                None => PyErr::new(ExcType::RuntimeError, "No active exception to reraise"),
            },
            Some(e) => {
                let v = self.eval(e)?;
                match v {
                    Value::Exception(ex) => (*ex).clone(),
                    Value::ExceptionClass(c) => PyErr::new(c, ""),
                    v @ Value::Native(_) => super::classes::raised(self, &v).unwrap_or_else(|e| e),
                    other => type_error(format!(
                        "exceptions must derive from BaseException, not {}",
                        other.type_name()
                    )),
                }
                .at(e.span)
            }
        };
        // A traceback frame shows the whole `raise` statement, as
        // CPython's position of the raising instruction.
        if e.is_some() && err.expression.is_none() {
            err.expression = Some(Box::new(stmt.span));
        }
        if let Some(cause) = cause {
            let chain = err.chain.get_or_insert_with(Default::default);
            chain.cause = cause;
            chain.suppress_context = true;
        }
        Ok(err.at(stmt.span))
    }

    /// `assert test, msg`: `AssertionError` with `str(msg)` when `test` is
    /// false.
    pub(super) fn exec_assert(
        &mut self,
        stmt: &Stmt,
        test: &Expr,
        msg: Option<&Expr>,
    ) -> Result<(), Flow> {
        let t = self.eval(test)?;
        if !self.truthy(&t)? {
            let message = match msg {
                Some(m) => {
                    let v = self.eval(m)?;
                    self.to_str(&v)?
                }
                None => String::new(),
            };
            return Err(Flow::Error(
                PyErr::new(ExcType::AssertionError, message).at(stmt.span),
            ));
        }
        Ok(())
    }

    /// The body of the `except` clause `h` that caught `e`: `as name`
    /// binds the exception with its traceback up to this frame; a bare
    /// `raise` re-raises `e`; another exception leaving the body gets `e`
    /// as its `__context__` ("During handling of the above exception,
    /// another exception occurred:").
    pub(super) fn exec_handler(&mut self, h: &ExceptHandler, e: PyErr) -> Result<(), Flow> {
        let caught = Rc::new(self.caught_here(&e));
        if let Some(name) = &h.name {
            self.set_name(name, crate::python::class::caught_value(&caught));
        }
        self.handling.push(e);
        let r = self.exec_block(&h.body);
        let e = self.handling.pop();
        r.map_err(|flow| with_context(flow, e.as_ref(), caught))
    }

    /// `e` as caught in the running frame: its traceback completed with
    /// this frame (`<module>` or the function's), the way CPython's
    /// `__traceback__` ends where the exception was caught; no span of
    /// its own, so a later `raise e` points at that `raise`.
    pub(super) fn caught_here(&self, e: &PyErr) -> PyErr {
        let mut caught = e.clone();
        let function = match self.function_names.last() {
            Some(qualname) => qualname.rsplit('.').next().unwrap_or(qualname).to_string(),
            None => "<module>".to_string(),
        };
        caught.traceback.push(TraceFrame {
            function,
            source: self.source.clone(),
            span: e.traceback_span(),
        });
        caught.span = None;
        caught.expression = None;
        caught
    }
}

/// What leaves an `except` body that handled `handled` (`caught`, as the
/// clause bound it): another exception gets `caught` as its `__context__`
/// ("During handling of the above exception, another exception
/// occurred:"), unless it is `handled` re-raised (CPython never makes a
/// cycle) or already has a context.
pub(super) fn with_context(flow: Flow, handled: Option<&PyErr>, caught: Rc<PyErr>) -> Flow {
    match flow {
        Flow::Error(mut new) => {
            let same = handled.is_some_and(|e| e.exc == new.exc && e.message == new.message);
            if !same && new.context().is_none() {
                let chain = new.chain.get_or_insert_with(Default::default);
                chain.context = Some(caught);
            }
            Flow::Error(new)
        }
        other => other,
    }
}

/// `__cause__`, `__context__` and `__suppress_context__` of an exception
/// value, as CPython's `BaseException` attributes.
pub fn chain_attr(e: &PyErr, name: &str) -> Option<Value> {
    let exception =
        |c: Option<&Rc<PyErr>>| c.map_or(Value::None, crate::python::class::exception_value);
    Some(match name {
        "__cause__" => exception(e.cause()),
        "__context__" => exception(e.context()),
        "__suppress_context__" => Value::Bool(e.chain.as_ref().is_some_and(|c| c.suppress_context)),
        _ => return None,
    })
}
