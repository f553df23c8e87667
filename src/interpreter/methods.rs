//! Attributes and methods of every value: Python's (`str.upper`,
//! `list.append`, `dict.get`, …) and SQLAlchemy's (`Session.add`,
//! `Query.filter`, `Result.scalars`, `User.name.like`, …), plus item access,
//! slicing, iteration and `with` blocks.

use std::cell::RefCell;
use std::rc::Rc;

use crate::orm::attributes::{self, get_attribute, set_column_attribute};
use crate::orm::expression::{self, COLUMN_METHODS, SqlExpr};
use crate::orm::mapper::{AttrKind, AttrRef, Mapper};
use crate::orm::query::Query;
use crate::orm::schema_items::SchemaItem;
use crate::orm::session;
use crate::orm::session::Session;
use crate::orm::state::{Obj, ObjectState};
use crate::python::value::Row;
use crate::sql::schema::TableRef;
use chrono::{NaiveDate, NaiveDateTime};

use super::builtins::datetime_method;
use super::eval::{Interpreter, list_index};
use crate::orm::bulk::DmlStatement;
use crate::orm::mapper::Registry;
use crate::orm::strategy_options::LoaderOption;
use crate::python::ExcType;
use crate::python::exceptions::{
    PyErr, PyResult, attribute_error, did_you_mean, type_error, value_error,
};
use crate::python::format::repr_plain;
use crate::python::object::downcast;
use crate::python::ops;
use crate::python::types;
use crate::python::value::{Builtin, ListObj, Method, SetKind, Value};
use crate::sqlalchemy::method as sa_method;
use crate::sqlalchemy::objects::as_class;
use crate::sqlalchemy::objects::{
    Engine, InstanceState, NoAutoflush, SessionTransaction, as_table,
};
use crate::sqlalchemy::query::{self, run_query_values};
use crate::sqlalchemy::result;
use crate::sqlalchemy::session::{SESSION, as_session, session_names};

type Kwargs = Vec<(String, Value)>;

use crate::python::generator::Generator;

fn method(receiver: &Value, name: &str) -> Value {
    Value::Method(Rc::new(Method {
        receiver: receiver.clone(),
        name: name.to_string(),
    }))
}

/// The error for `v.name` when the tutor has no such attribute: an
/// `AttributeError` with a "did you mean" hint, or `NotImplementedError`
/// when the real Python or SQLAlchemy type has it
/// ([`super::introspect::is_real_attribute`]).
fn no_attr(v: &Value, name: &str, candidates: &[&str]) -> PyErr {
    let type_name = v.type_name();
    if super::introspect::is_real_attribute(&type_name, name) {
        return PyErr::unsupported(format!("{type_name}.{name}"));
    }
    let err = attribute_error(format!(
        "'{}' object has no attribute '{name}'",
        types::timedelta::qualified_name(v)
    ));
    match did_you_mean(name, candidates.iter().copied()) {
        Some(h) => err.with_hint(format!("did you mean '{h}'?")),
        None => err,
    }
}

