//! asyncio's event loop, as the tutor runs it: tasks (`asyncio.gather`'s
//! children, `asyncio.create_task`) that suspend at each awaited IO point
//! and resume in asyncio's order.
//!
//! The interpreter is a recursive tree-walker, so a task that suspends in
//! the middle of a call needs a stack of its own: each task runs on a
//! guard-paged `corosensei` stack on the tutor's thread and suspends where
//! SQLAlchemy's `await_only()` would switch greenlets
//! (`orm::concurrency::io_await`), at `asyncio.sleep`, and while it awaits
//! another task. The main stack (the step's own code, or `asyncio.run`'s
//! main coroutine) drives the loop whenever it waits.
//!
//! The order is asyncio's (Python 3.11 `BaseEventLoop._run_once`): one FIFO
//! ready queue; a new task's first step is `call_soon`; an aiosqlite call
//! completes (the worker thread's `call_soon_threadsafe(set_result)`) when
//! nothing else is ready, as a thread's round trip is slower than any
//! iteration with work to do, in the order the calls were issued (and
//! between two steps, all of them), and the task resumes in the
//! iteration after that; a finished task's done callbacks run one iteration
//! later and wake its waiters (`gather`'s outer future, an `await task`)
//! one more later; `asyncio.sleep(0)` re-queues the task at once; positive
//! sleeps wait on a virtual clock, after all IO. Without tasks nothing of
//! this runs: an `await` outside `gather`/`create_task` is a call, as
//! before.
//!
//! Top-level `await` runs as `python -m asyncio` (and the oracle) runs it:
//! one loop for the whole session. A step with a top-level `await` is a
//! new task queued behind whatever earlier steps left ready; its end stops
//! the loop one iteration later (`run_until_complete`), and the tasks still
//! pending wait, suspended, for the next step that awaits. A step without
//! `await` does not run the loop. `asyncio.run` runs a loop of its own
//! meanwhile ([`take_loop`]), whose end cancels what it left pending.
//!
//! Each task has its own interpreter frames, call depth (so the
//! `RecursionError` limit is per task, met well before the stack's guard
//! page), exception being handled, running methods and greenlet
//! depth, swapped in and out at each switch ([`Context`]).

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

use corosensei::stack::DefaultStack;
use corosensei::{Coroutine as Stackful, CoroutineResult, Yielder};

use crate::python::exceptions::{PyErr, PyResult};
use crate::python::scope::Scope;
use crate::python::value::Value;
use crate::python::{ExcType, PyObject};

use super::eval::Interpreter;

/// The stack of one task: as deep as the tutor's own thread (`cli`'s
/// `STACK_SIZE`), so the interpreter's `RecursionError` comes before the
/// guard page in any build. Address space only: pages are committed as the
/// task touches them.
const TASK_STACK: usize = 256 * 1024 * 1024;

/// At most this many live tasks (each reserves [`TASK_STACK`] of address
/// space): more is `NotImplementedError`.
const MAX_TASKS: usize = 1000;

/// The main stack's place in the loop's queue.
const MAIN: u64 = 0;

/// What a suspended task is resumed with.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wake {
    Go,
    /// `task.cancel()`: `CancelledError` at the await it waits in.
    Cancel,
}

type TaskStack = Stackful<Wake, (), PyResult<Value>, DefaultStack>;

/// What one task (or the main stack) has of its own while another runs.
#[derive(Default)]
pub(super) struct Context {
    frames: Vec<Rc<Scope>>,
    function_names: Vec<String>,
    call_depth: usize,
    handling: Vec<PyErr>,
    classes: super::classes::ClassContext,
    /// `coroutines::RUNNING` and `coroutines::TASKS`.
    running: u32,
    task_ids: Vec<u64>,
    greenlet_depth: u32,
    yielder: Option<*const Yielder<Wake, ()>>,
}

