//! SQLAlchemy's greenlet bridge (`sqlalchemy.util.concurrency`), as the
//! tutor models it: the `Session` inside an `AsyncSession` may do IO only
//! while one of the `AsyncSession`'s awaited methods runs it
//! ([`greenlet_spawn`]). IO anywhere else — a lazy load, an expired
//! attribute refreshed on access — reaches the driver outside `await` and
//! raises `MissingGreenlet` ([`missing_greenlet`]) after the statement is
//! logged, as SQLAlchemy's `await_only()` does.

use std::cell::Cell;
use std::rc::Rc;

use crate::outcome::Cause;
use crate::python::{ExcType, PyErr};

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
    /// The event loop's suspension point ([`set_io_hook`]).
    static IO_HOOK: Cell<Option<IoHook>> = const { Cell::new(None) };
    /// Idle connections in each async engine's pool, by its database,
    /// oldest first (`QueuePool` is FIFO).
    static POOLS: std::cell::RefCell<std::collections::HashMap<usize, std::collections::VecDeque<Rc<PooledConnection>>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
    /// The event loop running now: 0 the session's own (top-level
    /// `await`), then one number per `asyncio.run`.
    static LOOP_ID: Cell<u64> = const { Cell::new(0) };
    static LOOPS_MADE: Cell<u64> = const { Cell::new(0) };
    /// The driver call awaited now is a socket's (asyncpg), not a worker
    /// thread's (aiosqlite): see [`io_await_network`].
    static NETWORK_IO: Cell<bool> = const { Cell::new(false) };
}

/// The state of an asyncpg connection under SQLAlchemy's adapter
/// (`AsyncAdapt_asyncpg_connection`) that outlives a checkout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsyncpgState {
    /// Idle, no transaction.
    Clean,
    /// Its `BEGIN` was sent from an event loop other than the one that
    /// owns it: the reply waits for the owner loop, so asyncpg's protocol
    /// is busy (`another operation is in progress`).
    BeginPending,
    /// A `COMMIT`/`ROLLBACK` that met another operation in progress
    /// failed: asyncpg forgot its transaction, but the server is still in
    /// it (`cannot use Connection.transaction() in a manually started
    /// transaction`).
    ServerInTransaction,
}

/// One DBAPI connection of an async engine's pool: the event loop it was
/// opened in (asyncpg's connections belong to it) and, on asyncpg, the
/// adapter's state.
#[derive(Debug)]
pub struct PooledConnection {
    /// [`current_loop`] when it was connected.
    pub loop_id: u64,
    pub state: Cell<AsyncpgState>,
    /// The adapter's `_started`: its `BEGIN` was sent at the transaction's
    /// first statement.
    pub started: Cell<bool>,
    /// The driver operation in flight while its task waits (`"execute"`,
    /// `"commit"`, `"rollback"`).
    pub busy: Cell<Option<&'static str>>,
    /// Invalidated (a task cancelled in a driver call: SQLAlchemy's
    /// `_handle_dbapi_exception` on an exit exception): closed, never
    /// back in the pool.
    pub invalidated: Cell<bool>,
}

impl PooledConnection {
    /// A COMMIT/ROLLBACK that met another task's statement in flight:
    /// asyncpg's adapter forgets its transaction (the server stays in it)
    /// and raises `InterfaceError` "another operation is in progress".
    pub fn forget_transaction(&self) -> crate::engine::DbError {
        self.started.set(false);
        self.state.set(AsyncpgState::ServerInTransaction);
        asyncpg_interface_error(OPERATION_IN_PROGRESS)
    }

    /// A connection opened now, in the running loop.
    pub fn connect() -> Rc<PooledConnection> {
        Rc::new(PooledConnection {
            loop_id: current_loop(),
            state: Cell::new(AsyncpgState::Clean),
            started: Cell::new(false),
            busy: Cell::new(None),
            invalidated: Cell::new(false),
        })
    }
}

/// The event loop running now (0: the session's own).
pub fn current_loop() -> u64 {
    LOOP_ID.with(Cell::get)
}

/// `asyncio.run`'s new event loop: numbered after every loop before it;
/// returns the loop to go back to ([`leave_loop`]).
pub fn enter_new_loop() -> u64 {
    let n = LOOPS_MADE.with(|m| {
        m.set(m.get() + 1);
        m.get()
    });
    LOOP_ID.with(|l| l.replace(n))
}

