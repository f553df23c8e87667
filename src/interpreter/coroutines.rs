//! `async def`, `await`, `async with`, `async for`, and the few functions
//! of `asyncio` the tutor has (`run`, `gather` with `return_exceptions=`,
//! `create_task`, `sleep`, `current_task`).
//!
//! Awaiting a coroutine runs it there and then, on the awaiting stack;
//! `asyncio.gather` and `asyncio.create_task` make tasks that run
//! concurrently on the event loop (`event_loop`), switching at each IO
//! await as asyncio does. Top-level `await` works in the REPL and in
//! scripts, as `python -m asyncio` allows.

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
    /// Set by `asyncio.run` for the outermost await it starts: that await
    /// runs a loop of its own, which ends with it.
    static OWN_LOOP: Cell<bool> = const { Cell::new(false) };
}

/// A new task's number (`Task-N`). Tasks the tutor does not run as tasks
/// take theirs too, so that the learner's tasks are named as asyncio's:
/// SQLAlchemy's `_run_to_completion()` (the `close()` of `async with`
/// `AsyncSession`/`AsyncConnection`) and `asyncio.run`'s shutdown tasks.
pub(crate) fn new_task_id() -> u64 {
    NEXT_TASK.with(|n| {
        let id = n.get();
        n.set(id + 1);
        id
    })
}

/// Swaps the running-coroutine count and task stack with `running`,
/// `tasks` (a task switch: `event_loop`).
pub(super) fn swap_task_state(running: &mut u32, tasks: &mut Vec<u64>) {
    RUNNING.with(|r| {
        let mine = r.get();
        r.set(*running);
        *running = mine;
    });
    TASKS.with(|t| std::mem::swap(&mut *t.borrow_mut(), tasks));
}

/// A new interpreter is a new Python process: its first task is `Task-1`.
pub(super) fn reset_task_names() {
    NEXT_TASK.with(|n| n.set(1));
}