/// Swaps the running context with `saved` (twice restores it).
fn swap_context(interp: &mut Interpreter, saved: &mut Context) {
    std::mem::swap(&mut interp.frames, &mut saved.frames);
    std::mem::swap(&mut interp.function_names, &mut saved.function_names);
    std::mem::swap(&mut interp.call_depth, &mut saved.call_depth);
    std::mem::swap(&mut interp.handling, &mut saved.handling);
    interp.classes.swap_running(&mut saved.classes);
    super::coroutines::swap_task_state(&mut saved.running, &mut saved.task_ids);
    crate::orm::concurrency::swap_greenlet_depth(&mut saved.greenlet_depth);
    YIELDER.with(|y| {
        let mine = y.get();
        y.set(saved.yielder);
        saved.yielder = mine;
    });
}

/// Which tasks a waiter waits for.
struct Waiting {
    on: Vec<u64>,
    /// `gather` without `return_exceptions`: the first failure ends it.
    first_error: bool,
}

struct Task {
    stack: Option<TaskStack>,
    context: Context,
    result: Option<PyResult<Value>>,
    /// Bumped at cancellation: queued events of an older generation are
    /// stale.
    generation: u64,
    cancelling: bool,
    waiting: Option<Waiting>,
    /// When it finished, for `gather`'s first failure.
    finished: u64,
    /// Its done callback as its repr shows it (`cb=[…]`): `gather`'s.
    callback: Option<&'static str>,
}

impl Task {
    fn new(stack: Option<TaskStack>, context: Context) -> Task {
        Task {
            stack,
            context,
            result: None,
            generation: 0,
            cancelling: false,
            waiting: None,
            finished: 0,
            callback: None,
        }
    }
}

enum Event {
    /// Run the task (or return to the main stack) for one step.
    Step(u64, u64),
    /// An aiosqlite future's `set_result`: queues the task's step.
    Complete(u64, u64),
    /// A task finished: its done callbacks wake the satisfied waiters.
    Done,
}

#[derive(Default)]
struct Loop {
    tasks: HashMap<u64, Task>,
    ready: VecDeque<Event>,
    /// Driver calls in flight (task, generation), in the order issued:
    /// each completes only when nothing else is ready, as a worker
    /// thread's round trip is slower than any loop iteration with work.
    io: VecDeque<(u64, u64)>,
    /// Sleeping tasks: (virtual time, order, task, generation).
    timers: Vec<(f64, u64, u64, u64)>,
    now: f64,
    seq: u64,
    /// The task running now (`MAIN` on the main stack).
    current: u64,
    /// The interpreter the tasks run in: the one that made them.
    interp: Option<*mut Interpreter>,
    /// Tasks not finished yet.
    live: usize,
}

/// A top-level step's use of the loop.
#[derive(Clone, Copy, Default)]
struct StepState {
    /// Between [`begin_step`] and [`end_step`]: still set at the next
    /// `begin_step` when a step ended by a panic.
    in_step: bool,
    /// The step awaited at top level: its main task has had its turn.
    awaited: bool,
}

impl Drop for Task {
    fn drop(&mut self) {
        if let Some(s) = self.stack.as_mut()
            && s.started()
            && !s.done()
        {
            // SAFETY: the task is never resumed again; what its stack holds
            // is leaked rather than unwound, as its frames' interpreter may
            // be gone.
            unsafe { s.force_reset() };
        }
    }
}

thread_local! {
    static LOOP: RefCell<Loop> = RefCell::new(Loop::default());
    static YIELDER: Cell<Option<*const Yielder<Wake, ()>>> = const { Cell::new(None) };
    /// Results of tasks of loops that have ended, for a `Task` kept in a
    /// variable (`task.result()` in a later step).
    static FINISHED: RefCell<HashMap<u64, PyResult<Value>>> = RefCell::new(HashMap::new());
    static STEP: Cell<StepState> = const { Cell::new(StepState { in_step: false, awaited: false }) };
}

impl Loop {
    fn generation(&self, id: u64) -> u64 {
        self.tasks.get(&id).map_or(0, |t| t.generation)
    }

    fn is_done(&self, id: u64) -> bool {
        self.tasks.get(&id).is_none_or(|t| t.result.is_some())
    }

