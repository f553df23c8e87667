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
    /// The running `asyncio.gather(...)` calls, innermost last.
    static GATHERS: std::cell::RefCell<Vec<Gather>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// One running `asyncio.gather(...)`: the sessions its finished tasks did
/// database IO on, whether one of them sent more than one statement, and
/// the same for the running task.
#[derive(Default)]
struct Gather {
    sessions: Vec<u64>,
    several: bool,
    task_sessions: Vec<u64>,
    task_statements: u32,
}

/// `asyncio.gather(...)` begins running its tasks, one after another
/// (see [`gather_task_done`], [`gather_exit`]).
pub fn gather_enter() {
    GATHERS.with(|g| g.borrow_mut().push(Gather::default()));
}

/// The running task of the innermost `asyncio.gather(...)` has ended.
pub fn gather_task_done() {
    GATHERS.with(|g| {
        if let Some(top) = g.borrow_mut().last_mut() {
            let done = std::mem::take(&mut top.task_sessions);
            top.sessions.extend(done);
            top.several |= top.task_statements > 1;
            top.task_statements = 0;
        }
    });
}

/// The innermost `asyncio.gather(...)` has ended (its tasks done, or one
/// failed).
pub fn gather_exit() {
    GATHERS.with(|g| g.borrow_mut().pop());
}

/// The `AsyncSession` numbered `session` (its sync session's uid) is about
/// to do database IO inside `greenlet_spawn`: send a statement
/// (`statement`), or connect.
///
/// asyncio switches gathered tasks at each IO await, so running them one
/// after another, as the tutor does, gives asyncio's order only while every
/// earlier task sent at most one statement, all on this same session (and
/// its pool had a connection ready).
///
/// Errors: `NotImplementedError` otherwise: asyncio would interleave the
/// tasks' statements and transaction events (and one `AsyncSession` whose
/// first connection is being opened fails with `InvalidRequestError: This
/// session is provisioning a new connection; concurrent operations are not
/// permitted`).
pub fn note_io(session: u64, statement: bool) -> Result<(), PyErr> {
    GATHERS.with(|g| {
        let mut g = g.borrow_mut();
        let interleaved = g
            .iter()
            .any(|f| !f.sessions.is_empty() && (f.several || f.sessions.iter().any(|s| *s != session)));
        if interleaved {
            return Err(PyErr::unsupported(
                "database IO in more than one task of asyncio.gather(...)",
            )
            .with_hint(
                "asyncio runs gathered tasks concurrently, switching at each await: their statements and BEGIN/ROLLBACK interleave, and one AsyncSession shared by them can raise InvalidRequestError (\"This session is provisioning a new connection; concurrent operations are not permitted\"). The tutor runs awaits one after another, so it cannot show that order: await the coroutines one by one, each with its own AsyncSession.",
            ));
        }
        for f in g.iter_mut() {
            if !f.task_sessions.contains(&session) {
                f.task_sessions.push(session);
            }
            if statement {
                f.task_statements += 1;
            }
        }
        Ok(())
    })
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
    fn gathered_io_is_refused_where_asyncio_would_interleave() {
        // Outside gather: anything goes.
        assert!(note_io(1, true).is_ok());
        gather_enter();
        assert!(note_io(1, false).is_ok());
        assert!(note_io(1, true).is_ok());
        gather_task_done();
        // The next task, on the same session, one statement each: as asyncio.
        assert!(note_io(1, true).is_ok());
        gather_task_done();
        // Another session: interleaved in asyncio.
        let e = note_io(2, false).unwrap_err();
        assert_eq!(e.type_name(), "NotImplementedError");
        gather_exit();
        gather_enter();
        assert!(note_io(3, true).is_ok());
        assert!(note_io(3, true).is_ok());
        gather_task_done();
        // Two statements in an earlier task: a later one would come between.
        assert!(note_io(3, true).is_err());
        gather_exit();
        assert!(note_io(4, true).is_ok());
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
