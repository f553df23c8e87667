//! `async def`, `await`, `async with`, `async for`, and the few functions
//! of `asyncio` the tutor has (`run`, `gather` with `return_exceptions=`,
//! `sleep`).
//!
//! The tutor has one thread and no event loop: awaiting a coroutine runs
//! it to the end, there and then, as the event loop would when nothing else
//! is scheduled. `asyncio.gather` awaits its coroutines in order; database
//! IO in a second one of them is `NotImplementedError`, since asyncio would
//! interleave them (`orm::concurrency::note_io`). Top-level
//! `await` works in the REPL and in scripts, as `python -m asyncio` allows.

use std::cell::Cell;
use std::rc::Rc;

use crate::language::ast::{Stmt, StmtKind, WithItem};
use crate::python::coroutine::{Coroutine, CoroutineBody};
use crate::python::exceptions::{PyErr, PyResult, type_error};
use crate::python::value::{Function, FunctionBody, Value};
use crate::python::{ExcType, PyObject};

use super::eval::{Flow, Interpreter};

thread_local! {
    /// Coroutines running now (nested awaits): `asyncio.run()` inside one
    /// is Python's "cannot be called from a running event loop".
    static RUNNING: Cell<u32> = const { Cell::new(0) };
    /// The tasks running now, innermost last: an outermost `await` (a
    /// top-level step's, or `asyncio.run`'s) runs in a new task, as does
    /// each awaitable of `asyncio.gather`.
    static TASKS: std::cell::RefCell<Vec<u64>> = const { std::cell::RefCell::new(Vec::new()) };
    static NEXT_TASK: Cell<u64> = const { Cell::new(1) };
}

/// Runs `f` in a new task.
fn in_new_task<T>(f: impl FnOnce() -> T) -> T {
    let id = NEXT_TASK.with(|n| {
        let id = n.get();
        n.set(id + 1);
        id
    });
    TASKS.with(|t| t.borrow_mut().push(id));
    let r = f();
    TASKS.with(|t| t.borrow_mut().pop());
    r
}

/// `asyncio.current_task()`'s `Task`: `Task-N`, N counted per process as
/// asyncio's names.
#[derive(Debug)]
pub struct Task(pub u64);