    fn satisfied(&self, w: &Waiting) -> bool {
        w.on.iter().all(|id| self.is_done(*id))
            || (w.first_error
                && w.on.iter().any(|id| {
                    self.tasks
                        .get(id)
                        .is_some_and(|t| matches!(t.result, Some(Err(_))))
                }))
    }
}

/// True while a task other than the main stack has not finished: only
/// then does an await switch.
fn active() -> bool {
    LOOP.with(|l| l.borrow().live > 0)
}

fn cancelled() -> PyErr {
    PyErr::new(ExcType::CancelledError, "")
}

/// Installs the loop's suspension point below the ORM
/// (`orm::concurrency::io_await`).
pub fn install() {
    crate::orm::concurrency::set_io_hook(io_hook);
}

fn io_hook(awaits: u32) -> PyResult<()> {
    for _ in 0..awaits {
        if !active() {
            return Ok(());
        }
        LOOP.with(|l| {
            let mut l = l.borrow_mut();
            let id = l.current;
            let g = l.generation(id);
            if crate::orm::concurrency::network_io() {
                l.ready.push_back(Event::Complete(id, g));
            } else {
                l.io.push_back((id, g));
            }
        });
        if block()? == Wake::Cancel {
            return Err(cancelled());
        }
    }
    Ok(())
}

/// `asyncio.sleep(delay)`: the task yields to the loop (`delay` 0: its
/// next step is queued at once; more: after every ready step and IO, in
/// order of wake-up time).
///
/// Errors: `CancelledError` when the task is cancelled while it sleeps.
pub fn sleep(delay: f64) -> PyResult<()> {
    if !active() {
        return Ok(());
    }
    LOOP.with(|l| {
        let mut l = l.borrow_mut();
        let id = l.current;
        let g = l.generation(id);
        if delay <= 0.0 {
            l.ready.push_back(Event::Step(id, g));
        } else {
            let when = l.now + delay;
            l.seq += 1;
            let seq = l.seq;
            l.timers.push((when, seq, id, g));
        }
    });
    match block()? {
        Wake::Go => Ok(()),
        Wake::Cancel => Err(cancelled()),
    }
}

/// Suspends whatever runs now until its queued event wakes it: a task
/// suspends its stack; the main stack runs the loop meanwhile.
fn block() -> PyResult<Wake> {
    let y = YIELDER.with(Cell::get);
    match y {
        // SAFETY: the yielder belongs to the running task's coroutine,
        // which is live while it runs (the pointer is swapped out with
        // its context when it is suspended).
        Some(y) => Ok(unsafe { &*y }.suspend(())),
        None => drive(),
    }
}

/// Starts a task running `coro` (a coroutine value) at the loop's next
/// iteration; returns its task number (`Task-N`).
///
/// Errors: `NotImplementedError` past [`MAX_TASKS`] live tasks;
/// `RuntimeError` when no stack can be mapped.
pub fn spawn(interp: &mut Interpreter, coro: Value) -> PyResult<u64> {
    if LOOP.with(|l| l.borrow().live) >= MAX_TASKS {
        return Err(PyErr::unsupported(format!(
            "more than {MAX_TASKS} asyncio tasks at once"
        )));
    }
    let stack = DefaultStack::new(TASK_STACK).map_err(|e| {
        PyErr::new(
            ExcType::RuntimeError,
            format!("cannot make a task's stack: {e}"),
        )
    })?;
    let id = super::coroutines::new_task_id();
    let ip: *mut Interpreter = interp;
    let body = Stackful::with_stack(stack, move |y: &Yielder<Wake, ()>, first: Wake| {
        let Some(ip) = LOOP.with(|l| l.borrow().interp) else {
            return Err(cancelled());
        };
        YIELDER.with(|c| c.set(Some(y as *const _)));
        if first == Wake::Cancel {
            // Cancelled before its first step: the coroutine is closed unrun.
            if let Some(co) = coro.downcast::<crate::python::coroutine::Coroutine>() {
                let _ = co.take();
            }
            return Err(cancelled());
        }
        // SAFETY: the loop's interpreter outlives its tasks (`finish` ends
        // `asyncio.run`'s; a top-level step's are forgotten when the
        // interpreter is new or moved, `begin_step`), and only one stack
        // runs at a time: this one now, with its own context swapped in.
        let interp = unsafe { &mut *ip };
        interp.await_value(&coro).map_err(|e| name_the_task(e, id))
    });
    let context = Context {
        running: 1,
        task_ids: vec![id],
        ..Context::default()
    };
    LOOP.with(|l| {
        let mut l = l.borrow_mut();
        l.interp = Some(ip);
        l.tasks
            .entry(MAIN)
            .or_insert_with(|| Task::new(None, Context::default()));
        l.tasks.insert(id, Task::new(Some(body), context));
        l.live += 1;
        l.ready.push_back(Event::Step(id, 0));
    });
    Ok(id)
}