/// `obj.name`
pub fn get_attr(interp: &mut Interpreter, obj: &Value, name: &str) -> PyResult<Value> {
    if let Some(r) = super::classes::get_attr(interp, obj, name) {
        return r;
    }
    if let Some(r) = crate::sqlalchemy::alembic::get_attr(obj, name) {
        return r;
    }
    if let Some(m) = crate::sqlalchemy::mapper_inspection::needs_configure(obj, name) {
        super::models::configure(interp, &m)?;
    }
    if let Some(r) = crate::sqlalchemy::get_attr(obj, name) {
        return r;
    }
    if let Some(r) = crate::python::collections::get_attr(obj, name) {
        return r;
    }
    if crate::python::collections::method_names(obj).contains(&name) {
        return Ok(method(obj, name));
    }
    match obj {
        inst if let Some(o) = crate::orm::state::as_instance(inst) => {
            if o.borrow().mapper.method(name).is_some() {
                return Ok(method(obj, name));
            }
            let mapper = o.borrow().mapper.clone();
            if name == "__class__" {
                return Ok(Value::Native(mapper));
            }
            if name == "__dict__" {
                return Ok(instance_dict(&o));
            }
            if let Some(r) = super::classes::mapped_instance_attr(interp, obj, &mapper, name) {
                return r;
            }
            if let Some(r) = super::hybrid::instance_get(interp, obj, &mapper, name) {
                return r;
            }
            if let Some(v) = crate::sqlalchemy::asyncio::awaitable_attrs(obj, &mapper, name) {
                return Ok(v);
            }
            get_attribute(&o, name)
        }
        v if let Some(m) = as_class(v)
            && let Some(r) = super::hybrid::class_get(interp, v, &m, name) =>
        {
            r
        }
        v if let Some(m) = as_class(v)
            && let Some(r) = super::declared_attr::mapped_class_directive(interp, v, &m, name) =>
        {
            r
        }
        v if let Some(m) = as_class(v) => class_attr(&m, name),
        Value::Module(m) => {
            crate::sqlalchemy::modules::module_attr(m, name, |s| interp.imported.contains(s))
        }
        v if let Some(a) = v.downcast::<AttrRef>() => attribute_attr(interp, obj, &a, name),
        v if let Some(g) = v.downcast::<Generator>() => {
            super::contextlib::generator_attr(obj, &g, name)
        }
        v if let Some(c) = v.downcast::<super::contextlib::Callable>() => {
            super::contextlib::callable_attr(interp, &c, name)
        }
        v if v.downcast::<super::coroutines::TaskGroup>().is_some() => {
            if name == "create_task" {
                Ok(method(obj, name))
            } else {
                Err(no_attr(obj, name, &["create_task"]))
            }
        }
        v if v.downcast::<super::coroutines::Task>().is_some() => {
            if super::coroutines::TASK_METHODS.contains(&name) {
                Ok(method(obj, name))
            } else {
                Err(no_attr(obj, name, super::coroutines::TASK_METHODS))
            }
        }
        v if let Some(e) = v.downcast::<SqlExpr>() => sql_attr(obj, &e, name),
        v if let Some(t) = as_table(v) => table_attr(obj, &t, name),
        v if let Some(s) = as_session(v) => session_attr(interp, obj, &s, name),
        v if crate::sqlalchemy::url::is_url_object(v) => {
            crate::sqlalchemy::url::get_attr(obj, name)
        }
        Value::Native(n)
            if let Some(d) = downcast::<crate::sqlalchemy::compiled::DialectObj>(n) =>
        {
            crate::sqlalchemy::compiled::dialect_attr(obj, &d, name)
        }
        v if crate::sqlalchemy::asyncio::is_async_object(v) => {
            crate::sqlalchemy::asyncio::get_attr(interp, obj, name)
        }
        v if crate::sqlalchemy::connection::is_connection_object(v) => {
            crate::sqlalchemy::connection::get_attr(obj, name)
        }
        v if let Some(q) = query::as_query(v) => query_attr(obj, &q, name),
        v if let Some(r) = result::as_result(v)
            && let Some(found) = result::result_attr(&r, name) =>
        {
            found
        }
        v if result::as_result(v).is_some() => {
            if sa_method::has(result::RESULT, name) {
                Ok(method(obj, name))
            } else {
                Err(no_attr(obj, name, &result::result_names()))
            }
        }
        v if let Some(f) = v.downcast::<result::FrozenResult>() => match name {
            "data" => Ok(f.data()),
            _ => Err(no_attr(obj, name, &["data"])),
        },
        Value::Row(r) => row_attr(obj, r, name),
        Value::DateTime(dt) => datetime_attr(obj, dt, name),
        Value::Date(d) => date_attr(obj, d, name),
        Value::Time(t) => time_attr(obj, t, name),
        Value::Builtin(Builtin::TimeOfDay) => match name {
            "fromisoformat" => Ok(method(obj, name)),
            "__name__" | "__qualname__" => Ok(Value::str("time")),
            _ => Err(attribute_error(format!(
                "type object 'datetime.time' has no attribute '{name}'"
            ))),
        },
        Value::TimeDelta(t) => match types::timedelta::field(t, name) {
            Some(v) => Ok(v),
            None if types::has_method(obj, name) => Ok(method(obj, name)),
            None => Err(no_attr(
                obj,
                name,
                &["days", "seconds", "microseconds", "total_seconds"],
            )),
        },
        Value::Builtin(Builtin::TimeDelta) => match name {
            "__name__" | "__qualname__" => Ok(Value::str("timedelta")),
            _ => types::timedelta::class_attribute(name).ok_or_else(|| {
                attribute_error(format!(
                    "type object 'datetime.timedelta' has no attribute '{name}'"
                ))
            }),
        },
        Value::Exception(e) => exception_attr(obj, e, name),
        Value::Builtin(Builtin::Func) => Ok(Value::Builtin(Builtin::SqlFunction(name.to_string()))),
        Value::Builtin(Builtin::Schema("declared_attr")) => super::declared_attr::attr(name),
        v if let Some(d) = v.downcast::<crate::sqlalchemy::table_items::DefaultObject>() => {
            d.attr(name)
        }
        v if let Some(i) = v.downcast::<crate::sqlalchemy::table_items::TableIndex>() => {
            i.attr(name)
        }
        v if let Some(c) = v.downcast::<crate::sqlalchemy::table_items::Constraint>() => {
            c.attr(name)
        }
        v if let Some(pk) = v.downcast::<crate::sqlalchemy::table::PrimaryKeyConstraint>() => {
            match name {
                "name" => Ok(pk
                    .0
                    .options
                    .primary_key_name
                    .as_deref()
                    .map_or(Value::None, Value::str)),
                "table" => Ok(Value::Native(pk.0.clone())),
                _ => Err(PyErr::unsupported(format!("PrimaryKeyConstraint.{name}"))),
            }
        }
        v if let Some(c) = v.downcast::<super::declared_attr::DeclaringClass>() => {
            super::declared_attr::class_attr(interp, obj, &c, name)
        }
        Value::Builtin(Builtin::SessionClass)
            if let Some(f) = crate::sqlalchemy::session::class_attr(name) =>
        {
            Ok(f)
        }
        Value::Builtin(Builtin::DictType) if name == "fromkeys" => Ok(method(obj, name)),
        Value::Builtin(Builtin::Itertools("chain")) if name == "from_iterable" => {
            Ok(Value::Builtin(Builtin::Itertools("chain.from_iterable")))
        }
        Value::Builtin(Builtin::Bytes) if name == "fromhex" => Ok(method(obj, name)),
        Value::Builtin(b) if name == "__name__" && b.class_name().is_some() => {
            Ok(Value::str(b.class_name().unwrap_or_default()))
        }
        Value::Builtin(Builtin::DateTime) => match name {
            "utcnow" | "now" | "today" | "fromisoformat" | "combine" => Ok(method(obj, name)),
            "__name__" | "__qualname__" => Ok(Value::str("datetime")),
            _ => Err(attribute_error(format!(
                "type object 'datetime.datetime' has no attribute '{name}'"
            ))),
        },
        Value::Native(n)
            if let Some(r) = downcast::<crate::sqlalchemy::schema::MapperRegistry>(n) =>
        {
            crate::sqlalchemy::schema::registry_attr(&r, name, || method(obj, name))
        }
        Value::Native(n) if let Some(r) = downcast::<types::range::Range>(n) => {
            match r.attribute(name) {
                Some(v) => Ok(v),
                None if matches!(name, "index" | "count") => Ok(method(obj, name)),
                None => Err(no_attr(obj, name, types::range::Range::NAMES)),
            }
        }
        Value::Native(n) if let Some(r) = downcast::<Registry>(n) => match name {
            "metadata" => Ok(r.metadata_value()),
            "registry" => Ok(Value::native(
                crate::sqlalchemy::schema::MapperRegistry::of(r),
            )),
            _ => Err(attribute_error(format!(
                "type object 'Base' has no attribute '{name}'"
            ))),
        },
        Value::Native(n) if let Some(s) = downcast::<SchemaItem>(n) => metadata_attr(obj, &s, name),
        Value::Native(n) if let Some(c) = downcast::<crate::sqlalchemy::table::TableColumns>(n) => {
            match name {
                "keys" => Ok(method(obj, name)),
                _ => c.attr(name),
            }
        }
        Value::Native(n)
            if let Some(sq) = downcast::<crate::sqlalchemy::subquery::SubqueryObj>(n) =>
        {
            if sa_method::has(crate::sqlalchemy::subquery::table_of(&sq).0, name) {
                Ok(method(obj, name))
            } else {
                crate::sqlalchemy::subquery::subquery_attr(&sq, name)
            }
        }
        Value::Native(n) if let Some(j) = downcast::<crate::sqlalchemy::join::JoinObj>(n) => {
            crate::sqlalchemy::join::get_attr(&j, name, || method(obj, name))
        }
        Value::Native(n)
            if let Some(c) = downcast::<crate::sqlalchemy::subquery::SubqueryColumns>(n) =>
        {
            match name {
                "keys" => Ok(method(obj, name)),
                _ => c.0.column(name),
            }
        }
        Value::Native(n)
            if let Some(InstanceState(o)) = downcast::<InstanceState>(n).as_deref() =>
        {
            instance_state_attr(o, name)
        }
        Value::Native(n)
            if let Some(i) = downcast::<crate::sqlalchemy::inspector::Inspector>(n) =>
        {
            use crate::sqlalchemy::inspector::{get_attr, inspector_names};
            get_attr(obj, &i, name).unwrap_or_else(|| Err(no_attr(obj, name, &inspector_names())))
        }
        Value::Native(n) if let Some(e) = downcast::<Engine>(n) => {
            use crate::sqlalchemy::engine::{ENGINE, engine_attr, engine_names};
            match engine_attr(&e, name) {
                Some(v) => v,
                None if sa_method::has(ENGINE, name) => Ok(method(obj, name)),
                None => Err(no_attr(obj, name, &engine_names())),
            }
        }
        Value::Native(n)
            if downcast::<crate::orm::from_statement::FromStatement>(n).is_some()
                && (name == "params" || name == "options") =>
        {
            Ok(method(obj, name))
        }
        Value::Native(n)
            if downcast::<crate::sqlalchemy::strategy_options::LoadRoot>(n).is_some() =>
        {
            use crate::sqlalchemy::strategy_options::LOAD;
            if sa_method::has(LOAD, name) {
                Ok(method(obj, name))
            } else {
                Err(no_attr(obj, name, &sa_method::names(LOAD)))
            }
        }
        Value::Native(n) if downcast::<LoaderOption>(n).is_some() => {
            use crate::sqlalchemy::strategy_options::LOAD;
            if sa_method::has(LOAD, name) {
                Ok(method(obj, name))
            } else {
                Err(no_attr(obj, name, &sa_method::names(LOAD)))
            }
        }
        Value::Str(_)
        | Value::List(_)
        | Value::Dict(_)
        | Value::Tuple(_)
        | Value::Decimal(_)
        | Value::Set(_, SetKind::Plain | SetKind::Frozen)
            if types::has_method(obj, name) =>
        {
            Ok(method(obj, name))
        }
        Value::Str(_)
        | Value::List(_)
        | Value::Dict(_)
        | Value::Tuple(_)
        | Value::Set(_, SetKind::Plain | SetKind::Frozen) => Err(types::no_attribute(obj, name)),
        Value::Function(f) if name == "__name__" => Ok(Value::str(&f.name)),
        Value::Function(f) if name == "__qualname__" => Ok(Value::str(&f.qualname)),
        Value::Function(f) if name == "__annotations__" => function_annotations(interp, f),
        Value::PyType(t) if name == "__name__" => Ok(Value::str(t)),
        Value::ExceptionClass(c) if name == "__name__" => Ok(Value::str(c.name())),
        Value::ExceptionClass(c) if name == "__mro__" => {
            let mut mro: Vec<Value> = c.mro().iter().map(|e| Value::ExceptionClass(*e)).collect();
            mro.push(Value::PyType(Rc::from("object")));
            Ok(Value::tuple(mro))
        }
        _ => Err(no_attr(obj, name, &[])),
    }
}

/// `f.__annotations__`: each annotated parameter's annotation, then
/// `'return'`'s; under `from __future__ import annotations` the strings
/// the compiler made, otherwise the annotation evaluated (now, where
/// Python evaluated it at the `def`).
///
/// Errors: `NotImplementedError` for an annotation the tutor cannot
/// evaluate (`Mapped[int]`).
fn function_annotations(
    interp: &mut Interpreter,
    f: &crate::python::value::Function,
) -> PyResult<Value> {
    let mut pairs = Vec::new();
    let returns = f
        .params
        .returns
        .as_deref()
        .map(|r| ("return".to_string(), r));
    for (k, e) in f
        .params
        .annotations
        .iter()
        .map(|(k, e)| (k.clone(), e))
        .chain(returns)
    {
        let v = match &e.kind {
            crate::language::ast::ExprKind::Str(s) => Value::str(s),
            _ => interp
                .eval(e)
                .map_err(|_| PyErr::unsupported("__annotations__ of this function"))?,
        };
        pairs.push((Value::str(&k), v));
    }
    Ok(crate::python::value::DictObj::value(pairs))
}

/// Names SQLAlchemy 2.0's `InstrumentedAttribute` has (of a column and of
/// a relationship alike) that the tutor does not: `NotImplementedError`,
/// not `AttributeError`.
const INSTRUMENTED_ATTRIBUTE_ONLY_REAL: &[&str] = &[
    "and_",
    "any_",
    "all_",
    "op",
    "bool_op",
    "is_distinct_from",
    "is_not_distinct_from",
    "regexp_replace",
    "icontains",
    "istartswith",
    "iendswith",
    "get_history",
    "hasparent",
    "impl",
    "comparator",
    "parent",
    "adapter",
    "info",
];

/// An `InstrumentedAttribute`'s attributes (`User.name.key`, `.like`, …).
fn attribute_attr(
    interp: &mut Interpreter,
    obj: &Value,
    a: &AttrRef,
    name: &str,
) -> PyResult<Value> {
    match name {
        "key" => Ok(Value::str(&a.key)),
        // The attribute's `MapperProperty`, read on the mappers configured.
        "property" | "prop" => {
            super::models::configure(interp, &a.mapper)?;
            let mut prop = a.clone();
            prop.alias = None;
            prop.of_type = None;
            prop.criteria = None;
            Ok(Value::native(
                crate::sqlalchemy::mapper_inspection::PropertyView(prop),
            ))
        }
        "class_" => Ok(Value::Native(a.mapper.clone())),
        "expression" => Ok(Value::native(expression::attribute_expr(a)?)),
        // a column attribute's SQL type (`User.name.type` is `String()`)
        "type"
            if !matches!(a.kind, crate::orm::mapper::AttrKind::Relationship(_))
                && let Ok(e) = expression::attribute_expr(a) =>
        {
            Ok(type_value(&e.ty))
        }
        n if COLUMN_METHODS.contains(&n) || n == "any" || n == "has" => Ok(method(obj, name)),
        // SQLAlchemy's attribute has it (`User.messages.and_(…)`): the tutor lacks it.
        n if INSTRUMENTED_ATTRIBUTE_ONLY_REAL.contains(&n) => Err(PyErr::unsupported(format!(
            "InstrumentedAttribute.{n} ({}.{n})",
            a.qualified_name()
        ))),
        _ => Err(attribute_error(format!(
            "Neither 'InstrumentedAttribute' object nor 'Comparator' object associated with {} has an attribute '{name}'",
            a.qualified_name()
        ))),
    }
}

