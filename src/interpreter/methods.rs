//! Attributes and methods of every value: Python's (`str.upper`,
//! `list.append`, `dict.get`, …) and SQLAlchemy's (`Session.add`,
//! `Query.filter`, `Result.scalars`, `User.name.like`, …), plus item access,
//! slicing, iteration and `with` blocks.

use std::cell::RefCell;
use std::rc::Rc;

use crate::orm::expression::{self, COLUMN_METHODS, SqlExpr};
use crate::orm::loading::Strategy;
use crate::orm::mapper::{AttrKind, AttrRef, Mapper};
use crate::orm::query::{Entity, JoinSpec, JoinTarget, Query, QueryStyle};
use crate::orm::result::ResultObj;
use crate::orm::session::{self, Session, get_attribute, set_column_attribute};
use crate::orm::state::{Obj, ObjectState};
use crate::sql::elements::{Expr, Selectable};

use super::builtins::{datetime_method, loader_option};
use super::eval::{Interpreter, list_index};
use crate::python::ExcType;
use crate::python::exceptions::{
    PyErr, PyResult, attribute_error, did_you_mean, invalid_request, type_error, value_error,
};
use crate::python::format::repr_plain;
use crate::python::ops;
use crate::python::types::{self, row::row_dict};
use crate::python::value::{Builtin, ListObj, Method, Row, SetKind, Value};

type Kwargs = Vec<(String, Value)>;

fn method(receiver: &Value, name: &str) -> Value {
    Value::Method(Rc::new(Method {
        receiver: receiver.clone(),
        name: name.to_string(),
    }))
}

fn no_attr(v: &Value, name: &str, candidates: &[&str]) -> PyErr {
    let err = attribute_error(format!(
        "'{}' object has no attribute '{name}'",
        v.type_name()
    ));
    match did_you_mean(name, candidates.iter().copied()) {
        Some(h) => err.with_hint(format!("did you mean '{h}'?")),
        None => err,
    }
}

/// Methods of `Session`, for completion.
pub const SESSION_METHODS: &[&str] = &[
    "add",
    "add_all",
    "begin",
    "close",
    "commit",
    "delete",
    "deleted",
    "dirty",
    "execute",
    "expire",
    "expire_all",
    "expunge",
    "expunge_all",
    "flush",
    "get",
    "identity_map",
    "in_transaction",
    "is_active",
    "merge",
    "new",
    "no_autoflush",
    "query",
    "refresh",
    "rollback",
    "scalar",
    "scalars",
];
/// Methods of `Query` and `Select`, for completion.
pub const QUERY_METHODS: &[&str] = &[
    "all",
    "count",
    "distinct",
    "filter",
    "filter_by",
    "first",
    "get",
    "group_by",
    "having",
    "join",
    "limit",
    "offset",
    "one",
    "one_or_none",
    "options",
    "order_by",
    "outerjoin",
    "scalar",
    "scalar_subquery",
    "select_from",
    "subquery",
    "where",
    "with_entities",
];
/// Methods of `Result`, for completion.
pub const RESULT_METHODS: &[&str] = &[
    "all",
    "fetchall",
    "fetchone",
    "first",
    "keys",
    "one",
    "one_or_none",
    "scalar",
    "scalar_one",
    "scalar_one_or_none",
    "scalars",
    "unique",
];