/// asyncio's `gather` callback on each child, as a task's repr shows it.
const GATHER_CALLBACK: &str =
    "gather.<locals>._done_callback() at /usr/lib/python3.11/asyncio/tasks.py:764";

/// An error that left task `id`'s coroutine, with the task named where
/// asyncio's message shows its repr
/// ([`crate::orm::concurrency::PENDING_TASK`]): `<Task pending
/// name='Task-9' coro=<failing() running at <stdin>:14> cb=[…]>`, the line
/// the coroutine's frame was at (the outermost frame of its traceback), as
/// Python 3.11's `Task.__repr__` (the script is `<stdin>`; the harness masks
/// paths).
fn name_the_task(mut e: PyErr, id: u64) -> PyErr {
    let placeholder = crate::orm::concurrency::PENDING_TASK;
    if !e.message.contains(placeholder) {
        return e;
    }
    let mut repr = format!("<Task pending name='Task-{id}'");
    if let Some(frame) = e.traceback.last() {
        let line = match (&frame.source, &frame.span) {
            (Some(source), Some(span)) => {
                crate::language::line_of(&source.text, source.base + span.start)
            }
            _ => 1,
        };
        repr.push_str(&format!(
            " coro=<{}() running at <stdin>:{line}>",
            frame.function
        ));
    }
    if let Some(cb) = LOOP.with(|l| l.borrow().tasks.get(&id).and_then(|t| t.callback)) {
        repr.push_str(&format!(" cb=[{cb}]"));
    }
    repr.push('>');
    e.message = e.message.replace(placeholder, &repr);
    e
}

/// Waits until the tasks `ids` are done (or, with `first_error`, one of
/// them failed), running the loop meanwhile.
///
/// Errors: `CancelledError` when the waiter is cancelled; from the main
/// stack, a task's `KeyboardInterrupt`/`SystemExit`.
pub fn wait(ids: &[u64], first_error: bool) -> PyResult<()> {
    let waiting = Waiting {
        on: ids.to_vec(),
        first_error,
    };
    let ready = LOOP.with(|l| {
        let mut l = l.borrow_mut();
        if l.satisfied(&waiting) {
            return true;
        }
        let cur = l.current;
        if let Some(t) = l.tasks.get_mut(&cur) {
            t.waiting = Some(waiting);
        }
        false
    });
    if ready {
        return Ok(());
    }
    match block()? {
        Wake::Go => Ok(()),
        Wake::Cancel => {
            LOOP.with(|l| {
                let mut l = l.borrow_mut();
                let cur = l.current;
                if let Some(t) = l.tasks.get_mut(&cur) {
                    t.waiting = None;
                }
            });
            Err(cancelled())
        }
    }
}

/// The result of the finished task `id` (`None` while it runs); a task
/// of an ended loop that never finished was cancelled by it.
pub fn result(id: u64) -> Option<PyResult<Value>> {
    if let Some(r) = LOOP.with(|l| l.borrow().tasks.get(&id).map(|t| t.result.clone())) {
        return r;
    }
    Some(
        FINISHED
            .with(|f| f.borrow().get(&id).cloned())
            .unwrap_or_else(|| Err(cancelled())),
    )
}

