//! A `Table`'s schema items as SQLAlchemy's objects: `Table.indexes`,
//! `Table.constraints` and `Table.foreign_keys` (sets of `Index`,
//! `PrimaryKeyConstraint`/`UniqueConstraint`/`CheckConstraint`/
//! `ForeignKeyConstraint` and `ForeignKey`), and a `Column`'s options
//! (`c.unique`, `c.index`, `c.default`, `c.server_default`, `c.onupdate`,
//! `c.server_onupdate`, `c.foreign_keys`, `c.autoincrement`, `c.comment`)
//! with SQLAlchemy's values and reprs. A set prints in the order the items
//! were made; CPython's follows their hashes (object ids), which differ
//! from run to run.

use std::rc::Rc;

use crate::orm::schema_items::SchemaItem;
use crate::python::exceptions::{PyErr, PyResult};
use crate::python::value::{ListObj, SetKind, str_repr};
use crate::python::{PyObject, Value};
use crate::sql::schema::{Column, ColumnDefault, Index, SqlType, SqlValue, Table, TableConstraint};
use crate::sql::schema::{ForeignKey, TableRef};

/// A column default or server default as SQLAlchemy's object
/// (`ScalarElementColumnDefault('x')`, `CallableColumnDefault(…)`,
/// `ColumnElementColumnDefault(…)`, `DefaultClause('3', for_update=False)`):
/// its class and repr.
#[derive(Debug)]
pub struct DefaultObject {
    pub class: &'static str,
    pub repr: String,
    pub for_update: bool,
}