/// Back to the loop [`enter_new_loop`] left.
pub fn leave_loop(previous: u64) {
    LOOP_ID.with(|l| l.set(previous));
}

/// Where asyncio's message shows the running task's repr: the event loop
/// names the task there as the error leaves a task's coroutine
/// (`interpreter::event_loop`); raised elsewhere, it stays.
pub const PENDING_TASK: &str = "<Task pending …>";

/// asyncio's `RuntimeError` when a task awaits a future of another event
/// loop: an asyncpg connection used outside the loop it was opened in.
pub fn different_loop_error() -> PyErr {
    PyErr::new(
        ExcType::RuntimeError,
        format!(
            "Task {PENDING_TASK} got Future <Future pending cb=[BaseProtocol._on_waiter_completed()]> attached to a different loop"
        ),
    )
}

/// asyncpg's `InterfaceError` messages as SQLAlchemy's adapter raises
/// them (before SQLAlchemy adds the statement).
pub fn asyncpg_interface_error(message: &str) -> crate::engine::DbError {
    crate::engine::DbError {
        kind: "InterfaceError",
        message: format!("<class 'asyncpg.exceptions._base.InterfaceError'>: {message}"),
        class: Some("sqlalchemy.dialects.postgresql.asyncpg.InterfaceError".to_string()),
        at_connect: false,
    }
}

/// asyncpg's message for a second operation on a busy connection.
pub const OPERATION_IN_PROGRESS: &str =
    "cannot perform operation: another operation is in progress";
/// asyncpg's message for `Connection.transaction()` when the server is
/// already in a transaction asyncpg did not start.
pub const MANUALLY_STARTED: &str =
    "cannot use Connection.transaction() in a manually started transaction";

/// How the event loop suspends the running task for `awaits` driver calls
/// (see [`io_await`]); an error is the task's cancellation.
pub type IoHook = fn(awaits: u32) -> Result<(), PyErr>;

/// Installs the event loop's suspension point (the interpreter does, as
/// asyncio's loop is below SQLAlchemy's `await_only()`).
pub fn set_io_hook(hook: IoHook) {
    IO_HOOK.with(|h| h.set(Some(hook)));
}

/// Driver calls aiosqlite awaits to open a connection: `connect()` and the
/// dialect's `create_function("regexp", …)` (SQLAlchemy's
/// `dialects/sqlite/aiosqlite.py`).
pub const CONNECT_AWAITS: u32 = 2;
/// Driver calls aiosqlite awaits for one statement: `cursor()`,
/// `execute()`, `close()` (the rows' `fetchall()` is counted with them).
pub const STATEMENT_AWAITS: u32 = 3;

/// An `AsyncSession`'s driver IO inside `greenlet_spawn`: SQLAlchemy's
/// `await_only()` on aiosqlite's calls, each a worker thread's round trip
/// during which asyncio runs the other ready tasks. Without other tasks it
/// returns at once.
///
/// Errors: `CancelledError` when the task is cancelled while it waits.
pub fn io_await(awaits: u32) -> Result<(), PyErr> {
    match IO_HOOK.with(Cell::get) {
        Some(hook) => hook(awaits),
        None => Ok(()),
    }
}

/// [`io_await`] for a driver call on a socket in the event loop itself
/// (asyncpg's protocol, as a Core `AsyncConnection` on asyncpg awaits it):
/// the server's reply is read at the loop's next iteration, so the task
/// resumes two iterations later even while other tasks have work, where a
/// worker thread's reply waits until nothing else is ready.
///
/// Errors: `CancelledError` when the task is cancelled while it waits.
pub fn io_await_network(awaits: u32) -> Result<(), PyErr> {
    let before = NETWORK_IO.with(|n| n.replace(true));
    let r = io_await(awaits);
    NETWORK_IO.with(|n| n.set(before));
    r
}

/// True while [`io_await_network`] waits: the event loop queues the
/// reply on its ready queue.
pub fn network_io() -> bool {
    NETWORK_IO.with(Cell::get)
}

/// Swaps the running greenlet depth with `saved`: each asyncio task has
/// its own greenlet, so `greenlet_spawn` in one task is not another's.
pub fn swap_greenlet_depth(saved: &mut u32) {
    DEPTH.with(|d| {
        let mine = d.get();
        d.set(*saved);
        *saved = mine;
    });
}

