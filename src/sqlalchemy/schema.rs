//! SQLAlchemy's schema constructors as a learner calls them: `Column(...)`,
//! `ForeignKey(...)`, `relationship(...)`, `backref(...)`, `Table(...)` and
//! the type constructors (`String(100)`), each checked as SQLAlchemy 2.0
//! checks its arguments. `class X(Base):` bodies that use them become
//! mappers in [`crate::interpreter::models`].

use crate::python::object::downcast;
use std::rc::Rc;

use crate::interpreter::Interpreter;
use crate::orm::mapper::{Cascade, Lazy};
use crate::orm::schema_items::{ColumnRef, MappedColumnDecl, RelationshipDecl, SchemaItem};
use crate::python::ExcType;
use crate::python::exceptions::{PyErr, PyResult, invalid_request, type_error};
use crate::python::format::repr_plain;
use crate::python::value::{Builtin, Value};
use crate::sql::schema::{
    Column, ColumnDefault, ForeignKey, Identity, IdentityOptions, NativeEnum, OpaqueCallable,
    Sequence, SqlType, Table, TableConstraint,
};

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
            Some(SchemaItem::Type(t) | SchemaItem::CheckedEnum(t, _)) => Some(t.clone()),
            _ => None,
        },
        Value::Builtin(Builtin::Schema(name)) => simple_type(name, None),
        _ => None,
    }
}

/// A type named without arguments (`Column(Integer)`), or with a length.
fn simple_type(name: &str, length: Option<u32>) -> Option<SqlType> {
    Some(match name {
        "Integer" | "INTEGER" => SqlType::Integer,
        "BigInteger" | "BIGINT" => SqlType::BigInteger,
        "SmallInteger" | "SMALLINT" => SqlType::SmallInteger,
        "String" | "VARCHAR" | "Unicode" => SqlType::String(length),
        "CHAR" => SqlType::Char(length),
        "Text" | "TEXT" | "UnicodeText" => SqlType::Text,
        "Boolean" | "BOOLEAN" => SqlType::Boolean,
        "DateTime" | "DATETIME" => SqlType::DateTime,
        "TIMESTAMP" => SqlType::Timestamp(false),
        "Date" | "DATE" => SqlType::Date,
        "Time" | "TIME" => SqlType::Time,
        "Interval" => SqlType::Interval,
        "Float" | "FLOAT" => SqlType::Float,
        "Numeric" | "NUMERIC" => SqlType::Numeric(None, None),
        "DECIMAL" => SqlType::Decimal(None, None),
        "LargeBinary" | "BLOB" => SqlType::LargeBinary,
        "JSON" => SqlType::Json,
        "Uuid" => SqlType::Uuid,
        _ => return None,
    })
}

/// The type names `sqlalchemy` exports that the tutor maps, for imports.
pub const TYPE_NAMES: &[&str] = &[
    "Integer",
    "INTEGER",
    "BigInteger",
    "BIGINT",
    "SmallInteger",
    "SMALLINT",
    "String",
    "VARCHAR",
    "Unicode",
    "CHAR",
    "Text",
    "TEXT",
    "UnicodeText",
    "Boolean",
    "BOOLEAN",
    "DateTime",
    "DATETIME",
    "TIMESTAMP",
    "Date",
    "DATE",
    "Time",
    "TIME",
    "Interval",
    "Float",
    "FLOAT",
    "Numeric",
    "NUMERIC",
    "DECIMAL",
    "LargeBinary",
    "BLOB",
    "JSON",
    "Uuid",
    "Enum",
];

fn str_arg(v: &Value, what: &str) -> PyResult<String> {
    match v {
        Value::Str(s) => Ok(s.to_string()),
        other => Err(PyErr::new(
            ExcType::ArgumentError,
            format!("{what} must be a string, got {}", repr_plain(other)),
        )),
    }
}

/// A column's `default=` or `onupdate=` (`insert` tells them apart, for
/// the error), as SQLAlchemy's `ColumnDefault`: a constant; `datetime.utcnow`
/// / `datetime.now`; a SQL expression such as `func.now()` (rendered in the
/// INSERT or UPDATE); any other callable, called with no argument, or with
/// the execution context when it takes one positional parameter
/// (`ColumnDefault._maybe_wrap_callable`).
///
/// Errors: `ArgumentError` for a function of more than one positional
/// parameter; `NotImplementedError` for other values.
fn column_default(v: &Value, ty: &SqlType, insert: bool) -> PyResult<ColumnDefault> {
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
        v if let Some(e) = v.downcast::<crate::orm::expression::SqlExpr>() => {
            Ok(ColumnDefault::Sql(e.expr.clone()))
        }
        Value::Function(f) if f.params.args.len().saturating_sub(f.defaults.len()) > 1 => {
            Err(PyErr::new(
                ExcType::ArgumentError,
                "ColumnDefault Python function takes zero or one positional arguments",
            ))
        }
        // A learner's function or lambda, or another callable: called when
        // an object is made or changed (see `ColumnDefault::Callable`)
        Value::Function(_) | Value::Method(_) | Value::Builtin(_) | Value::PyType(_) => {
            Ok(ColumnDefault::Callable(crate::sql::schema::OpaqueCallable(
                std::rc::Rc::new(v.clone()),
            )))
        }
        other => Err(PyErr::unsupported(format!(
            "a column {} of {}",
            if insert { "default" } else { "onupdate" },
            repr_plain(other)
        ))
        .with_hint("use a constant, a function, datetime.utcnow or func.now()")),
    }
}

