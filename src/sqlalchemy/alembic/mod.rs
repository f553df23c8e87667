//! Alembic's Python face: `from alembic import op` bound to the current
//! database as inside a migration script (Alembic 1.x `Operations` over a
//! `MigrationContext` on the fixture's engine), the `op.…` operations
//! (`ops.rs`), `with op.batch_alter_table(...) as batch_op:` and SQLite's
//! move-and-copy (`batch.rs`, `reflection.rs`), the DDL text Alembic sends
//! (`ddl.rs`), and the Core constructors migrations use that the rest of
//! the tutor does not (`sa.table()`, `sa.column()`,
//! `sa.PrimaryKeyConstraint`, `sa.ForeignKeyConstraint`: `constructs.rs`).
//!
//! Alembic runs on a `Connection` of its own: its first operation begins a
//! transaction there (`BEGIN`, never committed by the step; on PostgreSQL
//! a server connection of its own, as the pool would give), and a batch
//! block outside a transaction runs in one it commits
//! (`_ensure_scope_for_ddl`). On SQLite the statements go to the same
//! DBAPI connection the session uses, so `text("SELECT age FROM users")`
//! sees a column `op.add_column` added, while mapped classes keep their
//! columns, as in SQLAlchemy.

pub mod autogenerate;
pub mod batch;
pub mod compare;
pub mod constructs;
pub mod ddl;
pub mod migration;
pub mod ops;
pub mod recreate;
pub mod reflection;
pub mod revision;

use std::cell::RefCell;
use std::rc::Rc;

use crate::engine::Database;
use crate::interpreter::Interpreter;
use crate::outcome::Cause;
use crate::python::object::{PyObject, downcast};
use crate::python::{ExcType, PyErr, PyResult, Value};
use crate::sql::compiler::Compiled;
use crate::sqlalchemy::connection::Connection;

/// Alembic's `Operations` (the `op` proxy) with its migration connection.
#[derive(Debug)]
pub struct Operations {
    pub db: Rc<Database>,
    /// The migration's `Connection` (`op.get_bind()`): its transaction is
    /// the one Alembic's statements run in.
    pub conn: Rc<Connection>,
    /// The native `Enum` type names `op.create_table` has created, as the
    /// `memo` of Alembic's `DefaultImpl` (each is created once).
    pub memo: RefCell<std::collections::HashSet<String>>,
}