/// `obj.name`
pub fn get_attr(interp: &mut Interpreter, obj: &Value, name: &str) -> PyResult<Value> {
    match obj {
        Value::Object(o) => {
            if o.borrow().mapper.method(name).is_some() {
                return Ok(method(obj, name));
            }
            get_attribute(o, name)
        }
        Value::Class(m) => class_attr(m, name),
        Value::Attribute(a) => match name {
            "key" => Ok(Value::str(&a.key)),
            "property" | "prop" => Ok(obj.clone()),
            "class_" => Ok(Value::Class(a.mapper.clone())),
            "expression" => Ok(Value::Sql(Rc::new(expression::attribute_expr(a)?))),
            n if COLUMN_METHODS.contains(&n) || n == "any" || n == "has" => Ok(method(obj, name)),
            _ => Err(attribute_error(format!(
                "Neither 'InstrumentedAttribute' object nor 'Comparator' object associated with {} has an attribute '{name}'",
                a.qualified_name()
            ))),
        },
        Value::Sql(e) => match name {
            "key" | "name" => Ok(e.key.clone().map(|k| Value::str(&k)).unwrap_or(Value::None)),
            n if COLUMN_METHODS.contains(&n) => Ok(method(obj, name)),
            _ => Err(attribute_error(format!(
                "Neither '{}' object nor 'Comparator' object has an attribute '{name}'",
                e.python_type_name()
            ))),
        },
        Value::Table(t) => match name {
            "c" | "columns" => Ok(obj.clone()),
            "name" => Ok(Value::str(&t.name)),
            "insert" | "select" | "delete" | "update" => Ok(method(obj, name)),
            col => match t.column_index(col) {
                Some(i) => Ok(Value::Sql(Rc::new(SqlExpr {
                    expr: Expr::column(&Selectable::Table(t.clone()), i),
                    ty: Some(t.columns[i].sql_type.clone()),
                    key: Some(col.to_string()),
                }))),
                None => {
                    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
                    Err(no_attr(obj, col, &names))
                }
            },
        },
        Value::Session(s) => match name {
            "new" => Ok(identity_set(s.new_objects())),
            "dirty" => Ok(identity_set(s.dirty_objects())),
            "deleted" => Ok(identity_set(s.deleted_objects())),
            "identity_map" => Ok(Value::list(
                s.identity_objects()
                    .into_iter()
                    .map(Value::Object)
                    .collect(),
            )),
            "is_active" => Ok(Value::Bool(true)),
            "autoflush" => Ok(Value::Bool(s.autoflush.get())),
            "bind" => Ok(interp.globals.get("engine").cloned().unwrap_or(Value::None)),
            "no_autoflush" => Ok(Value::NoAutoflush(s.clone())),
            n if SESSION_METHODS.contains(&n) => Ok(method(obj, name)),
            _ => Err(no_attr(obj, name, SESSION_METHODS)),
        },
        Value::Query(_) => {
            if QUERY_METHODS.contains(&name) || matches!(name, "column_descriptions" | "statement")
            {
                if name == "statement" {
                    return Ok(obj.clone());
                }
                Ok(method(obj, name))
            } else {
                Err(no_attr(obj, name, QUERY_METHODS))
            }
        }
        Value::Result(r) if name == "rowcount" => Ok(Value::Int(r.borrow().rowcount)),
        Value::Result(_) => {
            if RESULT_METHODS.contains(&name) {
                Ok(method(obj, name))
            } else {
                Err(no_attr(obj, name, RESULT_METHODS))
            }
        }
        Value::Row(r) => match name {
            "_fields" => Ok(Value::tuple(r.keys.iter().map(|k| Value::str(k)).collect())),
            "_mapping" => Ok(row_dict(r)),
            "_asdict" | "_tuple" | "count" | "index" => Ok(method(obj, name)),
            key => match r.keys.iter().position(|k| k == key) {
                Some(i) => Ok(r.values[i].clone()),
                None => {
                    let names: Vec<&str> = r.keys.iter().map(String::as_str).collect();
                    Err(attribute_error(format!(
                        "Could not locate column in row for column '{key}'"
                    ))
                    .with_hint(
                        match did_you_mean(key, names.iter().copied()) {
                            Some(h) => format!(
                                "did you mean '{h}'? the row's keys are {}",
                                names.join(", ")
                            ),
                            None => format!("the row's keys are {}", names.join(", ")),
                        },
                    ))
                }
            },
        },
        Value::DateTime(dt) => {
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
        Value::Date(d) => {
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
        Value::Exception(e) => match name {
            "args" => Ok(Value::tuple(vec![Value::str(&e.message)])),
            "orig" => Ok(Value::str(
                e.message
                    .split_once(") ")
                    .map(|(_, rest)| rest.lines().next().unwrap_or(""))
                    .unwrap_or(&e.message),
            )),
            _ => Err(no_attr(obj, name, &["args", "orig"])),
        },
        Value::Builtin(Builtin::Func) => Ok(Value::Builtin(Builtin::SqlFunction(name.to_string()))),
        Value::Builtin(Builtin::DateTime) => match name {
            "utcnow" | "now" | "today" | "fromisoformat" => Ok(method(obj, name)),
            _ => Err(attribute_error(format!(
                "type object 'datetime.datetime' has no attribute '{name}'"
            ))),
        },
        Value::Base(r) => match name {
            "metadata" => Ok(Value::Schema(Rc::new(
                crate::orm::schema_items::SchemaItem::Metadata(r.clone()),
            ))),
            _ => Err(attribute_error(format!(
                "type object 'Base' has no attribute '{name}'"
            ))),
        },
        Value::Schema(s) => match (&**s, name) {
            (crate::orm::schema_items::SchemaItem::Metadata(_), "create_all" | "drop_all") => {
                Ok(method(obj, name))
            }
            (crate::orm::schema_items::SchemaItem::Metadata(r), "tables") => {
                Ok(Value::Dict(Rc::new(RefCell::new(
                    r.tables
                        .borrow()
                        .iter()
                        .map(|t| (Value::str(&t.name), Value::Table(t.clone())))
                        .collect(),
                ))))
            }
            _ => Err(no_attr(obj, name, &[])),
        },
        Value::InstanceState(o) => instance_state_attr(o, name),
        Value::Engine(_) => match name {
            "url" => Ok(Value::str("sqlite://")),
            "dispose" => Ok(method(obj, name)),
            _ => Err(no_attr(obj, name, &["url"])),
        },
        Value::LoaderOption(_) => match name {
            "joinedload" | "selectinload" | "subqueryload" | "lazyload" | "raiseload"
            | "noload" => Ok(method(obj, name)),
            _ => Err(no_attr(
                obj,
                name,
                &["joinedload", "selectinload", "subqueryload"],
            )),
        },
        Value::Str(_)
        | Value::List(_)
        | Value::Dict(_)
        | Value::Tuple(_)
        | Value::Set(_, SetKind::Plain)
            if types::has_method(obj, name) =>
        {
            Ok(method(obj, name))
        }
        Value::Str(_)
        | Value::List(_)
        | Value::Dict(_)
        | Value::Tuple(_)
        | Value::Set(_, SetKind::Plain) => Err(types::no_attribute(obj, name)),
        Value::Function(f) if name == "__name__" => Ok(Value::str(&f.name)),
        Value::PyType(t) if name == "__name__" => Ok(Value::str(t)),
        Value::ExceptionClass(c) if name == "__name__" => Ok(Value::str(c.name())),
        _ => Err(no_attr(obj, name, &[])),
    }
}

/// SQLAlchemy's `IdentitySet` of objects (`session.new` and friends).
fn identity_set(objs: Vec<Obj>) -> Value {
    Value::Set(
        ListObj::new(objs.into_iter().map(Value::Object).collect()),
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
        "mapper" => Value::Class(b.mapper.clone()),
        "expired" => Value::Bool(!b.expired.is_empty()),
        "expired_attributes" => plain_set(b.expired.iter().map(|k| Value::str(k)).collect()),
        "unloaded" => plain_set(
            b.mapper
                .attribute_names()
                .into_iter()
                .filter(|k| !b.dict.contains_key(k))
                .map(|k| Value::str(&k))
                .collect(),
        ),
        "modified" => Value::Bool(!b.committed.is_empty() || session::collections_changed(&b)),
        "identity" => match &b.key {
            Some(k) => Value::tuple(k.clone()),
            None => Value::None,
        },
        "key" => match &b.key {
            Some(k) => Value::tuple(vec![
                Value::Class(b.mapper.clone()),
                Value::tuple(k.clone()),
                Value::None,
            ]),
            None => Value::None,
        },
        "object" => Value::Object(o.clone()),
        "session" => match b.session.and_then(session::session_by_id) {
            Some(s) => Value::Session(s),
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
                &Value::InstanceState(o.clone()),
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

fn class_attr(m: &Rc<Mapper>, name: &str) -> PyResult<Value> {
    if let Some(col) = m.column(name) {
        return Ok(Value::Attribute(Rc::new(AttrRef {
            mapper: m.clone(),
            key: name.to_string(),
            kind: AttrKind::Column(col),
        })));
    }
    if let Some(rel) = m.relationship(name) {
        return Ok(Value::Attribute(Rc::new(AttrRef {
            mapper: m.clone(),
            key: name.to_string(),
            kind: AttrKind::Relationship(rel),
        })));
    }
    match name {
        "__tablename__" => return Ok(Value::str(&m.table.name)),
        "__table__" => return Ok(Value::Table(m.table.clone())),
        "__name__" => return Ok(Value::str(&m.class_name)),
        _ => {}
    }
    if let Some(f) = m.method(name) {
        return Ok(Value::Function(f));
    }
    if let Some((_, v)) = m.class_attrs.borrow().iter().find(|(k, _)| k == name) {
        return Ok(v.clone());
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
    let _ = interp;
    match obj {
        Value::Object(o) => {
            let mapper = o.borrow().mapper.clone();
            if mapper.column(name).is_some() {
                return set_column_attribute(o, name, v);
            }
            if let Some(rel) = mapper.relationship(name) {
                return crate::orm::session::set_relationship(o, &rel, v);
            }
            o.borrow_mut().dict.insert(name.to_string(), v);
            Ok(())
        }
        Value::Session(s) if name == "autoflush" => {
            s.autoflush.set(v.truthy());
            Ok(())
        }
        Value::Class(m) => {
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

/// `container[key]`
pub fn get_item(interp: &mut Interpreter, container: &Value, key: &Value) -> PyResult<Value> {
    let _ = interp;
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
        Value::Str(s) => {
            let chars: Vec<char> = s.chars().collect();
            let i = list_index(key, chars.len())
                .map_err(|e| PyErr::new(e.exc, e.message.replace("list", "string")))?;
            Ok(Value::str(&chars[i].to_string()))
        }
        Value::Dict(d) => d
            .borrow()
            .iter()
            .find(|(k, _)| ops::values_equal(k, key))
            .map(|(_, v)| v.clone())
            .ok_or_else(|| PyErr::new(ExcType::KeyError, repr_plain(key))),
        Value::Query(q) => {
            // query[0], query[1:3]
            let i = match key {
                Value::Int(i) if *i >= 0 => *i,
                _ => {
                    return Err(type_error(
                        "query indices must be non-negative integers or slices",
                    ));
                }
            };
            let mut nq = (**q).clone();
            nq.offset = Some(i + q.offset.unwrap_or(0));
            nq.limit = Some(1);
            let rows = run_query_values(&Rc::new(nq))?;
            rows.into_iter()
                .next()
                .ok_or_else(|| PyErr::new(ExcType::IndexError, "index out of range"))
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
        Value::Query(q) => {
            let lo = match &lower {
                Some(Value::Int(i)) => *i,
                _ => 0,
            };
            let mut nq = (**q).clone();
            if lo > 0 {
                nq.offset = Some(lo);
            }
            if let Some(Value::Int(hi)) = &upper {
                nq.limit = Some((hi - lo).max(0));
            }
            run_query_list(&Rc::new(nq))
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
/// result yields its rows.
pub fn iterate(interp: &mut Interpreter, v: &Value) -> PyResult<Vec<Value>> {
    let _ = interp;
    match v {
        Value::Query(q) if q.is_legacy() => run_query_values(q),
        Value::Query(_) => Err(type_error(
            "'Select' object is not iterable; run it with session.execute(stmt) or session.scalars(stmt)",
        )),
        Value::Result(r) => r.borrow_mut().iterate(),
        other => ops::sequence_items(other)
            .ok_or_else(|| type_error(format!("'{}' object is not iterable", other.type_name()))),
    }
}

// ----- calls ---------------------------------------------------------------

fn kw(kwargs: &Kwargs, name: &str) -> Option<Value> {
    kwargs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

fn expect_args(name: &str, args: &[Value], n: usize) -> PyResult<()> {
    if args.len() != n {
        return Err(type_error(format!(
            "{name}() takes {n} positional argument{} but {} were given",
            if n == 1 { "" } else { "s" },
            args.len()
        )));
    }
    Ok(())
}

fn object_arg(name: &str, v: &Value) -> PyResult<Obj> {
    match v {
        Value::Object(o) => Ok(o.clone()),
        other => Err(PyErr::new(
            ExcType::UnmappedInstanceError,
            format!(
                "Class '{}' is not mapped{}",
                other.type_name(),
                if name.is_empty() {
                    String::new()
                } else {
                    format!(" (session.{name}() takes a mapped object such as a User)")
                }
            ),
        )),
    }
}

/// `receiver.name(*args, **kwargs)`
pub fn call_method(
    interp: &mut Interpreter,
    receiver: &Value,
    name: &str,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<Value> {
    match receiver {
        Value::Session(s) => session_method(interp, s, name, args, kwargs),
        Value::Query(q) => query_method(interp, q, name, args, kwargs),
        Value::Result(r) => result_method(r, name, args),
        Value::Attribute(_) | Value::Sql(_) => {
            match expression::column_method(receiver, name, &args) {
                Some(r) => r,
                None => {
                    let f = get_attr(interp, receiver, name)?;
                    interp.call(&f, args, kwargs)
                }
            }
        }
        Value::Object(o) => {
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
        Value::LoaderOption(o) => {
            let strategy = match name {
                "joinedload" => Strategy::Joined,
                "selectinload" => Strategy::Selectin,
                "subqueryload" => Strategy::Subquery,
                "lazyload" => Strategy::Lazy,
                "raiseload" => Strategy::Raise,
                "noload" => Strategy::Noload,
                _ => {
                    return Err(no_attr(
                        receiver,
                        name,
                        &["joinedload", "selectinload", "subqueryload"],
                    ));
                }
            };
            loader_option(strategy, &args, Some(o))
        }
        Value::Builtin(Builtin::DateTime) => datetime_method(interp, name, args, kwargs),
        Value::Str(_)
        | Value::List(_)
        | Value::Dict(_)
        | Value::Tuple(_)
        | Value::Set(_, SetKind::Plain)
        | Value::DateTime(_)
        | Value::Date(_)
        | Value::Row(_) => types::call_method(interp, receiver, name, args, kwargs)
            .unwrap_or_else(|| Err(types::no_attribute(receiver, name))),
        Value::Schema(s) => match (&**s, name) {
            (crate::orm::schema_items::SchemaItem::Metadata(_), "create_all") => {
                super::models::create_all(interp)?;
                Ok(Value::None)
            }
            (crate::orm::schema_items::SchemaItem::Metadata(_), "drop_all") => Err(PyErr::new(
                ExcType::NotImplementedError,
                "drop_all() is not supported in orm-tutor; use .reset for a fresh database",
            )),
            _ => Err(no_attr(receiver, name, &[])),
        },
        Value::Engine(_) if name == "dispose" => Ok(Value::None),
        Value::Dml(d) => dml_method(d, name, args, kwargs),
        _ => {
            let f = get_attr(interp, receiver, name)?;
            interp.call(&f, args, kwargs)
        }
    }
}

fn dml_method(
    d: &Rc<crate::orm::bulk::DmlStatement>,
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
                let attr = class_attr(&nd.mapper, k)?;
                let cond = expression::compare(&attr, expression::Comparison::Eq, v)?;
                nd.where_.push(expression::where_clause(&cond)?);
            }
        }
        "values" => {
            for a in &args {
                let Value::Dict(pairs) = a else {
                    return Err(PyErr::new(
                        ExcType::ArgumentError,
                        "values() takes keywords or a dict",
                    ));
                };
                for (k, v) in pairs.borrow().iter() {
                    nd.set_value(&dict_key_name(k)?, v.clone())?;
                }
            }
            for (k, v) in kwargs {
                nd.set_value(&k, v)?;
            }
        }
        _ => {
            return Err(no_attr(
                &Value::Dml(d.clone()),
                name,
                &["where", "values", "filter_by"],
            ));
        }
    }
    Ok(Value::Dml(Rc::new(nd)))
}

/// A `values()`/`update()` dict key: `"name"` or `User.name`.
fn dict_key_name(k: &Value) -> PyResult<String> {
    match k {
        Value::Str(s) => Ok(s.to_string()),
        Value::Attribute(a) => Ok(a.key.clone()),
        other => Err(PyErr::new(
            ExcType::ArgumentError,
            format!("Invalid expression type: {}", repr_plain(other)),
        )),
    }
}

fn session_method(
    interp: &mut Interpreter,
    s: &Rc<Session>,
    name: &str,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<Value> {
    match name {
        "query" => {
            let ents = super::builtins::entities(&args, "query")?;
            Ok(Value::Query(Rc::new(Query::new(
                QueryStyle::Legacy(s.clone()),
                ents,
            ))))
        }
        "get" => {
            if args.len() != 2 {
                return Err(type_error(format!(
                    "get() takes 2 positional arguments (a class and a primary key) but {} were given",
                    args.len()
                )));
            }
            let Value::Class(m) = &args[0] else {
                return Err(PyErr::new(
                    ExcType::ArgumentError,
                    format!(
                        "Expected mapped class or mapper, got: {}",
                        repr_plain(&args[0])
                    ),
                ));
            };
            let key = match &args[1] {
                Value::Tuple(t) => t.to_vec(),
                Value::List(l) => l.items.borrow().clone(),
                Value::Dict(d) => d.borrow().iter().map(|(_, v)| v.clone()).collect(),
                other => vec![other.clone()],
            };
            s.get(m, key)
        }
        "add" => {
            expect_args("add", &args, 1)?;
            s.add(&object_arg("add", &args[0])?)?;
            Ok(Value::None)
        }
        "add_all" => {
            expect_args("add_all", &args, 1)?;
            let items = iterate(interp, &args[0])?;
            let mut objs = Vec::new();
            for i in &items {
                objs.push(object_arg("add_all", i)?);
            }
            for o in objs {
                s.add(&o)?;
            }
            Ok(Value::None)
        }
        "delete" => {
            expect_args("delete", &args, 1)?;
            s.delete(&object_arg("delete", &args[0])?)?;
            Ok(Value::None)
        }
        "flush" => {
            s.flush()?;
            Ok(Value::None)
        }
        "commit" => {
            s.commit()?;
            Ok(Value::None)
        }
        "rollback" => {
            s.rollback()?;
            Ok(Value::None)
        }
        "close" => {
            s.close()?;
            Ok(Value::None)
        }
        "expunge" => {
            expect_args("expunge", &args, 1)?;
            s.expunge(&object_arg("expunge", &args[0])?)?;
            Ok(Value::None)
        }
        "expunge_all" => {
            s.expunge_all();
            Ok(Value::None)
        }
        "expire" => {
            if args.is_empty() {
                return Err(type_error(
                    "expire() missing 1 required positional argument: 'instance'",
                ));
            }
            let o = object_arg("expire", &args[0])?;
            let attrs = match args.get(1).or(kw(&kwargs, "attribute_names").as_ref()) {
                Some(v) => Some(
                    iterate(interp, v)?
                        .iter()
                        .map(crate::python::format::str_plain)
                        .collect::<Vec<_>>(),
                ),
                None => None,
            };
            s.expire(&o, attrs.as_deref())?;
            Ok(Value::None)
        }
        "expire_all" => {
            s.expire_all();
            Ok(Value::None)
        }
        "refresh" => {
            if args.is_empty() {
                return Err(type_error(
                    "refresh() missing 1 required positional argument: 'instance'",
                ));
            }
            let o = object_arg("refresh", &args[0])?;
            let attrs = match args.get(1).cloned().or(kw(&kwargs, "attribute_names")) {
                Some(v) => Some(
                    iterate(interp, &v)?
                        .iter()
                        .map(crate::python::format::str_plain)
                        .collect::<Vec<_>>(),
                ),
                None => None,
            };
            s.refresh(&o, attrs.as_deref())?;
            Ok(Value::None)
        }
        "merge" => {
            expect_args("merge", &args, 1)?;
            s.merge(&object_arg("merge", &args[0])?)
        }
        "execute" => {
            expect_args("execute", &args, 1)?;
            execute(s, &args[0])
        }
        "scalars" => {
            expect_args("scalars", &args, 1)?;
            let r = execute(s, &args[0])?;
            if let Value::Result(r) = &r {
                r.borrow_mut().scalars = true;
            }
            Ok(r)
        }
        "scalar" => {
            expect_args("scalar", &args, 1)?;
            let r = execute(s, &args[0])?;
            match r {
                Value::Result(r) => r.borrow_mut().scalar(),
                other => Ok(other),
            }
        }
        "begin" => {
            s.begin()?;
            Ok(Value::SessionTransaction(s.clone()))
        }
        "in_transaction" => Ok(Value::Bool(s.in_transaction())),
        "is_modified" => {
            expect_args("is_modified", &args, 1)?;
            let o = object_arg("is_modified", &args[0])?;
            let b = o.borrow();
            let changed = b
                .committed
                .iter()
                .any(|(k, old)| b.dict.get(k).is_none_or(|new| !ops::values_equal(old, new)))
                || session::collections_changed(&b);
            Ok(Value::Bool(changed))
        }
        "no_autoflush" => Ok(Value::Session(s.clone())),
        _ => Err(no_attr(&Value::Session(s.clone()), name, SESSION_METHODS)),
    }
}

/// `session.execute(stmt)`: runs a `select()` now, buffering its rows.
fn execute(s: &Rc<Session>, stmt: &Value) -> PyResult<Value> {
    match stmt {
        Value::Query(q) => {
            let loaded = s.execute_query(q, None)?;
            let requires_unique = loaded.joined_collection;
            Ok(Value::Result(Rc::new(RefCell::new(ResultObj::new(
                loaded.keys,
                loaded.rows,
                requires_unique,
            )))))
        }
        Value::Dml(d) => {
            let n = crate::orm::bulk::execute(s, d, true)?;
            let mut r = ResultObj::new(Vec::new(), Vec::new(), false);
            r.rowcount = n;
            r.cursor = true;
            Ok(Value::Result(Rc::new(RefCell::new(r))))
        }
        Value::Str(_) => Err(PyErr::new(
            ExcType::ArgumentError,
            "Textual SQL expression should be explicitly declared as text() — orm-tutor runs ORM statements only",
        )),
        other => Err(PyErr::new(
            ExcType::ArgumentError,
            format!(
                "Executable SQL or text() construct expected, got {}.",
                repr_plain(other)
            ),
        )),
    }
}

/// The session a legacy query runs on.
fn query_session(q: &Query) -> PyResult<Rc<Session>> {
    match &q.style {
        QueryStyle::Legacy(s) => Ok(s.clone()),
        QueryStyle::Select => Err(attribute_error(
            "'Select' object has no attribute 'all'; run it with session.execute(stmt).scalars().all()",
        )),
    }
}

/// A legacy query's results as Python values: objects for a single entity,
/// rows otherwise; entities made unique when a collection was joined eagerly.
fn query_values(q: &Query, loaded: crate::orm::session::LoadedRows) -> Vec<Value> {
    // One mapped class gives objects; anything else gives rows, even a
    // single column (SQLAlchemy's `Query` rules).
    let single_entity = q.entities.len() == 1 && matches!(q.entities[0], Entity::Mapper(_));
    let keys: Rc<[String]> = Rc::from(loaded.keys);
    let mut out: Vec<Value> = Vec::with_capacity(loaded.rows.len());
    for row in loaded.rows {
        let v = if single_entity {
            row.into_iter().next().unwrap_or(Value::None)
        } else {
            Value::Row(Rc::new(Row {
                keys: keys.clone(),
                values: row,
            }))
        };
        if loaded.joined_collection
            && single_entity
            && let Value::Object(o) = &v
            && out
                .iter()
                .any(|x| matches!(x, Value::Object(p) if Rc::ptr_eq(p, o)))
        {
            continue;
        }
        out.push(v);
    }
    out
}

fn run_query_values(q: &Rc<Query>) -> PyResult<Vec<Value>> {
    let s = query_session(q)?;
    let loaded = s.execute_query(q, None)?;
    Ok(query_values(q, loaded))
}

fn run_query_list(q: &Rc<Query>) -> PyResult<Value> {
    Ok(Value::list(run_query_values(q)?))
}

fn with_query(q: &Rc<Query>, f: impl FnOnce(&mut Query) -> PyResult<()>) -> PyResult<Value> {
    let mut nq = (**q).clone();
    f(&mut nq)?;
    Ok(Value::Query(Rc::new(nq)))
}

fn limit_value(v: &Value, what: &str) -> PyResult<Option<i64>> {
    match v {
        Value::None => Ok(None),
        Value::Int(i) => Ok(Some(*i)),
        Value::Bool(b) => Ok(Some(*b as i64)),
        other => Err(type_error(format!(
            "{what}() expects an integer, got {}",
            other.type_name()
        ))),
    }
}

fn query_method(
    interp: &mut Interpreter,
    q: &Rc<Query>,
    name: &str,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<Value> {
    match name {
        "filter" | "where" => with_query(q, |nq| {
            for a in &args {
                nq.where_.push(expression::where_clause(a)?);
            }
            Ok(())
        }),
        "filter_by" => {
            if !args.is_empty() {
                return Err(type_error(format!(
                    "filter_by() takes 1 positional argument but {} were given (use keywords: filter_by(name=\"Bob\"))",
                    args.len() + 1
                )));
            }
            let m = q
                .filter_by_mapper()
                .ok_or_else(|| invalid_request("filter_by() needs an entity to filter"))?;
            with_query(q, |nq| {
                for (k, v) in &kwargs {
                    let attr = class_attr(&m, k).map_err(|_| {
                        let names = m.attribute_names();
                        let err = PyErr::new(
                            ExcType::InvalidRequestError,
                            format!(
                                "Entity namespace for \"{}\" has no property \"{k}\"",
                                m.table.name
                            ),
                        );
                        match did_you_mean(k, names.iter().map(String::as_str)) {
                            Some(h) => err.with_hint(format!("did you mean '{h}'?")),
                            None => err,
                        }
                    })?;
                    let cond = expression::compare(&attr, expression::Comparison::Eq, v)?;
                    nq.where_.push(expression::where_clause(&cond)?);
                }
                Ok(())
            })
        }
        "order_by" | "group_by" => with_query(q, |nq| {
            for a in &args {
                if matches!(a, Value::None) {
                    if name == "order_by" {
                        nq.order_by.clear();
                    }
                    continue;
                }
                let e = match a {
                    // order_by("n") names a label of the SELECT list.
                    Value::Str(label) => crate::sql::elements::Expr::LabelRef(label.to_string()),
                    other => expression::coerce(other, None)?.expr,
                };
                if name == "order_by" {
                    nq.order_by.push(e);
                } else {
                    nq.group_by.push(e);
                }
            }
            Ok(())
        }),
        "having" => with_query(q, |nq| {
            for a in &args {
                nq.having.push(expression::where_clause(a)?);
            }
            Ok(())
        }),
        "limit" => {
            expect_args("limit", &args, 1)?;
            let n = limit_value(&args[0], "limit")?;
            with_query(q, |nq| {
                nq.limit = n;
                Ok(())
            })
        }
        "offset" => {
            expect_args("offset", &args, 1)?;
            let n = limit_value(&args[0], "offset")?;
            with_query(q, |nq| {
                nq.offset = n;
                Ok(())
            })
        }
        "distinct" => with_query(q, |nq| {
            nq.distinct = true;
            Ok(())
        }),
        "options" => with_query(q, |nq| {
            for a in &args {
                match a {
                    Value::LoaderOption(o) => nq.options.push(o.clone()),
                    other => {
                        return Err(PyErr::new(
                            ExcType::ArgumentError,
                            format!(
                                "options() takes loader options such as selectinload(User.messages), got {}",
                                other.type_name()
                            ),
                        ));
                    }
                }
            }
            Ok(())
        }),
        "join" | "outerjoin" => {
            let outer = name == "outerjoin" || kw(&kwargs, "isouter").is_some_and(|v| v.truthy());
            if args.is_empty() || args.len() > 2 {
                return Err(type_error(format!(
                    "{name}() takes a target and an optional ON clause"
                )));
            }
            let on = match args.get(1) {
                Some(v) => Some(expression::where_clause(v)?),
                None => None,
            };
            let target = match &args[0] {
                Value::Attribute(a) if matches!(a.kind, AttrKind::Relationship(_)) => {
                    JoinTarget::Relationship((**a).clone())
                }
                Value::Class(m) => JoinTarget::Mapper(m.clone()),
                Value::Table(t) => JoinTarget::Table(t.clone()),
                other => {
                    return Err(PyErr::new(
                        ExcType::ArgumentError,
                        format!(
                            "Join target must be a class, a table or a relationship such as User.messages, got {}",
                            repr_plain(other)
                        ),
                    ));
                }
            };
            with_query(q, |nq| {
                nq.joins.push(JoinSpec { target, on, outer });
                Ok(())
            })
        }
        "select_from" => with_query(q, |nq| {
            for a in &args {
                match a {
                    Value::Class(m) => nq.select_from.push(Selectable::Table(m.table.clone())),
                    Value::Table(t) => nq.select_from.push(Selectable::Table(t.clone())),
                    other => {
                        return Err(PyErr::new(
                            ExcType::ArgumentError,
                            format!(
                                "select_from() takes a class or table, got {}",
                                repr_plain(other)
                            ),
                        ));
                    }
                }
            }
            Ok(())
        }),
        "with_entities" => {
            let ents = super::builtins::entities(&args, "with_entities")?;
            with_query(q, |nq| {
                nq.entities = ents;
                Ok(())
            })
        }
        "subquery" | "scalar_subquery" => Ok(Value::Query(q.clone())),
        "all" => {
            let s = query_session(q)?;
            let loaded = s.execute_query(q, None)?;
            Ok(Value::list(query_values(q, loaded)))
        }
        "first" => {
            let s = query_session(q)?;
            let mut nq = (**q).clone();
            nq.limit = Some(1);
            let loaded = s.execute_query(&nq, None)?;
            Ok(query_values(q, loaded)
                .into_iter()
                .next()
                .unwrap_or(Value::None))
        }
        "one" | "one_or_none" | "scalar" => {
            let s = query_session(q)?;
            let loaded = s.execute_query(q, None)?;
            let mut values = query_values(q, loaded);
            match (values.len(), name) {
                (0, "one") => Err(PyErr::new(
                    ExcType::NoResultFound,
                    "No row was found when one was required",
                )),
                (0, _) => Ok(Value::None),
                (1, "scalar") => Ok(match values.remove(0) {
                    Value::Row(r) => r.values.first().cloned().unwrap_or(Value::None),
                    other => other,
                }),
                (1, _) => Ok(values.remove(0)),
                (_, "one_or_none") => Err(PyErr::new(
                    ExcType::MultipleResultsFound,
                    "Multiple rows were found when one or none was required",
                )),
                _ => Err(PyErr::new(
                    ExcType::MultipleResultsFound,
                    "Multiple rows were found when exactly one was required",
                )),
            }
        }
        "count" => {
            let s = query_session(q)?;
            s.autoflush()?;
            let select = q.count_select()?;
            let rows = s.run_select(&select, crate::outcome::Cause::Query)?;
            Ok(rows
                .first()
                .and_then(|r| r.first())
                .map(|v| expression::result_value(v, Some(&crate::sql::schema::SqlType::Integer)))
                .unwrap_or(Value::Int(0)))
        }
        "get" => {
            let s = query_session(q)?;
            expect_args("get", &args, 1)?;
            let Some(Entity::Mapper(m)) = q.entities.first() else {
                return Err(invalid_request("get() needs a query for one class"));
            };
            let key = match &args[0] {
                Value::Tuple(t) => t.to_vec(),
                other => vec![other.clone()],
            };
            s.get(m, key)
        }
        "column_descriptions" => Ok(Value::list(Vec::new())),
        "update" | "delete" => {
            let s = query_session(q)?;
            let Some(Entity::Mapper(mapper)) = q.entities.first() else {
                return Err(invalid_request(format!(
                    "{name}() needs a query for one class"
                )));
            };
            let kind = if name == "update" {
                crate::orm::bulk::DmlKind::Update
            } else {
                crate::orm::bulk::DmlKind::Delete
            };
            let mut stmt = crate::orm::bulk::DmlStatement::new(kind, mapper.clone());
            stmt.where_ = q.where_.clone();
            if name == "update" {
                let Some(Value::Dict(pairs)) = args.first() else {
                    return Err(type_error(
                        "update() takes a dict of new values: update({User.name: 'x'})",
                    ));
                };
                for (k, v) in pairs.borrow().iter() {
                    stmt.set_value(&dict_key_name(k)?, v.clone())?;
                }
            }
            let sync = !matches!(
                kwargs
                    .iter()
                    .find(|(k, _)| k == "synchronize_session")
                    .map(|(_, v)| v),
                Some(Value::Bool(false))
            );
            Ok(Value::Int(crate::orm::bulk::execute(&s, &stmt, sync)?))
        }
        _ => {
            let _ = interp;
            Err(no_attr(&Value::Query(q.clone()), name, QUERY_METHODS))
        }
    }
}

fn result_method(r: &Rc<RefCell<ResultObj>>, name: &str, args: Vec<Value>) -> PyResult<Value> {
    let _ = args;
    match name {
        "all" | "fetchall" => r.borrow_mut().all(),
        "first" => r.borrow_mut().first(),
        "fetchone" => {
            let mut b = r.borrow_mut();
            if b.rows.is_empty() {
                return Ok(Value::None);
            }
            let row = b.rows.remove(0);
            let keys = b.keys.clone();
            Ok(if b.scalars {
                row.into_iter().next().unwrap_or(Value::None)
            } else {
                Value::Row(Rc::new(Row { keys, values: row }))
            })
        }
        "one" => r.borrow_mut().one(),
        "one_or_none" => r.borrow_mut().one_or_none(),
        "scalar" => r.borrow_mut().scalar(),
        "scalar_one" => r.borrow_mut().scalar_one(),
        "scalar_one_or_none" => r.borrow_mut().scalar_one_or_none(),
        "scalars" => {
            r.borrow_mut().scalars = true;
            Ok(Value::Result(r.clone()))
        }
        "unique" => {
            r.borrow_mut().unique = true;
            Ok(Value::Result(r.clone()))
        }
        "keys" => Ok(r.borrow().keys()),
        _ => Err(no_attr(&Value::Result(r.clone()), name, RESULT_METHODS)),
    }
}

// ----- with blocks -----------------------------------------------------------

/// `with ctx as x:` entry: `Session(engine)` gives itself, `session.begin()`
/// gives the session transaction.
pub fn context_enter(interp: &mut Interpreter, ctx: &Value) -> PyResult<Value> {
    let _ = interp;
    match ctx {
        Value::Session(_) => Ok(ctx.clone()),
        Value::SessionTransaction(_) => Ok(ctx.clone()),
        Value::NoAutoflush(s) => {
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
    match ctx {
        Value::Session(s) => s.close(),
        Value::NoAutoflush(s) => {
            s.autoflush_paused
                .set(s.autoflush_paused.get().saturating_sub(1));
            Ok(())
        }
        Value::SessionTransaction(s) => {
            if failed {
                s.rollback()
            } else {
                s.commit()
            }
        }
        _ => Ok(()),
    }
}