/// `Column(...)`, `relationship(...)`, `ForeignKey(...)`, `Table(...)`,
/// `backref(...)` and the type constructors (`String(100)`): a
/// schema item, or a `Table` registered in the metadata.
pub fn schema_call(
    _interp: &mut Interpreter,
    kind: &str,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<Value> {
    let item = match kind {
        "validates" => return crate::interpreter::classes::validates(args, kwargs),
        "declared_attr" | "declared_attr.directive" | "declared_attr.cascading" => {
            return crate::interpreter::declared_attr::decorate(kind, args, kwargs);
        }
        "hybrid_property" => return crate::interpreter::hybrid::hybrid_property(args, kwargs),
        "Column" => {
            let (column, name, ..) = column(&args, &kwargs, "Column")?;
            SchemaItem::Column(column, name)
        }
        "mapped_column" => {
            let (column, name, typed, nullable_given) = column(&args, &kwargs, "mapped_column")?;
            SchemaItem::MappedColumn(MappedColumnDecl {
                column,
                name,
                typed,
                nullable_given,
                options: crate::orm::schema_items::AttributeOptions::from_kwargs(&kwargs),
            })
        }
        "MetaData" => {
            return Ok(Value::native(SchemaItem::Metadata(Rc::new(
                crate::orm::mapper::Registry::default(),
            ))));
        }
        "Sequence" => sequence(args, kwargs)?,
        "Identity" => identity(args, kwargs)?,
        "Index" => index(&args, &kwargs)?,
        "UniqueConstraint" | "CheckConstraint" => constraint(kind, &args, &kwargs)?,
        "ForeignKey" => foreign_key(&args, &kwargs)?,
        "backref" => {
            // `backref(name, **kwargs)`: the kwargs are the backref
            // relationship's own arguments.
            let name = str_arg(args.first().unwrap_or(&Value::None), "backref name")?;
            let SchemaItem::Relationship(decl) = relationship(&[], &kwargs)? else {
                return Err(type_error("backref() takes relationship() arguments"));
            };
            SchemaItem::Backref(name, Box::new(decl))
        }
        "relationship" => relationship(&args, &kwargs)?,
        "Table" => match kw(&kwargs, "autoload_with") {
            Some(bind) if !matches!(bind, Value::None) => {
                return autoload_table(_interp, &args, &kwargs, &bind);
            }
            _ => return table(&args, &kwargs),
        },
        "registry" => return mapper_registry(&args, &kwargs),
        "deferred" => deferred(args, kwargs)?,
        "column_property" => column_property(args, kwargs)?,
        "query_expression" => query_expression(args, kwargs)?,
        ty => type_constructor(ty, &args, &kwargs)?,
    };
    Ok(Value::native(item))
}

/// Keywords `Column()` takes, as SQLAlchemy 2.0's `Column.__init__`.
const COLUMN_KEYWORDS: &[&str] = &[
    "primary_key",
    "nullable",
    "unique",
    "default",
    "insert_default",
    "onupdate",
    "index",
    "autoincrement",
    "server_default",
    "server_onupdate",
    "doc",
    "comment",
    "key",
    "info",
    "quote",
    "system",
    "sort_order",
];

/// Keywords only `mapped_column()` takes (dataclass and loader options).
const MAPPED_COLUMN_KEYWORDS: &[&str] = &[
    "init",
    "repr",
    "default_factory",
    "compare",
    "kw_only",
    "hash",
    "deferred",
    "deferred_group",
    "deferred_raiseload",
    "use_existing_column",
    "active_history",
];

/// `server_default=`: the DDL text after `DEFAULT`, as SQLAlchemy's
/// `DDLCompiler.get_column_default_string`: a string quoted as a literal
/// (`'open'`), `text("3")` as written, `func.now()` as `CURRENT_TIMESTAMP`
/// (SQLite's `visit_now_func`).
fn server_default(v: &Value) -> PyResult<Option<String>> {
    use crate::sql::elements::Expr;
    match v {
        Value::None => Ok(None),
        Value::Str(s) => Ok(Some(format!("'{}'", s.replace('\'', "''")))),
        v if let Some(t) = v.downcast::<crate::sql::elements::TextClause>() => {
            Ok(Some(t.text.clone()))
        }
        v if let Some(e) = v.downcast::<crate::orm::expression::SqlExpr>()
            && let Expr::Function { name, args } = &e.expr
            && args.is_empty()
            && matches!(name.to_lowercase().as_str(), "now" | "current_timestamp") =>
        {
            Ok(Some("CURRENT_TIMESTAMP".into()))
        }
        other => Err(
            PyErr::unsupported(format!("server_default={}", repr_plain(other)))
                .with_hint("use a string, text(\"...\") or func.now()"),
        ),
    }
}

/// The options a `Column` reports as given ([`ColumnFace`]).
///
/// Errors: `NotImplementedError` for a `server_onupdate=` that is not a
/// `FetchedValue()`-like string, `text()` or function.
fn column_face(kwargs: &Kwargs) -> PyResult<crate::sql::schema::ColumnFace> {
    let flag = |k: &str| match kw(kwargs, k) {
        Some(Value::None) | None => None,
        Some(v) => Some(v.truthy()),
    };
    let given = |k: &str| match kw(kwargs, k) {
        Some(Value::None) | None => None,
        Some(v) => Some(repr_plain(&v)),
    };
    Ok(crate::sql::schema::ColumnFace {
        unique: flag("unique"),
        index: flag("index"),
        autoincrement: match kw(kwargs, "autoincrement") {
            Some(Value::Str(s)) if &*s == "auto" => None,
            Some(Value::Bool(b)) => Some(if b { "True" } else { "False" }.into()),
            Some(v) => Some(repr_plain(&v)),
            None => None,
        },
        comment: match kw(kwargs, "comment") {
            Some(Value::Str(s)) => Some(s.to_string()),
            Some(Value::None) | None => None,
            Some(other) => {
                return Err(PyErr::unsupported(format!(
                    "comment={}",
                    repr_plain(&other)
                )));
            }
        },
        server_default: given("server_default"),
        reflected_type: None,
        server_onupdate: given("server_onupdate"),
    })
}

/// The options `Sequence()` and `Identity()` share (SQLAlchemy's
/// `IdentityOptions`), read from bound arguments.
///
/// Errors: `TypeError` for a non-integer number option.
fn identity_options(b: &crate::python::signature::Bound) -> PyResult<IdentityOptions> {
    let int = |k: &str| -> PyResult<Option<i64>> {
        match b.given(k) {
            None => Ok(None),
            Some(Value::Int(n)) => Ok(Some(*n)),
            Some(other) => Err(type_error(format!(
                "%d format: a real number is required, not {}",
                other.type_name()
            ))),
        }
    };
    Ok(IdentityOptions {
        start: int("start")?,
        increment: int("increment")?,
        minvalue: int("minvalue")?,
        maxvalue: int("maxvalue")?,
        nominvalue: b.given("nominvalue").is_some(),
        nomaxvalue: b.given("nomaxvalue").is_some(),
        cache: int("cache")?,
        cycle: b.given("cycle").map(Value::truthy),
    })
}

/// `Sequence("name", start=…, increment=…, …, optional=, metadata=)`, as
/// SQLAlchemy 2.0 `sqlalchemy.Sequence`: a column's default on PostgreSQL
/// (`nextval('name')`), ignored on SQLite; with `metadata=` one of the
/// metadata's own sequences (created by `create_all`).
///
/// `schema=` qualifies its name (`public.s`), `data_type=` gives its `AS
/// BIGINT`, `quote=`/`quote_schema=` force or forbid quoting, `order=` is
/// kept (Oracle's; no DDL on SQLite or PostgreSQL).
///
/// Errors: `TypeError` for a bad argument; `NotImplementedError` for
/// `for_update=`.
fn sequence(args: Vec<Value>, kwargs: Kwargs) -> PyResult<SchemaItem> {
    let b = crate::python::Signature::function(
        "Sequence",
        &[
            "name",
            "start=",
            "increment=",
            "minvalue=",
            "maxvalue=",
            "nominvalue=",
            "nomaxvalue=",
            "cycle=",
            "schema=",
            "cache=",
            "order=",
            "data_type=",
            "optional=",
            "quote=",
            "metadata=",
            "quote_schema=",
            "for_update=!",
        ],
    )
    .bind(args, kwargs)?;
    let name = str_arg(b.required("name")?, "Sequence name")?;
    let metadata = match b.given("metadata") {
        None => None,
        Some(Value::Native(n))
            if let Some(SchemaItem::Metadata(r)) = downcast::<SchemaItem>(n).as_deref() =>
        {
            Some(r.clone())
        }
        Some(other) => {
            return Err(PyErr::new(
                ExcType::AttributeError,
                format!(
                    "'{}' object has no attribute '_sequences'",
                    other.type_name()
                ),
            ));
        }
    };
    let schema = match b.given("schema") {
        None | Some(Value::None) => None,
        Some(v) => Some(str_arg(v, "Sequence schema")?),
    };
    let data_type = match b.given("data_type") {
        None | Some(Value::None) => None,
        Some(v) => Some(type_of(v).ok_or_else(|| {
            PyErr::unsupported(
                "Sequence(data_type=...) given something other than a SQLAlchemy type",
            )
        })?),
    };
    let flag = |k: &str| match b.given(k) {
        None | Some(Value::None) => None,
        Some(v) => Some(v.truthy()),
    };
    let sequence = Rc::new(Sequence {
        name,
        options: identity_options(&b)?,
        optional: b.flag("optional", false),
        schema,
        data_type,
        quote: flag("quote"),
        quote_schema: flag("quote_schema"),
        order: flag("order"),
    });
    if let Some(r) = &metadata {
        r.sequences.borrow_mut().push(sequence.clone());
    }
    Ok(SchemaItem::Sequence(sequence, metadata))
}

/// `seq.next_value()`, as SQLAlchemy 2.0 `Sequence.next_value()`: the
/// `next_value` function element, an `Integer` expression that renders
/// `nextval('s')` on PostgreSQL (selected as `next_value_1`) and raises
/// `NotImplementedError` when run on SQLite.
pub fn next_value(s: &Sequence) -> Value {
    Value::native(crate::orm::expression::SqlExpr::new(
        crate::sql::compiler::next_value(s),
        Some(SqlType::Integer),
    ))
}

/// A `Sequence`'s data attributes: `name` and its options (`start`,
/// `increment`, …, `None` when not given); `None` for other names.
pub fn sequence_attr(s: &Sequence, name: &str) -> Option<Value> {
    let int = |v: Option<i64>| v.map_or(Value::None, Value::Int);
    let o = &s.options;
    Some(match name {
        "name" => Value::str(&s.name),
        "start" => int(o.start),
        "increment" => int(o.increment),
        "minvalue" => int(o.minvalue),
        "maxvalue" => int(o.maxvalue),
        "cache" => int(o.cache),
        "cycle" => o.cycle.map_or(Value::None, Value::Bool),
        "optional" => Value::Bool(s.optional),
        "schema" => s.schema.as_deref().map_or(Value::None, Value::str),
        "order" => s.order.map_or(Value::None, Value::Bool),
        "data_type" => s
            .data_type
            .clone()
            .map_or(Value::None, |t| Value::native(SchemaItem::Type(t))),
        _ => return None,
    })
}

/// `Identity(always=False, on_null=None, start=…, …)`, as SQLAlchemy 2.0
/// `sqlalchemy.Identity`: `GENERATED BY DEFAULT AS IDENTITY (…)` on
/// PostgreSQL, nothing on SQLite.
///
/// Errors: `TypeError` for a bad argument; `NotImplementedError` for
/// `order=`.
fn identity(args: Vec<Value>, kwargs: Kwargs) -> PyResult<SchemaItem> {
    let b = crate::python::Signature::function(
        "Identity",
        &[
            "always=",
            "on_null=",
            "start=",
            "increment=",
            "minvalue=",
            "maxvalue=",
            "nominvalue=",
            "nomaxvalue=",
            "cycle=",
            "cache=",
            "order=!",
        ],
    )
    .bind(args, kwargs)?;
    Ok(SchemaItem::Identity(Identity {
        always: b.flag("always", false),
        on_null: b.given("on_null").map(Value::truthy),
        options: identity_options(&b)?,
    }))
}

/// `Column([name,] type, [ForeignKey(...)], primary_key=, nullable=, …)`
/// and `mapped_column(...)` (`func` names which): the column, its given
/// name, whether a type was given and whether `nullable=` was. A column
/// with a `ForeignKey` and no type is an `Integer` one (SQLAlchemy takes
/// the referenced column's type); a `Column` with neither is an error, a
/// `mapped_column` takes its type from the annotation later.
fn column(
    args: &[Value],
    kwargs: &Kwargs,
    func: &str,
) -> PyResult<(Column, Option<String>, bool, bool)> {
    let mut name = None;
    let mut ty = None;
    let mut fk = None;
    let mut enum_check = None;
    let mut sequence = None;
    let mut identity = None;
    for a in args {
        if let Value::Native(n) = a
            && let Some(item) = downcast::<SchemaItem>(n)
        {
            match &*item {
                SchemaItem::Sequence(s, _) => {
                    sequence = Some(s.clone());
                    continue;
                }
                SchemaItem::Identity(i) => {
                    identity = Some(i.clone());
                    continue;
                }
                _ => {}
            }
        }
        if let Value::Native(n) = a
            && let Some(SchemaItem::CheckedEnum(_, check)) = downcast::<SchemaItem>(n).as_deref()
        {
            enum_check = Some(check.clone());
        }
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
                        format!("{func}() got an unexpected argument {}", repr_plain(other)),
                    ));
                }
            },
        }
    }
    let typed = ty.is_some();
    let sql_type = match (ty, &fk) {
        (Some(t), _) => t,
        (None, Some(_)) => SqlType::Integer,
        (None, None) if func == "mapped_column" => SqlType::String(None),
        (None, None) => {
            return Err(PyErr::new(
                ExcType::ArgumentError,
                "Column() needs a type such as Integer or String(100)",
            ));
        }
    };
    for (k, _) in kwargs {
        let known = COLUMN_KEYWORDS.contains(&k.as_str())
            || (func == "mapped_column" && MAPPED_COLUMN_KEYWORDS.contains(&k.as_str()));
        if !known {
            return Err(type_error(format!(
                "Additional arguments should be named <dialectname>_<argument>, got '{k}'"
            )));
        }
    }
    let primary_key = kw(kwargs, "primary_key").is_some_and(|v| v.truthy());
    let nullable_given = matches!(kw(kwargs, "nullable"), Some(v) if !matches!(v, Value::None));
    // An `Identity` column is NOT NULL unless `nullable=` says otherwise
    // (`Identity._set_parent`).
    let nullable = match kw(kwargs, "nullable") {
        Some(Value::None) | None => !primary_key && identity.is_none(),
        Some(v) => v.truthy(),
    };
    let default_of = |key: &str| match kw(kwargs, key) {
        Some(Value::None) | None => Ok(None),
        Some(v) => column_default(&v, &sql_type, key != "onupdate").map(Some),
    };
    let default = match default_of("default")? {
        Some(d) => Some(d),
        None => default_of("insert_default")?,
    };
    let onupdate = default_of("onupdate")?;
    let server_default = match kw(kwargs, "server_default") {
        Some(v) => server_default(&v)?,
        None => None,
    };
    let mut column = Column::new(name.clone().unwrap_or_default(), sql_type);
    column.primary_key = primary_key;
    column.nullable = nullable;
    column.unique = kw(kwargs, "unique").is_some_and(|v| v.truthy());
    column.index = kw(kwargs, "index").is_some_and(|v| v.truthy());
    column.foreign_key = fk;
    column.default = default;
    column.onupdate = onupdate;
    column.server_default = server_default;
    let group = match kw(kwargs, "deferred_group") {
        Some(Value::Str(g)) => Some(g.to_string()),
        _ => None,
    };
    let raiseload = kw(kwargs, "deferred_raiseload").is_some_and(|v| v.truthy());
    let deferred = match kw(kwargs, "deferred") {
        Some(Value::None) | None => group.is_some() || raiseload,
        Some(v) => v.truthy(),
    };
    if deferred {
        column.deferred = Some(crate::sql::schema::Deferred { group, raiseload });
    }
    column.enum_check = enum_check;
    column.sequence = sequence;
    column.identity = identity;
    column.face = column_face(kwargs)?;
    Ok((column, name, typed, nullable_given))
}