impl PyObject for Operations {
    /// `op` is the module `alembic.op`, whose functions proxy the
    /// migration's `Operations`.
    fn type_name(&self) -> String {
        "module".into()
    }
    fn repr(&self) -> String {
        "<module 'alembic.op'>".into()
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

impl Operations {
    /// `op` over a connection (`Operations(MigrationContext.configure(conn))`).
    pub fn on(conn: Rc<Connection>) -> Operations {
        Operations {
            db: conn.executor.db.clone(),
            conn,
            memo: RefCell::default(),
        }
    }

    /// `op` over a new connection to the fixture's engine
    /// (`engine.connect()`), not yet begun. On PostgreSQL it is a DBAPI
    /// connection of its own, as the pool's: the session does not see what
    /// `op` did until the migration commits, and a failed op aborts the
    /// migration's transaction, not the session's.
    ///
    /// Errors: `NotImplementedError` before the fixture's engine exists;
    /// `OperationalError` when the server refuses a second connection.
    pub fn connect(interp: &Interpreter) -> PyResult<Operations> {
        let engine = interp
            .fixture_engine()
            .ok_or_else(|| PyErr::unsupported("Alembic's op before the engine exists"))?;
        let e = engine
            .downcast::<crate::sqlalchemy::objects::Engine>()
            .ok_or_else(|| PyErr::unsupported("Alembic's op on this engine"))?;
        let conn = match e.1.connect_again() {
            None => Connection::open(interp, &engine, &e)?,
            Some(db) => {
                let db = db.map_err(|err| crate::orm::session::db_error(err, None))?;
                Connection::open_on(interp, &engine, Rc::new(db))
            }
        };
        Ok(Operations::on(conn))
    }

    /// SQLAlchemy's autobegin on Alembic's connection: `BEGIN` once.
    ///
    /// Errors: `ResourceClosedError` once `op.get_bind().close()` ran.
    pub fn autobegin(&self) -> PyResult<()> {
        self.conn.autobegin()
    }

    /// Sends one DDL statement on Alembic's connection; a database error is
    /// SQLAlchemy's (`OperationalError: (sqlite3.OperationalError) … [SQL: …]`).
    pub fn exec_ddl(&self, sql: &str) -> PyResult<()> {
        self.autobegin()?;
        self.db
            .execute_ddl(sql, Cause::Query)
            .map_err(|e| crate::orm::session::db_error(e, Some(&Compiled::text(sql))))
    }

    /// Runs `body` as Alembic's `_ensure_scope_for_ddl`: inside the open
    /// transaction, or in one begun and committed around it.
    pub fn ddl_scope(&self, body: impl FnOnce() -> PyResult<()>) -> PyResult<()> {
        if self.conn.in_transaction() {
            return body();
        }
        self.autobegin()?;
        let r = body();
        if r.is_ok() {
            self.conn.commit()?;
        } else {
            let _ = self.conn.rollback();
        }
        r
    }
}

/// The class `alembic.operations.Operations`: `Operations(ctx)` over a
/// `MigrationContext.configure(conn)` gives an `op` on that connection.
#[derive(Debug)]
pub struct OperationsClass;

impl PyObject for OperationsClass {
    fn type_name(&self) -> String {
        "type".into()
    }
    fn repr(&self) -> String {
        "<class 'alembic.operations.base.Operations'>".into()
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// Whether `v` is called as an Alembic class (`Operations(ctx)`).
pub fn is_callable(v: &Value) -> bool {
    v.downcast::<OperationsClass>().is_some()
}

/// `Operations(migration_context)`: operations on the context's connection,
/// their statements in its transaction (the learner commits it).
///
/// Errors: `TypeError` for missing or extra arguments, as Python's;
/// `NotImplementedError` for what is not a `MigrationContext`.
pub fn call(args: Vec<Value>, kwargs: Vec<(String, Value)>) -> PyResult<Value> {
    let sig = crate::python::Signature::function("Operations", &["migration_context", "impl=!"]);
    let b = sig.bind_as("AbstractOperations.__init__", args, kwargs)?;
    let ctx = b.required("migration_context")?;
    match ctx {
        Value::Native(n) if let Some(m) = downcast::<migration::MigrationContext>(n) => {
            Ok(Value::native(Operations::on(m.conn.clone())))
        }
        other => Err(PyErr::unsupported(format!(
            "Operations() over a {} (give it MigrationContext.configure(conn))",
            other.type_name()
        ))),
    }
}

/// Whether `module` is Alembic's (`alembic`, `alembic.op`).
pub fn is_alembic_module(module: &str) -> bool {
    module == "alembic" || module.starts_with("alembic.")
}

/// `from alembic import op` (and `from alembic import context`, which the
/// tutor lacks): the one `op` of the interpreter, bound to its database.
///
/// Errors: `ImportError` for a name Alembic lacks, `NotImplementedError`
/// for a real one the tutor does not support.
pub fn import_from(interp: &mut Interpreter, module: &str, name: &str) -> PyResult<Value> {
    if let Some(r) = migration::import_from(module, name) {
        return r;
    }
    match (module, name) {
        ("alembic", "op") => op_value(interp),
        ("alembic.operations" | "alembic", "Operations") => Ok(Value::native(OperationsClass)),
        ("alembic", "context" | "command" | "autogenerate" | "util" | "config" | "script")
        | ("alembic.operations", _) => Err(PyErr::unsupported(format!("'{name}' from '{module}'"))),
        ("alembic", _) => Err(PyErr::new(
            ExcType::ImportError,
            format!("cannot import name '{name}' from 'alembic'"),
        )),
        _ => Err(PyErr::unsupported(format!("the module '{module}'"))),
    }
}

/// The interpreter's `op`, made on first import.
fn op_value(interp: &mut Interpreter) -> PyResult<Value> {
    if let Some(v) = &interp.alembic_op {
        return Ok(v.clone());
    }
    let v = Value::native(Operations::connect(interp)?);
    interp.alembic_op = Some(v.clone());
    Ok(v)
}

/// Rolls back the transaction of the interpreter's `op` (its connection's
/// own, on a server), so its locks do not block the tutor dropping its
/// tables at the end.
pub fn release_op(interp: &Interpreter) {
    if let Some(Value::Native(n)) = &interp.alembic_op
        && let Some(op) = downcast::<Operations>(n)
    {
        let _ = op.conn.executor.db.rollback();
    }
}

/// `op.name` / `batch_op.name` as an attribute: a bound method, when the
/// receiver is Alembic's and has it. `None` for other receivers.
pub fn get_attr(obj: &Value, name: &str) -> Option<PyResult<Value>> {
    if let Some(r) = migration::get_attr(obj, name) {
        return Some(r);
    }
    let Value::Native(n) = obj else { return None };
    let names = if downcast::<Operations>(n).is_some() {
        crate::sqlalchemy::method::names(ops::OPERATIONS)
    } else if downcast::<batch::BatchOperations>(n).is_some() {
        crate::sqlalchemy::method::names(batch::BATCH_OPERATIONS)
    } else {
        return None;
    };
    let is_op = downcast::<Operations>(n).is_some();
    Some(if names.contains(&name) {
        Ok(Value::Method(Rc::new(crate::python::value::Method {
            receiver: obj.clone(),
            name: name.to_string(),
        })))
    } else if is_op {
        Err(op_no_attr(name))
    } else {
        Err(PyErr::new(
            ExcType::AttributeError,
            format!("'{}' object has no attribute '{name}'", obj.type_name()),
        ))
    })
}

/// Python's `AttributeError` for a name the module `alembic.op` lacks.
fn op_no_attr(name: &str) -> PyErr {
    PyErr::new(
        ExcType::AttributeError,
        format!("module 'alembic.op' has no attribute '{name}'"),
    )
}

/// Whether `v` is Alembic's `op` or a `batch_op`.
pub fn is_alembic_object(v: &Value) -> bool {
    let Value::Native(n) = v else { return false };
    let any = n.clone().into_any();
    any.is::<Operations>()
        || any.is::<OperationsClass>()
        || any.is::<batch::BatchOperations>()
        || migration::is_migration_object(v)
}

/// `op.name(...)` / `batch_op.name(...)` (the receiver is one:
/// [`is_alembic_object`]); `AttributeError` for a name neither has.
pub fn call_method(
    interp: &mut Interpreter,
    obj: &Value,
    name: &str,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<Value> {
    if let Some(r) = migration::call_method(interp, obj, name, args.clone(), kwargs.clone()) {
        return r;
    }
    let Value::Native(n) = obj else {
        return Err(PyErr::new(ExcType::TypeError, "not an Alembic object"));
    };
    let no_attr = || {
        Err(PyErr::new(
            ExcType::AttributeError,
            format!("'{}' object has no attribute '{name}'", obj.type_name()),
        ))
    };
    if let Some(op) = downcast::<Operations>(n) {
        // module functions: `add_column() missing 1 required positional argument`
        let Some(m) = ops::OPERATIONS.iter().find(|m| m.name == name) else {
            return Err(op_no_attr(name));
        };
        let bound = crate::python::Signature::function(m.name, m.params).bind(args, kwargs)?;
        return (m.call)(interp, &op, bound);
    }
    if let Some(b) = downcast::<batch::BatchOperations>(n) {
        return crate::sqlalchemy::method::dispatch(
            batch::BATCH_OPERATIONS,
            "BatchOperations",
            interp,
            &b,
            name,
            args,
            kwargs,
        )
        .unwrap_or_else(no_attr);
    }
    no_attr()
}
