//! The session's transaction (SQLAlchemy's `SessionTransaction`, in
//! `orm/session.py`): autobegin, explicit `begin()`, the failed-flush state
//! that needs `rollback()`, and the snapshot restored on rollback.
//!
//! Transaction events are logged where SQLAlchemy's engine events fire:
//! `BEGIN` when the session first uses its connection in a transaction,
//! `COMMIT`/`ROLLBACK` when it ends one that had begun.

use crate::python::ExcType;
use crate::python::exceptions::{PyErr, PyResult, invalid_request};

use super::identity::{identity_key, instance_key};
use super::session::Session;
use super::state::Obj;

/// The session's transaction (SQLAlchemy's `SessionTransaction`).
#[derive(Debug, Default)]
pub(super) struct SessionTx {
    /// The connection has begun (a `BEGIN` event was logged).
    pub(super) connection_begun: bool,
    /// The transaction was rolled back by a failed flush; holds the original
    /// error's message until `rollback()`.
    pub(super) failed: Option<String>,
    /// An `AsyncSession`'s connection, checked out of its async engine's
    /// pool (`concurrency::pool_take`) and returned at the end.
    pub(super) pooled: Option<std::rc::Rc<super::concurrency::PooledConnection>>,
    /// Objects inserted in this transaction (transient again on rollback).
    pub(super) inserted: Vec<Obj>,
    /// Objects deleted in this transaction (persistent again on rollback).
    pub(super) deleted: Vec<Obj>,
    /// Open `begin_nested()` transactions, innermost last.
    pub(super) nested: Vec<NestedTx>,
    /// `sa_savepoint_N`'s N on this transaction's connection.
    pub(super) savepoint_seq: u32,
    /// The Core transaction taken on a bound connection (`Session(conn)`).
    pub(super) joined: Option<super::session_bind::Joined>,
}

/// One `session.begin_nested()`: its SAVEPOINT is sent with the first SQL
/// inside it (SQLAlchemy connects a subtransaction lazily).
#[derive(Debug)]
pub(super) struct NestedTx {
    pub(super) id: u64,
    /// The savepoint's name, once sent.
    pub(super) savepoint: Option<String>,
    /// `inserted.len()` and `deleted.len()` when it began.
    pub(super) marks: (usize, usize),
}

impl Session {
    pub(super) fn check_not_failed(&self) -> PyResult<()> {
        if let Some(Some(msg)) = self.tx.borrow().as_ref().map(|t| t.failed.clone()) {
            return Err(PyErr::new(
                ExcType::PendingRollbackError,
                format!(
                    "This Session's transaction has been rolled back due to a previous exception during flush. To begin a new transaction with this Session, first issue Session.rollback(). Original exception was: {msg}"
                ),
            ));
        }
        Ok(())
    }

    /// Autobegins the session transaction and its connection (logging
    /// `BEGIN`), as the first SQL of a transaction does.
    ///
    /// Errors: `UnboundExecutionError` for a session made with no bind, as
    /// SQLAlchemy's `Session.get_bind` raises before any connection.
    pub(super) fn begin_connection(&self) -> PyResult<()> {
        self.check_not_failed()?;
        match self.changing.get() {
            // `_prepare_impl` has moved the transaction to PREPARED.
            Some("commit") => {
                return Err(invalid_request(
                    "This session is in 'prepared' state; no further SQL can be emitted within this transaction.",
                ));
            }
            // Still ACTIVE, its connection in its transaction: the SQL runs
            // there, with no BEGIN.
            Some(_) => return Ok(()),
            None => {}
        }
        if self.provisioning.get() {
            return Err(super::concurrency::provisioning_error());
        }
        if !self.db.is_bound() {
            return Err(crate::python::PyErr::new(
                crate::python::ExcType::UnboundExecutionError,
                crate::engine::UNBOUND_MESSAGE,
            ));
        }
        let begun = self
            .tx
            .borrow()
            .as_ref()
            .is_some_and(|t| t.connection_begun);
        let mut pooled = None;
        if !begun && self.requires_greenlet.get() && super::concurrency::in_greenlet() {
            // An AsyncSession connecting: a pool checkout, and the driver's
            // connect when no connection is idle, during which other tasks
            // run and find the transaction PROVISIONING_CONNECTION.
            let pool = self.pool_key();
            pooled = match super::concurrency::pool_take(pool) {
                Some(c) => Some(c),
                None => {
                    self.provisioning.set(true);
                    let r = super::concurrency::io_await(super::concurrency::CONNECT_AWAITS);
                    self.provisioning.set(false);
                    r?;
                    Some(super::concurrency::PooledConnection::connect())
                }
            };
        }
        let joined = if begun {
            None
        } else {
            self.begin_bound_connection()?
        };
        let mut tx = self.tx.borrow_mut();
        let t = tx.get_or_insert_with(SessionTx::default);
        if !begun {
            t.connection_begun = true;
            t.joined = joined;
            t.pooled = pooled;
        }
        let mut pending = Vec::new();
        for n in t.nested.iter_mut().filter(|n| n.savepoint.is_none()) {
            t.savepoint_seq += 1;
            let name = format!("sa_savepoint_{}", t.savepoint_seq);
            n.savepoint = Some(name.clone());
            pending.push(name);
        }
        drop(tx);
        for name in pending {
            self.savepoint_sql(&format!("SAVEPOINT {name}"))?;
        }
        Ok(())
    }