/// `column_property(expr, deferred=False)` in a class body: a SQL
/// expression mapped as a read-only attribute, as SQLAlchemy 2.0
/// `sqlalchemy.orm.column_property()` (a `MappedSQLExpression`); the
/// expression may use the body's own columns (`firstname + " " +
/// lastname`) or be a correlated `scalar_subquery()`.
///
/// Errors: `ArgumentError` when the argument is no SQL expression;
/// `NotImplementedError` for several columns, `group=`, `raiseload=` and
/// a plain `Column` (a mapped column of its own).
fn column_property(args: Vec<Value>, kwargs: Kwargs) -> PyResult<SchemaItem> {
    let b = crate::python::Signature::function(
        "column_property",
        &[
            "column",
            "*additional_columns",
            "group=!",
            "deferred=",
            "raiseload=!",
            "comparator_factory=!",
            "init=!",
            "repr=!",
            "default=!",
            "default_factory=!",
            "compare=!",
            "kw_only=!",
            "hash=!",
            "active_history=!",
            "expire_on_flush=!",
            "info=!",
            "doc=!",
            "dataclass_metadata=!",
        ],
    )
    .bind(args, kwargs)?;
    if !b.varargs.is_empty() {
        return Err(PyErr::unsupported("column_property() of several columns"));
    }
    let column = b.required("column")?;
    let expr = match crate::orm::expression::declared_column_expr(column) {
        Some(_) => {
            return Err(PyErr::unsupported(
                "column_property() of a plain Column (map it with mapped_column())",
            ));
        }
        None if crate::orm::expression::is_sql(column) => {
            crate::orm::expression::coerce(column, None)?
        }
        None => {
            return Err(PyErr::new(
                ExcType::ArgumentError,
                format!(
                    "Column expression, FROM clause, or other columns clause element expected, got {}.",
                    crate::python::format::repr_plain(column)
                ),
            ));
        }
    };
    Ok(SchemaItem::ColumnProperty {
        expr: Some(expr),
        deferred: b.given("deferred").is_some_and(|v| v.truthy()),
    })
}

