//! A Core `Table`'s statement methods (`user_groups.insert()`, `.select()`,
//! `.update()`, `.delete()`), as SQLAlchemy 2.0 `TableClause` and
//! `FromClause`: each takes no argument and returns the statement, which
//! `.values()`, `.where()` and `session.execute()` take as they take
//! `insert(User)` or `select(User)`. Other calls on a table go through
//! `getattr`, and a real `Table` method the tutor lacks raises
//! `NotImplementedError`.

use crate::interpreter::Interpreter;
use crate::orm::bulk::{DmlKind, DmlStatement};
use crate::python::value::Builtin;
use crate::python::{ExcType, PyErr, PyResult, Value};
use crate::sql::schema::TableRef;

use super::method::{self, Method};

fn dml(kind: DmlKind, t: &TableRef) -> PyResult<Value> {
    Ok(Value::native(DmlStatement::on_table(kind, t.clone())))
}

/// `Table`'s statement methods, with SQLAlchemy 2.0's signatures.
pub static TABLE: &[Method<TableRef>] = &[
    Method {
        name: "insert",
        params: &[],
        call: |_, t, _| dml(DmlKind::Insert, t),
    },
    Method {
        name: "update",
        params: &[],
        call: |_, t, _| dml(DmlKind::Update, t),
    },
    Method {
        name: "delete",
        params: &[],
        call: |_, t, _| dml(DmlKind::Delete, t),
    },
    Method {
        name: "select",
        params: &[],
        // `select(user_groups)`
        call: |interp, t, _| {
            interp.call(
                &Value::Builtin(Builtin::Select),
                vec![Value::Native(t.clone())],
                Vec::new(),
            )
        },
    },
];

/// `table.name(*args, **kwargs)` for a method of [`TABLE`], binding its
/// arguments with Python's `TypeError` wording (`TableClause.insert()`,
/// `FromClause.select()`, as SQLAlchemy defines them).
///
/// Errors: `NotImplementedError` when `name` is not in [`TABLE`].
pub fn call_method(
    interp: &mut Interpreter,
    table: &TableRef,
    name: &str,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<Value> {
    let type_name = if name == "select" {
        "FromClause"
    } else {
        "TableClause"
    };
    method::dispatch(TABLE, type_name, interp, table, name, args, kwargs).unwrap_or_else(|| {
        Err(PyErr::new(
            ExcType::NotImplementedError,
            format!("orm-tutor does not support Table.{name}() yet"),
        ))
    })
}
