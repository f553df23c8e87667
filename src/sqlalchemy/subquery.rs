//! `Select.subquery()`: a named or anonymous `(SELECT …) AS name` to select
//! from and join to, with its column collection `.c` (SQLAlchemy's
//! `Subquery` and `ReadOnlyColumnCollection`).

use std::rc::Rc;

use crate::orm::expression::SqlExpr;
use crate::orm::query::{Entity, Query};
use crate::python::exceptions::attribute_error;
use crate::python::{PyObject, PyResult, Value};
use crate::sql::elements::{Expr, Name, Selectable, Subquery};
use crate::sql::schema::SqlType;

/// A subquery value: the SQL element, the keys of its columns (`.c.<key>`)
/// and their types (for result processing).
#[derive(Debug)]
pub struct SubqueryObj {
    pub subquery: Rc<Subquery>,
    pub keys: Vec<Option<String>>,
    pub types: Vec<Option<SqlType>>,
}

/// `subquery.c`: the subquery's column collection.
#[derive(Debug)]
pub struct SubqueryColumns(pub Rc<SubqueryObj>);

impl PyObject for SubqueryObj {
    fn type_name(&self) -> String {
        if self.subquery.cte { "CTE" } else { "Subquery" }.into()
    }
    fn repr(&self) -> String {
        format!("<sqlalchemy.sql.selectable.{} object>", self.type_name())
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

impl PyObject for SubqueryColumns {
    fn type_name(&self) -> String {
        "ReadOnlyColumnCollection".into()
    }
    fn repr(&self) -> String {
        let keys: Vec<String> = self
            .0
            .keys
            .iter()
            .map(|k| format!("'{}'", k.as_deref().unwrap_or("")))
            .collect();
        format!(
            "<sqlalchemy.sql.base.ReadOnlyColumnCollection object>[{}]",
            keys.join(", ")
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `Select.subquery(name=None)`: the SELECT (without eager loads) as a
/// FROM item named `name`, or `anon_N` when not named; with `cte`, as
/// `Select.cte(name=None)` (`WITH name AS (…)`).
pub fn subquery(q: &Query, name: Option<String>, cte: bool) -> PyResult<Value> {
    let (select, _) = q.to_select_plain()?;
    let mut types = Vec::new();
    for e in &q.entities {
        match e {
            Entity::Mapper(m, _) => {
                types.extend(m.table.columns.iter().map(|c| Some(c.sql_type.clone())))
            }
            Entity::Column(c) => types.push(c.ty.clone()),
        }
    }
    let subquery = Rc::new(Subquery {
        select,
        name: match name {
            Some(n) => Name::Fixed(n),
            None => Name::Anon("anon".into()),
        },
        cte,
    });
    let keys = crate::sql::compiler::subquery_keys(&subquery);
    Ok(Value::native(SubqueryObj {
        subquery,
        keys,
        types,
    }))
}

impl SubqueryObj {
    /// The subquery as a FROM item.
    pub fn selectable(&self) -> Selectable {
        Selectable::Subquery(self.subquery.clone())
    }

    /// `sq.c.<key>`: the column of the subquery with that key.
    ///
    /// Errors: `AttributeError` as SQLAlchemy's for a key it lacks.
    pub fn column(&self, key: &str) -> PyResult<Value> {
        let i = self
            .keys
            .iter()
            .position(|k| k.as_deref() == Some(key))
            .ok_or_else(|| attribute_error(key.to_string()))?;
        let mut e = SqlExpr::new(
            Expr::column(&self.selectable(), i),
            self.types.get(i).cloned().flatten(),
        );
        e.key = Some(key.to_string());
        Ok(Value::native(e))
    }

    /// `sq.c.keys()`.
    pub fn keys_value(&self) -> Value {
        Value::list(
            self.keys
                .iter()
                .map(|k| Value::str(k.as_deref().unwrap_or("")))
                .collect(),
        )
    }
}

/// `sq.<name>` for a subquery value.
pub fn subquery_attr(obj: &Rc<SubqueryObj>, name: &str) -> PyResult<Value> {
    match name {
        "c" | "columns" => Ok(Value::native(SubqueryColumns(obj.clone()))),
        _ => Err(attribute_error(format!(
            "'{}' object has no attribute '{name}'",
            obj.type_name()
        ))),
    }
}