/// Among `ids`, the failed task that finished first, with its error.
pub fn first_failure(ids: &[u64]) -> Option<PyErr> {
    LOOP.with(|l| {
        let l = l.borrow();
        ids.iter()
            .filter_map(|id| l.tasks.get(id))
            .filter_map(|t| match &t.result {
                Some(Err(e)) => Some((t.finished, e.clone())),
                _ => None,
            })
            .min_by_key(|(f, _)| *f)
            .map(|(_, e)| e)
    })
}

/// The errors of the failed tasks among `ids` (a `CancelledError` is no
/// failure), in the order they finished: what `asyncio.TaskGroup`
/// collects into its `ExceptionGroup`.
pub fn failures(ids: &[u64]) -> Vec<PyErr> {
    let mut failed: Vec<(u64, PyErr)> = ids
        .iter()
        .filter_map(|id| {
            let finished = LOOP.with(|l| l.borrow().tasks.get(id).map(|t| t.finished));
            match result(*id) {
                Some(Err(e)) if e.exc != ExcType::CancelledError => {
                    Some((finished.unwrap_or(u64::MAX), e))
                }
                _ => None,
            }
        })
        .collect();
    failed.sort_by_key(|(f, _)| *f);
    failed.into_iter().map(|(_, e)| e).collect()
}

/// True when the task `id` has finished.
pub fn done(id: u64) -> bool {
    LOOP.with(|l| l.borrow().is_done(id))
}

/// `task.cancel()`: the task gets `CancelledError` at its next step;
/// false when it has finished.
pub fn cancel(id: u64) -> bool {
    LOOP.with(|l| {
        let mut l = l.borrow_mut();
        let Some(t) = l.tasks.get_mut(&id) else {
            return false;
        };
        if t.result.is_some() {
            return false;
        }
        t.cancelling = true;
        t.generation += 1;
        t.waiting = None;
        let g = t.generation;
        l.ready.push_back(Event::Step(id, g));
        true
    })
}

/// The end of the outermost await (`asyncio.run`'s end): every task still
/// pending is cancelled and run to its end, as `asyncio.run` cancels them;
/// then the loop is emptied.
pub fn finish() {
    if !active() {
        reset();
        return;
    }
    // The main coroutine's end stops the loop one iteration later.
    let _ = run_once();
    let pending: Vec<u64> = LOOP.with(|l| {
        let l = l.borrow();
        let mut ids: Vec<u64> = l
            .tasks
            .iter()
            .filter(|(id, t)| **id != MAIN && t.result.is_none())
            .map(|(id, _)| *id)
            .collect();
        ids.sort_unstable();
        ids
    });
    for id in &pending {
        cancel(*id);
    }
    // A task that ignores its cancellation still ends: the loop is bounded
    // by the step's loop budget and Ctrl-C, which the interpreter checks.
    for _ in 0..3 {
        if wait(&pending, false).is_ok() {
            break;
        }
    }
    reset();
}

/// Forgets every task (a step that ended by a panic, or a new tutor): a
/// suspended task's stack is released without running it further.
pub fn reset() {
    let old = LOOP.with(|l| std::mem::take(&mut *l.borrow_mut()));
    for (id, mut t) in old.tasks {
        if id != MAIN {
            let r = t.result.take().unwrap_or_else(|| Err(cancelled()));
            FINISHED.with(|f| f.borrow_mut().insert(id, r));
        }
        // Dropping a suspended task leaks its stack (`Drop for Task`).
        drop(t);
    }
    YIELDER.with(|y| y.set(None));
}

