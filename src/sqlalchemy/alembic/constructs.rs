//! The Core constructors migration scripts use: `sa.table("roles",
//! sa.column("id", sa.Integer), …)` (a lightweight `TableClause` for
//! `op.bulk_insert` and `op.execute(t.update()…)`), and the table-level
//! `sa.PrimaryKeyConstraint("id")` and `sa.ForeignKeyConstraint(["user_id"],
//! ["users.id"])` that `op.create_table` takes (SQLAlchemy 2.0's
//! `sql/expression.py` and `sql/schema.py`).

use std::rc::Rc;

use crate::orm::schema_items::SchemaItem;
use crate::python::exceptions::type_error;
use crate::python::object::{PyObject, downcast};
use crate::python::{PyErr, PyResult, Signature, Value};
use crate::sql::schema::{Column, SqlType, Table, TableConstraint};

use super::ddl::{ColumnSpec, ConstraintSpec};

/// The names these constructors answer to in `sqlalchemy`.
pub const CONSTRUCT_NAMES: &[&str] = &[
    "table",
    "column",
    "PrimaryKeyConstraint",
    "ForeignKeyConstraint",
];

/// A `PrimaryKeyConstraint` or `ForeignKeyConstraint`, waiting for its table.
#[derive(Debug)]
pub struct Constraint(pub ConstraintSpec);

impl PyObject for Constraint {
    fn type_name(&self) -> String {
        match self.0 {
            ConstraintSpec::PrimaryKey { .. } => "PrimaryKeyConstraint",
            ConstraintSpec::ForeignKey { .. } => "ForeignKeyConstraint",
            ConstraintSpec::Unique { .. } => "UniqueConstraint",
            ConstraintSpec::Check { .. } => "CheckConstraint",
        }
        .into()
    }
    fn repr(&self) -> String {
        format!("{}()", self.type_name())
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

fn string(v: &Value, what: &str) -> PyResult<String> {
    match v {
        Value::Str(s) => Ok(s.to_string()),
        other => Err(PyErr::unsupported(format!(
            "{what} given as {} (give it as a string)",
            other.type_name()
        ))),
    }
}

fn strings(v: &Value, what: &str) -> PyResult<Vec<String>> {
    match v {
        Value::List(l) => l.items.borrow().iter().map(|x| string(x, what)).collect(),
        Value::Tuple(t) => t.iter().map(|x| string(x, what)).collect(),
        other => Ok(vec![string(other, what)?]),
    }
}

fn optional_name(v: Option<&Value>) -> PyResult<Option<String>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(v) => string(v, "a constraint name").map(Some),
    }
}

/// `sa.table(...)`, `sa.column(...)`, `sa.PrimaryKeyConstraint(...)`,
/// `sa.ForeignKeyConstraint(...)`, with SQLAlchemy 2.0's signatures.
pub fn construct(name: &str, args: Vec<Value>, kwargs: Vec<(String, Value)>) -> PyResult<Value> {
    match name {
        "table" => {
            let b =
                Signature::function("table", &["name", "*columns", "**kw"]).bind(args, kwargs)?;
            let name = string(b.required("name")?, "a table name")?;
            let mut columns = Vec::new();
            for c in &b.varargs {
                columns.push(
                    column_of(c).ok_or_else(|| {
                        PyErr::unsupported("table() columns other than column(...)")
                    })?,
                );
            }
            Ok(Value::Native(Rc::new(Table::new(name, columns))))
        }
        "column" => {
            let b =
                Signature::function("column", &["text", "type_=", "is_literal=", "_selectable="])
                    .bind(args, kwargs)?;
            let name = string(b.required("text")?, "a column name")?;
            let ty = match b.given("type_") {
                Some(t) => crate::sqlalchemy::schema::type_of(t)
                    .ok_or_else(|| PyErr::unsupported("this column type"))?,
                None => SqlType::String(None),
            };
            Ok(Value::native(SchemaItem::Column(
                Column::new(name.clone(), ty),
                Some(name),
            )))
        }
        "PrimaryKeyConstraint" => {
            let b = Signature::function("PrimaryKeyConstraint", &["*columns", "name="])
                .bind(args, kwargs)?;
            let mut columns = Vec::new();
            for c in &b.varargs {
                columns.push(string(c, "a primary key column")?);
            }
            Ok(Value::native(Constraint(ConstraintSpec::PrimaryKey {
                name: optional_name(b.get("name"))?,
                columns,
            })))
        }
        "ForeignKeyConstraint" => foreign_key_constraint(args, kwargs),
        _ => Err(type_error(format!("{name} is not a constructor"))),
    }
}