/// `query_expression()` in a class body: an attribute with no SQL of its
/// own, loaded from the expression a query's `with_expression()` gives, and
/// `None` otherwise, as SQLAlchemy 2.0 `sqlalchemy.orm.query_expression()`.
///
/// Errors: `NotImplementedError` for `default_expr=`.
fn query_expression(args: Vec<Value>, kwargs: Kwargs) -> PyResult<SchemaItem> {
    let b = crate::python::Signature::function(
        "query_expression",
        &[
            "default_expr=!",
            "repr=!",
            "compare=!",
            "expire_on_flush=!",
            "info=!",
            "doc=!",
        ],
    )
    .bind(args, kwargs)?;
    let _ = b;
    Ok(SchemaItem::ColumnProperty {
        expr: None,
        deferred: false,
    })
}

/// `deferred(Column(...), group=None, raiseload=False)`: the column,
/// loaded only when its attribute is first read (SQLAlchemy 2.0
/// `sqlalchemy.orm.deferred`).
///
/// Errors: `ArgumentError` when the argument is not a `Column`.
fn deferred(args: Vec<Value>, kwargs: Kwargs) -> PyResult<SchemaItem> {
    let b = crate::python::Signature::function(
        "deferred",
        &[
            "column",
            "*additional_columns",
            "group=",
            "raiseload=",
            "comparator_factory=!",
            "init=!",
            "repr=!",
            "default=!",
            "default_factory=!",
            "compare=!",
            "kw_only=!",
            "hash=!",
            "active_history=!",
            "expire_on_flush=!",
            "info=!",
            "doc=!",
        ],
    )
    .bind(args, kwargs)?;
    if !b.varargs.is_empty() {
        return Err(PyErr::unsupported("deferred() of several columns"));
    }
    let group = match b.given("group") {
        Some(Value::Str(g)) => Some(g.to_string()),
        _ => None,
    };
    let raiseload = b.given("raiseload").is_some_and(|v| v.truthy());
    match b.required("column")? {
        Value::Native(n)
            if let Some(SchemaItem::Column(c, name)) = downcast::<SchemaItem>(n).as_deref() =>
        {
            let mut c = c.clone();
            c.deferred = Some(crate::sql::schema::Deferred { group, raiseload });
            Ok(SchemaItem::Column(c, name.clone()))
        }
        other => Err(PyErr::new(
            ExcType::ArgumentError,
            format!(
                "deferred() takes a Column such as Column(Text), got {}",
                repr_plain(other)
            ),
        )),
    }
}