/// Before a top-level step of the interpreter `interp`: the tasks earlier
/// steps left pending stay, suspended, for the next top-level `await`
/// (as `python -m asyncio`'s one loop); forgotten when the step before
/// ended by a panic, or when they belong to another interpreter (or this
/// one, moved). The main stack's running-await and greenlet state start
/// afresh.
pub fn begin_step(interp: *mut Interpreter) {
    let st = STEP.with(Cell::get);
    let stale = LOOP.with(|l| {
        let l = l.borrow();
        l.current != MAIN || l.interp.is_some_and(|ip| !std::ptr::eq(ip, interp))
    });
    if st.in_step || stale {
        reset();
    }
    STEP.with(|s| {
        s.set(StepState {
            in_step: true,
            awaited: false,
        })
    });
    super::coroutines::swap_task_state(&mut 0, &mut Vec::new());
    crate::orm::concurrency::swap_greenlet_depth(&mut 0);
}

/// A top-level `await` (the first of its step): the step's main task is
/// queued behind what is ready already, as `run_until_complete` makes it a
/// task, so the tasks earlier steps left pending take their turn first.
///
/// Errors: a task's `KeyboardInterrupt`/`SystemExit`.
pub fn enter_top_level_await(interp: &mut Interpreter) -> PyResult<()> {
    let first = STEP.with(|s| {
        let mut st = s.get();
        let first = !st.awaited;
        st.awaited = true;
        s.set(st);
        first
    });
    if !first || !active() {
        return Ok(());
    }
    LOOP.with(|l| {
        let mut l = l.borrow_mut();
        l.interp = Some(interp as *mut Interpreter);
        // The driver calls in flight when the last step stopped have
        // completed meanwhile: their results are queued before the step.
        while let Some((id, g)) = l.io.pop_front() {
            l.ready.push_back(Event::Complete(id, g));
        }
        let g = l.generation(MAIN);
        l.ready.push_back(Event::Step(MAIN, g));
    });
    drive().map(|_| ())
}

/// True when the running top-level step has awaited at top level.
pub fn step_awaited() -> bool {
    STEP.with(|s| s.get().awaited)
}

/// The end of a top-level step (not by a panic): when it awaited, its main
/// task's end stops the loop one iteration later, and what is still
/// pending waits for a later step's `await`.
pub fn end_step() {
    let st = STEP.with(Cell::get);
    STEP.with(|s| s.set(StepState::default()));
    if st.awaited && active() {
        // A task's KeyboardInterrupt in that last iteration is dropped: the
        // step has ended.
        let _ = run_once();
    }
}

/// The session's loop, set aside while `asyncio.run` runs one of its own.
pub struct SavedLoop(Loop);

/// `asyncio.run`'s own loop: takes the session's loop (its pending tasks
/// wait, unrun) until [`restore_loop`] puts it back.
pub fn take_loop() -> SavedLoop {
    SavedLoop(LOOP.with(|l| std::mem::take(&mut *l.borrow_mut())))
}

/// Puts back the loop [`take_loop`] took, after `asyncio.run`'s loop ended.
pub fn restore_loop(saved: SavedLoop) {
    reset();
    LOOP.with(|cur| *cur.borrow_mut() = saved.0);
}

/// Forgets every task and every finished task's result (a new tutor).
pub fn forget_all() {
    reset();
    FINISHED.with(|f| f.borrow_mut().clear());
}

/// Runs the loop from the main stack until an event wakes the main stack.
fn drive() -> PyResult<Wake> {
    loop {
        super::eval::check_interrupt()?;
        let Some(event) = next_event() else {
            return Err(PyErr::new(
                ExcType::RuntimeError,
                "Event loop stopped before Future completed.",
            ));
        };
        if let Some(wake) = process(event)? {
            return Ok(wake);
        }
    }
}

/// One pass over what is ready now (asyncio's `_run_once`): the tasks
/// queued when the main coroutine ended get their step before
/// `asyncio.run` cancels them.
fn run_once() -> PyResult<()> {
    let n = LOOP.with(|l| l.borrow().ready.len());
    for _ in 0..n {
        let Some(event) = LOOP.with(|l| l.borrow_mut().ready.pop_front()) else {
            break;
        };
        // Nothing waits on the main stack now: its wake-up is dropped.
        process(event)?;
    }
    Ok(())
}

