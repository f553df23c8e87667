//! CPython's two guards against runaway recursion through containers:
//! `Py_ReprEnter` (a list or dict that contains itself prints as `[...]` /
//! `{...}`) and the recursion limit (`RecursionError` for `==`, `<` or
//! `repr()` of structures nested deeper than [`MAX_DEPTH`]).
//!
//! Both are per thread, as CPython's are, and undo themselves when the
//! guard value is dropped, so an early `?` return leaves them balanced.

use std::cell::{Cell, RefCell};

use super::ExcType;
use super::exceptions::PyErr;

/// How deeply `repr()`, `==` and `<` may descend into nested containers
/// before `RecursionError`, as CPython's default recursion limit.
pub const MAX_DEPTH: usize = 1000;

thread_local! {
    static DEPTH: Cell<usize> = const { Cell::new(0) };
    static EXCEEDED: Cell<bool> = const { Cell::new(false) };
    static REPR_ACTIVE: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// One level of descent into a container; the level is left on drop.
pub struct Level(());

impl Level {
    /// Enters one level, or `None` (remembering that the limit was hit,
    /// see [`take_exceeded`]) past [`MAX_DEPTH`].
    pub fn enter() -> Option<Level> {
        DEPTH.with(|d| {
            if d.get() >= MAX_DEPTH {
                EXCEEDED.with(|e| e.set(true));
                None
            } else {
                d.set(d.get() + 1);
                Some(Level(()))
            }
        })
    }
}

impl Drop for Level {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// Whether a [`Level::enter`] failed since the last call (for callers such
/// as `==` whose inner steps return a plain `bool`); clears the flag.
pub fn take_exceeded() -> bool {
    EXCEEDED.with(|e| e.replace(false))
}

/// `RecursionError: maximum recursion depth exceeded{context}`, with
/// CPython's wording (`" in comparison"`, `" while getting the repr of an
/// object"`).
pub fn recursion_error(context: &str) -> PyErr {
    PyErr::new(
        ExcType::RecursionError,
        format!("maximum recursion depth exceeded{context}"),
    )
}

/// A container being printed; it leaves the set of those on drop.
pub struct ReprEntered(usize);

/// `Py_ReprEnter`: `None` when the container at `address` is already being
/// printed further up (its repr is then `[...]`, `{...}` or `(...)`).
pub fn repr_enter(address: usize) -> Option<ReprEntered> {
    REPR_ACTIVE.with(|a| {
        let mut a = a.borrow_mut();
        if a.contains(&address) {
            None
        } else {
            a.push(address);
            Some(ReprEntered(address))
        }
    })
}

impl Drop for ReprEntered {
    fn drop(&mut self) {
        REPR_ACTIVE.with(|a| {
            let mut a = a.borrow_mut();
            if let Some(i) = a.iter().rposition(|x| *x == self.0) {
                a.remove(i);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_stop_at_the_limit_and_unwind() {
        let mut held = Vec::new();
        for _ in 0..MAX_DEPTH {
            held.push(Level::enter().expect("below the limit"));
        }
        assert!(Level::enter().is_none());
        assert!(take_exceeded());
        assert!(!take_exceeded());
        held.clear();
        assert!(Level::enter().is_some());
    }

    #[test]
    fn a_container_is_entered_once() {
        let first = repr_enter(42);
        assert!(first.is_some());
        assert!(repr_enter(42).is_none());
        drop(first);
        assert!(repr_enter(42).is_some());
    }
}