/// A mapped object's `__dict__`, as a copy: `_sa_instance_state` first,
/// then its loaded attributes (expired and unloaded ones are absent) in the
/// mapper's order, then plain attributes the learner set.
fn instance_dict(o: &Obj) -> Value {
    let mut pairs = vec![(
        Value::str("_sa_instance_state"),
        Value::native(InstanceState(o.clone())),
    )];
    let inst = o.borrow();
    let names = inst.mapper.attribute_names();
    for name in &names {
        if let Some(v) = inst.dict.get(name) {
            pairs.push((Value::str(name), v.clone()));
        }
    }
    for (k, v) in inst.dict.iter() {
        if !names.iter().any(|n| n == k) {
            pairs.push((Value::str(k), v.clone()));
        }
    }
    crate::python::value::DictObj::value(pairs)
}

/// An expression's `.type`: its SQL type object, `NullType()` when it
/// has none.
fn type_value(ty: &Option<crate::sql::schema::SqlType>) -> Value {
    match ty {
        Some(t) => Value::native(SchemaItem::Type(t.clone())),
        None => Value::native(crate::sqlalchemy::objects::NullType),
    }
}

/// A SQL expression's attributes (`.key`, `.name`, the column operators).
fn sql_attr(obj: &Value, e: &SqlExpr, name: &str) -> PyResult<Value> {
    match name {
        "key" | "name" => Ok(e.key.clone().map(|k| Value::str(&k)).unwrap_or(Value::None)),
        // `func.count().type` is `Integer()`, an untyped one `NullType()`
        "type" => Ok(match &e.expr {
            // a reflected table's column: the dialect's type (`INTEGER()`)
            crate::sql::elements::Expr::Column(crate::sql::elements::ColumnRef {
                from: crate::sql::elements::Selectable::Table(t),
                index,
                ..
            }) if let Some((class, args)) = t
                .columns
                .get(*index)
                .and_then(|c| c.face.reflected_type.as_ref()) =>
            {
                Value::native(crate::sqlalchemy::inspector::ReflectedType {
                    class: class.clone(),
                    args: args.clone(),
                })
            }
            _ => type_value(&e.ty),
        }),
        n if COLUMN_METHODS.contains(&n) => Ok(method(obj, name)),
        // A table's column: `t.c.name.nullable`, `.primary_key`, `.table`,
        // as SQLAlchemy's `Column`; its other attributes are not modelled.
        n => match &e.expr {
            crate::sql::elements::Expr::Column(crate::sql::elements::ColumnRef {
                from: crate::sql::elements::Selectable::Table(t),
                index,
                ..
            }) if let Some(c) = t.columns.get(*index) => match n {
                "nullable" => Ok(Value::Bool(c.nullable)),
                "primary_key" => Ok(Value::Bool(c.primary_key)),
                "table" => Ok(Value::Native(t.clone())),
                n if let Some(v) = crate::sqlalchemy::table_items::column_option(c, n) => Ok(v),
                n if COLUMN_ONLY_REAL.contains(&n) => {
                    Err(PyErr::unsupported(format!("Column.{n} ({}.{n})", t.name)))
                }
                _ => Err(no_such_column_attr(e, n)),
            },
            _ => Err(no_such_column_attr(e, n)),
        },
    }
}

/// Attributes SQLAlchemy 2.0's `Column` has that the tutor does not model:
/// `NotImplementedError`, not `AttributeError`.
const COLUMN_ONLY_REAL: &[&str] = &[
    "unique",
    "index",
    "default",
    "server_default",
    "onupdate",
    "server_onupdate",
    "foreign_keys",
    "autoincrement",
    "comment",
    "info",
    "constraints",
    "computed",
    "identity",
    "doc",
    "system",
    "proxy_set",
    "base_columns",
];

/// SQLAlchemy's `AttributeError` for a name a column expression lacks.
fn no_such_column_attr(e: &SqlExpr, name: &str) -> PyErr {
    attribute_error(format!(
        "Neither '{}' object nor 'Comparator' object has an attribute '{name}'",
        e.python_type_name()
    ))
}

/// A `Table`'s attributes: `.c`/`.columns`, `.name`, `.primary_key`, DML
/// methods; its columns are only under `.c` (`t.c.user_id`).
fn table_attr(obj: &Value, t: &TableRef, name: &str) -> PyResult<Value> {
    match name {
        "c" | "columns" => Ok(Value::native(crate::sqlalchemy::table::TableColumns(
            t.clone(),
            None,
        ))),
        "fullname" | "key" | "description" => Ok(Value::str(&t.name)),
        "schema" => Ok(Value::None),
        "comment" => Ok(t.options.comment.as_deref().map_or(Value::None, Value::str)),
        "primary_key" => Ok(Value::native(
            crate::sqlalchemy::table::PrimaryKeyConstraint(t.clone()),
        )),
        "name" => Ok(Value::str(&t.name)),
        "indexes" => Ok(crate::sqlalchemy::table_items::table_indexes(t)),
        "foreign_keys" => Ok(crate::sqlalchemy::table_items::table_foreign_keys(t)),
        "constraints" => crate::sqlalchemy::table_items::table_constraints(t),
        "insert" | "select" | "delete" | "update" | "alias" | "join" | "outerjoin" | "create"
        | "drop" => Ok(method(obj, name)),
        // A column is `t.c.<name>`, never `t.<name>` (SQLAlchemy's
        // `Table` has no such attribute).
        other => Err(no_attr(
            obj,
            other,
            &["c", "columns", "name", "primary_key"],
        )),
    }
}

/// A `Session`'s attributes (`new`, `dirty`, `identity_map`, …) and methods.
fn session_attr(
    interp: &mut Interpreter,
    obj: &Value,
    s: &Rc<Session>,
    name: &str,
) -> PyResult<Value> {
    match name {
        "new" => Ok(identity_set(s.new_objects())),
        "dirty" => Ok(identity_set(s.dirty_objects())),
        "deleted" => Ok(identity_set(s.deleted_objects())),
        "identity_map" => Ok(Value::list(
            s.identity_objects()
                .into_iter()
                .map(crate::orm::state::instance_value)
                .collect(),
        )),
        "is_active" => Ok(Value::Bool(true)),
        "autoflush" => Ok(Value::Bool(s.autoflush.get())),
        "bind" => Ok(crate::sqlalchemy::session::session_bind(interp, s)),
        "info" => Ok(crate::sqlalchemy::session::session_info(s)),
        "no_autoflush" => Ok(Value::native(NoAutoflush(s.clone()))),
        n if crate::sqlalchemy::method::has(SESSION, n) => Ok(method(obj, name)),
        _ => Err(no_attr(obj, name, &session_names())),
    }
}

/// A `Select`'s or legacy `Query`'s attributes and methods.
fn query_attr(obj: &Value, q: &Query, name: &str) -> PyResult<Value> {
    match name {
        "statement" => Ok(obj.clone()),
        "column_descriptions" => crate::sqlalchemy::query::column_descriptions(q),
        "selected_columns" if !q.is_legacy() => crate::sqlalchemy::query::selected_columns(q),
        "append" | "extend" | "remove" if q.dynamic.is_some() => Ok(method(obj, name)),
        _ if q.dynamic.is_some() && !q.is_legacy() => Err(PyErr::unsupported(format!(
            "AppenderQuery.{name} on a lazy=\"dynamic\" collection of an object outside a Session"
        ))),
        n if query::has_method(q.is_legacy(), n) => Ok(method(obj, name)),
        _ => Err(query_no_attr(obj, q, name)),
    }
}

/// A `Row`'s attributes: `_fields`, `_mapping`, its methods, and its
/// columns by key.
fn row_attr(obj: &Value, r: &Row, name: &str) -> PyResult<Value> {
    match name {
        "_fields" => Ok(Value::tuple(
            Row::visible_keys(&r.keys)
                .iter()
                .map(|k| Value::str(k))
                .collect(),
        )),
        "_mapping" => Ok(crate::python::types::row_mapping::row_mapping(Rc::new(
            r.keyed(),
        ))),
        "_asdict" | "_tuple" | "count" | "index" => Ok(method(obj, name)),
        key => match r.keys.iter().position(|k| k == key) {
            Some(i) => Ok(r.values[i].clone()),
            None => {
                let visible = Row::visible_keys(&r.keys);
                let names: Vec<&str> = visible.iter().map(String::as_str).collect();
                Err(
                    attribute_error(format!("Could not locate column in row for column '{key}'"))
                        .with_hint(match did_you_mean(key, names.iter().copied()) {
                            Some(h) => format!(
                                "did you mean '{h}'? the row's keys are {}",
                                names.join(", ")
                            ),
                            None => format!("the row's keys are {}", names.join(", ")),
                        }),
                )
            }
        },
    }
}