/// The next event: the ready queue's first, else the earliest timer's
/// (virtual time moves on to it); `None` when nothing can happen.
fn next_event() -> Option<Event> {
    LOOP.with(|l| {
        let mut l = l.borrow_mut();
        if let Some(e) = l.ready.pop_front() {
            return Some(e);
        }
        if let Some((id, g)) = l.io.pop_front() {
            return Some(Event::Complete(id, g));
        }
        let i = (0..l.timers.len()).min_by(|a, b| {
            let (x, y) = (&l.timers[*a], &l.timers[*b]);
            x.0.total_cmp(&y.0).then(x.1.cmp(&y.1))
        })?;
        let (when, _, id, g) = l.timers.remove(i);
        l.now = l.now.max(when);
        Some(Event::Step(id, g))
    })
}

/// Handles one event; `Some` when it wakes the main stack.
fn process(event: Event) -> PyResult<Option<Wake>> {
    match event {
        Event::Complete(id, g) => LOOP.with(|l| {
            let mut l = l.borrow_mut();
            if l.generation(id) == g {
                l.ready.push_back(Event::Step(id, g));
            }
        }),
        Event::Done => LOOP.with(|l| {
            let mut l = l.borrow_mut();
            let mut ids: Vec<u64> = l.tasks.keys().copied().collect();
            ids.sort_unstable();
            let mut woken = Vec::new();
            for w in ids {
                let ok = l.tasks[&w]
                    .waiting
                    .as_ref()
                    .is_some_and(|wt| l.satisfied(wt));
                if ok && let Some(t) = l.tasks.get_mut(&w) {
                    t.waiting = None;
                    woken.push((w, t.generation));
                }
            }
            for (w, g) in woken {
                l.ready.push_back(Event::Step(w, g));
            }
        }),
        Event::Step(id, g) => {
            let wake = LOOP.with(|l| {
                let mut l = l.borrow_mut();
                let t = l.tasks.get_mut(&id)?;
                if t.generation != g || t.result.is_some() {
                    return None;
                }
                Some(if std::mem::take(&mut t.cancelling) {
                    Wake::Cancel
                } else {
                    Wake::Go
                })
            });
            match wake {
                Some(wake) if id == MAIN => return Ok(Some(wake)),
                Some(wake) => run_step(id, wake)?,
                None => {}
            }
        }
    }
    Ok(None)
}

/// Resumes the task `id` until it suspends or ends.
///
/// Errors: its `KeyboardInterrupt` or `SystemExit`, which asyncio's loop
/// lets out at once.
fn run_step(id: u64, wake: Wake) -> PyResult<()> {
    let taken = LOOP.with(|l| {
        let mut l = l.borrow_mut();
        let ip = l.interp?;
        let t = l.tasks.get_mut(&id)?;
        let stack = t.stack.take()?;
        let ctx = std::mem::take(&mut t.context);
        l.current = id;
        Some((ip, stack, ctx))
    });
    let Some((ip, mut stack, mut ctx)) = taken else {
        return Ok(());
    };
    // SAFETY: see `spawn`: the main stack is waiting in `drive`, and its
    // context is swapped out while the task runs.
    let interp = unsafe { &mut *ip };
    swap_context(interp, &mut ctx);
    let r = stack.resume(wake);
    swap_context(interp, &mut ctx);
    LOOP.with(|l| {
        let mut l = l.borrow_mut();
        l.current = MAIN;
        l.seq += 1;
        let seq = l.seq;
        let Some(t) = l.tasks.get_mut(&id) else {
            return Ok(());
        };
        match r {
            CoroutineResult::Yield(()) => {
                t.stack = Some(stack);
                t.context = ctx;
                Ok(())
            }
            CoroutineResult::Return(res) => {
                let escape = match &res {
                    Err(e) if matches!(e.exc, ExcType::KeyboardInterrupt | ExcType::SystemExit) => {
                        Some(e.clone())
                    }
                    _ => None,
                };
                t.result = Some(res);
                t.finished = seq;
                l.live = l.live.saturating_sub(1);
                l.ready.push_back(Event::Done);
                escape.map_or(Ok(()), Err)
            }
        }
    })
}