/// Takes the oldest idle connection from the pool of the async engine
/// over the database numbered `pool` (`Rc::as_ptr` of it); `None` when the
/// pool must open a new one (SQLAlchemy's `AsyncAdaptedQueuePool`).
pub fn pool_take(pool: usize) -> Option<Rc<PooledConnection>> {
    POOLS.with(|p| p.borrow_mut().get_mut(&pool).and_then(|q| q.pop_front()))
}

/// Returns `conn` to the pool `pool`, which keeps at most `pool_size=5`
/// idle ones (the overflow is closed), as `QueuePool`.
pub fn pool_return(pool: usize, conn: Rc<PooledConnection>) {
    if conn.invalidated.get() {
        return;
    }
    conn.started.set(false);
    conn.busy.set(None);
    POOLS.with(|p| {
        let mut p = p.borrow_mut();
        let q = p.entry(pool).or_default();
        if q.len() < 5 {
            q.push_back(conn);
        }
    });
}

/// [`pool_take`] for a Core `AsyncConnection`: true when one was idle.
pub fn pool_checkout(pool: usize) -> bool {
    pool_take(pool).is_some()
}

/// [`pool_return`] of a connection opened in the running loop.
pub fn pool_checkin(pool: usize) {
    pool_return(pool, PooledConnection::connect());
}

/// Empties the pool `pool` (`AsyncEngine.dispose()`, or a new database).
pub fn pool_dispose(pool: usize) {
    POOLS.with(|p| p.borrow_mut().remove(&pool));
}

/// Empties every pool: a new tutor's engines start with none open.
pub fn pool_reset_all() {
    POOLS.with(|p| p.borrow_mut().clear());
}

/// SQLAlchemy's `InvalidRequestError` for an operation on a session whose
/// transaction is opening its connection in another task
/// (`SessionTransactionState.PROVISIONING_CONNECTION`).
pub fn provisioning_error() -> PyErr {
    PyErr::new(
        ExcType::InvalidRequestError,
        "This session is provisioning a new connection; concurrent operations are not permitted",
    )
}

/// SQLAlchemy's `IllegalStateChangeError` for `method()` (`close`,
/// `commit`, `rollback`) moving a session transaction to CLOSED while
/// another task's `running()` (`_connection_for_bind`, `commit`,
/// `rollback`) is in progress (`orm/state_changes.py`).
pub fn illegal_state_change(method: &str, running: &str) -> PyErr {
    PyErr::new(
        ExcType::IllegalStateChangeError,
        format!(
            "Method '{method}()' can't be called here; method '{running}()' is already in progress and this would cause an unexpected state change to <SessionTransactionState.CLOSED: 5>"
        ),
    )
}

/// Runs `f` as SQLAlchemy's `greenlet_spawn(fn)`: IO of an async session is
/// allowed inside.
pub fn greenlet_spawn<T>(f: impl FnOnce() -> T) -> T {
    DEPTH.with(|d| d.set(d.get() + 1));
    let r = f();
    DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    r
}

/// True inside [`greenlet_spawn`].
pub fn in_greenlet() -> bool {
    DEPTH.with(|d| d.get() > 0)
}

/// `sqlalchemy.exc.MissingGreenlet` as SQLAlchemy 2.0's `await_only()`
/// raises it (its "Background on this error" link left out).
pub fn missing_greenlet() -> PyErr {
    PyErr::new(
        ExcType::MissingGreenlet,
        "greenlet_spawn has not been called; can't call await_only() here. Was IO attempted in an unexpected place?",
    )
}

