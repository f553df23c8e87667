//! A session bound to a Core `Connection` (`Session(conn)`,
//! `Session(bind=conn)`), as SQLAlchemy 2.0's
//! `SessionTransaction._connection_for_bind` with the default
//! `join_transaction_mode="conservative_savepoint"`:
//!
//! - the connection not in a transaction: the session begins one
//!   (`conn.begin()`) and its `commit()`/`rollback()`/`close()` end it;
//! - in a SAVEPOINT: the session makes its own (`conn.begin_nested()`);
//! - in a transaction: the session joins it "rollback only": its `commit()`
//!   leaves it open, its `rollback()` rolls it back, its `close()` leaves it.
//!
//! The connection lives in `sqlalchemy/` (a room above); it reaches the
//! session through the [`ConnectionBind`] trait.

use std::fmt::Debug;
use std::rc::Rc;

use crate::outcome::TxEvent;
use crate::python::exceptions::PyResult;

use super::session::{Session, db_error};
use super::session_transaction::SessionTx;

/// A Core transaction the session holds (`RootTransaction` or
/// `NestedTransaction`).
pub trait BoundTransaction: Debug {
    /// `trans.commit()`
    fn commit(&self) -> PyResult<()>;
    /// `trans.rollback()`
    fn rollback(&self) -> PyResult<()>;
    /// `trans.is_active`
    fn is_active(&self) -> bool;
}

/// The transaction a session took on its connection, and whether the
/// session's `commit()` commits it (`should_commit`: false when it joined
/// an outer transaction "rollback only").
#[derive(Debug, Clone)]
pub struct Joined {
    pub transaction: Rc<dyn BoundTransaction>,
    pub should_commit: bool,
}

/// A Core `Connection` a session is bound to.
pub trait ConnectionBind: Debug {
    /// Joins or begins the connection's transaction, as
    /// `SessionTransaction._connection_for_bind` in
    /// `"conservative_savepoint"` mode (the module doc).
    ///
    /// Errors: `ResourceClosedError` for a closed connection.
    fn join(&self) -> PyResult<Joined>;
}

impl Session {
    /// Binds this session to a Core connection (`Session(conn)`); its
    /// statements then run in the connection's transaction.
    pub fn bind_to_connection(&self, conn: Rc<dyn ConnectionBind>) {
        *self.connection_bind.borrow_mut() = Some(conn);
    }

    /// At the session transaction's first SQL: joins the bound
    /// connection's transaction, or logs `BEGIN` for an engine's.
    pub(super) fn begin_bound_connection(&self) -> PyResult<Option<Joined>> {
        let bind = self.connection_bind.borrow().clone();
        match bind {
            Some(conn) => conn.join().map(Some),
            None => {
                self.db.log_tx(TxEvent::Begin);
                Ok(None)
            }
        }
    }

    /// Commits the session transaction's connection (`COMMIT`), or the
    /// bound connection's transaction when the session began it.
    pub(super) fn commit_connection(&self, t: &SessionTx) -> PyResult<()> {
        if !t.connection_begun {
            return Ok(());
        }
        match &t.joined {
            Some(j) if j.should_commit && j.transaction.is_active() => j.transaction.commit(),
            Some(_) => Ok(()),
            None => {
                if let Some(e) = self.asyncpg_busy(t) {
                    // asyncpg forgot its transaction, the server did not:
                    // what it holds is lost with the connection, which the
                    // session keeps (garbage collected, never checked in).
                    let _ = self.db.rollback();
                    self.db.log_tx(TxEvent::Commit);
                    return Err(e);
                }
                self.db.commit().map_err(|e| db_error(e, None))?;
                self.db.log_tx(TxEvent::Commit);
                if self.driver_started(t) {
                    self.tx_driver_await(t, Some("commit"))?;
                }
                if let Some(c) = &t.pooled {
                    super::concurrency::pool_return(self.pool_key(), c.clone());
                }
                Ok(())
            }
        }
    }

    /// Rolls the session transaction's connection back (`ROLLBACK`); a
    /// bound connection's transaction is rolled back even when joined
    /// "rollback only", as SQLAlchemy's `SessionTransaction.rollback()`.
    ///
    /// `method`: the session method in progress while the driver's
    /// ROLLBACK is awaited (`None` for `close()`, which has detached the
    /// transaction first).
    pub(super) fn rollback_connection(
        &self,
        t: &SessionTx,
        method: Option<&'static str>,
    ) -> PyResult<()> {
        if !t.connection_begun {
            return Ok(());
        }
        match &t.joined {
            Some(j) if j.transaction.is_active() => j.transaction.rollback(),
            Some(_) => Ok(()),
            None => {
                let busy = self.asyncpg_busy(t);
                self.db.rollback().map_err(|e| db_error(e, None))?;
                self.db.log_tx(TxEvent::Rollback);
                if busy.is_none() && self.driver_started(t) {
                    self.tx_driver_await(t, method)?;
                }
                if let Some(c) = &t.pooled {
                    super::concurrency::pool_return(self.pool_key(), c.clone());
                }
                busy.map_or(Ok(()), Err)
            }
        }
    }