/// `asyncio.gather(...)`'s future (`_GatheringFuture`): its children's
/// tasks, made when it is made inside a running loop, else when awaited.
#[derive(Debug)]
pub struct GatheringFuture {
    pub(super) children: RefCell<Vec<Value>>,
    pub(super) ids: RefCell<Option<Vec<u64>>>,
    pub(super) return_exceptions: bool,
}

impl PyObject for GatheringFuture {
    fn type_name(&self) -> String {
        "_GatheringFuture".into()
    }
    fn repr(&self) -> String {
        "<_GatheringFuture pending>".into()
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

impl GatheringFuture {
    /// Makes the children's tasks (a `Task` child is its own).
    pub(super) fn start(&self, interp: &mut Interpreter) -> PyResult<Vec<u64>> {
        if let Some(ids) = self.ids.borrow().as_ref() {
            return Ok(ids.clone());
        }
        let mut ids = Vec::new();
        for c in self.children.borrow().iter() {
            match c.downcast::<super::coroutines::Task>() {
                Some(t) => ids.push(t.0),
                None => ids.push(spawn(interp, c.clone())?),
            }
        }
        LOOP.with(|l| {
            let mut l = l.borrow_mut();
            for id in &ids {
                if let Some(t) = l.tasks.get_mut(id) {
                    t.callback = Some(GATHER_CALLBACK);
                }
            }
        });
        *self.ids.borrow_mut() = Some(ids.clone());
        Ok(ids)
    }

    /// `await gather(...)`: the children's results in order; the first
    /// failure (unless `return_exceptions=True`, where each failure is its
    /// task's result).
    pub(super) fn await_result(&self, interp: &mut Interpreter) -> PyResult<Value> {
        let ids = self.start(interp)?;
        wait(&ids, !self.return_exceptions)?;
        if !self.return_exceptions
            && let Some(e) = first_failure(&ids)
        {
            return Err(e);
        }
        let mut out = Vec::new();
        for id in ids {
            match result(id) {
                Some(Ok(v)) => out.push(v),
                Some(Err(e)) => out.push(crate::python::class::caught_value(&Rc::new(e))),
                None => out.push(Value::None),
            }
        }
        Ok(Value::list(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finished(result: PyResult<Value>) -> Task {
        let mut t = Task::new(None, Context::default());
        t.result = Some(result);
        t
    }

    #[test]
    fn a_gather_waits_for_all_or_for_the_first_failure() {
        let mut l = Loop::default();
        l.tasks.insert(1, finished(Ok(Value::None)));
        l.tasks.insert(2, Task::new(None, Context::default()));
        let all = Waiting {
            on: vec![1, 2],
            first_error: false,
        };
        assert!(!l.satisfied(&all));
        let first = Waiting {
            on: vec![1, 2],
            first_error: true,
        };
        assert!(!l.satisfied(&first));
        l.tasks
            .insert(3, finished(Err(PyErr::new(ExcType::ValueError, "x"))));
        let with_failure = Waiting {
            on: vec![2, 3],
            first_error: true,
        };
        assert!(l.satisfied(&with_failure));
        let without = Waiting {
            on: vec![2, 3],
            first_error: false,
        };
        assert!(!l.satisfied(&without));
    }

    #[test]
    fn timers_fire_after_the_ready_queue_earliest_first() {
        LOOP.with(|l| {
            let mut l = l.borrow_mut();
            *l = Loop::default();
            l.timers.push((0.03, 1, 7, 0));
            l.timers.push((0.01, 2, 8, 0));
            l.timers.push((0.01, 3, 9, 0));
            l.ready.push_back(Event::Step(6, 0));
        });
        let order: Vec<u64> = std::iter::from_fn(next_event)
            .map(|e| match e {
                Event::Step(id, _) => id,
                _ => 0,
            })
            .collect();
        assert_eq!(order, [6, 8, 9, 7]);
        assert!(LOOP.with(|l| (l.borrow().now - 0.03).abs() < 1e-9));
        reset();
    }
}