/// `UniqueConstraint("a", "b", name=None)` (columns by name) and
/// `CheckConstraint("sql text", name=None)`.
fn constraint(kind: &str, args: &[Value], kwargs: &Kwargs) -> PyResult<SchemaItem> {
    let name = match kw(kwargs, "name") {
        Some(Value::None) | None => None,
        Some(v) => Some(str_arg(&v, "constraint name")?),
    };
    let mut texts = Vec::new();
    for a in args {
        match a {
            Value::Str(s) => texts.push(s.to_string()),
            other => {
                return Err(PyErr::unsupported(format!(
                    "{kind}({}) (give columns and SQL as strings)",
                    repr_plain(other)
                )));
            }
        }
    }
    for (k, _) in kwargs {
        if k != "name" {
            return Err(PyErr::unsupported(format!(
                "the '{k}' argument of {kind}()"
            )));
        }
    }
    Ok(SchemaItem::Constraint(if kind == "UniqueConstraint" {
        TableConstraint::Unique {
            name,
            columns: texts,
        }
    } else {
        TableConstraint::Check {
            name,
            sql: texts.first().cloned().unwrap_or_default(),
        }
    }))
}

/// `Index("ix_name", "col", …, unique=False)`: columns by name (column
/// objects of a mapped class are not supported yet).
fn index(args: &[Value], kwargs: &Kwargs) -> PyResult<SchemaItem> {
    let name = str_arg(args.first().unwrap_or(&Value::None), "Index name")?;
    let mut columns = Vec::new();
    for a in args.iter().skip(1) {
        match a {
            Value::Str(s) => columns.push(s.to_string()),
            other => {
                return Err(PyErr::unsupported(format!(
                    "Index() over {} (name its columns as strings: Index(\"ix\", \"email\"))",
                    repr_plain(other)
                )));
            }
        }
    }
    for (k, _) in kwargs {
        if k != "unique" {
            return Err(type_error(format!(
                "Additional arguments should be named <dialectname>_<argument>, got '{k}'"
            )));
        }
    }
    Ok(SchemaItem::Index(crate::sql::schema::Index {
        name,
        columns,
        unique: kw(kwargs, "unique").is_some_and(|v| v.truthy()),
    }))
}

/// `ForeignKey("table.column", ondelete=None)`.
fn foreign_key(args: &[Value], kwargs: &Kwargs) -> PyResult<SchemaItem> {
    for (k, _) in kwargs {
        if k != "ondelete" {
            return Err(PyErr::unsupported(format!(
                "the '{k}' argument of ForeignKey()"
            )));
        }
    }
    let ondelete = match kw(kwargs, "ondelete") {
        Some(Value::None) | None => None,
        Some(v) => Some(str_arg(&v, "ondelete")?),
    };
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
        ondelete,
    }))
}

