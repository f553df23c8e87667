//! Raising and handling exceptions as CPython 3.11: `raise`, `raise X from
//! Y`, `assert`, an `except` clause's body, and the exception chain
//! (`__cause__`, `__context__`) a traceback shows above the exception.

use std::rc::Rc;

use crate::language::ast::{ExceptHandler, Expr, Stmt};
use crate::python::ExcType;
use crate::python::exceptions::{PyErr, PyResult, TraceFrame, type_error};
use crate::python::value::Value;

use super::eval::{Flow, Interpreter};

/// An `except*` clause that takes part of a group: its index and that part.
pub(super) type StarMatch = (usize, PyErr);

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

    /// `except* cls`'s split of `e`, as CPython 3.11's
    /// `BaseExceptionGroup.split()`: the part that matches `cls` and the
    /// rest, each a group of the same message (nested groups split
    /// alike), `None` when empty. A group that matches as a whole is
    /// taken whole; an exception that is no group is matched or not.
    pub(super) fn split_exception(
        &mut self,
        e: &PyErr,
        cls: &Value,
    ) -> PyResult<(Option<PyErr>, Option<PyErr>)> {
        if self.exception_matches(e, cls)? {
            return Ok((Some(e.clone()), None));
        }
        let Some(group) = e.group() else {
            return Ok((None, Some(e.clone())));
        };
        let (mut matched, mut rest) = (Vec::new(), Vec::new());
        for sub in &group.exceptions {
            let (m, r) = self.split_exception(sub, cls)?;
            matched.extend(m.map(Rc::new));
            rest.extend(r.map(Rc::new));
        }
        let derive = |exceptions: Vec<Rc<PyErr>>| {
            (!exceptions.is_empty()).then(|| {
                let mut part = PyErr::exception_group(&group.message, exceptions);
                part.traceback = e.traceback.clone();
                part.span = e.span;
                part.expression = e.expression.clone();
                part
            })
        };
        Ok((derive(matched), derive(rest)))
    }

    /// The first `except*` clause from `from` on whose class part of `e`
    /// matches, with that part (an exception that is no group comes
    /// wrapped in `ExceptionGroup('', [e])`, as CPython 3.11 does); and
    /// what is left of `e` for the clauses after it, or for re-raising.
    pub(super) fn next_star_handler(
        &mut self,
        handlers: &[ExceptHandler],
        from: usize,
        e: PyErr,
    ) -> Result<(Option<StarMatch>, Option<PyErr>), Flow> {
        let mut rest = e;
        for (i, h) in handlers.iter().enumerate().skip(from) {
            let Some(t) = &h.type_ else { continue };
            let cls = self.eval(t)?;
            if let Value::ExceptionClass(c) = &cls
                && c.is_subclass_of(ExcType::BaseExceptionGroup)
            {
                return Err(Flow::Error(
                    type_error(
                        "catching ExceptionGroup with except* is not allowed. Use except instead.",
                    )
                    .at(t.span),
                ));
            }
            let (matched, left) = self
                .split_exception(&rest, &cls)
                .map_err(|err| err.at(t.span))?;
            if let Some(mut part) = matched {
                if part.group().is_none() {
                    let span = part.span;
                    part = PyErr::exception_group("", vec![Rc::new(part)]).with_tuple_members();
                    part.span = span;
                }
                return Ok((Some((i, part)), left));
            }
            match left {
                Some(l) => rest = l,
                None => return Ok((None, None)),
            }
        }
        Ok((None, Some(rest)))
    }

    /// `ExceptionGroup(message, exceptions)` /
    /// `BaseExceptionGroup(message, exceptions)`, as Python 3.11's
    /// `BaseExceptionGroup.__new__`: `BaseExceptionGroup` of `Exception`s
    /// only is an `ExceptionGroup`.
    ///
    /// Errors, CPython's: `TypeError` for another number of arguments, a
    /// message that is no `str`, members that are no sequence, or a
    /// `BaseException` in an `ExceptionGroup`; `ValueError` for no
    /// members or a member that is no exception.
    pub(super) fn new_exception_group(
        &mut self,
        class: ExcType,
        args: &[Value],
    ) -> PyResult<PyErr> {
        let [message, members] = args else {
            return Err(type_error(format!(
                "BaseExceptionGroup.__new__() takes exactly 2 arguments ({} given)",
                args.len()
            )));
        };
        let Value::Str(message) = message else {
            return Err(type_error(format!(
                "BaseExceptionGroup.__new__() argument 1 must be str, not {}",
                message.type_name()
            )));
        };
        let (items, as_tuple): (Vec<Value>, bool) = match members {
            Value::List(l) => (l.items.borrow().clone(), false),
            Value::Tuple(t) => (t.to_vec(), true),
            _ => {
                return Err(type_error(
                    "second argument (exceptions) must be a sequence",
                ));
            }
        };
        if items.is_empty() {
            return Err(PyErr::new(
                ExcType::ValueError,
                "second argument (exceptions) must be a non-empty sequence",
            ));
        }
        let mut exceptions = Vec::with_capacity(items.len());
        for (i, v) in items.iter().enumerate() {
            exceptions.push(match v {
                Value::Exception(e) => e.clone(),
                v @ Value::Native(_) if let Ok(e) = super::classes::raised(self, v) => Rc::new(e),
                _ => {
                    return Err(PyErr::new(
                        ExcType::ValueError,
                        format!("Item {i} of second argument (exceptions) is not an exception"),
                    ));
                }
            });
        }
        let mut group = PyErr::exception_group(message, exceptions);
        if as_tuple {
            group = group.with_tuple_members();
        }
        if class == ExcType::ExceptionGroup && group.exc != ExcType::ExceptionGroup {
            return Err(type_error(
                "Cannot nest BaseExceptions in an ExceptionGroup",
            ));
        }
        Ok(group)
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