/// A `datetime.datetime`'s fields and methods.
fn datetime_attr(obj: &Value, dt: &NaiveDateTime, name: &str) -> PyResult<Value> {
    use chrono::{Datelike, Timelike};
    Ok(match name {
        "year" => Value::Int(dt.year() as i64),
        "month" => Value::Int(dt.month() as i64),
        "day" => Value::Int(dt.day() as i64),
        "hour" => Value::Int(dt.hour() as i64),
        "minute" => Value::Int(dt.minute() as i64),
        "second" => Value::Int(dt.second() as i64),
        "microsecond" => Value::Int((dt.nanosecond() / 1000) as i64),
        _ if types::has_method(obj, name) => method(obj, name),
        _ => {
            return Err(no_attr(
                obj,
                name,
                &[
                    "year",
                    "month",
                    "day",
                    "hour",
                    "minute",
                    "second",
                    "strftime",
                    "isoformat",
                    "date",
                ],
            ));
        }
    })
}

/// A `datetime.time`'s fields and methods.
fn time_attr(obj: &Value, t: &chrono::NaiveTime, name: &str) -> PyResult<Value> {
    use chrono::Timelike;
    Ok(match name {
        "hour" => Value::Int(t.hour() as i64),
        "minute" => Value::Int(t.minute() as i64),
        "second" => Value::Int(t.second() as i64),
        "microsecond" => Value::Int(types::time::micros(t) as i64),
        "tzinfo" => Value::None,
        _ if types::has_method(obj, name) => method(obj, name),
        _ => {
            return Err(no_attr(
                obj,
                name,
                &[
                    "hour",
                    "minute",
                    "second",
                    "microsecond",
                    "isoformat",
                    "strftime",
                ],
            ));
        }
    })
}

/// A `datetime.date`'s fields and methods.
fn date_attr(obj: &Value, d: &NaiveDate, name: &str) -> PyResult<Value> {
    use chrono::Datelike;
    Ok(match name {
        "year" => Value::Int(d.year() as i64),
        "month" => Value::Int(d.month() as i64),
        "day" => Value::Int(d.day() as i64),
        _ if types::has_method(obj, name) => method(obj, name),
        _ => {
            return Err(no_attr(
                obj,
                name,
                &["year", "month", "day", "strftime", "isoformat"],
            ));
        }
    })
}

/// An exception's `args`, a DBAPI error's `orig`, an exception group's
/// `message` and `exceptions` (a tuple, as Python 3.11's).
fn exception_attr(obj: &Value, e: &PyErr, name: &str) -> PyResult<Value> {
    match (name, e.group()) {
        ("message", Some(g)) => return Ok(Value::str(&g.message)),
        ("exceptions", Some(g)) => {
            return Ok(Value::tuple(
                g.exceptions
                    .iter()
                    .map(crate::python::class::exception_value)
                    .collect(),
            ));
        }
        ("args", Some(g)) => {
            return Ok(Value::tuple(vec![
                Value::str(&g.message),
                Value::list(
                    g.exceptions
                        .iter()
                        .map(crate::python::class::exception_value)
                        .collect(),
                ),
            ]));
        }
        _ => {}
    }
    match name {
        "args" => Ok(Value::tuple(vec![Value::str(&e.message)])),
        name if let Some(v) = super::raising::chain_attr(e, name) => Ok(v),
        "orig" => Ok(Value::str(
            e.message
                .split_once(") ")
                .map(|(_, rest)| rest.lines().next().unwrap_or(""))
                .unwrap_or(&e.message),
        )),
        _ => Err(no_attr(obj, name, &["args", "orig"])),
    }
}