    /// `session.close()`'s end of the connection: `ROLLBACK` of what the
    /// session began; a joined outer transaction is left open, as
    /// `SessionTransaction.close()`.
    pub(super) fn close_connection(&self, t: &SessionTx) -> PyResult<()> {
        match &t.joined {
            Some(j) if !j.should_commit => Ok(()),
            _ => self.rollback_connection(t, None),
        }
    }

    /// An `AsyncSession`'s COMMIT or ROLLBACK: aiosqlite's `commit()` /
    /// `rollback()` (asyncpg's `Transaction.commit()`/`.rollback()`), one
    /// `await_only()` during which the loop runs the other tasks;
    /// meanwhile `method` is in progress (other tasks meet the session
    /// mid-change: `Session::check_not_changing`) and the connection is
    /// busy with it.
    ///
    /// Errors: `CancelledError` when the task is cancelled while it waits.
    fn tx_driver_await(&self, t: &SessionTx, method: Option<&'static str>) -> PyResult<()> {
        if !(self.requires_greenlet.get() && super::concurrency::in_greenlet()) {
            return Ok(());
        }
        let before = self.changing.replace(method.or(self.changing.get()));
        if let Some(c) = &t.pooled {
            c.busy.set(Some(method.unwrap_or("rollback")));
        }
        let outer = self.ending_connection.replace(t.pooled.clone());
        let r = super::concurrency::io_await(1);
        self.ending_connection.replace(outer);
        if let Some(c) = &t.pooled {
            c.busy.set(None);
            c.started.set(false);
        }
        self.changing.set(before);
        r
    }

    /// Whether the driver has a transaction to end: aiosqlite always
    /// awaits `commit()`/`rollback()`; SQLAlchemy's asyncpg adapter only
    /// when its `BEGIN` was sent (`_started`).
    fn driver_started(&self, t: &SessionTx) -> bool {
        !self.is_asyncpg() || t.pooled.as_ref().is_some_and(|c| c.started.get())
    }

    /// A Core `AsyncConnection`'s DBAPI connection (its executor's, see
    /// `Session::for_connection`): `Some` checks it in, `None` takes it
    /// out (at `close()`); the one held before.
    pub fn replace_driver_connection(
        &self,
        c: Option<std::rc::Rc<super::concurrency::PooledConnection>>,
    ) -> Option<std::rc::Rc<super::concurrency::PooledConnection>> {
        self.core_async.set(true);
        let mut tx = self.tx.borrow_mut();
        let t = tx.get_or_insert_with(SessionTx::default);
        std::mem::replace(&mut t.pooled, c)
    }

    /// A Core `AsyncConnection`'s driver `commit()`/`rollback()`
    /// (`method`), its event already logged: aiosqlite's one
    /// `await_only()`, during which the other tasks run; SQLAlchemy's
    /// asyncpg adapter awaits asyncpg's `Transaction.commit()`/`.rollback()`
    /// only when its `BEGIN` was sent (`_started`), and nothing when a
    /// failed one already forgot it ([`Session::asyncpg_forget_busy`]).
    ///
    /// Errors: `CancelledError` when the task is cancelled while it waits.
    pub fn core_driver_end(&self, method: &'static str) -> PyResult<()> {
        let Some(c) = self.driver_connection() else {
            return Ok(());
        };
        if self.is_asyncpg() && !c.started.get() {
            return Ok(());
        }
        c.busy.set(Some(method));
        let r = self.driver_io_await(1);
        c.busy.set(None);
        c.started.set(false);
        r
    }

    /// A Core `AsyncConnection` on asyncpg ending its transaction while
    /// another task's statement is in flight: asyncpg's `InterfaceError`
    /// "another operation is in progress" (nothing sent, no await); the
    /// adapter forgets its transaction, the server stays in it, so the
    /// connection's next `BEGIN` fails "cannot use Connection.transaction()
    /// in a manually started transaction". `None` when nothing is in flight.
    pub fn asyncpg_forget_busy(&self) -> Option<crate::python::PyErr> {
        if !self.is_asyncpg() {
            return None;
        }
        let c = self.driver_connection()?;
        // The adapter's commit()/rollback() do nothing unless `_started`.
        if !c.started.get() || c.busy.get() != Some("execute") {
            return None;
        }
        Some(db_error(c.forget_transaction(), None))
    }

    /// asyncpg's `InterfaceError` for a COMMIT/ROLLBACK while a statement
    /// of another task is in flight on the connection (the adapter's
    /// transaction methods take no lock): the adapter then forgets its
    /// transaction, the server stays in it.
    fn asyncpg_busy(&self, t: &SessionTx) -> Option<crate::python::PyErr> {
        let c = t.pooled.as_ref().filter(|_| self.is_asyncpg())?;
        if c.busy.get() != Some("execute") {
            return None;
        }
        Some(db_error(c.forget_transaction(), None))
    }
}
