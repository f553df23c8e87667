//! SQLAlchemy's greenlet bridge (`sqlalchemy.util.concurrency`), as the
//! tutor models it: the `Session` inside an `AsyncSession` may do IO only
//! while one of the `AsyncSession`'s awaited methods runs it
//! ([`greenlet_spawn`]). IO anywhere else — a lazy load, an expired
//! attribute refreshed on access — reaches the driver outside `await` and
//! raises `MissingGreenlet` ([`missing_greenlet`]) after the statement is
//! logged, as SQLAlchemy's `await_only()` does.

use std::cell::Cell;

use crate::outcome::Cause;
use crate::python::{ExcType, PyErr};

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
    /// The event loop's suspension point ([`set_io_hook`]).
    static IO_HOOK: Cell<Option<IoHook>> = const { Cell::new(None) };
    /// Idle connections in each async engine's pool, by its database.
    static POOLS: std::cell::RefCell<std::collections::HashMap<usize, u32>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

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

/// Swaps the running greenlet depth with `saved`: each asyncio task has
/// its own greenlet, so `greenlet_spawn` in one task is not another's.
pub fn swap_greenlet_depth(saved: &mut u32) {
    DEPTH.with(|d| {
        let mine = d.get();
        d.set(*saved);
        *saved = mine;
    });
}

/// Takes a connection from the pool of the async engine over the database
/// numbered `pool` (`Rc::as_ptr` of it): true when one was idle, false when
/// the pool must open a new one (SQLAlchemy's `AsyncAdaptedQueuePool`).
pub fn pool_checkout(pool: usize) -> bool {
    POOLS.with(|p| match p.borrow_mut().get_mut(&pool) {
        Some(n) if *n > 0 => {
            *n -= 1;
            true
        }
        _ => false,
    })
}

/// Returns a connection to the pool `pool`, which keeps at most
/// `pool_size=5` idle ones (the overflow is closed), as `QueuePool`.
pub fn pool_checkin(pool: usize) {
    POOLS.with(|p| {
        let mut p = p.borrow_mut();
        let n = p.entry(pool).or_insert(0);
        if *n < 5 {
            *n += 1;
        }
    });
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