/// `metadata.reflect(bind, schema=None, views=False, only=None,
/// extend_existing=False, autoload_replace=True, resolve_fks=True)`, as
/// SQLAlchemy 2.0's `MetaData.reflect` (`reflect_table::reflect_metadata`).
///
/// Errors: `NotImplementedError` for `schema=`, `views=True`, a callable
/// `only=` and dialect keyword arguments; reflection's errors.
fn metadata_reflect(
    interp: &Interpreter,
    r: &Rc<crate::orm::mapper::Registry>,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<()> {
    let b = crate::python::Signature::method(
        "MetaData.reflect",
        &[
            "bind",
            "schema=!",
            "views=",
            "only=",
            "extend_existing=",
            "autoload_replace=",
            "resolve_fks=",
            "**dialect_kwargs",
        ],
    )
    .bind(args, kwargs)?;
    if b.flag("views", false) {
        return Err(PyErr::unsupported("MetaData.reflect(views=True)"));
    }
    if let Some((k, _)) = b.varkw.first() {
        return Err(PyErr::unsupported(format!("MetaData.reflect({k}=...)")));
    }
    let only = match b.given("only") {
        None => None,
        Some(Value::List(l)) => Some(l.items.borrow().clone()),
        Some(Value::Tuple(t)) => Some(t.to_vec()),
        Some(other) => {
            return Err(PyErr::unsupported(format!(
                "MetaData.reflect(only={})",
                crate::python::format::repr_plain(other)
            )));
        }
    };
    let only = match only {
        None => None,
        Some(items) => Some(
            items
                .iter()
                .map(|v| match v {
                    Value::Str(s) => Ok(s.to_string()),
                    other => Err(PyErr::unsupported(format!(
                        "MetaData.reflect(only=[{}])",
                        crate::python::format::repr_plain(other)
                    ))),
                })
                .collect::<PyResult<Vec<String>>>()?,
        ),
    };
    crate::sqlalchemy::reflect_table::reflect_metadata(
        interp,
        r,
        &b.value("bind"),
        only,
        b.flag("extend_existing", false),
        b.flag("resolve_fks", true),
    )
}

/// `Base.metadata`'s `tables`, `sorted_tables`, `create_all` and `drop_all`.
fn metadata_attr(obj: &Value, s: &SchemaItem, name: &str) -> PyResult<Value> {
    match (s, name) {
        (
            crate::orm::schema_items::SchemaItem::Metadata(_),
            "create_all" | "drop_all" | "reflect",
        )
        | (crate::orm::schema_items::SchemaItem::Sequence(..), "next_value") => {
            Ok(method(obj, name))
        }
        (crate::orm::schema_items::SchemaItem::Sequence(s, _), _) => {
            crate::sqlalchemy::schema::sequence_attr(s, name)
                .ok_or_else(|| no_attr(obj, name, &["next_value", "name", "start"]))
        }
        // A `Column(...)` not yet in a table: its `type`, `name` (`None`
        // until a class body or `Table` names it), `nullable`, `primary_key`.
        (crate::orm::schema_items::SchemaItem::ForeignKey(fk), _)
            if let Some(r) = crate::sqlalchemy::table_items::foreign_key_attr(fk, name) =>
        {
            r
        }
        (crate::orm::schema_items::SchemaItem::Column(c, given), _) => match name {
            "type" => Ok(Value::native(SchemaItem::Type(c.sql_type.clone()))),
            "name" | "key" => Ok(given.as_deref().map_or(Value::None, Value::str)),
            "nullable" => Ok(Value::Bool(c.nullable)),
            "primary_key" => Ok(Value::Bool(c.primary_key)),
            n if let Some(v) = crate::sqlalchemy::table_items::column_option(c, n) => Ok(v),
            n if COLUMN_ONLY_REAL.contains(&n) || n == "table" => Err(PyErr::unsupported(format!(
                "Column.{n} of a Column not in a Table"
            ))),
            _ => Err(no_attr(
                obj,
                name,
                &["type", "name", "nullable", "primary_key"],
            )),
        },
        // SQLAlchemy's `MetaData.sorted_tables`: in `create_all()` order.
        (crate::orm::schema_items::SchemaItem::Metadata(r), "sorted_tables") => Ok(Value::list(
            r.tables_in_dependency_order()
                .into_iter()
                .map(|t| Value::Native(t as Rc<dyn crate::python::PyObject>))
                .collect(),
        )),
        (crate::orm::schema_items::SchemaItem::Metadata(r), "tables") => {
            Ok(Value::Dict(Rc::new(RefCell::new(
                r.tables
                    .borrow()
                    .iter()
                    .map(|t| (Value::str(&t.name), Value::Native(t.clone())))
                    .collect(),
            ))))
        }
        _ => Err(no_attr(obj, name, &[])),
    }
}

/// SQLAlchemy's `IdentitySet` of objects (`session.new` and friends).
fn identity_set(objs: Vec<Obj>) -> Value {
    Value::Set(
        ListObj::new(
            objs.into_iter()
                .map(crate::orm::state::instance_value)
                .collect(),
        ),
        crate::python::value::SetKind::Identity,
    )
}

fn plain_set(items: Vec<Value>) -> Value {
    Value::Set(ListObj::new(items), crate::python::value::SetKind::Plain)
}

fn instance_state_attr(o: &Obj, name: &str) -> PyResult<Value> {
    let b = o.borrow();
    let state = b.state();
    Ok(match name {
        "transient" => Value::Bool(state == ObjectState::Transient),
        "pending" => Value::Bool(state == ObjectState::Pending),
        "persistent" => Value::Bool(state == ObjectState::Persistent),
        "deleted" => Value::Bool(state == ObjectState::Deleted),
        "detached" => Value::Bool(state == ObjectState::Detached),
        "was_deleted" => Value::Bool(b.deleted_flushed),
        "has_identity" => Value::Bool(b.key.is_some()),
        "mapper" => crate::sqlalchemy::mapper_inspection::mapper_view(&b.mapper),
        "expired" => Value::Bool(b.has_expired()),
        "expired_attributes" => plain_set(
            b.expired_attributes()
                .iter()
                .map(|k| Value::str(k))
                .collect(),
        ),
        "unloaded" => plain_set(
            b.mapper
                .attribute_names()
                .into_iter()
                .filter(|k| !b.dict.contains_key(k))
                .map(|k| Value::str(&k))
                .collect(),
        ),
        "modified" => Value::Bool(!b.committed().is_empty() || attributes::collections_changed(&b)),
        "identity" => match &b.key {
            Some(k) => Value::tuple(k.to_vec()),
            None => Value::None,
        },
        "key" => match &b.key {
            Some(k) => Value::tuple(vec![
                Value::Native(b.mapper.clone()),
                Value::tuple(k.to_vec()),
                Value::None,
            ]),
            None => Value::None,
        },
        "object" => crate::orm::state::instance_value(o.clone()),
        "session" => match b.session.and_then(session::session_by_id) {
            Some(s) => Value::Native(s),
            None => Value::None,
        },
        "dict" => Value::Dict(Rc::new(RefCell::new(
            b.dict
                .iter()
                .map(|(k, v)| (Value::str(k), v.clone()))
                .collect(),
        ))),
        _ => {
            return Err(no_attr(
                &Value::native(InstanceState(o.clone())),
                name,
                &[
                    "transient",
                    "pending",
                    "persistent",
                    "deleted",
                    "detached",
                    "expired_attributes",
                    "unloaded",
                    "modified",
                    "identity",
                ],
            ));
        }
    })
}

pub fn class_attr(m: &Rc<Mapper>, name: &str) -> PyResult<Value> {
    if let Some(col) = m.column(name) {
        return Ok(Value::native(AttrRef::new(
            m.clone(),
            name.to_string(),
            AttrKind::Column(col),
        )));
    }
    if let Some(rel) = m.relationship(name) {
        return Ok(Value::native(AttrRef::new(
            m.clone(),
            name.to_string(),
            AttrKind::Relationship(rel),
        )));
    }
    if let Some(i) = m.expression(name) {
        return Ok(Value::native(AttrRef::new(
            m.clone(),
            name.to_string(),
            AttrKind::Expression(i),
        )));
    }
    match name {
        "__tablename__" => return Ok(Value::str(&m.table.name)),
        "__table__" => return Ok(Value::Native(m.table.clone())),
        "__name__" => return Ok(Value::str(&m.class_name)),
        _ => {}
    }
    if let Some(f) = m.method(name) {
        return Ok(Value::Function(f));
    }
    if let Some((_, v)) = m.class_attrs.borrow().iter().find(|(k, _)| k == name) {
        return Ok(super::classes::mapped_class_attr(m, v));
    }
    let names = m.attribute_names();
    let err = attribute_error(format!(
        "type object '{}' has no attribute '{name}'",
        m.class_name
    ));
    Err(match did_you_mean(name, names.iter().map(String::as_str)) {
        Some(h) => err.with_hint(format!("did you mean '{h}'?")),
        None => err.with_hint(format!(
            "{}'s attributes are {}",
            m.class_name,
            names.join(", ")
        )),
    })
}

/// `obj.name = v`
pub fn set_attr(interp: &mut Interpreter, obj: &Value, name: &str, v: Value) -> PyResult<()> {
    if let Value::Native(_) = obj
        && let Some(r) = super::classes::set_attr(interp, obj, name, v.clone())
    {
        return r;
    }
    match obj {
        inst if let Some(o) = crate::orm::state::as_instance(inst) => {
            let mapper = o.borrow().mapper.clone();
            if let Some(r) = super::classes::mapped_set_property(interp, obj, &mapper, name, &v) {
                return r;
            }
            if let Some(r) = super::hybrid::instance_set(interp, obj, &mapper, name, &v) {
                return r;
            }
            let v = super::classes::validate_mapped(interp, obj, &mapper, name, v)?;
            if mapper.column(name).is_some() {
                set_column_attribute(&o, name, v)?;
                return super::models::column_defaults_after_set(interp, &mapper, &o);
            }
            if let Some(rel) = mapper.relationship(name) {
                attributes::set_relationship(&o, &rel, v)?;
                return super::models::column_defaults_after_set(interp, &mapper, &o);
            }
            o.borrow_mut().dict.insert(name, v);
            Ok(())
        }
        e if name == "echo"
            && let Some(e) = e.downcast::<crate::sqlalchemy::objects::Engine>() =>
        {
            crate::sqlalchemy::engine::set_echo(&e.1, &v);
            Ok(())
        }
        e if name == "echo"
            && let Some(e) = e.downcast::<crate::sqlalchemy::asyncio_engine::AsyncEngine>()
            && let Some(sync) = e.sync.downcast::<crate::sqlalchemy::objects::Engine>() =>
        {
            crate::sqlalchemy::engine::set_echo(&sync.1, &v);
            Ok(())
        }
        v if let Some(s) = as_session(v)
            && name == "autoflush" =>
        {
            s.autoflush.set(v.truthy());
            Ok(())
        }
        c if let Some(m) = as_class(c) => {
            // Declarative's `__setattr__` maps a column or property given
            // after the class statement (`_add_attribute` →
            // `Mapper.add_property`): a relationship is added; a column or
            // `column_property()` the tutor cannot add (kept as a plain class
            // attribute it would silently stay out of every SELECT).
            if let Some(item) = v.downcast::<crate::orm::schema_items::SchemaItem>()
                && let crate::orm::schema_items::SchemaItem::Relationship(r) = &*item
            {
                return super::models::add_relationship(&m, name, r);
            }
            if let Some(item) = v.downcast::<crate::orm::schema_items::SchemaItem>()
                && matches!(
                    &*item,
                    crate::orm::schema_items::SchemaItem::Column(..)
                        | crate::orm::schema_items::SchemaItem::MappedColumn(_)
                        | crate::orm::schema_items::SchemaItem::ColumnProperty { .. }
                )
            {
                return Err(PyErr::unsupported(format!(
                    "adding the mapped attribute '{name}' to {} after its class statement \
                     (define it in the class body)",
                    m.class_name
                )));
            }
            m.class_attrs.borrow_mut().retain(|(k, _)| k != name);
            m.class_attrs.borrow_mut().push((name.to_string(), v));
            Ok(())
        }
        other => Err(attribute_error(format!(
            "'{}' object attribute '{name}' is read-only",
            other.type_name()
        ))),
    }
}

/// SQLAlchemy's `IndexError` for a negative index or slice bound on a
/// query (`orm.util._getitem`): SQL has no way to count from the end.
fn negative_query_index() -> PyErr {
    PyErr::new(
        ExcType::IndexError,
        "negative indexes are not accepted by SQL index / slice operators",
    )
}

/// `container[key]`
pub fn get_item(interp: &mut Interpreter, container: &Value, key: &Value) -> PyResult<Value> {
    if let Some(v) = super::classes::get_item(interp, container, key)? {
        return Ok(v);
    }
    match container {
        Value::List(l) => {
            let items = l.items.borrow();
            let i = list_index(key, items.len())?;
            Ok(items[i].clone())
        }
        Value::Tuple(t) => {
            let i = list_index(key, t.len())
                .map_err(|e| PyErr::new(e.exc, e.message.replace("list", "tuple")))?;
            Ok(t[i].clone())
        }
        Value::Row(r) => match key {
            Value::Str(s) => Err(type_error(format!(
                "tuple indices must be integers or slices, not str (use row.{s} or row._mapping['{s}'])"
            ))),
            _ => {
                let i = list_index(key, r.values.len())
                    .map_err(|e| PyErr::new(e.exc, e.message.replace("list", "tuple")))?;
                Ok(r.values[i].clone())
            }
        },
        Value::Bytes(b) => {
            let i = list_index(key, b.len()).map_err(|e| {
                let message = e
                    .message
                    .replace("list indices", "byte indices")
                    .replace("list index", "index");
                PyErr::new(e.exc, message)
            })?;
            Ok(Value::Int(i64::from(b[i])))
        }
        Value::Str(s) => {
            let chars: Vec<char> = s.chars().collect();
            let i = list_index(key, chars.len())
                .map_err(|e| PyErr::new(e.exc, e.message.replace("list", "string")))?;
            Ok(Value::str(&chars[i].to_string()))
        }
        Value::Dict(d) => {
            let found = d.borrow().lookup(key).cloned();
            match found {
                Some(v) => Ok(v),
                None => crate::python::collections::missing(interp, d, key)
                    .unwrap_or_else(|| Err(PyErr::new(ExcType::KeyError, repr_plain(key)))),
            }
        }
        Value::Native(n) if let Some(found) = n.get_item(key) => found,
        v if let Some(q) = query::as_query(v) => {
            // as SQLAlchemy's `orm.util._getitem`: query[i] is
            // list(query[i:i + 1])[0]
            let i = match key {
                Value::Int(i) => *i,
                Value::Bool(b) => i64::from(*b),
                _ => {
                    return Err(type_error(
                        "query indices must be non-negative integers or slices",
                    ));
                }
            };
            if i < 0 {
                return Err(negative_query_index());
            }
            let rows = run_query_values(&Rc::new(q.sliced(Some(i), Some(i + 1))))?;
            rows.into_iter()
                .next()
                .ok_or_else(|| PyErr::new(ExcType::IndexError, "list index out of range"))
        }
        other => Err(type_error(format!(
            "'{}' object is not subscriptable",
            other.type_name()
        ))),
    }
}

fn slice_bounds(
    len: usize,
    lower: Option<Value>,
    upper: Option<Value>,
    step: Option<Value>,
) -> PyResult<Vec<usize>> {
    let to_i = |v: Option<Value>| -> PyResult<Option<i64>> {
        match v {
            None | Some(Value::None) => Ok(None),
            Some(Value::Int(i)) => Ok(Some(i)),
            Some(other) => Err(type_error(format!(
                "slice indices must be integers or None, not {}",
                other.type_name()
            ))),
        }
    };
    let n = len as i64;
    let step = to_i(step)?.unwrap_or(1);
    if step == 0 {
        return Err(value_error("slice step cannot be zero"));
    }
    let norm = |i: i64| {
        if i < 0 {
            (i + n).max(if step > 0 { 0 } else { -1 })
        } else {
            i.min(if step > 0 { n } else { n - 1 })
        }
    };
    let (start, stop) = if step > 0 {
        (
            to_i(lower)?.map(norm).unwrap_or(0),
            to_i(upper)?.map(norm).unwrap_or(n),
        )
    } else {
        (
            to_i(lower)?.map(norm).unwrap_or(n - 1),
            to_i(upper)?.map(norm).unwrap_or(-1),
        )
    };
    let mut out = Vec::new();
    let mut i = start;
    while (step > 0 && i < stop) || (step < 0 && i > stop) {
        if i >= 0 && i < n {
            out.push(i as usize);
        }
        i += step;
    }
    Ok(out)
}

/// `container[lower:upper:step]`
pub fn slice(
    interp: &mut Interpreter,
    container: &Value,
    lower: Option<Value>,
    upper: Option<Value>,
    step: Option<Value>,
) -> PyResult<Value> {
    let _ = interp;
    match container {
        v if let Some(q) = query::as_query(v) => {
            // as SQLAlchemy's `orm.util._getitem`: an empty slice runs no
            // SQL, a negative bound is an IndexError, a step applies to
            // the rows the LIMIT/OFFSET query returns
            let bound = |v: &Option<Value>| -> PyResult<Option<i64>> {
                match v {
                    None | Some(Value::None) => Ok(None),
                    Some(Value::Int(i)) => Ok(Some(*i)),
                    Some(Value::Bool(b)) => Ok(Some(i64::from(*b))),
                    Some(other) => Err(type_error(format!(
                        "'{}' object cannot be interpreted as an integer",
                        other.type_name()
                    ))),
                }
            };
            let (lo, hi) = (bound(&lower)?, bound(&upper)?);
            if let (Some(lo), Some(hi)) = (lo, hi)
                && hi - lo <= 0
            {
                return Ok(Value::list(Vec::new()));
            }
            if lo.is_some_and(|i| i < 0) || hi.is_some_and(|i| i < 0) {
                return Err(negative_query_index());
            }
            let rows = run_query_values(&Rc::new(q.sliced(lo, hi)))?;
            match step {
                None | Some(Value::None) => Ok(Value::list(rows)),
                step => {
                    let idx = slice_bounds(rows.len(), None, None, step)?;
                    Ok(Value::list(
                        idx.into_iter().map(|i| rows[i].clone()).collect(),
                    ))
                }
            }
        }
        Value::Native(n) if let Some(r) = downcast::<types::range::Range>(n) => {
            r.slice(lower, upper, step)
        }
        Value::Bytes(b) => {
            let idx = slice_bounds(b.len(), lower, upper, step)?;
            Ok(Value::Bytes(idx.into_iter().map(|i| b[i]).collect()))
        }
        Value::Str(s) => {
            let chars: Vec<char> = s.chars().collect();
            let idx = slice_bounds(chars.len(), lower, upper, step)?;
            Ok(Value::str(
                &idx.into_iter().map(|i| chars[i]).collect::<String>(),
            ))
        }
        other => {
            let items = ops::sequence_items(other).ok_or_else(|| {
                type_error(format!(
                    "'{}' object is not subscriptable",
                    other.type_name()
                ))
            })?;
            let idx = slice_bounds(items.len(), lower, upper, step)?;
            let out: Vec<Value> = idx.into_iter().map(|i| items[i].clone()).collect();
            Ok(match other {
                Value::Tuple(_) | Value::Row(_) => Value::tuple(out),
                _ => Value::list(out),
            })
        }
    }
}

/// The items `for x in v` visits: a query runs (`Query.__iter__`), a
/// result yields its rows, a table's `c` its columns.
pub fn iterate(interp: &mut Interpreter, v: &Value) -> PyResult<Vec<Value>> {
    if let Some(items) = super::classes::iterate(interp, v)? {
        return Ok(items);
    }
    match v {
        v if let Some(q) = query::as_query(v)
            && q.is_legacy() =>
        {
            run_query_values(&q)
        }
        v if query::as_query(v).is_some() => Err(type_error(
            "'Select' object is not iterable; run it with session.execute(stmt) or session.scalars(stmt)",
        )),
        v if let Some(r) = result::as_result(v) => r.borrow_mut().iterate(),
        // `for c in table.c`: the columns, as `ColumnCollection.__iter__`
        Value::Native(n) if let Some(c) = downcast::<crate::sqlalchemy::table::TableColumns>(n) => {
            Ok(c.indices()
                .into_iter()
                .map(|i| crate::sqlalchemy::table::column_value(&c.0, i))
                .collect())
        }
        Value::Native(o) if o.is_iterator() => crate::python::iterators::drain(interp, o),
        other => ops::sequence_items(other)
            .ok_or_else(|| type_error(format!("'{}' object is not iterable", other.type_name()))),
    }
}

// ----- calls ---------------------------------------------------------------

/// `receiver.name(*args, **kwargs)`
pub fn call_method(
    interp: &mut Interpreter,
    receiver: &Value,
    name: &str,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<Value> {
    if crate::sqlalchemy::alembic::is_alembic_object(receiver) {
        return crate::sqlalchemy::alembic::call_method(interp, receiver, name, args, kwargs);
    }
    if kwargs.is_empty()
        && let Some(r) = crate::sqlalchemy::inspection::call_method(receiver, name, &args)
    {
        return r;
    }
    if kwargs.is_empty()
        && let Some(r) = crate::sqlalchemy::mapper_inspection::call_method(receiver, name, &args)
    {
        return r;
    }
    if kwargs.is_empty()
        && let Some(r) = crate::sqlalchemy::engine::context_method(receiver, name, &args)
    {
        return r;
    }
    if kwargs.is_empty()
        && let Some(r) = crate::sqlalchemy::event::call_method(receiver, name, &args)
    {
        return r;
    }
    if let Some(c) = receiver.downcast::<crate::orm::dynamic::WriteOnlyCollection>() {
        return crate::sqlalchemy::query::call_write_only(interp, &c, name, args, kwargs);
    }
    if let Some(q) = receiver.downcast::<crate::python::collections::Deque>() {
        return crate::python::collections::deque_method(interp, &q, receiver, name, args, kwargs);
    }
    if crate::python::collections::method_names(receiver).contains(&name)
        && let Some(r) = crate::python::collections::namedtuple_method(
            interp,
            receiver,
            name,
            args.clone(),
            kwargs.clone(),
        )
    {
        return r;
    }
    match receiver {
        v if let Some(g) = v.downcast::<Generator>() => {
            super::contextlib::call_generator_method(interp, v, &g, name, args, kwargs)
        }
        v if v.downcast::<super::coroutines::TaskGroup>().is_some() && name == "create_task" => {
            super::coroutines::task_group_create_task(interp, v, args, kwargs)
        }
        v if let Some(t) = v.downcast::<super::coroutines::Task>() => {
            super::coroutines::call_task_method(&t, name, args, kwargs)
                .unwrap_or_else(|| Err(no_attr(receiver, name, super::coroutines::TASK_METHODS)))
        }
        v if let Some(s) = as_session(v) => {
            crate::sqlalchemy::method::dispatch(SESSION, "Session", interp, &s, name, args, kwargs)
                .unwrap_or_else(|| Err(no_attr(receiver, name, &session_names())))
        }
        v if crate::sqlalchemy::url::is_url_object(v) => {
            crate::sqlalchemy::url::call_method(v, name, args, kwargs)
        }
        v if crate::sqlalchemy::asyncio::is_async_object(v) => {
            crate::sqlalchemy::asyncio::call_method(interp, v, name, args, kwargs)
        }
        v if crate::sqlalchemy::connection::is_connection_object(v) => {
            crate::sqlalchemy::connection::call_method(interp, v, name, args, kwargs)
        }
        v if let Some(q) = query::as_query(v)
            && let Some(parent) = &q.dynamic
            && matches!(name, "append" | "extend" | "remove") =>
        {
            crate::sqlalchemy::query::call_appender(interp, parent, name, args, kwargs)
        }
        v if let Some(q) = query::as_query(v) => query::call(interp, &q, name, args, kwargs)
            .unwrap_or_else(|| Err(query_no_attr(receiver, &q, name))),
        v if let Some(r) = result::as_result(v) => sa_method::dispatch(
            result::RESULT,
            result::type_name(&r),
            interp,
            &r,
            name,
            args,
            kwargs,
        )
        .unwrap_or_else(|| Err(no_attr(receiver, name, &result::result_names()))),
        v if expression::is_sql(v)
            && let Some(r) =
                crate::sqlalchemy::core::column_method(receiver, name, &args, &kwargs) =>
        {
            r
        }
        v if expression::is_sql(v) => {
            match expression::column_method(receiver, name, &args, &kwargs) {
                Some(r) => r,
                None => call_attribute(interp, receiver, name, args, kwargs),
            }
        }
        inst if let Some(o) = crate::orm::state::as_instance(inst) => {
            let f = o.borrow().mapper.method(name);
            match f {
                Some(f) => {
                    let mut full = vec![receiver.clone()];
                    full.extend(args);
                    interp.call_function(&f, full, kwargs)
                }
                None => {
                    let f = get_attr(interp, receiver, name)?;
                    interp.call(&f, args, kwargs)
                }
            }
        }
        Value::Native(n)
            if let Some(f) = downcast::<crate::orm::from_statement::FromStatement>(n)
                && name == "params" =>
        {
            let mut params = kwargs;
            for a in args {
                let Value::Dict(d) = a else {
                    return Err(type_error("params() takes a dict or keyword arguments"));
                };
                for (k, v) in d.borrow().iter() {
                    params.push((crate::python::format::str_plain(k), v.clone()));
                }
            }
            Ok(Value::native(f.with_params(&params)?))
        }
        Value::Native(n)
            if let Some(f) = downcast::<crate::orm::from_statement::FromStatement>(n)
                && name == "options" =>
        {
            if !kwargs.is_empty() {
                return Err(type_error(
                    "FromStatement.options() got an unexpected keyword argument",
                ));
            }
            let mut options = Vec::new();
            for a in &args {
                match a.downcast::<crate::orm::strategy_options::LoaderOption>() {
                    Some(o) => options.push(o),
                    None => {
                        return Err(crate::python::PyErr::new(
                            crate::python::ExcType::ArgumentError,
                            format!(
                                "options() takes loader options such as selectinload(User.messages), got {}",
                                a.type_name()
                            ),
                        ));
                    }
                }
            }
            Ok(Value::native(f.with_options(options)?))
        }
        Value::Native(n)
            if let Some(root) = downcast::<crate::sqlalchemy::strategy_options::LoadRoot>(n) =>
        {
            use crate::sqlalchemy::strategy_options::{LOAD, load_root_method};
            load_root_method(interp, &root, name, args, kwargs)
                .unwrap_or_else(|| Err(no_attr(receiver, name, &sa_method::names(LOAD))))
        }
        Value::Native(n) if let Some(o) = downcast::<LoaderOption>(n) => {
            use crate::sqlalchemy::strategy_options::LOAD;
            sa_method::dispatch(LOAD, "Load", interp, &o, name, args, kwargs)
                .unwrap_or_else(|| Err(no_attr(receiver, name, &sa_method::names(LOAD))))
        }
        Value::Native(n)
            if let Some(j) = downcast::<crate::sqlalchemy::join::JoinObj>(n)
                && sa_method::has(crate::sqlalchemy::join::JOIN, name) =>
        {
            crate::sqlalchemy::join::call_method(interp, &j, name, args, kwargs)
                .unwrap_or_else(|| Err(no_attr(receiver, name, &["join", "outerjoin"])))
        }
        Value::Native(n) if let Some(t) = downcast::<crate::sql::elements::TextClause>(n) => {
            use crate::sqlalchemy::core::{TEXT_CLAUSE, TEXTUAL_SELECT};
            let (table, type_name) = if t.columns.is_some() {
                (TEXTUAL_SELECT, "TextualSelect")
            } else {
                (TEXT_CLAUSE, "TextClause")
            };
            sa_method::dispatch(table, type_name, interp, &t, name, args, kwargs)
                .unwrap_or_else(|| Err(no_attr(receiver, name, &sa_method::names(table))))
        }
        Value::Native(n)
            if let Some(c) = downcast::<crate::sqlalchemy::subquery::SubqueryColumns>(n)
                && name == "keys" =>
        {
            Ok(c.0.keys_value())
        }
        Value::Native(n)
            if let Some(c) = downcast::<crate::sqlalchemy::table::TableColumns>(n)
                && name == "keys" =>
        {
            crate::python::Signature::method("ReadOnlyColumnCollection.keys", &[])
                .bind(args, kwargs)?;
            Ok(c.keys_value())
        }
        Value::Native(n)
            if let Some(c) = downcast::<crate::sqlalchemy::aliased::BundleColumns>(n)
                && name == "keys" =>
        {
            Ok(c.keys_value())
        }
        Value::Native(n)
            if let Some(sq) = downcast::<crate::sqlalchemy::subquery::SubqueryObj>(n)
                && let (table, type_name) = crate::sqlalchemy::subquery::table_of(&sq)
                && sa_method::has(table, name) =>
        {
            sa_method::dispatch(table, type_name, interp, &sq, name, args, kwargs)
                .unwrap_or_else(|| Err(no_attr(receiver, name, &sa_method::names(table))))
        }
        Value::Native(n)
            if let Some(r) = downcast::<types::range::Range>(n)
                && let Some(found) = r.call(name, &args) =>
        {
            found
        }
        Value::Native(n)
            if let Some(i) = downcast::<crate::sqlalchemy::inspector::Inspector>(n) =>
        {
            use crate::sqlalchemy::inspector::{INSPECTOR, inspector_names};
            sa_method::dispatch(INSPECTOR, "Inspector", interp, &i, name, args, kwargs)
                .unwrap_or_else(|| Err(no_attr(receiver, name, &inspector_names())))
        }
        Value::Native(n) if let Some(e) = downcast::<Engine>(n) => {
            use crate::sqlalchemy::engine::{ENGINE, engine_names};
            sa_method::dispatch(ENGINE, "Engine", interp, &e, name, args, kwargs)
                .unwrap_or_else(|| Err(no_attr(receiver, name, &engine_names())))
        }
        Value::Builtin(Builtin::DateTime) => datetime_method(interp, name, args, kwargs),
        Value::Builtin(Builtin::TimeOfDay) => {
            types::time::time_class_method(interp, name, args, kwargs)
        }
        Value::Builtin(Builtin::DictType) if name == "fromkeys" => {
            types::dict::from_keys(interp, args, kwargs)
        }
        Value::Builtin(Builtin::Bytes) if name == "fromhex" => {
            let b = crate::python::signature::Signature::builtin(
                "fromhex",
                &["string", "/"],
                crate::python::signature::ArgStyle::Exact,
            )
            .bind(args, kwargs)?;
            types::bytes::fromhex(&b.value("string"))
        }
        Value::Str(_)
        | Value::Bytes(_)
        | Value::List(_)
        | Value::Dict(_)
        | Value::Tuple(_)
        | Value::Set(_, SetKind::Plain | SetKind::Frozen)
        | Value::DateTime(_)
        | Value::Date(_)
        | Value::Time(_)
        | Value::TimeDelta(_)
        | Value::Decimal(_)
        | Value::Row(_) => types::call_method(interp, receiver, name, args, kwargs)
            .unwrap_or_else(|| Err(types::no_attribute(receiver, name))),
        Value::Native(n) if let Some(s) = downcast::<SchemaItem>(n) => match (&*s, name) {
            (crate::orm::schema_items::SchemaItem::Metadata(r), "create_all") => {
                super::models::create_all(r, args, kwargs)?;
                Ok(Value::None)
            }
            (crate::orm::schema_items::SchemaItem::Metadata(r), "drop_all") => {
                super::models::drop_all(r, args, kwargs)?;
                Ok(Value::None)
            }
            (crate::orm::schema_items::SchemaItem::Metadata(r), "reflect") => {
                metadata_reflect(interp, r, args, kwargs)?;
                Ok(Value::None)
            }
            (crate::orm::schema_items::SchemaItem::Sequence(s, _), "next_value") => {
                crate::python::Signature::method("Sequence.next_value", &[]).bind(args, kwargs)?;
                Ok(crate::sqlalchemy::schema::next_value(s))
            }
            _ => Err(no_attr(receiver, name, &[])),
        },
        Value::Native(n) if let Some(d) = downcast::<DmlStatement>(n) => {
            dml_method(&d, name, args, kwargs)
        }
        Value::Native(n)
            if let Some(r) = downcast::<crate::sqlalchemy::schema::MapperRegistry>(n) =>
        {
            crate::sqlalchemy::schema::registry_method(&r, name, args, kwargs)
        }
        v if let Some(t) = as_table(v)
            && sa_method::has(crate::sqlalchemy::table::TABLE, name) =>
        {
            crate::sqlalchemy::table::call_method(interp, &t, name, args, kwargs)
        }
        _ => call_attribute(interp, receiver, name, args, kwargs),
    }
}

/// `receiver.name(...)` through `getattr`; a bound method with no body of
/// its own is `NotImplementedError`, never a call of itself.
fn call_attribute(
    interp: &mut Interpreter,
    receiver: &Value,
    name: &str,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<Value> {
    match get_attr(interp, receiver, name)? {
        Value::Method(m) if m.name == name => Err(PyErr::new(
            ExcType::NotImplementedError,
            format!(
                "orm-tutor does not support {}.{name}() yet",
                receiver.type_name()
            ),
        )),
        f => interp.call(&f, args, kwargs),
    }
}

fn dml_method(
    d: &Rc<DmlStatement>,
    name: &str,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<Value> {
    let mut nd = (**d).clone();
    match name {
        "where" | "filter" => {
            for a in &args {
                nd.where_.push(expression::where_clause(a)?);
            }
        }
        "filter_by" => {
            for (k, v) in &kwargs {
                let attr = match &nd.mapper {
                    Some(m) => class_attr(m, k)?,
                    None => nd.table_column(k)?,
                };
                let cond = expression::compare(&attr, expression::Comparison::Eq, v)?;
                nd.where_.push(expression::where_clause(&cond)?);
            }
        }
        "ordered_values" if nd.kind == crate::orm::bulk::DmlKind::Update => {
            if !kwargs.is_empty() {
                return Err(type_error(
                    "Update.ordered_values() got an unexpected keyword argument",
                ));
            }
            if nd.ordered_values {
                return Err(PyErr::new(
                    ExcType::ArgumentError,
                    "This statement already has ordered values present",
                ));
            }
            if !nd.values.is_empty() || !nd.unconsumed.is_empty() {
                return Err(PyErr::new(
                    ExcType::ArgumentError,
                    "This statement already has values present",
                ));
            }
            nd.values_called = true;
            nd.ordered_values = true;
            for a in &args {
                let pair = match a {
                    Value::Tuple(t) if t.len() == 2 => t.to_vec(),
                    other => {
                        return Err(PyErr::new(
                            ExcType::ArgumentError,
                            format!(
                                "ordered_values() takes (column, value) tuples, got {}",
                                repr_plain(other)
                            ),
                        ));
                    }
                };
                match dml_values_key(&pair[0], &nd)? {
                    Ok(key) => nd.values_entry(&key, pair[1].clone())?,
                    Err((table, col)) => nd.extra_set_value(table, col, pair[1].clone()),
                }
            }
        }
        "values" if nd.ordered_values => {
            return Err(PyErr::new(
                ExcType::InvalidRequestError,
                "This statement already has ordered values present",
            ));
        }
        "values" => {
            nd.values_called = true;
            for a in &args {
                if let Value::List(l) = a {
                    // SQLAlchemy's multiple-row `values([{…}, {…}])`.
                    let rows = l.items.borrow().clone();
                    crate::sqlalchemy::dml::multi_values(&mut nd, &rows)?;
                    continue;
                }
                if let Value::Tuple(items) = a {
                    // one row's values by column position
                    if !kwargs.is_empty() {
                        return Err(PyErr::new(
                            ExcType::ArgumentError,
                            "Can't pass positional and kwargs to values() simultaneously",
                        ));
                    }
                    nd.set_positional_values(items)?;
                    continue;
                }
                let Value::Dict(pairs) = a else {
                    return Err(PyErr::new(
                        ExcType::ArgumentError,
                        "values() takes keywords or a dict",
                    ));
                };
                for (k, v) in pairs.borrow().iter() {
                    match dml_values_key(k, &nd)? {
                        Ok(key) => nd.values_entry(&key, v.clone())?,
                        // a multi-table UPDATE's column: an error once it compiles
                        Err((table, col)) => nd.extra_set_value(table, col, v.clone()),
                    }
                }
            }
            for (k, v) in kwargs {
                nd.values_entry(&k, v)?;
            }
        }
        "returning" => {
            nd = crate::sqlalchemy::dml::returning(&nd, &args)?;
            for (k, v) in kwargs {
                match k.as_str() {
                    "sort_by_parameter_order" => nd.sort_by_parameter_order = v.truthy(),
                    other => {
                        return Err(PyErr::unsupported(format!("returning(..., {other}=...)")));
                    }
                }
            }
        }
        "on_conflict_do_nothing" | "on_conflict_do_update" => {
            nd = crate::sqlalchemy::dml::on_conflict(
                &nd,
                name == "on_conflict_do_update",
                args,
                kwargs,
            )?
        }
        "from_select" if nd.kind == crate::orm::bulk::DmlKind::Insert => {
            nd = crate::sqlalchemy::dml::from_select(&nd, args, kwargs)?
        }
        "execution_options" => nd = crate::sqlalchemy::dml::execution_options(&nd, args, kwargs)?,
        "compile" => {
            return crate::sqlalchemy::compiled::compile(
                crate::sqlalchemy::compiled::Compilable::Dml(d),
                "compile",
                args,
                kwargs,
            );
        }
        _ => {
            return Err(no_attr(
                &Value::Native(d.clone()),
                name,
                &[
                    "where",
                    "values",
                    "filter_by",
                    "ordered_values",
                    "returning",
                    "execution_options",
                    "compile",
                ],
            ));
        }
    }
    Ok(Value::native(nd))
}

/// A DML statement's `values({...})` key: `"name"`, `User.name`, or a
/// column of the statement's table (`users.c.name`, as its attribute key
/// on an ORM statement).
///
/// A column of another table in an UPDATE (a multi-table UPDATE, which
/// only MySQL's compiler renders) is `Err(its table's name)`.
///
/// Errors: `NotImplementedError` for a column of another table in an
/// INSERT or DELETE; `ArgumentError` for other keys, as SQLAlchemy's.
fn dml_values_key(
    k: &Value,
    d: &DmlStatement,
) -> PyResult<Result<String, (crate::sql::schema::TableRef, usize)>> {
    use crate::sql::elements::{Expr, Selectable};
    let Some(e) = k.downcast::<crate::orm::expression::SqlExpr>() else {
        return dict_key_name(k).map(Ok);
    };
    let Expr::Column(c) = &e.expr else {
        return dict_key_name(k).map(Ok);
    };
    match &c.from {
        Selectable::Table(t) if Rc::ptr_eq(t, &d.table) => {
            let Some(column) = t.columns.get(c.index) else {
                return dict_key_name(k).map(Ok);
            };
            let attr = d.mapper.as_ref().and_then(|m| {
                m.columns
                    .iter()
                    .find(|(_, i)| *i == c.index)
                    .map(|(key, _)| key.to_string())
            });
            Ok(Ok(attr.unwrap_or_else(|| column.name.clone())))
        }
        Selectable::Table(t) if d.kind == crate::orm::bulk::DmlKind::Update => {
            Ok(Err((t.clone(), c.index)))
        }
        _ => Err(PyErr::unsupported(
            "values() with a column of another table than the statement's (a multi-table UPDATE)",
        )),
    }
}

/// A `values()`/`update()` dict key: `"name"` or `User.name`.
pub fn dict_key_name(k: &Value) -> PyResult<String> {
    match k {
        Value::Str(s) => Ok(s.to_string()),
        v if let Some(a) = v.downcast::<AttrRef>() => Ok(a.key.clone()),
        other => Err(PyErr::new(
            ExcType::ArgumentError,
            format!("Invalid expression type: {}", repr_plain(other)),
        )),
    }
}

/// `AttributeError` for a `Query`/`Select`; a `Select` asked for a legacy
/// `Query` method (`all`, `first`, …) is told how to run it instead.
fn query_no_attr(obj: &Value, q: &Query, name: &str) -> PyErr {
    let err = no_attr(obj, name, &query::query_names(q.is_legacy()));
    if !q.is_legacy() && query::has_method(true, name) {
        return err.with_hint(format!(
            "a select() runs through a session: session.execute(stmt).scalars().{name}()"
        ));
    }
    err
}

// ----- with blocks -----------------------------------------------------------

/// `with ctx as x:` entry: `Session(engine)` gives itself, `session.begin()`
/// gives the session transaction.
pub fn context_enter(interp: &mut Interpreter, ctx: &Value) -> PyResult<Value> {
    let _ = interp;
    if let Some(r) = crate::sqlalchemy::alembic::batch::context_enter(ctx) {
        return r;
    }
    match ctx {
        v if as_session(v).is_some() => Ok(ctx.clone()),
        v if crate::sqlalchemy::connection::is_connection_object(v) => {
            crate::sqlalchemy::connection::context_enter(v)
        }
        Value::Native(n) if downcast::<SessionTransaction>(n).is_some() => Ok(ctx.clone()),
        Value::Native(n) if let Some(NoAutoflush(s)) = downcast::<NoAutoflush>(n).as_deref() => {
            s.autoflush_paused.set(s.autoflush_paused.get() + 1);
            Ok(Value::None)
        }
        other => Err(type_error(format!(
            "'{}' object does not support the context manager protocol",
            other.type_name()
        ))),
    }
}

/// `with` exit: a Session closes; `session.begin()` commits, or rolls back
/// when the block raised.
pub fn context_exit(interp: &mut Interpreter, ctx: &Value, failed: bool) -> PyResult<()> {
    let _ = interp;
    if let Some(r) = crate::sqlalchemy::alembic::batch::context_exit(ctx, failed) {
        return r;
    }
    match ctx {
        v if let Some(s) = as_session(v) => s.close(),
        v if crate::sqlalchemy::connection::is_connection_object(v) => {
            crate::sqlalchemy::connection::context_exit(v, failed)
        }
        Value::Native(n) if let Some(NoAutoflush(s)) = downcast::<NoAutoflush>(n).as_deref() => {
            s.autoflush_paused
                .set(s.autoflush_paused.get().saturating_sub(1));
            Ok(())
        }
        Value::Native(n)
            if let Some(SessionTransaction(s)) = downcast::<SessionTransaction>(n).as_deref() =>
        {
            if failed {
                s.rollback()
            } else {
                s.commit()
            }
        }
        _ => Ok(()),
    }
}
