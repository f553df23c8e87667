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

/// `table.create(bind, checkfirst=False)` / `table.drop(...)` (`which`:
/// `create_all`/`drop_all`): the metadata's DDL for this table alone, as
/// SQLAlchemy's `Table.create()` runs its `SchemaGenerator` on one table.
///
/// Errors: `NotImplementedError` for a table of a `MetaData` no class was
/// mapped in (the tutor finds the table's metadata through its mapped
/// registries).
fn table_ddl(t: &TableRef, b: &crate::python::Bound, which: &str) -> PyResult<Value> {
    let registry = crate::orm::mapper::mapped_registries()
        .into_iter()
        .find(|r| r.tables.borrow().iter().any(|x| std::rc::Rc::ptr_eq(x, t)))
        .ok_or_else(|| {
            PyErr::unsupported(format!(
                "Table.{}() on a table of a MetaData without mapped classes",
                &which[..which.len() - 4]
            ))
        })?;
    let kwargs = vec![
        (
            "tables".to_string(),
            Value::list(vec![Value::Native(t.clone())]),
        ),
        (
            "checkfirst".to_string(),
            Value::Bool(b.get("checkfirst").is_some_and(|v| v.truthy())),
        ),
    ];
    let run = if which == "create_all" {
        crate::interpreter::models::create_all
    } else {
        crate::interpreter::models::drop_all
    };
    run(&registry, vec![b.value("bind")], kwargs)?;
    Ok(Value::None)
}

/// `Table`'s statement methods, with SQLAlchemy 2.0's signatures.
pub static TABLE: &[Method<TableRef>] = &[
    Method {
        name: "create",
        params: &["bind", "checkfirst="],
        call: |_, t, b| table_ddl(t, &b, "create_all"),
    },
    Method {
        name: "drop",
        params: &["bind", "checkfirst="],
        call: |_, t, b| table_ddl(t, &b, "drop_all"),
    },
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
    let type_name = if matches!(name, "create" | "drop") {
        "Table"
    } else if matches!(name, "select" | "alias" | "join" | "outerjoin") {
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
/// not the table's name. `table.c["a", "b"]` is the collection of those
/// columns only (the second field: their indices, in the order asked).
#[derive(Debug)]
pub struct TableColumns(pub TableRef, pub Option<Vec<usize>>);

impl crate::python::PyObject for TableColumns {
    fn type_name(&self) -> String {
        "ReadOnlyColumnCollection".into()
    }
    fn repr(&self) -> String {
        let keys: Vec<String> = self
            .indices()
            .into_iter()
            .map(|i| format!("'{}'", self.0.columns[i].name))
            .collect();
        format!(
            "<sqlalchemy.sql.base.ReadOnlyColumnCollection object>[{}]",
            keys.join(", ")
        )
    }
    /// `t.c["name"]`, `t.c[0]`, and `t.c["id", "name"]` (a collection of
    /// those columns), as SQLAlchemy's `ColumnCollection.__getitem__`.
    fn get_item(&self, key: &Value) -> Option<PyResult<Value>> {
        let indices = self.indices();
        Some(match key {
            Value::Str(name) => match indices
                .iter()
                .find(|&&i| self.0.columns[i].name == name.as_ref())
            {
                Some(&i) => Ok(column_value(&self.0, i)),
                None => Err(PyErr::new(
                    ExcType::KeyError,
                    crate::python::format::repr_plain(key),
                )),
            },
            Value::Int(n) => {
                let at = if *n < 0 {
                    *n + indices.len() as i64
                } else {
                    *n
                };
                match usize::try_from(at).ok().and_then(|at| indices.get(at)) {
                    Some(&i) => Ok(column_value(&self.0, i)),
                    None => Err(PyErr::new(ExcType::IndexError, "list index out of range")),
                }
            }
            Value::Tuple(names) => {
                let mut subset = Vec::with_capacity(names.len());
                for n in names.iter() {
                    let found = match n {
                        Value::Str(name) => indices
                            .iter()
                            .find(|&&i| self.0.columns[i].name == name.as_ref())
                            .copied(),
                        _ => None,
                    };
                    match found {
                        Some(i) => subset.push(i),
                        None => {
                            return Some(Err(PyErr::new(
                                ExcType::KeyError,
                                crate::python::format::repr_plain(n),
                            )));
                        }
                    }
                }
                Ok(Value::native(TableColumns(self.0.clone(), Some(subset))))
            }
            other => Err(crate::python::exceptions::type_error(format!(
                "unhashable type: '{}'",
                other.type_name()
            ))),
        })
    }
    fn into_any(self: std::rc::Rc<Self>) -> std::rc::Rc<dyn std::any::Any> {
        self
    }
}

/// The columns a `select()` argument that is a table's column collection
/// (`table.c`, `table.c["id", "name"]`) stands for: its table and their
/// positions.
pub fn column_collection(v: &Value) -> Option<(TableRef, Vec<usize>)> {
    v.downcast::<TableColumns>()
        .map(|c| (c.0.clone(), c.indices()))
}

impl TableColumns {
    /// The indices of the collection's columns in the table, in order.
    pub fn indices(&self) -> Vec<usize> {
        match &self.1 {
            Some(subset) => subset.clone(),
            None => (0..self.0.columns.len()).collect(),
        }
    }

    /// `table.c.keys()`: the column keys, a list (SQLAlchemy 2.0
    /// `ColumnCollection.keys()`).
    pub fn keys_value(&self) -> Value {
        Value::list(
            self.indices()
                .into_iter()
                .map(|i| Value::str(&self.0.columns[i].name))
                .collect(),
        )
    }

    /// `table.c.<name>` of this collection.
    ///
    /// Errors: `AttributeError` for a name that is not one of its columns.
    pub fn attr(&self, name: &str) -> PyResult<Value> {
        match (&self.1, self.0.column_index(name)) {
            (Some(subset), Some(i)) if !subset.contains(&i) => {
                Err(crate::python::exceptions::attribute_error(name.to_string()))
            }
            _ => column_attr(&self.0, name),
        }
    }
}

/// The column `i` of `t` as a SQL expression.
pub fn column_value(t: &TableRef, i: usize) -> Value {
    use crate::sql::elements::{Expr, Selectable};
    Value::native(crate::orm::expression::SqlExpr {
        expr: Expr::column(&Selectable::Table(t.clone()), i),
        ty: Some(t.columns[i].sql_type.clone()),
        key: Some(t.columns[i].name.clone()),
        id: crate::orm::expression::fresh_expr_id(),
    })
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

/// `table.primary_key`: the table's `PrimaryKeyConstraint`, whose `repr()`
/// lists its columns' (SQLAlchemy's `ColumnCollectionConstraint`).
#[derive(Debug)]
pub struct PrimaryKeyConstraint(pub TableRef);

impl crate::python::PyObject for PrimaryKeyConstraint {
    fn type_name(&self) -> String {
        "PrimaryKeyConstraint".into()
    }
    fn repr(&self) -> String {
        let columns: Vec<String> = self
            .0
            .primary_key()
            .into_iter()
            .map(|i| super::objects::column_repr(&self.0, i))
            .collect();
        format!("PrimaryKeyConstraint({})", columns.join(", "))
    }
    /// Its columns, for `for c in table.primary_key` and `list(...)`.
    fn as_builtin(&self) -> Option<Value> {
        Some(Value::list(
            self.0
                .primary_key()
                .into_iter()
                .map(|i| column_value(&self.0, i))
                .collect(),
        ))
    }
    fn into_any(self: std::rc::Rc<Self>) -> std::rc::Rc<dyn std::any::Any> {
        self
    }
}
