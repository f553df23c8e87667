//! SQLAlchemy's greenlet bridge (`sqlalchemy.util.concurrency`), as the
//! tutor models it: the `Session` inside an `AsyncSession` may do IO only
//! while one of the `AsyncSession`'s awaited methods runs it
//! ([`greenlet_spawn`]). IO anywhere else — a lazy load, an expired
//! attribute refreshed on access — reaches the driver outside `await` and
//! raises `MissingGreenlet` ([`missing_greenlet`]) after the statement is
//! logged, as SQLAlchemy's `await_only()` does.

use std::cell::Cell;

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
}