    /// The transaction as words: `none`, `begun (BEGIN sent)`, or
    /// `rolled back by a failed flush: call session.rollback()`.
    pub fn transaction_state(&self) -> &'static str {
        match self.tx.borrow().as_ref() {
            None => "none",
            Some(t) if t.failed.is_some() => {
                "rolled back by a failed flush: call session.rollback()"
            }
            Some(t) if t.connection_begun => "begun (BEGIN sent, not yet committed)",
            Some(_) => "begun (no SQL sent yet)",
        }
    }

    /// The pool an `AsyncSession`'s connections come from: its database's.
    pub(super) fn pool_key(&self) -> usize {
        std::rc::Rc::as_ptr(&self.db) as usize
    }

    /// Errors while another task is opening this session's connection:
    /// `InvalidRequestError` for `commit`/`rollback` (their prerequisite
    /// state), `IllegalStateChangeError` for `close`, as SQLAlchemy's
    /// `_StateChange` decorators.
    /// While another task's `commit()`/`rollback()` waits on the driver,
    /// `commit`, `rollback` and `close` are `IllegalStateChangeError`, as
    /// SQLAlchemy's `_StateChange` decorators.
    pub(super) fn check_not_provisioning(&self, method: &str) -> PyResult<()> {
        if let Some(running) = self.changing.get() {
            return Err(super::concurrency::illegal_state_change(method, running));
        }
        if !self.provisioning.get() {
            return Ok(());
        }
        Err(match method {
            "close" => super::concurrency::illegal_state_change(method, "_connection_for_bind"),
            _ => super::concurrency::provisioning_error(),
        })
    }

    /// `session.begin()`: starts the session transaction explicitly.
    ///
    /// Errors: `InvalidRequestError` when one is already begun (autobegun
    /// by earlier SQL, or begun explicitly).
    pub fn begin(&self) -> PyResult<()> {
        let mut tx = self.tx.borrow_mut();
        if tx.is_some() {
            return Err(invalid_request(
                "A transaction is already begun on this Session.",
            ));
        }
        *tx = Some(SessionTx::default());
        Ok(())
    }

    /// True while the session's connection is in a transaction.
    pub fn in_transaction(&self) -> bool {
        self.event_transaction.get()
            || self
                .tx
                .borrow()
                .as_ref()
                .is_some_and(|t| t.connection_begun)
    }

    /// Called by the unit of work before its first statement.
    pub fn begin_for_flush(&self) -> PyResult<()> {
        self.begin_connection()
    }

    /// Puts the objects back as they were before the transaction
    /// (SQLAlchemy's `SessionTransaction._restore_snapshot`): pending
    /// objects are expunged, objects inserted in it become transient,
    /// deleted ones persistent again, and every object is expired.
    pub(super) fn restore_snapshot(&self, t: &SessionTx) {
        for o in &t.inserted {
            self.identity_map.borrow_mut().remove(&instance_key(o));
            let mut b = o.borrow_mut();
            b.session = None;
            b.key = None;
            if let Some(r) = b.rare_if_any() {
                r.committed.clear();
            }
        }
        for o in self.new.borrow_mut().drain(..) {
            o.borrow_mut().session = None;
        }
        for o in &t.deleted {
            let (mapper, key) = {
                let b = o.borrow();
                (b.mapper.clone(), b.key_values())
            };
            let mut b = o.borrow_mut();
            b.deleted_flushed = false;
            b.session = Some(self.uid);
            drop(b);
            self.identity_map
                .borrow_mut()
                .insert(identity_key(&mapper, &key), o.clone());
        }
        for o in self.deleted.borrow_mut().drain(..) {
            o.borrow_mut().marked_deleted = false;
        }
        self.modified.borrow_mut().clear();
        self.expire_all();
    }
}

impl Session {
    /// The executor of a Core `Connection` (`engine.connect()`): a session
    /// whose transaction is the connection's, so it logs no `BEGIN`,
    /// `COMMIT` or `ROLLBACK` of its own; the connection does, as
    /// SQLAlchemy 2.0's `Connection` autobegins.
    pub fn for_connection(
        db: std::rc::Rc<crate::engine::Database>,
        registry: std::rc::Rc<super::mapper::Registry>,
    ) -> std::rc::Rc<Session> {
        let s = Session::new(0, db, registry);
        *s.tx.borrow_mut() = Some(SessionTx {
            connection_begun: true,
            ..SessionTx::default()
        });
        s
    }

    /// Sends a transaction statement SQLAlchemy's dialect runs through the
    /// cursor (`SAVEPOINT sa_savepoint_1`, `RELEASE SAVEPOINT …`,
    /// `ROLLBACK TO SAVEPOINT …`, as `DefaultDialect.do_savepoint`): logged
    /// as a statement, and with no implicit `BEGIN` before it, as pysqlite.
    pub fn savepoint_sql(&self, sql: &str) -> PyResult<()> {
        self.db
            .execute_ddl(sql, crate::outcome::Cause::Query)
            .map_err(|e| {
                super::session::db_error(e, Some(&crate::sql::compiler::Compiled::text(sql)))
            })
    }
}