fn foreign_key_constraint(args: Vec<Value>, kwargs: Vec<(String, Value)>) -> PyResult<Value> {
    let b = Signature::function(
        "ForeignKeyConstraint",
        &[
            "columns",
            "refcolumns",
            "name=",
            "onupdate=!",
            "ondelete=",
            "deferrable=!",
            "initially=!",
            "use_alter=!",
            "link_to_name=!",
            "match=!",
            "table=!",
            "info=!",
            "comment=!",
        ],
    )
    .bind(args, kwargs)?;
    let columns = strings(b.required("columns")?, "a foreign key column")?;
    let refs = strings(b.required("refcolumns")?, "a referenced column")?;
    let mut referred_table = String::new();
    let mut referred_columns = Vec::new();
    for r in refs {
        let Some((t, c)) = r.rsplit_once('.') else {
            return Err(PyErr::unsupported(format!(
                "the referenced column '{r}' without its table ('table.column')"
            )));
        };
        referred_table = t.to_string();
        referred_columns.push(c.to_string());
    }
    Ok(Value::native(Constraint(ConstraintSpec::ForeignKey {
        name: optional_name(b.get("name"))?,
        columns,
        referred_table,
        referred_columns,
        ondelete: optional_name(b.get("ondelete"))?,
    })))
}

/// The `Column` of a `Column(...)`/`column(...)` value, named.
pub fn column_of(v: &Value) -> Option<Column> {
    let Value::Native(n) = v else { return None };
    match downcast::<SchemaItem>(n).as_deref() {
        Some(SchemaItem::Column(c, name)) => {
            let mut c = c.clone();
            if let Some(name) = name {
                c.name = name.clone();
            }
            Some(c)
        }
        _ => None,
    }
}

/// A column as Alembic's DDL writes it on `dialect` (a native `Enum` is
/// its type's name on PostgreSQL).
pub fn column_spec(c: &Column, dialect: &crate::sql::dialect::Dialect) -> ColumnSpec {
    ColumnSpec {
        name: c.name.clone(),
        type_sql: crate::sql::ddl::type_ddl(&c.sql_type, dialect),
        nullable: c.nullable && !c.primary_key,
        server_default: c.server_default.clone(),
        autoincrement: None,
    }
}

/// A table-level constraint argument (`PrimaryKeyConstraint`,
/// `ForeignKeyConstraint`, `UniqueConstraint`, `CheckConstraint`).
pub fn constraint_of(v: &Value) -> Option<ConstraintSpec> {
    let Value::Native(n) = v else { return None };
    if let Some(c) = downcast::<Constraint>(n) {
        return Some(c.0.clone());
    }
    match downcast::<SchemaItem>(n).as_deref() {
        Some(SchemaItem::Constraint(TableConstraint::Unique { name, columns })) => {
            Some(ConstraintSpec::Unique {
                name: name.clone(),
                columns: columns.clone(),
            })
        }
        Some(SchemaItem::Constraint(TableConstraint::Check { name, sql })) => {
            Some(ConstraintSpec::Check {
                name: name.clone(),
                sql: sql.clone(),
            })
        }
        _ => None,
    }
}
