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
        name: "alias",
        params: &["name=", "flat="],
        // `users.alias()` / `users.alias("u")`: `users AS users_1` / `users AS u`
        call: |_, t, b| {
            let name = match b.get("name") {
                Some(Value::Str(s)) => Some(s.to_string()),
                _ => None,
            };
            Ok(super::aliased::table_alias_value(t, name))
        },
    },
    Method {
        name: "join",
        params: super::join::JOIN_PARAMS,
        // `users.join(messages)`: `users JOIN messages ON …`
        call: |_, t, b| super::join::from_join(&Value::Native(t.clone()), &b, false),
    },
    Method {
        name: "outerjoin",
        params: super::join::OUTERJOIN_PARAMS,
        call: |_, t, b| super::join::from_join(&Value::Native(t.clone()), &b, true),
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
    let type_name = if matches!(name, "select" | "alias" | "join" | "outerjoin") {
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

/// `table.c` (`table.columns`): the table's columns by name, as SQLAlchemy
/// 2.0's `ReadOnlyColumnCollection`; `table.c.name` is the column `name`,
/// not the table's name.
#[derive(Debug)]
pub struct TableColumns(pub TableRef);

impl crate::python::PyObject for TableColumns {
    fn type_name(&self) -> String {
        "ReadOnlyColumnCollection".into()
    }
    fn repr(&self) -> String {
        let keys: Vec<String> = self
            .0
            .columns
            .iter()
            .map(|c| format!("'{}'", c.name))
            .collect();
        format!(
            "<sqlalchemy.sql.base.ReadOnlyColumnCollection object>[{}]",
            keys.join(", ")
        )
    }
    /// `table.c["name"]`: the column; `table.c["id", "name"]`: a
    /// collection of those columns (`select()` selects them).
    fn get_item(&self, key: &Value) -> Option<PyResult<Value>> {
        let index = |k: &Value| match k {
            Value::Str(s) => self
                .0
                .column_index(s)
                .ok_or_else(|| PyErr::new(ExcType::KeyError, crate::python::format::repr_plain(k))),
            other => Err(PyErr::new(
                ExcType::KeyError,
                crate::python::format::repr_plain(other),
            )),
        };
        Some(match key {
            Value::Tuple(keys) => keys
                .iter()
                .map(index)
                .collect::<PyResult<Vec<usize>>>()
                .map(|ix| Value::native(TableColumnSubset(self.0.clone(), ix))),
            k => index(k).and_then(|_| column_attr(&self.0, &crate::python::format::str_plain(k))),
        })
    }
    fn into_any(self: std::rc::Rc<Self>) -> std::rc::Rc<dyn std::any::Any> {
        self
    }
}

/// `table.c["id", "name"]`: some of a table's columns, in the order asked
/// (SQLAlchemy's `ReadOnlyColumnCollection` of them).
#[derive(Debug)]
pub struct TableColumnSubset(pub TableRef, pub Vec<usize>);

impl crate::python::PyObject for TableColumnSubset {
    fn type_name(&self) -> String {
        "ReadOnlyColumnCollection".into()
    }
    fn repr(&self) -> String {
        let keys: Vec<String> = self
            .1
            .iter()
            .map(|&i| format!("'{}'", self.0.columns[i].name))
            .collect();
        format!(
            "<sqlalchemy.sql.base.ReadOnlyColumnCollection object>[{}]",
            keys.join(", ")
        )
    }
    fn into_any(self: std::rc::Rc<Self>) -> std::rc::Rc<dyn std::any::Any> {
        self
    }
}

/// The columns a `select()` argument that is a table's column collection
/// (`table.c`, `table.c["id", "name"]`) stands for: its table and their
/// positions.
pub fn column_collection(v: &Value) -> Option<(TableRef, Vec<usize>)> {
    if let Some(c) = v.downcast::<TableColumns>() {
        return Some((c.0.clone(), (0..c.0.columns.len()).collect()));
    }
    v.downcast::<TableColumnSubset>()
        .map(|s| (s.0.clone(), s.1.clone()))
}

impl TableColumns {
    /// `table.c.keys()`: the column keys, a list (SQLAlchemy 2.0
    /// `ColumnCollection.keys()`).
    pub fn keys_value(&self) -> Value {
        Value::list(self.0.columns.iter().map(|c| Value::str(&c.name)).collect())
    }
}

/// `table.c.<name>`: the column as a SQL expression.
///
/// Errors: `AttributeError` for a name that is not a column.
pub fn column_attr(t: &TableRef, name: &str) -> PyResult<Value> {
    use crate::sql::elements::{Expr, Selectable};
    match t.column_index(name) {
        Some(i) => Ok(Value::native(crate::orm::expression::SqlExpr {
            expr: Expr::column(&Selectable::Table(t.clone()), i),
            ty: Some(t.columns[i].sql_type.clone()),
            key: Some(name.to_string()),
            id: crate::orm::expression::fresh_expr_id(),
        })),
        None => {
            let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
            let err = crate::python::exceptions::attribute_error(name.to_string());
            Err(
                match crate::python::exceptions::did_you_mean(name, names.iter().copied()) {
                    Some(h) => err.with_hint(format!("did you mean '{h}'?")),
                    None => err,
                },
            )
        }
    }
}