/// Runs `f` in a new task.
fn in_new_task<T>(f: impl FnOnce() -> T) -> T {
    let id = new_task_id();
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
        let state = if super::event_loop::done(self.0) {
            "finished"
        } else {
            "pending"
        };
        format!("<Task {state} name='Task-{}'>", self.0)
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// The methods of `asyncio.Task` the tutor has.
pub const TASK_METHODS: &[&str] = &[
    "cancel",
    "cancelled",
    "done",
    "exception",
    "get_name",
    "result",
];

/// `task.NAME(*args)` for a method of [`TASK_METHODS`], as Python 3.11's
/// `asyncio.Task`; `None` for another name.
///
/// Errors: `InvalidStateError` for `result()`/`exception()` of a task not
/// done; `result()` raises the task's exception (`CancelledError` for a
/// cancelled one).
pub fn call_task_method(
    t: &Task,
    name: &str,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> Option<PyResult<Value>> {
    use super::event_loop;
    use crate::python::Signature;
    let params: &[&str] = match name {
        "cancel" => &["msg="],
        _ => &[],
    };
    let name: &'static str = TASK_METHODS.iter().find(|m| **m == name)?;
    if let Err(e) = Signature::function(name, params).bind(args, kwargs) {
        return Some(Err(e));
    }
    let not_done = |what: &str| PyErr::new(ExcType::InvalidStateError, what.to_string());
    Some(match name {
        "done" => Ok(Value::Bool(event_loop::done(t.0))),
        "cancel" => Ok(Value::Bool(event_loop::cancel(t.0))),
        "cancelled" => Ok(Value::Bool(matches!(
            event_loop::result(t.0),
            Some(Err(e)) if e.exc == ExcType::CancelledError
        ))),
        "get_name" => Ok(Value::str(&format!("Task-{}", t.0))),
        "result" => match event_loop::result(t.0) {
            Some(r) => r,
            None => Err(not_done("Result is not set.")),
        },
        _ => match event_loop::result(t.0) {
            Some(Ok(_)) => Ok(Value::None),
            Some(Err(e)) if e.exc == ExcType::CancelledError => Err(e),
            Some(Err(e)) => Ok(crate::python::class::caught_value(&Rc::new(e))),
            None => Err(not_done("Exception is not set.")),
        },
    })
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
        if let Some(t) = v.downcast::<Task>() {
            // `await task`: its result, once it has finished.
            if current_task_id().ok() == Some(t.0) && !super::event_loop::done(t.0) {
                return Err(PyErr::new(
                    ExcType::RuntimeError,
                    format!("Task cannot await on itself: {}", t.repr()),
                ));
            }
            let id = t.0;
            return self.await_outermost(move |_| {
                super::event_loop::wait(&[id], false)?;
                super::event_loop::result(id).unwrap_or(Ok(Value::None))
            });
        }
        if let Some(g) = v.downcast::<super::event_loop::GatheringFuture>() {
            return self.await_outermost(|interp| g.await_result(interp));
        }
        let Some(co) = v.downcast::<Coroutine>() else {
            return self.await_outermost(|interp| {
                crate::sqlalchemy::asyncio::await_object(interp, v).unwrap_or_else(|| {
                    Err(type_error(format!(
                        "object {} can't be used in 'await' expression",
                        v.type_name()
                    )))
                })
            });
        };
        let body = co.take()?;
        self.await_outermost(move |interp| match body {
            CoroutineBody::Function { func, args, kwargs } => {
                interp.invoke_function(&func, args, kwargs)
            }
            CoroutineBody::Native(f) => f(interp),
        })
    }

    /// Runs an awaited `run`: the outermost await (a top-level step's, or
    /// `asyncio.run`'s) in a new task. `asyncio.run`'s end cancels and ends
    /// every task still pending; a top-level step's leaves them to the
    /// session's loop (`event_loop::end_step`), as `python -m asyncio`.
    fn await_outermost(
        &mut self,
        run: impl FnOnce(&mut Interpreter) -> PyResult<Value>,
    ) -> PyResult<Value> {
        let outermost = RUNNING.with(|r| r.get()) == 0;
        let own_loop = outermost && OWN_LOOP.with(|o| o.replace(false));
        RUNNING.with(|r| r.set(r.get() + 1));
        let result = if own_loop {
            in_new_task(|| {
                let r = run(self);
                super::event_loop::finish();
                r
            })
        } else if outermost {
            in_new_task(|| {
                super::event_loop::enter_top_level_await(self)?;
                run(self)
            })
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
    match name {
        "CancelledError" => return Some(Value::ExceptionClass(ExcType::CancelledError)),
        "InvalidStateError" => return Some(Value::ExceptionClass(ExcType::InvalidStateError)),
        _ => {}
    }
    let name = [
        "run",
        "gather",
        "sleep",
        "current_task",
        "create_task",
        "TaskGroup",
    ]
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
            // A loop of its own: the session's pending tasks wait meanwhile.
            let saved = super::event_loop::take_loop();
            let outer = crate::orm::concurrency::enter_new_loop();
            OWN_LOOP.with(|o| o.set(true));
            let r = interp.await_value(&main);
            // `Runner.close()`: `shutdown_asyncgens()` and
            // `shutdown_default_executor()` are tasks of their own
            new_task_id();
            new_task_id();
            OWN_LOOP.with(|o| o.set(false));
            crate::orm::concurrency::leave_loop(outer);
            super::event_loop::restore_loop(saved);
            r
        }
        "gather" => {
            let b = Signature::function("gather", &["*coros_or_futures", "return_exceptions="])
                .bind(args, kwargs)?;
            let aws = b.varargs.clone();
            // `return_exceptions=True`: a task's `Exception` is its result.
            let return_exceptions = b.get("return_exceptions").is_some_and(Value::truthy);
            if aws
                .iter()
                .any(|a| a.downcast::<Coroutine>().is_none() && a.downcast::<Task>().is_none())
            {
                return Err(type_error(
                    "An asyncio.Future, a coroutine or an awaitable is required",
                ));
            }
            let future = super::event_loop::GatheringFuture {
                children: std::cell::RefCell::new(aws),
                ids: std::cell::RefCell::new(None),
                return_exceptions,
            };
            // Inside a running loop the children are tasks at once, as
            // `ensure_future` makes them; outside (a top-level `await
            // asyncio.gather(...)`'s argument) when it is awaited.
            if RUNNING.with(|r| r.get()) > 0 {
                future.start(interp)?;
            }
            Ok(Value::native(future))
        }
        "create_task" => {
            let b = Signature::function("create_task", &["coro", "*", "name=", "context="])
                .bind(args, kwargs)?;
            let coro = b.get("coro").cloned().unwrap_or(Value::None);
            if coro.downcast::<Coroutine>().is_none() {
                return Err(type_error(format!(
                    "a coroutine was expected, got {}",
                    crate::python::format::repr_plain(&coro)
                )));
            }
            current_task_id()?;
            Ok(Value::native(Task(super::event_loop::spawn(interp, coro)?)))
        }
        "TaskGroup" => {
            Signature::function("TaskGroup", &[]).bind(args, kwargs)?;
            Ok(Value::native(TaskGroup::default()))
        }
        "current_task" => {
            Signature::function("current_task", &["loop="]).bind(args, kwargs)?;
            Ok(Value::native(Task(current_task_id()?)))
        }
        _ => {
            let b = Signature::function("sleep", &["delay", "result="]).bind(args, kwargs)?;
            let result = b.get("result").cloned().unwrap_or(Value::None);
            let delay = match b.get("delay") {
                Some(Value::Int(i)) => *i as f64,
                Some(Value::Float(f)) => *f,
                _ => 0.0,
            };
            Ok(Coroutine::native("sleep", move |_| {
                super::event_loop::sleep(delay)?;
                Ok(result)
            }))
        }
    }
}

/// `asyncio.TaskGroup()` (Python 3.11): `async with` it, make tasks with
/// `tg.create_task(coro)`; its exit waits for them all.
#[derive(Debug, Default)]
pub struct TaskGroup {
    tasks: std::cell::RefCell<Vec<u64>>,
    entered: Cell<bool>,
    exited: Cell<bool>,
}

impl PyObject for TaskGroup {
    fn type_name(&self) -> String {
        "TaskGroup".into()
    }
    fn repr(&self) -> String {
        let mut info = String::new();
        let n = self
            .tasks
            .borrow()
            .iter()
            .filter(|t| !super::event_loop::done(**t))
            .count();
        if n > 0 {
            info.push_str(&format!(" tasks={n}"));
        }
        if self.entered.get() && !self.exited.get() {
            info.push_str(" entered");
        }
        format!("<TaskGroup{info}>")
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `tg.create_task(coro)`: a task of the group.
///
/// Errors: `RuntimeError` before `async with` entered the group or after
/// it exited, as Python 3.11's messages.
pub fn task_group_create_task(
    interp: &mut Interpreter,
    tg: &Value,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<Value> {
    use crate::python::Signature;
    let Some(g) = tg.downcast::<TaskGroup>() else {
        return Err(type_error("a TaskGroup is required"));
    };
    let b = Signature::function("create_task", &["coro", "*", "name=", "context="])
        .bind(args, kwargs)?;
    let coro = b.get("coro").cloned().unwrap_or(Value::None);
    if !g.entered.get() {
        return Err(PyErr::new(
            ExcType::RuntimeError,
            format!("TaskGroup {} has not been entered", g.repr()),
        ));
    }
    if g.exited.get() {
        return Err(PyErr::new(
            ExcType::RuntimeError,
            format!("TaskGroup {} is finished", g.repr()),
        ));
    }
    if coro.downcast::<Coroutine>().is_none() {
        return Err(type_error(format!(
            "a coroutine was expected, got {}",
            crate::python::format::repr_plain(&coro)
        )));
    }
    let id = super::event_loop::spawn(interp, coro)?;
    g.tasks.borrow_mut().push(id);
    Ok(Value::native(Task(id)))
}

/// `async with tg:`'s enter (`None` for a value that is not a
/// `TaskGroup`).
///
/// Errors: `RuntimeError` entered twice, or outside a task.
pub fn task_group_enter(cm: &Value) -> Option<PyResult<Value>> {
    let g = cm.downcast::<TaskGroup>()?;
    Some(if g.entered.get() {
        Err(PyErr::new(
            ExcType::RuntimeError,
            format!("TaskGroup {} has been already entered", g.repr()),
        ))
    } else if current_task_id().is_err() {
        Err(PyErr::new(
            ExcType::RuntimeError,
            "TaskGroup cannot determine the parent task",
        ))
    } else {
        g.entered.set(true);
        Ok(cm.clone())
    })
}

/// `async with tg:`'s exit, as Python 3.11's `TaskGroup.__aexit__`:
/// waits for every task of the group (those its tasks add too). When a
/// task failed, or the block raised (`body_error`), the others are
/// cancelled and waited for, and the failures — the block's own error
/// first unless a `CancelledError`, then the tasks' in the order they
/// failed — are raised as `ExceptionGroup('unhandled errors in a
/// TaskGroup', [...])` (from `None`). `None` for a value that is not a
/// `TaskGroup`.
pub fn task_group_exit(cm: &Value, body_error: Option<&PyErr>) -> Option<PyResult<()>> {
    let g = cm.downcast::<TaskGroup>()?;
    let cancel_all = |g: &TaskGroup| {
        for id in g.tasks.borrow().iter() {
            super::event_loop::cancel(*id);
        }
    };
    let run = || -> PyResult<()> {
        let mut failure = body_error.is_some();
        if failure {
            cancel_all(&g);
        }
        loop {
            let ids = g.tasks.borrow().clone();
            let r = super::event_loop::wait(&ids, !failure);
            if !failure
                && ids.iter().any(|id| {
                    matches!(super::event_loop::result(*id), Some(Err(e))
                        if e.exc != ExcType::CancelledError)
                })
            {
                failure = true;
                cancel_all(&g);
                continue;
            }
            r?;
            if g.tasks.borrow().len() == ids.len() {
                break;
            }
        }
        let mut errors: Vec<std::rc::Rc<PyErr>> = body_error
            .filter(|e| e.exc != ExcType::CancelledError)
            .map(|e| std::rc::Rc::new(e.clone()))
            .into_iter()
            .collect();
        let ids = g.tasks.borrow().clone();
        errors.extend(
            super::event_loop::failures(&ids)
                .into_iter()
                .map(std::rc::Rc::new),
        );
        if errors.is_empty() {
            return Ok(());
        }
        let mut group = PyErr::exception_group("unhandled errors in a TaskGroup", errors);
        group
            .chain
            .get_or_insert_with(Default::default)
            .suppress_context = true;
        Err(group)
    };
    let r = run();
    g.exited.set(true);
    Some(r)
}
