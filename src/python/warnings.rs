//! Python's `warnings` channel: what `warnings.warn(...)` would print to
//! stderr, collected per step. SQLAlchemy's deprecation warnings
//! (`MovedIn20Warning`), its `SAWarning`s and Python's own `RuntimeWarning`
//! (`coroutine '…' was never awaited`) go here, from wherever they arise —
//! a method table, or the `Drop` of a coroutine nobody awaited — so the
//! queue is per thread, as the interpreter is. The tutor takes the queue at
//! the end of each step ([`take`]) into the step's outcome.

use std::cell::RefCell;

/// One warning, as Python's `warnings.showwarning` gets it (TRACE.md's
/// `{"category": "MovedIn20Warning", "message": "…"}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The warning class's name: `MovedIn20Warning`, `SAWarning`,
    /// `RuntimeWarning`.
    pub category: String,
    /// `str()` of the warning.
    pub message: String,
}

thread_local! {
    static PENDING: RefCell<Vec<Warning>> = const { RefCell::new(Vec::new()) };
}

/// Issues a warning, as `warnings.warn(message, category)`. Python's
/// default filter shows every warning raised at a new place; the tutor's
/// steps are all new places, so each is shown.
pub fn warn(category: &str, message: impl Into<String>) {
    let w = Warning {
        category: category.to_string(),
        message: message.into(),
    };
    // During thread teardown the queue may be gone: the warning is lost,
    // as Python loses warnings issued at interpreter shutdown.
    let _ = PENDING.try_with(|p| {
        if let Ok(mut p) = p.try_borrow_mut() {
            p.push(w);
        }
    });
}

/// The warnings issued since the last call, in order.
pub fn take() -> Vec<Warning> {
    PENDING
        .try_with(|p| {
            p.try_borrow_mut()
                .map(|mut p| std::mem::take(&mut *p))
                .unwrap_or_default()
        })
        .unwrap_or_default()
}

/// SQLAlchemy's `MovedIn20Warning` for a name that moved in 2.0, with the
/// exact text of `sqlalchemy.util.deprecations.moved_20`:
/// `The ``declarative_base()`` function is now available as
/// sqlalchemy.orm.declarative_base(). (deprecated since: 2.0) (Background
/// on SQLAlchemy 2.0 at: https://sqlalche.me/e/b8d9)`.
pub fn moved_in_20(what: &str, new_place: &str) {
    warn(
        "MovedIn20Warning",
        format!(
            "The ``{what}`` function is now available as {new_place}. (deprecated since: 2.0) \
             (Background on SQLAlchemy 2.0 at: https://sqlalche.me/e/b8d9)"
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_queue_in_order_and_take_empties_it() {
        let _ = take();
        warn("SAWarning", "first");
        moved_in_20("declarative_base()", "sqlalchemy.orm.declarative_base()");
        let got = take();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].category, "SAWarning");
        assert_eq!(
            got[1].message,
            "The ``declarative_base()`` function is now available as \
             sqlalchemy.orm.declarative_base(). (deprecated since: 2.0) \
             (Background on SQLAlchemy 2.0 at: https://sqlalche.me/e/b8d9)"
        );
        assert!(take().is_empty());
    }
}