impl PyObject for Task {
    fn type_name(&self) -> String {
        "Task".into()
    }
    fn repr(&self) -> String {
        format!("<Task pending name='Task-{}'>", self.0)
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// The running task's number, or Python's `RuntimeError: no running event
/// loop` outside every coroutine.
pub fn current_task_id() -> PyResult<u64> {
    TASKS
        .with(|t| t.borrow().last().copied())
        .ok_or_else(|| PyErr::new(ExcType::RuntimeError, "no running event loop"))
}

/// The coroutine a call of the `async def` `f` returns.
pub fn coroutine_of(f: &Rc<Function>, args: Vec<Value>, kwargs: Vec<(String, Value)>) -> Value {
    Coroutine::value(
        f.name.clone(),
        CoroutineBody::Function {
            func: f.clone(),
            args,
            kwargs,
        },
    )
}

impl Interpreter {
    /// `await v`: runs the coroutine `v` to its end and gives its value.
    ///
    /// Errors: Python's `TypeError: object int can't be used in 'await'
    /// expression` for a value that is not awaitable; `RuntimeError` for a
    /// coroutine awaited twice; whatever the coroutine raises.
    pub fn await_value(&mut self, v: &Value) -> PyResult<Value> {
        let Some(co) = v.downcast::<Coroutine>() else {
            if let Some(r) = crate::sqlalchemy::asyncio::await_object(self, v) {
                return r;
            }
            return Err(type_error(format!(
                "object {} can't be used in 'await' expression",
                v.type_name()
            )));
        };
        let body = co.take()?;
        let outermost = RUNNING.with(|r| r.get()) == 0;
        RUNNING.with(|r| r.set(r.get() + 1));
        let run = |interp: &mut Interpreter| match body {
            CoroutineBody::Function { func, args, kwargs } => {
                interp.invoke_function(&func, args, kwargs)
            }
            CoroutineBody::Native(f) => f(interp),
        };
        let result = if outermost {
            in_new_task(|| run(self))
        } else {
            run(self)
        };
        RUNNING.with(|r| r.set(r.get().saturating_sub(1)));
        result
    }

    /// `async def`, `async with`, `async for`.
    pub(super) fn exec_async(&mut self, stmt: &Stmt) -> Result<(), Flow> {
        match &stmt.kind {
            StmtKind::FunctionDef { name, params, body } => self.define_function(
                name,
                params,
                FunctionBody::AsyncBlock(body.clone()),
                stmt.span,
            ),
            StmtKind::With { items, body } => self.exec_async_with(items, body, 0),
            StmtKind::For {
                target,
                iter,
                body,
                orelse,
            } => {
                let it = self.eval(iter)?;
                // An async generator runs lazily, between the passes.
                let mut items = self.async_iter(&it).map_err(|e| e.at(iter.span))?;
                while let Some(item) = items.next_value(self).map_err(|e| e.at(iter.span))? {
                    if !self.for_iteration(stmt, target, item, body)? {
                        return Ok(());
                    }
                }
                self.exec_block(orelse)
            }
            _ => Err(PyErr::new(ExcType::SyntaxError, "invalid syntax")
                .at(stmt.span)
                .into()),
        }
    }

    /// `async with a as x, b as y:`: each context's `__aenter__` awaited in
    /// order, their `__aexit__` in reverse, told whether the block raised.
    fn exec_async_with(
        &mut self,
        items: &[WithItem],
        body: &[Stmt],
        index: usize,
    ) -> Result<(), Flow> {
        let Some(item) = items.get(index) else {
            return self.exec_block(body);
        };
        let ctx = self.eval(&item.context)?;
        let entered = (self.enter_context(&ctx, true)).map_err(|e| e.at(item.context.span))?;
        if let Some(t) = &item.target {
            self.assign(t, entered)?;
        }
        let result = self.exec_async_with(items, body, index + 1);
        self.exit_context(&ctx, result, true, item.context.span)
    }
}

/// A function of Python's `asyncio` module the tutor has.
#[derive(Debug)]
pub struct AsyncioFunction(pub &'static str);

impl PyObject for AsyncioFunction {
    fn type_name(&self) -> String {
        "function".into()
    }
    fn repr(&self) -> String {
        format!(
            "<function {} at {}>",
            self.0,
            crate::python::format::address_of(self as *const AsyncioFunction)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `asyncio.NAME`, when the tutor has it.
pub fn asyncio_value(name: &str) -> Option<Value> {
    let name = ["run", "gather", "sleep", "current_task"]
        .into_iter()
        .find(|n| *n == name)?;
    Some(Value::native(AsyncioFunction(name)))
}

/// Calls `asyncio.run`, `asyncio.gather`, `asyncio.sleep` or
/// `asyncio.current_task`, as Python 3.11.
pub fn call_asyncio(
    interp: &mut Interpreter,
    f: &AsyncioFunction,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<Value> {
    use crate::python::Signature;
    match f.0 {
        "run" => {
            let b = Signature::function("run", &["main", "*", "debug="]).bind(args, kwargs)?;
            let main = b.get("main").cloned().unwrap_or(Value::None);
            if RUNNING.with(|r| r.get()) > 0 {
                return Err(PyErr::new(
                    ExcType::RuntimeError,
                    "asyncio.run() cannot be called from a running event loop",
                ));
            }
            if main.downcast::<Coroutine>().is_none() {
                return Err(PyErr::new(
                    ExcType::ValueError,
                    format!(
                        "a coroutine was expected, got {}",
                        crate::python::format::repr_plain(&main)
                    ),
                ));
            }
            interp.await_value(&main)
        }
        "gather" => {
            let b = Signature::function("gather", &["*coros_or_futures", "return_exceptions="])
                .bind(args, kwargs)?;
            let aws = b.varargs.clone();
            // `return_exceptions=True`: a task's `Exception` is its result.
            let return_exceptions = b.get("return_exceptions").is_some_and(Value::truthy);
            if aws.iter().any(|a| a.downcast::<Coroutine>().is_none()) {
                return Err(type_error(
                    "An asyncio.Future, a coroutine or an awaitable is required",
                ));
            }
            Ok(Coroutine::native("gather", move |vm| {
                // Each task runs to its end before the next starts; a second
                // task doing database IO is NotImplementedError
                // (`concurrency::note_io`), as its order would not be asyncio's.
                crate::orm::concurrency::gather_enter();
                let mut out = Vec::new();
                for a in &aws {
                    let r = in_new_task(|| vm.await_value(a));
                    crate::orm::concurrency::gather_task_done();
                    match r {
                        Ok(v) => out.push(v),
                        Err(e)
                            if return_exceptions && e.exc.mro().contains(&ExcType::Exception) =>
                        {
                            out.push(crate::python::class::caught_value(&Rc::new(e)));
                        }
                        Err(e) => {
                            crate::orm::concurrency::gather_exit();
                            return Err(e);
                        }
                    }
                }
                crate::orm::concurrency::gather_exit();
                Ok(Value::list(out))
            }))
        }
        "current_task" => {
            Signature::function("current_task", &["loop="]).bind(args, kwargs)?;
            Ok(Value::native(Task(current_task_id()?)))
        }
        _ => {
            let b = Signature::function("sleep", &["delay", "result="]).bind(args, kwargs)?;
            let result = b.get("result").cloned().unwrap_or(Value::None);
            Ok(Coroutine::native("sleep", move |_| Ok(result)))
        }
    }
}