/// `relationship("Target", lazy=, cascade=, secondary=, backref=,
/// back_populates=, uselist=, order_by=, viewonly=, …)`.
fn relationship(args: &[Value], kwargs: &Kwargs) -> PyResult<SchemaItem> {
    let target = match args.first() {
        Some(Value::Str(s)) => s.to_string(),
        Some(v) if let Some(m) = super::objects::as_class(v) => m.class_name.clone(),
        Some(other) => {
            return Err(PyErr::new(
                ExcType::ArgumentError,
                format!(
                    "relationship() expects a class name such as \"Message\", got {}",
                    repr_plain(other)
                ),
            ));
        }
        // Taken from the `Mapped[...]` annotation when the class is mapped.
        None => String::new(),
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
    let primaryjoin = kw(kwargs, "primaryjoin").filter(|v| !matches!(v, Value::None));
    let secondaryjoin = kw(kwargs, "secondaryjoin").filter(|v| !matches!(v, Value::None));
    let viewonly = kw(kwargs, "viewonly").is_some_and(|v| v.truthy());
    let mut cascade = match kw(kwargs, "cascade") {
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
    if viewonly {
        // `RelationshipProperty.cascade`: a viewonly relationship keeps
        // only the cascades that write nothing.
        cascade.save_update = false;
        cascade.delete = false;
        cascade.delete_orphan = false;
    }
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
    let (backref, backref_args) = match kw(kwargs, "backref") {
        Some(Value::Str(s)) => (Some(s.to_string()), None),
        Some(Value::Native(o)) => match downcast::<SchemaItem>(&o).as_deref() {
            Some(SchemaItem::Backref(n, args)) => (Some(n.clone()), Some(args.clone())),
            _ => (None, None),
        },
        _ => (None, None),
    };
    let back_populates = match kw(kwargs, "back_populates") {
        Some(Value::Str(s)) => Some(s.to_string()),
        _ => None,
    };
    let uselist = kw(kwargs, "uselist").map(|v| v.truthy());
    let passive_deletes = match kw(kwargs, "passive_deletes") {
        Some(Value::Str(s)) if &*s == "all" => crate::orm::schema_items::PassiveDeletes::All,
        Some(v) if v.truthy() => crate::orm::schema_items::PassiveDeletes::On,
        _ => crate::orm::schema_items::PassiveDeletes::Off,
    };
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
                | "foreign_keys"
                | "remote_side"
                | "primaryjoin"
                | "secondaryjoin"
                | "init"
                | "repr"
                | "default"
                | "default_factory"
                | "compare"
                | "kw_only"
                | "hash"
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
        backref_args,
        uselist,
        lazy,
        order_by: kw(kwargs, "order_by"),
        cascade,
        viewonly,
        passive_deletes,
        foreign_keys: column_refs(kw(kwargs, "foreign_keys"), "foreign_keys")?,
        remote_side: column_refs(kw(kwargs, "remote_side"), "remote_side")?,
        primaryjoin,
        secondaryjoin,
        options: crate::orm::schema_items::AttributeOptions::from_kwargs(kwargs),
    }))
}

/// The columns `foreign_keys=` / `remote_side=` name: a column of the
/// class body (`[sender_id]`), a mapped attribute (`Letter.sender_id`), a
/// string SQLAlchemy evaluates in the class registry (`"Letter.sender_id"`,
/// `"[Letter.sender_id, Letter.recipient_id]"`), or a list of them.
fn column_refs(v: Option<Value>, what: &str) -> PyResult<Vec<ColumnRef>> {
    let items = match v {
        None | Some(Value::None) => return Ok(Vec::new()),
        Some(Value::List(l)) => l.items.borrow().clone(),
        Some(Value::Tuple(t)) => t.to_vec(),
        Some(Value::Set(l, _)) => l.items.borrow().clone(),
        Some(other) => vec![other],
    };
    let mut out = Vec::new();
    for item in items {
        match &item {
            Value::Str(s) => {
                let inner = s.trim().trim_start_matches('[').trim_end_matches(']');
                for part in inner.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    let Some((class, key)) = part.split_once('.') else {
                        return Err(PyErr::unsupported(format!(
                            "{what}=\"{part}\" (name the column as \"Class.attribute\")"
                        )));
                    };
                    out.push(ColumnRef::Named {
                        class: class.to_string(),
                        key: key.to_string(),
                    });
                }
            }
            Value::Native(n) if let Some(a) = downcast::<crate::orm::mapper::AttrRef>(n) => {
                out.push(ColumnRef::Named {
                    class: a.mapper.class_name.clone(),
                    key: a.key.clone(),
                });
            }
            Value::Native(n)
                if matches!(
                    downcast::<SchemaItem>(n).as_deref(),
                    Some(SchemaItem::Column(..) | SchemaItem::MappedColumn(_))
                ) =>
            {
                out.push(ColumnRef::Declared(item.clone()));
            }
            // SQLAlchemy calls a lambda when it configures the mappers.
            Value::Function(_) => {
                return Err(
                    PyErr::unsupported(format!("{what}= given as a function")).with_hint(format!(
                        "name the columns: {what}=[Node.id] or {what}=\"Node.id\""
                    )),
                );
            }
            other => {
                return Err(PyErr::new(
                    ExcType::ArgumentError,
                    format!(
                        "Column expression expected for argument '{what}'; got {}.",
                        repr_plain(other)
                    ),
                ));
            }
        }
    }
    Ok(out)
}

/// `Table("name", metadata, autoload_with=bind, resolve_fks=,
/// extend_existing=, keep_existing=)`: the metadata's table of that name
/// when it holds one, else the table reflected from the database
/// (`reflect_table::autoload`).
///
/// Errors: `NotImplementedError` for columns given to override the
/// reflected ones and for `extend_existing=True` over a table the metadata
/// holds; reflection's errors.
fn autoload_table(
    interp: &Interpreter,
    args: &[Value],
    kwargs: &Kwargs,
    bind: &Value,
) -> PyResult<Value> {
    for (k, _) in kwargs {
        if !matches!(
            k.as_str(),
            "autoload_with" | "extend_existing" | "keep_existing" | "resolve_fks"
        ) {
            return Err(PyErr::unsupported(format!(
                "Table({k}=...) with autoload_with="
            )));
        }
    }
    let name = str_arg(args.first().unwrap_or(&Value::None), "Table name")?;
    let metadata = table_metadata(args)?;
    if args.len() > 2 {
        return Err(PyErr::unsupported(
            "Table(..., autoload_with=...) with columns given to override the reflected ones",
        ));
    }
    let flag = |k: &str| kw(kwargs, k).is_some_and(|v| v.truthy());
    if let Some(existing) = metadata.table(&name) {
        if flag("extend_existing") {
            return Err(PyErr::unsupported(
                "Table(..., autoload_with=..., extend_existing=True) of a table the MetaData holds",
            ));
        }
        return Ok(Value::Native(existing));
    }
    let resolve_fks = kw(kwargs, "resolve_fks").is_none_or(|v| v.truthy());
    super::reflect_table::autoload(interp, &name, &metadata, bind, resolve_fks)
}

