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
