//! `session.begin_nested()` (SQLAlchemy's nested `SessionTransaction`,
//! `orm/session.py`): a SAVEPOINT inside the session's transaction. It
//! flushes pending changes first, sends `SAVEPOINT sa_savepoint_N` with the
//! first SQL inside it, `RELEASE SAVEPOINT` on commit and `ROLLBACK TO
//! SAVEPOINT` on rollback, where the objects added inside it leave the
//! session (as `SessionTransaction._restore_snapshot`).

use std::rc::Rc;

use crate::python::ExcType;
use crate::python::exceptions::{PyErr, PyResult};

use super::session::Session;
use super::session_transaction::{NestedTx, SessionTx};

thread_local! {
    static NEXT_NESTED: std::cell::Cell<u64> = const { std::cell::Cell::new(1) };
}

fn closed() -> PyErr {
    PyErr::new(ExcType::ResourceClosedError, "This transaction is closed")
}

impl Session {
    /// `session.begin_nested()`: flushes, autobegins the session
    /// transaction, and opens a nested one; its id.
    pub fn begin_nested(self: &Rc<Self>) -> PyResult<u64> {
        self.check_not_failed()?;
        if self.has_changes() {
            self.flush()?;
        }
        let id = NEXT_NESTED.with(|n| {
            let v = n.get();
            n.set(v + 1);
            v
        });
        let mut tx = self.tx.borrow_mut();
        let t = tx.get_or_insert_with(SessionTx::default);
        let marks = (t.inserted.len(), t.deleted.len());
        t.nested.push(NestedTx {
            id,
            savepoint: None,
            marks,
        });
        Ok(id)
    }

    /// The innermost open nested transaction's id, if any
    /// (`session.get_nested_transaction()`, `in_nested_transaction()`).
    pub fn innermost_nested(&self) -> Option<u64> {
        self.tx
            .borrow()
            .as_ref()
            .and_then(|t| t.nested.last().map(|n| n.id))
    }

    /// True while the session holds a transaction, begun or not
    /// (`session.get_transaction() is not None`).
    pub fn has_transaction(&self) -> bool {
        self.tx.borrow().is_some()
    }

    /// Whether the nested transaction `id` is still open (`is_active`).
    pub fn nested_is_active(&self, id: u64) -> bool {
        self.tx
            .borrow()
            .as_ref()
            .is_some_and(|t| t.nested.iter().any(|n| n.id == id))
    }

    /// The index of nested transaction `id` in the stack.
    fn nested_index(&self, id: u64) -> PyResult<usize> {
        self.tx
            .borrow()
            .as_ref()
            .and_then(|t| t.nested.iter().position(|n| n.id == id))
            .ok_or_else(closed)
    }

    /// Commits nested transaction `id` (and those inside it): flush, then
    /// `RELEASE SAVEPOINT` for each whose SAVEPOINT was sent.
    ///
    /// Errors: `ResourceClosedError` once it has ended.
    pub fn nested_commit(self: &Rc<Self>, id: u64) -> PyResult<()> {
        self.nested_index(id)?;
        if self.has_changes() {
            self.flush()?;
        }
        let i = self.nested_index(id)?;
        self.release_savepoints(i)
    }

    /// Sends `RELEASE SAVEPOINT` for the nested transactions from index
    /// `from` up, innermost first, and ends them.
    pub(super) fn release_savepoints(&self, from: usize) -> PyResult<()> {
        let ended: Vec<NestedTx> = match self.tx.borrow_mut().as_mut() {
            Some(t) if from < t.nested.len() => t.nested.drain(from..).collect(),
            _ => Vec::new(),
        };
        for n in ended.iter().rev() {
            if let Some(name) = &n.savepoint {
                self.savepoint_sql(&format!("RELEASE SAVEPOINT {name}"))?;
            }
        }
        Ok(())
    }

    /// Rolls nested transaction `id` back: `ROLLBACK TO SAVEPOINT` when
    /// its SAVEPOINT was sent; objects added or inserted inside it leave
    /// the session, those deleted inside it come back, modified ones are
    /// expired. Nothing once it has ended.
    pub fn nested_rollback(self: &Rc<Self>, id: u64) -> PyResult<()> {
        let Ok(i) = self.nested_index(id) else {
            return Ok(());
        };
        let (ended, inserted, deleted) = {
            let mut tx = self.tx.borrow_mut();
            let Some(t) = tx.as_mut() else {
                return Ok(());
            };
            let ended: Vec<NestedTx> = t.nested.drain(i..).collect();
            let (ins, del) = ended[0].marks;
            let inserted = t.inserted.split_off(ins.min(t.inserted.len()));
            let deleted = t.deleted.split_off(del.min(t.deleted.len()));
            (ended, inserted, deleted)
        };
        if let Some(name) = &ended[0].savepoint {
            self.savepoint_sql(&format!("ROLLBACK TO SAVEPOINT {name}"))?;
        }
        self.restore_snapshot(&SessionTx {
            inserted,
            deleted,
            ..SessionTx::default()
        });
        Ok(())
    }
}