impl PyObject for DefaultObject {
    fn type_name(&self) -> String {
        self.class.into()
    }
    fn repr(&self) -> String {
        self.repr.clone()
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

impl DefaultObject {
    /// `d.for_update`, `d.is_scalar`, `d.is_callable`,
    /// `d.is_clause_element`, `d.is_server_default`; the argument itself
    /// (`d.arg`) is not modelled.
    pub fn attr(&self, name: &str) -> PyResult<Value> {
        let server = self.class == "DefaultClause";
        match name {
            "for_update" => Ok(Value::Bool(self.for_update)),
            "is_scalar" => Ok(Value::Bool(self.class == "ScalarElementColumnDefault")),
            "is_callable" => Ok(Value::Bool(self.class == "CallableColumnDefault")),
            "is_clause_element" => Ok(Value::Bool(self.class == "ColumnElementColumnDefault")),
            "is_server_default" => Ok(Value::Bool(server)),
            "is_sequence" | "is_identity" => Ok(Value::Bool(false)),
            _ => Err(PyErr::unsupported(format!("{}.{name}", self.class))),
        }
    }
}

/// `repr()` of a Python-side default as SQLAlchemy's `ColumnDefault`
/// subclasses write it, and that class's name.
pub fn default_repr(c: &Column, d: &ColumnDefault) -> (&'static str, String) {
    let py_str = crate::sqlalchemy::alembic::autogenerate::py_str;
    match d {
        ColumnDefault::Value(v) => {
            let value = match (v, &c.sql_type) {
                (SqlValue::Integer(n), SqlType::Boolean) => {
                    if *n != 0 { "True" } else { "False" }.to_string()
                }
                (SqlValue::Bool(b), _) => if *b { "True" } else { "False" }.to_string(),
                (SqlValue::Integer(n), _) => n.to_string(),
                (SqlValue::Real(f), _) => format!("{f:?}"),
                (SqlValue::Text(t), _) => py_str(t),
                (SqlValue::Null, _) => "None".into(),
                (other, _) => format!("{other:?}"),
            };
            (
                "ScalarElementColumnDefault",
                format!("ScalarElementColumnDefault({value})"),
            )
        }
        ColumnDefault::UtcNow | ColumnDefault::Now => {
            let name = if matches!(d, ColumnDefault::UtcNow) {
                "utcnow"
            } else {
                "now"
            };
            (
                "CallableColumnDefault",
                format!(
                    "CallableColumnDefault(<function datetime.{name} at {}>)",
                    crate::python::format::address_of(d as *const ColumnDefault)
                ),
            )
        }
        ColumnDefault::Callable(f) => (
            "CallableColumnDefault",
            format!(
                "CallableColumnDefault({})",
                f.0.downcast_ref::<Value>().map_or_else(
                    || format!(
                        "<function at {}>",
                        crate::python::format::address_of(d as *const ColumnDefault)
                    ),
                    crate::python::format::repr_plain
                )
            ),
        ),
        ColumnDefault::Sql(e) => (
            "ColumnElementColumnDefault",
            format!(
                "ColumnElementColumnDefault({})",
                crate::sql::compiler::str_expression(e)
            ),
        ),
    }
}

/// `DefaultClause(<arg>, for_update=…)`'s repr from its argument's.
pub fn default_clause_repr(arg: &str, for_update: bool) -> String {
    format!(
        "DefaultClause({arg}, for_update={})",
        if for_update { "True" } else { "False" }
    )
}

/// `ForeignKey('t.id')`, as SQLAlchemy's `ForeignKey.__repr__`.
pub fn foreign_key_repr(fk: &ForeignKey) -> String {
    format!(
        "ForeignKey({})",
        str_repr(&format!("{}.{}", fk.table, fk.column))
    )
}

/// A `ForeignKey`'s attributes: `target_fullname`, `ondelete`, `onupdate`,
/// `name` (`None`: the tutor's are unnamed); `column` and `parent` are not
/// modelled.
pub fn foreign_key_attr(fk: &ForeignKey, name: &str) -> Option<PyResult<Value>> {
    Some(Ok(match name {
        "target_fullname" => Value::str(&format!("{}.{}", fk.table, fk.column)),
        "ondelete" => fk.ondelete.as_deref().map_or(Value::None, Value::str),
        "onupdate" | "name" | "deferrable" | "initially" => Value::None,
        "column" | "parent" | "constraint" | "info" | "use_alter" | "match" => {
            return Some(Err(PyErr::unsupported(format!("ForeignKey.{name}"))));
        }
        _ => return None,
    }))
}

/// A Python `set` of `items`, in their order.
fn set_of(items: Vec<Value>) -> Value {
    Value::Set(ListObj::new(items), SetKind::Plain)
}

/// A column's `foreign_keys`: a set of its `ForeignKey` (empty when none).
fn column_foreign_keys(c: &Column) -> Value {
    set_of(
        c.foreign_key
            .iter()
            .map(|fk| Value::native(SchemaItem::ForeignKey(fk.clone())))
            .collect(),
    )
}

/// The attributes of SQLAlchemy's `Column` that report its options, for a
/// column of a table or one not yet in a table; `None` for other names.
pub fn column_option(c: &Column, name: &str) -> Option<Value> {
    let flag = |f: Option<bool>| f.map_or(Value::None, Value::Bool);
    let default = |d: &Option<ColumnDefault>| match d {
        Some(d) => {
            let (class, repr) = default_repr(c, d);
            Value::native(DefaultObject {
                class,
                repr,
                for_update: false,
            })
        }
        None => Value::None,
    };
    let clause = |arg: &Option<String>, for_update: bool| match arg {
        Some(arg) => Value::native(DefaultObject {
            class: "DefaultClause",
            repr: default_clause_repr(arg, for_update),
            for_update,
        }),
        None => Value::None,
    };
    Some(match name {
        "unique" => flag(c.face.unique),
        "index" => flag(c.face.index),
        "default" => default(&c.default),
        "onupdate" => default(&c.onupdate),
        "server_default" => clause(&c.face.server_default, false),
        "server_onupdate" => clause(&c.face.server_onupdate, true),
        "foreign_keys" => column_foreign_keys(c),
        "autoincrement" => match &c.face.autoincrement {
            None => Value::str("auto"),
            Some(r) if r == "True" => Value::Bool(true),
            Some(r) if r == "False" => Value::Bool(false),
            Some(r) => Value::str(r.trim_matches('\'')),
        },
        "comment" => c.face.comment.as_deref().map_or(Value::None, Value::str),
        _ => return None,
    })
}

/// An index of a table: `Index('ix_t_n', Column(...), unique=True)`.
#[derive(Debug)]
pub struct TableIndex {
    pub table: TableRef,
    pub index: Index,
}

impl PyObject for TableIndex {
    fn type_name(&self) -> String {
        "Index".into()
    }
    fn repr(&self) -> String {
        let mut parts = vec![str_repr(&self.index.name)];
        parts.extend(
            self.index
                .columns
                .iter()
                .map(|n| column_repr_named(&self.table, n)),
        );
        if self.index.unique {
            parts.push("unique=True".into());
        }
        format!("Index({})", parts.join(", "))
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

impl TableIndex {
    /// `i.name`, `i.unique`, `i.table`; the rest not modelled.
    pub fn attr(&self, name: &str) -> PyResult<Value> {
        match name {
            "name" => Ok(Value::str(&self.index.name)),
            "unique" => Ok(Value::Bool(self.index.unique)),
            "table" => Ok(Value::Native(self.table.clone())),
            _ => Err(PyErr::unsupported(format!("Index.{name}"))),
        }
    }
}

/// `repr()` of the table's column `name` (SQLAlchemy's `Column.__repr__`).
fn column_repr_named(t: &Table, name: &str) -> String {
    match t.columns.iter().position(|c| c.name == name) {
        Some(i) => super::objects::column_repr(t, i),
        None => format!("Column({})", str_repr(name)),
    }
}

/// One of `Table.constraints`, with SQLAlchemy's repr.
#[derive(Debug)]
pub struct Constraint {
    pub table: TableRef,
    pub kind: ConstraintKind,
}

/// What a [`Constraint`] is.
#[derive(Debug)]
pub enum ConstraintKind {
    /// A `UNIQUE` over these columns (`unique=True` or `UniqueConstraint`).
    Unique {
        name: Option<String>,
        columns: Vec<String>,
    },
    Check {
        name: Option<String>,
    },
    /// A column's `ForeignKey`'s constraint: the column's position.
    ForeignKey(usize),
}

impl PyObject for Constraint {
    fn type_name(&self) -> String {
        match self.kind {
            ConstraintKind::Unique { .. } => "UniqueConstraint",
            ConstraintKind::Check { .. } => "CheckConstraint",
            ConstraintKind::ForeignKey(_) => "ForeignKeyConstraint",
        }
        .into()
    }
    fn repr(&self) -> String {
        let table = self.table.repr();
        match &self.kind {
            ConstraintKind::Unique { columns, .. } => {
                let cols: Vec<String> = columns
                    .iter()
                    .map(|n| column_repr_named(&self.table, n))
                    .collect();
                format!("UniqueConstraint({})", cols.join(", "))
            }
            ConstraintKind::Check { name } => format!(
                "CheckConstraint(<sqlalchemy.sql.elements.TextClause object at {}>{}, table={table})",
                crate::python::format::address_of(self as *const Self),
                name.as_deref()
                    .map_or(String::new(), |n| format!(", name={}", str_repr(n)))
            ),
            ConstraintKind::ForeignKey(i) => format!(
                "ForeignKeyConstraint(<sqlalchemy.sql.base.ReadOnlyColumnCollection object at {}>, None{}, table={table})",
                crate::python::format::address_of(self as *const Self),
                self.table.columns[*i]
                    .foreign_key
                    .as_ref()
                    .and_then(|fk| fk.ondelete.as_deref())
                    .map_or(String::new(), |o| format!(", ondelete={}", str_repr(o)))
            ),
        }
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

impl Constraint {
    /// `c.name` and `c.table`; the rest not modelled.
    pub fn attr(&self, name: &str) -> PyResult<Value> {
        match (name, &self.kind) {
            ("name", ConstraintKind::Unique { name, .. } | ConstraintKind::Check { name }) => {
                Ok(name.as_deref().map_or(Value::None, Value::str))
            }
            ("name", ConstraintKind::ForeignKey(_)) => Ok(Value::None),
            ("table", _) => Ok(Value::Native(self.table.clone())),
            _ => Err(PyErr::unsupported(format!("{}.{name}", self.type_name()))),
        }
    }
}

/// `Table.indexes`: the columns' `index=True` indexes and the declared
/// ones.
pub fn table_indexes(t: &TableRef) -> Value {
    set_of(
        t.all_indexes()
            .into_iter()
            .map(|index| {
                Value::native(TableIndex {
                    table: t.clone(),
                    index,
                })
            })
            .collect(),
    )
}

/// `Table.foreign_keys`: every column's `ForeignKey`.
pub fn table_foreign_keys(t: &TableRef) -> Value {
    set_of(
        t.columns
            .iter()
            .filter_map(|c| c.foreign_key.as_ref())
            .map(|fk| Value::native(SchemaItem::ForeignKey(fk.clone())))
            .collect(),
    )
}

/// `Table.constraints`: the `PrimaryKeyConstraint`, each column's
/// `unique=True` (without `index=True`) and `ForeignKey` constraint, and
/// the table-level ones.
///
/// Errors: `NotImplementedError` for a table with an `Enum`'s or other
/// type's own `CHECK` constraint.
pub fn table_constraints(t: &TableRef) -> PyResult<Value> {
    if t.columns.iter().any(|c| c.enum_check.is_some()) {
        return Err(PyErr::unsupported(
            "Table.constraints of a table with an Enum(create_constraint=True) column",
        ));
    }
    let mut items = vec![Value::native(super::table::PrimaryKeyConstraint(t.clone()))];
    let mut push = |kind| {
        items.push(Value::native(Constraint {
            table: t.clone(),
            kind,
        }))
    };
    for (i, c) in t.columns.iter().enumerate() {
        if c.unique && !c.index {
            push(ConstraintKind::Unique {
                name: None,
                columns: vec![c.name.clone()],
            });
        }
        if c.foreign_key.is_some() {
            push(ConstraintKind::ForeignKey(i));
        }
    }
    for k in &t.constraints {
        push(match k {
            TableConstraint::Unique { name, columns } => ConstraintKind::Unique {
                name: name.clone(),
                columns: columns.clone(),
            },
            TableConstraint::Check { name, .. } => ConstraintKind::Check { name: name.clone() },
        });
    }
    Ok(set_of(items))
}
