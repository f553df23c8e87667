//! SQLAlchemy's schema constructors as a learner calls them: `Column(...)`,
//! `ForeignKey(...)`, `relationship(...)`, `backref(...)`, `Table(...)` and
//! the type constructors (`String(100)`), each checked as SQLAlchemy 2.0
//! checks its arguments. `class X(Base):` bodies that use them become
//! mappers in [`crate::interpreter::models`].

use crate::python::object::downcast;
use std::rc::Rc;

use crate::interpreter::Interpreter;
use crate::orm::mapper::{Cascade, Lazy};
use crate::orm::schema_items::{RelationshipDecl, SchemaItem};
use crate::python::ExcType;
use crate::python::exceptions::{PyErr, PyResult, invalid_request, type_error};
use crate::python::format::repr_plain;
use crate::python::value::{Builtin, Value};
use crate::sql::schema::{Column, ColumnDefault, ForeignKey, SqlType, Table};

type Kwargs = Vec<(String, Value)>;

fn kw(kwargs: &Kwargs, name: &str) -> Option<Value> {
    kwargs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

/// A SQLAlchemy type given as a class (`String`) or an instance
/// (`String(50)`), if it is one.
pub(crate) fn type_of(v: &Value) -> Option<SqlType> {
    match v {
        Value::Native(n) => match downcast::<SchemaItem>(n).as_deref() {
            Some(SchemaItem::Type(t)) => Some(t.clone()),
            _ => None,
        },
        Value::Builtin(Builtin::Schema(name)) => simple_type(name, None),
        _ => None,
    }
}

fn simple_type(name: &str, length: Option<u32>) -> Option<SqlType> {
    Some(match name {
        "Integer" => SqlType::Integer,
        "String" => SqlType::String(length),
        "Text" => SqlType::Text,
        "Boolean" => SqlType::Boolean,
        "DateTime" => SqlType::DateTime,
        "Date" => SqlType::Date,
        "Float" => SqlType::Float,
        "Numeric" => SqlType::Numeric,
        _ => return None,
    })
}

fn str_arg(v: &Value, what: &str) -> PyResult<String> {
    match v {
        Value::Str(s) => Ok(s.to_string()),
        other => Err(PyErr::new(
            ExcType::ArgumentError,
            format!("{what} must be a string, got {}", repr_plain(other)),
        )),
    }
}

fn column_default(v: &Value, ty: &SqlType) -> PyResult<ColumnDefault> {
    match v {
        Value::Method(m) if matches!(m.receiver, Value::Builtin(Builtin::DateTime)) => {
            match m.name.as_str() {
                "utcnow" => Ok(ColumnDefault::UtcNow),
                _ => Ok(ColumnDefault::Now),
            }
        }
        Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::Str(_) | Value::DateTime(_) => {
            Ok(ColumnDefault::Value(crate::orm::expression::bind_value(
                v,
                Some(ty),
            )?))
        }
        other => Err(PyErr::new(
            ExcType::ArgumentError,
            format!(
                "orm-tutor supports constant defaults and datetime.utcnow/datetime.now, not {}",
                repr_plain(other)
            ),
        )),
    }
}

/// `Column(...)`, `relationship(...)`, `ForeignKey(...)`, `Table(...)`,
/// `backref(...)` and the type constructors (`String(100)`): a
/// schema item, or a `Table` registered in the metadata.
pub fn schema_call(
    interp: &mut Interpreter,
    kind: &str,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<Value> {
    let item = match kind {
        "Column" => column(&args, &kwargs)?,
        "ForeignKey" => foreign_key(&args)?,
        "backref" => SchemaItem::Backref(str_arg(
            args.first().unwrap_or(&Value::None),
            "backref name",
        )?),
        "relationship" => relationship(&args, &kwargs)?,
        "Table" => return table(interp, &args),
        ty => type_constructor(ty, &args)?,
    };
    Ok(Value::native(item))
}

/// `Column([name,] type, [ForeignKey(...)], primary_key=, nullable=, …)`;
/// a `ForeignKey` without a type makes an `Integer` column.
fn column(args: &[Value], kwargs: &Kwargs) -> PyResult<SchemaItem> {
    let mut name = None;
    let mut ty = None;
    let mut fk = None;
    for a in args {
        match a {
            Value::Str(s) if name.is_none() && ty.is_none() => name = Some(s.to_string()),
            Value::Native(n)
                if let Some(SchemaItem::ForeignKey(f)) = downcast::<SchemaItem>(n).as_deref() =>
            {
                fk = Some(f.clone());
            }
            other => match type_of(other) {
                Some(t) => ty = Some(t),
                None => {
                    return Err(PyErr::new(
                        ExcType::ArgumentError,
                        format!("Column() got an unexpected argument {}", repr_plain(other)),
                    ));
                }
            },
        }
    }
    let sql_type = match (ty, &fk) {
        (Some(t), _) => t,
        (None, Some(_)) => SqlType::Integer,
        (None, None) => {
            return Err(PyErr::new(
                ExcType::ArgumentError,
                "Column() needs a type such as Integer or String(100)",
            ));
        }
    };
    let primary_key = kw(kwargs, "primary_key").is_some_and(|v| v.truthy());
    let nullable = match kw(kwargs, "nullable") {
        Some(v) => v.truthy(),
        None => !primary_key,
    };
    let default = match kw(kwargs, "default") {
        Some(Value::None) | None => None,
        Some(v) => Some(column_default(&v, &sql_type)?),
    };
    for (k, _) in kwargs {
        if !matches!(
            k.as_str(),
            "primary_key"
                | "nullable"
                | "unique"
                | "default"
                | "index"
                | "autoincrement"
                | "server_default"
                | "doc"
                | "comment"
        ) {
            return Err(type_error(format!(
                "Column() got an unexpected keyword argument '{k}'"
            )));
        }
    }
    Ok(SchemaItem::Column(
        Column {
            name: name.clone().unwrap_or_default(),
            sql_type,
            primary_key,
            nullable,
            unique: kw(kwargs, "unique").is_some_and(|v| v.truthy()),
            foreign_key: fk,
            default,
        },
        name,
    ))
}

/// `ForeignKey("table.column")`.
fn foreign_key(args: &[Value]) -> PyResult<SchemaItem> {
    let target = str_arg(args.first().unwrap_or(&Value::None), "ForeignKey target")?;
    let (table, column) = target.split_once('.').ok_or_else(|| {
        PyErr::new(
            ExcType::ArgumentError,
            format!("ForeignKey target must look like 'table.column', got '{target}'"),
        )
    })?;
    Ok(SchemaItem::ForeignKey(ForeignKey {
        table: table.to_string(),
        column: column.to_string(),
    }))
}

/// `relationship("Target", lazy=, cascade=, secondary=, backref=,
/// back_populates=, uselist=, order_by=, viewonly=, …)`.
fn relationship(args: &[Value], kwargs: &Kwargs) -> PyResult<SchemaItem> {
    let target = match args.first() {
        Some(Value::Str(s)) => s.to_string(),
        Some(v) if let Some(m) = super::objects::as_class(&v) => m.class_name.clone(),
        Some(other) => {
            return Err(PyErr::new(
                ExcType::ArgumentError,
                format!(
                    "relationship() expects a class name such as \"Message\", got {}",
                    repr_plain(other)
                ),
            ));
        }
        None => {
            return Err(type_error(
                "relationship() missing 1 required positional argument: 'argument'",
            ));
        }
    };
    let lazy = match kw(kwargs, "lazy") {
        None => Lazy::Select,
        Some(Value::Str(s)) => Lazy::parse(&s).ok_or_else(|| {
            PyErr::new(
                ExcType::ArgumentError,
                format!("Unknown lazy strategy '{s}'"),
            )
        })?,
        Some(Value::Bool(true)) => Lazy::Select,
        Some(Value::Bool(false)) => Lazy::Joined,
        Some(other) => {
            return Err(PyErr::new(
                ExcType::ArgumentError,
                format!("lazy= takes a string, got {}", repr_plain(&other)),
            ));
        }
    };
    if lazy == Lazy::Dynamic {
        return Err(PyErr::new(
            ExcType::NotImplementedError,
            "lazy=\"dynamic\" and \"write_only\" relationships are not supported by orm-tutor",
        ));
    }
    let cascade = match kw(kwargs, "cascade") {
        Some(Value::Str(s)) => {
            Cascade::parse(&s).map_err(|m| PyErr::new(ExcType::ArgumentError, m))?
        }
        Some(_) => {
            return Err(PyErr::new(
                ExcType::ArgumentError,
                "cascade= takes a string such as \"all, delete-orphan\"",
            ));
        }
        None => Cascade::default(),
    };
    let secondary = match kw(kwargs, "secondary") {
        Some(v) if let Some(t) = super::objects::as_table(&v) => Some(t.name.clone()),
        Some(Value::Str(s)) => Some(s.to_string()),
        Some(Value::None) | None => None,
        Some(other) => {
            return Err(PyErr::new(
                ExcType::ArgumentError,
                format!("secondary= takes a Table, got {}", repr_plain(&other)),
            ));
        }
    };
    let backref = match kw(kwargs, "backref") {
        Some(Value::Str(s)) => Some(s.to_string()),
        Some(Value::Native(o)) => match downcast::<SchemaItem>(&o).as_deref() {
            Some(SchemaItem::Backref(n)) => Some(n.clone()),
            _ => None,
        },
        _ => None,
    };
    let back_populates = match kw(kwargs, "back_populates") {
        Some(Value::Str(s)) => Some(s.to_string()),
        _ => None,
    };
    let uselist = kw(kwargs, "uselist").map(|v| v.truthy());
    for (k, _) in kwargs {
        if !matches!(
            k.as_str(),
            "lazy"
                | "cascade"
                | "secondary"
                | "backref"
                | "back_populates"
                | "uselist"
                | "order_by"
                | "viewonly"
                | "passive_deletes"
        ) {
            return Err(type_error(format!(
                "relationship() got an unexpected keyword argument '{k}'"
            )));
        }
    }
    Ok(SchemaItem::Relationship(RelationshipDecl {
        target,
        secondary,
        back_populates,
        backref,
        uselist,
        lazy,
        order_by: kw(kwargs, "order_by"),
        cascade,
        viewonly: kw(kwargs, "viewonly").is_some_and(|v| v.truthy()),
    }))
}

/// `Table("name", metadata, Column("id", ...), ...)`: registered in the
/// metadata; `InvalidRequestError` if the name is taken, as SQLAlchemy's
/// `MetaData`.
fn table(interp: &mut Interpreter, args: &[Value]) -> PyResult<Value> {
    let name = str_arg(args.first().unwrap_or(&Value::None), "Table name")?;
    let mut columns = Vec::new();
    for a in args.iter().skip(1) {
        match a {
            Value::Native(n) if let Some(s) = downcast::<SchemaItem>(n) => match &*s {
                SchemaItem::Metadata(_) => {}
                SchemaItem::Column(c, n) => {
                    let Some(n) = n else {
                        return Err(PyErr::new(
                            ExcType::ArgumentError,
                            "Columns of a Table(...) need a name: Column(\"user_id\", ...)",
                        ));
                    };
                    let mut c = c.clone();
                    c.name = n.clone();
                    columns.push(c);
                }
                _ => {}
            },
            other => {
                return Err(PyErr::new(
                    ExcType::ArgumentError,
                    format!("Table() got an unexpected argument {}", repr_plain(other)),
                ));
            }
        }
    }
    if interp.registry.table(&name).is_some() {
        return Err(invalid_request(format!(
            "Table '{name}' is already defined for this MetaData instance.  Specify 'extend_existing=True' to redefine options and columns on an existing Table object."
        )));
    }
    let table = Rc::new(Table { name, columns });
    interp.registry.tables.borrow_mut().push(table.clone());
    Ok(Value::Native(table))
}

/// A type constructor such as `String(100)` or `Integer()`.
fn type_constructor(ty: &str, args: &[Value]) -> PyResult<SchemaItem> {
    let length = match args.first() {
        Some(Value::Int(n)) if *n >= 0 && *n <= u32::MAX as i64 => Some(*n as u32),
        _ => None,
    };
    match simple_type(ty, length) {
        Some(t) => Ok(SchemaItem::Type(t)),
        None => Err(type_error(format!("{ty}() is not callable here"))),
    }
}