/// [`missing_greenlet`] with the tutor's advice for the IO that `cause`
/// needed: in async code a lazy load or an expired attribute is not slow
/// but broken, and the fixes are eager loading, `expire_on_commit=False` and
/// `await session.refresh(obj, [...])`.
pub fn missing_greenlet_for(cause: &Cause) -> PyErr {
    let hint = match cause {
        Cause::LazyLoad(attr) | Cause::EagerLoad(attr) => {
            let (class, rel) = attr.rsplit_once('.').unwrap_or(("Model", attr));
            format!(
                "{attr} is not loaded, and a lazy load needs a query outside `await`, which an AsyncSession cannot run: in async code a lazy-loading loop is not slow (N+1) but broken. Load it with the query: select({class}).options(selectinload({attr})); or await it: `await obj.awaitable_attrs.{rel}` (a base with AsyncAttrs), or `await session.refresh(obj, [\"{rel}\"])` first."
            )
        }
        Cause::DeferredLoad(attr) => {
            let (_, key) = attr.rsplit_once('.').unwrap_or(("Model", attr));
            format!(
                "{attr} is deferred, and loading it needs a query outside `await`. Load it with the query: .options(undefer({attr})), or `await session.refresh(obj, [\"{key}\"])` first."
            )
        }
        Cause::ExpiredReload(attr) => format!(
            "commit() expired the object, and reading {attr} again needs a query outside `await`. Use async_sessionmaker(engine, expire_on_commit=False), or `await session.refresh(obj)` before reading it."
        ),
        _ => "an AsyncSession runs queries only inside an awaited call such as `await session.execute(...)`.".to_string(),
    };
    missing_greenlet().with_hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pool_reuses_idle_connections_up_to_its_size() {
        let key = 0xdead_0001;
        assert!(!pool_checkout(key));
        for _ in 0..7 {
            pool_checkin(key);
        }
        for _ in 0..5 {
            assert!(pool_checkout(key));
        }
        assert!(!pool_checkout(key));
        pool_checkin(key);
        pool_dispose(key);
        assert!(!pool_checkout(key));
    }

    #[test]
    fn the_pool_hands_out_its_oldest_connection_with_its_loop_and_state() {
        let key = 0xdead_0002;
        let outer = enter_new_loop();
        let first = PooledConnection::connect();
        first.state.set(AsyncpgState::BeginPending);
        first.started.set(true);
        pool_return(key, first.clone());
        pool_return(key, PooledConnection::connect());
        leave_loop(outer);
        let again = pool_take(key).expect("an idle connection");
        assert!(Rc::ptr_eq(&again, &first));
        assert_ne!(again.loop_id, current_loop());
        assert_eq!(again.state.get(), AsyncpgState::BeginPending);
        assert!(!again.started.get(), "the adapter's _started is reset");
        let invalid = pool_take(key).expect("the second one");
        invalid.invalidated.set(true);
        pool_return(key, invalid);
        assert!(
            pool_take(key).is_none(),
            "an invalidated connection is closed"
        );
    }

    #[test]
    fn asyncpg_errors_read_as_sqlalchemys_adapter_raises_them() {
        let e = asyncpg_interface_error(OPERATION_IN_PROGRESS);
        assert_eq!(e.kind, "InterfaceError");
        assert_eq!(
            e.to_string(),
            "(sqlalchemy.dialects.postgresql.asyncpg.InterfaceError) <class 'asyncpg.exceptions._base.InterfaceError'>: cannot perform operation: another operation is in progress"
        );
        let e = different_loop_error();
        assert_eq!(e.type_name(), "RuntimeError");
        assert!(e.message.ends_with("attached to a different loop"));
    }

    #[test]
    fn a_network_await_tells_the_loop_its_reply_comes_at_the_next_iteration() {
        thread_local! {
            static SEEN: std::cell::RefCell<Vec<bool>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        fn hook(awaits: u32) -> Result<(), PyErr> {
            SEEN.with(|s| s.borrow_mut().extend((0..awaits).map(|_| network_io())));
            Ok(())
        }
        let before = IO_HOOK.with(|h| h.replace(Some(hook)));
        let r = io_await_network(2).and_then(|()| io_await(1));
        IO_HOOK.with(|h| h.set(before));
        assert!(r.is_ok());
        assert_eq!(SEEN.with(|s| s.borrow().clone()), vec![true, true, false]);
        assert!(!network_io(), "the flag is reset after the await");
    }

    #[test]
    fn greenlet_spawn_nests_and_unwinds() {
        assert!(!in_greenlet());
        greenlet_spawn(|| {
            assert!(in_greenlet());
            greenlet_spawn(|| assert!(in_greenlet()));
            assert!(in_greenlet());
        });
        assert!(!in_greenlet());
    }

    #[test]
    fn the_hint_names_the_fix_for_the_cause() {
        let e = missing_greenlet_for(&Cause::LazyLoad("User.role".into()));
        assert_eq!(e.type_name(), "MissingGreenlet");
        let hint = e.hint.unwrap_or_default();
        assert!(hint.contains("selectinload(User.role)"), "{hint}");
        assert!(hint.contains("select(User)"), "{hint}");
        assert!(hint.contains("await obj.awaitable_attrs.role"), "{hint}");
        assert!(hint.contains("not slow (N+1) but broken"), "{hint}");
        let e = missing_greenlet_for(&Cause::ExpiredReload("Message.id".into()));
        assert!(
            e.hint
                .unwrap_or_default()
                .contains("expire_on_commit=False")
        );
    }
}