/// `Table(...)`'s second argument, its `MetaData`.
///
/// Errors: `TypeError` when it is not one.
fn table_metadata(args: &[Value]) -> PyResult<Rc<crate::orm::mapper::Registry>> {
    match args.get(1) {
        Some(Value::Native(n))
            if let Some(SchemaItem::Metadata(r)) = downcast::<SchemaItem>(n).as_deref() =>
        {
            Ok(r.clone())
        }
        _ => Err(type_error(
            "Table.__init__() missing 1 required positional argument: 'metadata'",
        )),
    }
}

/// `Table("name", metadata, Column("id", ...), ..., keep_existing=,
/// extend_existing=)`: registered in the metadata; `InvalidRequestError` if
/// the name is taken, as SQLAlchemy's `MetaData`. With `keep_existing=True`
/// the existing table is returned as it is; with `extend_existing=True` too
/// when it already has every column given (changing or adding columns of an
/// existing table is `NotImplementedError`).
fn table(args: &[Value], kwargs: &Kwargs) -> PyResult<Value> {
    for (k, _) in kwargs {
        if !matches!(k.as_str(), "extend_existing" | "keep_existing") {
            return Err(PyErr::unsupported(format!("Table({k}=...)")));
        }
    }
    let flag = |k: &str| kw(kwargs, k).is_some_and(|v| v.truthy());
    let (extend_existing, keep_existing) = (flag("extend_existing"), flag("keep_existing"));
    if extend_existing && keep_existing {
        return Err(PyErr::new(
            ExcType::ArgumentError,
            "Can't pass both extend_existing and keep_existing",
        ));
    }
    let name = str_arg(args.first().unwrap_or(&Value::None), "Table name")?;
    let mut columns = Vec::new();
    let mut indexes = Vec::new();
    let mut constraints = Vec::new();
    let metadata = table_metadata(args)?;
    for a in args.iter().skip(2) {
        match a {
            Value::Native(n) if let Some(s) = downcast::<SchemaItem>(n) => match &*s {
                SchemaItem::Column(c, n) => {
                    let Some(n) = n else {
                        return Err(PyErr::new(
                            ExcType::ArgumentError,
                            "Columns of a Table(...) need a name: Column(\"user_id\", ...)",
                        ));
                    };
                    if c.identity.is_some() && c.sequence.is_some() {
                        // `Column._set_parent`, when the column joins its table.
                        return Err(PyErr::new(
                            ExcType::ArgumentError,
                            "An column cannot specify both Identity and Sequence.",
                        ));
                    }
                    let mut c = c.clone();
                    c.name = n.clone();
                    columns.push(c);
                }
                SchemaItem::Index(i) => indexes.push(i.clone()),
                SchemaItem::Constraint(c) => constraints.push(c.clone()),
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
    if let Some(existing) = metadata.table(&name) {
        if keep_existing {
            return Ok(Value::Native(existing));
        }
        if extend_existing {
            if columns.iter().all(|c| existing.columns.contains(c))
                && indexes.is_empty()
                && constraints.is_empty()
            {
                return Ok(Value::Native(existing));
            }
            return Err(PyErr::unsupported(
                "Table(..., extend_existing=True) that changes or adds columns of an existing table",
            ));
        }
        return Err(invalid_request(format!(
            "Table '{name}' is already defined for this MetaData instance.  Specify 'extend_existing=True' to redefine options and columns on an existing Table object."
        )));
    }
    let table = Rc::new(Table {
        name,
        columns,
        constraints,
        indexes,
        options: Default::default(),
    });
    metadata.tables.borrow_mut().push(table.clone());
    Ok(Value::Native(table))
}

fn u32_arg(v: Option<Value>) -> Option<u32> {
    match v {
        Some(Value::Int(n)) if (0..=u32::MAX as i64).contains(&n) => Some(n as u32),
        _ => None,
    }
}

/// A type constructor such as `String(100)`, `Numeric(10, 2)`,
/// `Enum("a", "b")` or `Integer()`.
fn type_constructor(ty: &str, args: &[Value], kwargs: &Kwargs) -> PyResult<SchemaItem> {
    let arg = |i: usize, key: &str| args.get(i).cloned().or_else(|| kw(kwargs, key));
    let t = match ty {
        "Numeric" | "NUMERIC" => {
            SqlType::Numeric(u32_arg(arg(0, "precision")), u32_arg(arg(1, "scale")))
        }
        "DECIMAL" => SqlType::Decimal(u32_arg(arg(0, "precision")), u32_arg(arg(1, "scale"))),
        "TIMESTAMP" => SqlType::Timestamp(arg(0, "timezone").is_some_and(|v| v.truthy())),
        "Enum" => {
            let mut names = Vec::new();
            // `Enum(Status)`: the member names, and the class to bind and
            // load members by (SQLAlchemy's `Enum._enum_init`); the type's
            // name is the class's, lowercased
            let mut enum_class = None;
            if let [Value::Native(n)] = args
                && let Some(c) = crate::python::object::downcast::<crate::python::class::PyClass>(n)
                && c.is_enum()
            {
                names = c
                    .enum_entries()
                    .into_iter()
                    .filter(|(_, _, canonical)| *canonical)
                    .map(|(k, _, _)| k)
                    .collect();
                enum_class = Some((c.name.to_lowercase(), c));
            }
            for a in args.iter().filter(|_| enum_class.is_none()) {
                match a {
                    Value::Str(s) => names.push(s.to_string()),
                    other => {
                        return Err(PyErr::unsupported(format!(
                            "Enum({}) (list the values as strings: Enum(\"a\", \"b\"))",
                            repr_plain(other)
                        )));
                    }
                }
            }
            for (k, v) in kwargs {
                match k.as_str() {
                    // `create_type` passes through the generic `Enum`
                    // unused, as SQLAlchemy's (only `postgresql.ENUM` reads it)
                    "name" | "create_constraint" | "native_enum" | "create_type" => {}
                    _ => {
                        return Err(PyErr::unsupported(format!("Enum({k}={})", repr_plain(v))));
                    }
                }
            }
            let name = match kw(kwargs, "name") {
                Some(Value::Str(s)) => Some(s.to_string()),
                _ => enum_class.as_ref().map(|(n, _)| n.clone()),
            };
            let native = match (kw(kwargs, "native_enum"), &name) {
                (Some(v), _) if !v.truthy() => NativeEnum::Off,
                (_, Some(n)) => NativeEnum::Named(n.clone()),
                (_, None) => NativeEnum::Unnamed,
            };
            let ty = SqlType::Enum(names, enum_class.map(|(_, c)| OpaqueCallable(c)), native);
            if kw(kwargs, "create_constraint").is_some_and(|v| v.truthy()) {
                return Ok(SchemaItem::CheckedEnum(ty, name));
            }
            ty
        }
        _ => match simple_type(ty, u32_arg(arg(0, "length"))) {
            Some(t) => t,
            None => return Err(type_error(format!("{ty}() is not callable here"))),
        },
    };
    Ok(SchemaItem::Type(t))
}

/// `registry()` from `sqlalchemy.orm`: a registry of mapped classes with
/// its own `MetaData`, mapping classes through `@reg.mapped` or the base
/// `reg.generate_base()` makes (SQLAlchemy 2.0's `decl_api.registry`).
#[derive(Debug)]
pub struct MapperRegistry {
    pub registry: Rc<crate::orm::mapper::Registry>,
    address: u64,
}

impl crate::python::PyObject for MapperRegistry {
    fn type_name(&self) -> String {
        "registry".into()
    }
    fn repr(&self) -> String {
        format!(
            "<sqlalchemy.orm.decl_api.registry object at 0x{:012x}>",
            self.address
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

impl MapperRegistry {
    /// `Base.registry`: the declarative base's registry as a `registry`
    /// object (a new Python object at each read, as a fresh address).
    pub fn of(registry: Rc<crate::orm::mapper::Registry>) -> MapperRegistry {
        MapperRegistry {
            registry,
            address: crate::orm::state::next_address(),
        }
    }
}

/// `@reg.mapped` before it decorates a class: the class statement under it
/// is mapped in `reg` (see `interpreter::classes::exec_decorated`).
#[derive(Debug)]
pub struct MappedDecorator(pub Rc<crate::orm::mapper::Registry>);

impl crate::python::PyObject for MappedDecorator {
    fn type_name(&self) -> String {
        "method".into()
    }
    fn repr(&self) -> String {
        "<bound method registry.mapped of <sqlalchemy.orm.decl_api.registry object>>".into()
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `registry(metadata=None, ...)`.
fn mapper_registry(args: &[Value], kwargs: &Kwargs) -> PyResult<Value> {
    if !args.is_empty() {
        return Err(type_error(format!(
            "registry.__init__() takes 1 positional argument but {} were given",
            args.len() + 1
        )));
    }
    let registry = match kw(kwargs, "metadata") {
        Some(Value::Native(n))
            if let Some(SchemaItem::Metadata(r)) = downcast::<SchemaItem>(&n).as_deref() =>
        {
            r.clone()
        }
        Some(Value::None) | None => Rc::new(crate::orm::mapper::Registry::default()),
        Some(other) => {
            return Err(PyErr::unsupported(format!(
                "registry(metadata={})",
                repr_plain(&other)
            )));
        }
    };
    for (k, _) in kwargs {
        if k != "metadata" {
            return Err(PyErr::unsupported(format!("registry({k}=...)")));
        }
    }
    Ok(Value::native(MapperRegistry {
        registry,
        address: crate::orm::state::next_address(),
    }))
}

/// The names of `registry` the tutor does not model yet.
const REGISTRY_UNSUPPORTED: &[&str] = &[
    "map_imperatively",
    "mapped_as_dataclass",
    "as_declarative_base",
    "configure",
    "dispose",
    "update_type_annotation_map",
    "type_annotation_map",
    "mappers",
    "map_declaratively",
];

/// `reg.metadata`, `reg.mapped`, `reg.generate_base` (as a bound method
/// value made by `method`).
///
/// Errors: `NotImplementedError` for the registry's other real names,
/// `AttributeError` for the rest.
pub fn registry_attr(
    r: &MapperRegistry,
    name: &str,
    method: impl Fn() -> Value,
) -> PyResult<Value> {
    match name {
        "metadata" => Ok(r.registry.metadata_value()),
        "mapped" => Ok(Value::native(MappedDecorator(r.registry.clone()))),
        "generate_base" => Ok(method()),
        n if REGISTRY_UNSUPPORTED.contains(&n) => Err(PyErr::unsupported(format!("registry.{n}"))),
        n => Err(PyErr::new(
            ExcType::AttributeError,
            format!("'registry' object has no attribute '{n}'"),
        )),
    }
}

/// `reg.generate_base()`: the declarative base class mapping into `reg`
/// (`<class 'sqlalchemy.orm.decl_api.Base'>`, as `declarative_base()`'s).
///
/// Errors: `NotImplementedError` for its keyword arguments.
pub fn registry_method(
    r: &MapperRegistry,
    name: &str,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<Value> {
    match name {
        "generate_base" if args.is_empty() && kwargs.is_empty() => {
            Ok(Value::Native(r.registry.clone()))
        }
        "generate_base" => Err(PyErr::unsupported("arguments of registry.generate_base()")),
        n => registry_attr(r, n, || Value::None),
    }
}
