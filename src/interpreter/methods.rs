//! Attributes and methods of every value: Python's (`str.upper`,
//! `list.append`, `dict.get`, …) and SQLAlchemy's (`Session.add`,
//! `Query.filter`, `Result.scalars`, `User.name.like`, …), plus item access,
//! slicing, iteration and `with` blocks.

use std::cell::RefCell;
use std::rc::Rc;

use crate::orm::attributes::{self, get_attribute, set_column_attribute};
use crate::orm::collections;
use crate::orm::expression::{self, COLUMN_METHODS, SqlExpr};
use crate::orm::mapper::{AttrKind, AttrRef, Mapper};
use crate::orm::query::Query;
use crate::orm::session;
use crate::orm::state::{Obj, ObjectState};
use crate::sql::elements::{Expr, Selectable};

use super::builtins::datetime_method;
use super::eval::{Interpreter, list_index};
use crate::python::ExcType;
use crate::python::exceptions::{
    PyErr, PyResult, attribute_error, did_you_mean, type_error, value_error,
};
use crate::python::format::repr_plain;
use crate::python::ops;
use crate::python::value::{Builtin, ListObj, Method, Row, Value};
use crate::sqlalchemy::method as sa_method;
use crate::sqlalchemy::query::{self, run_query_values};
use crate::sqlalchemy::result;
use crate::sqlalchemy::session::{SESSION, session_names};

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

/// Methods of `str`, for dispatch and completion.
pub const STR_METHODS: &[&str] = &[
    "capitalize",
    "count",
    "endswith",
    "find",
    "format",
    "isalpha",
    "isdigit",
    "join",
    "lower",
    "lstrip",
    "replace",
    "rstrip",
    "split",
    "startswith",
    "strip",
    "title",
    "upper",
];
/// Methods of `list`.
pub const LIST_METHODS: &[&str] = &[
    "append", "clear", "copy", "count", "extend", "index", "insert", "pop", "remove", "reverse",
    "sort",
];
/// Methods of `dict`.
pub const DICT_METHODS: &[&str] = &[
    "get",
    "items",
    "keys",
    "pop",
    "setdefault",
    "update",
    "values",
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
        Value::Module(m) => {
            crate::sqlalchemy::modules::module_attr(m, name, |s| interp.imported.contains(s))
        }
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
            n if crate::sqlalchemy::method::has(SESSION, n) => Ok(method(obj, name)),
            _ => Err(no_attr(obj, name, &session_names())),
        },
        Value::Query(q) => {
            let (table, _) = query::table_of(q);
            match name {
                "statement" => Ok(obj.clone()),
                "column_descriptions" if q.is_legacy() => Ok(Value::list(Vec::new())),
                n if sa_method::has(table, n) => Ok(method(obj, name)),
                _ => Err(query_no_attr(obj, q, name)),
            }
        }
        Value::Result(r) if name == "rowcount" => Ok(Value::Int(r.borrow().rowcount)),
        Value::Result(_) => {
            if sa_method::has(result::RESULT, name) {
                Ok(method(obj, name))
            } else {
                Err(no_attr(obj, name, &result::result_names()))
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
                "strftime" | "isoformat" | "date" | "weekday" => method(obj, name),
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
                "strftime" | "isoformat" => method(obj, name),
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
        Value::Str(_) if STR_METHODS.contains(&name) => Ok(method(obj, name)),
        Value::List(_) if LIST_METHODS.contains(&name) => Ok(method(obj, name)),
        Value::Dict(_) if DICT_METHODS.contains(&name) => Ok(method(obj, name)),
        Value::Str(_) => Err(no_attr(obj, name, STR_METHODS)),
        Value::List(_) => Err(no_attr(obj, name, LIST_METHODS)),
        Value::Dict(_) => Err(no_attr(obj, name, DICT_METHODS)),
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
        "modified" => Value::Bool(!b.committed.is_empty() || attributes::collections_changed(&b)),
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

pub fn class_attr(m: &Rc<Mapper>, name: &str) -> PyResult<Value> {
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
                return attributes::set_relationship(o, &rel, v);
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

fn row_dict(r: &Row) -> Value {
    Value::Dict(Rc::new(RefCell::new(
        r.keys
            .iter()
            .zip(r.values.iter())
            .map(|(k, v)| (Value::str(k), v.clone()))
            .collect(),
    )))
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
            Ok(Value::list(run_query_values(&Rc::new(nq))?))
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

/// `receiver.name(*args, **kwargs)`
pub fn call_method(
    interp: &mut Interpreter,
    receiver: &Value,
    name: &str,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<Value> {
    match receiver {
        Value::Session(s) => {
            crate::sqlalchemy::method::dispatch(SESSION, "Session", interp, s, name, args, kwargs)
                .unwrap_or_else(|| Err(no_attr(receiver, name, &session_names())))
        }
        Value::Query(q) => {
            let (table, type_name) = query::table_of(q);
            sa_method::dispatch(table, type_name, interp, q, name, args, kwargs)
                .unwrap_or_else(|| Err(query_no_attr(receiver, q, name)))
        }
        Value::Result(r) => sa_method::dispatch(
            result::RESULT,
            result::type_name(r),
            interp,
            r,
            name,
            args,
            kwargs,
        )
        .unwrap_or_else(|| Err(no_attr(receiver, name, &result::result_names()))),
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
            use crate::sqlalchemy::strategy_options::{loader_option, strategy_named};
            let Some(strategy) = strategy_named(name) else {
                return Err(no_attr(
                    receiver,
                    name,
                    &["joinedload", "selectinload", "subqueryload"],
                ));
            };
            loader_option(strategy, &args, kwargs, Some(o))
        }
        Value::Builtin(Builtin::DateTime) => datetime_method(name, &args),
        Value::Str(s) => str_method(interp, s, name, args, &kwargs),
        Value::List(l) => list_method(interp, l, name, args, kwargs),
        Value::Dict(d) => dict_method(d, name, args),
        Value::DateTime(dt) => match name {
            "strftime" => match args.first() {
                Some(Value::Str(f)) => Ok(Value::str(&dt.format(f).to_string())),
                _ => Err(type_error("strftime() argument 1 must be str")),
            },
            "isoformat" => Ok(Value::str(
                dt.format("%Y-%m-%dT%H:%M:%S%.f")
                    .to_string()
                    .trim_end_matches("."),
            )),
            "date" => Ok(Value::Date(dt.date())),
            "weekday" => {
                use chrono::Datelike;
                Ok(Value::Int(dt.weekday().num_days_from_monday() as i64))
            }
            _ => Err(no_attr(receiver, name, &[])),
        },
        Value::Date(d) => match name {
            "strftime" => match args.first() {
                Some(Value::Str(f)) => Ok(Value::str(&d.format(f).to_string())),
                _ => Err(type_error("strftime() argument 1 must be str")),
            },
            "isoformat" => Ok(Value::str(&d.format("%Y-%m-%d").to_string())),
            _ => Err(no_attr(receiver, name, &[])),
        },
        Value::Row(r) => match name {
            "_asdict" => Ok(row_dict(r)),
            "_tuple" => Ok(Value::tuple(r.values.clone())),
            "count" => Ok(Value::Int(
                r.values
                    .iter()
                    .filter(|v| args.first().is_some_and(|a| ops::values_equal(v, a)))
                    .count() as i64,
            )),
            _ => Err(no_attr(receiver, name, &["_asdict", "_fields", "_mapping"])),
        },
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
pub fn dict_key_name(k: &Value) -> PyResult<String> {
    match k {
        Value::Str(s) => Ok(s.to_string()),
        Value::Attribute(a) => Ok(a.key.clone()),
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
    if !q.is_legacy() && sa_method::has(query::QUERY, name) {
        return err.with_hint(format!(
            "a select() runs through a session: session.execute(stmt).scalars().{name}()"
        ));
    }
    err
}

fn str_method(
    interp: &mut Interpreter,
    s: &str,
    name: &str,
    args: Vec<Value>,
    kwargs: &Kwargs,
) -> PyResult<Value> {
    let arg_str = |i: usize| -> PyResult<String> {
        match args.get(i) {
            Some(Value::Str(x)) => Ok(x.to_string()),
            Some(other) => Err(type_error(format!(
                "must be str, not {}",
                other.type_name()
            ))),
            None => Err(type_error(format!("{name}() missing required argument"))),
        }
    };
    Ok(match name {
        "upper" => Value::str(&s.to_uppercase()),
        "lower" => Value::str(&s.to_lowercase()),
        "strip" => Value::str(s.trim()),
        "lstrip" => Value::str(s.trim_start()),
        "rstrip" => Value::str(s.trim_end()),
        "title" => Value::str(
            &s.split(' ')
                .map(|w| {
                    let mut c = w.chars();
                    match c.next() {
                        Some(f) => {
                            f.to_uppercase().collect::<String>() + &c.as_str().to_lowercase()
                        }
                        None => String::new(),
                    }
                })
                .collect::<Vec<_>>()
                .join(" "),
        ),
        "capitalize" => {
            let mut c = s.chars();
            Value::str(&match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + &c.as_str().to_lowercase(),
                None => String::new(),
            })
        }
        "startswith" => Value::Bool(s.starts_with(&arg_str(0)?)),
        "endswith" => Value::Bool(s.ends_with(&arg_str(0)?)),
        "find" => Value::Int(
            s.find(&arg_str(0)?)
                .map(|i| s[..i].chars().count() as i64)
                .unwrap_or(-1),
        ),
        "count" => Value::Int(s.matches(&arg_str(0)?).count() as i64),
        "replace" => Value::str(&s.replace(&arg_str(0)?, &arg_str(1)?)),
        "isdigit" => Value::Bool(!s.is_empty() && s.chars().all(|c| c.is_ascii_digit())),
        "isalpha" => Value::Bool(!s.is_empty() && s.chars().all(char::is_alphabetic)),
        "split" => match args.first() {
            None | Some(Value::None) => Value::list(s.split_whitespace().map(Value::str).collect()),
            Some(_) => {
                let sep = arg_str(0)?;
                if sep.is_empty() {
                    return Err(value_error("empty separator"));
                }
                Value::list(s.split(sep.as_str()).map(Value::str).collect())
            }
        },
        "join" => {
            let items = match args.first() {
                Some(v) => iterate(interp, v)?,
                None => return Err(type_error("join() takes exactly one argument (0 given)")),
            };
            let mut parts = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::Str(x) => parts.push(x.to_string()),
                    other => {
                        return Err(type_error(format!(
                            "sequence item {i}: expected str instance, {} found",
                            other.type_name()
                        )));
                    }
                }
            }
            Value::str(&parts.join(s))
        }
        "format" => {
            let mut out = String::new();
            let mut next = 0;
            let mut chars = s.chars().peekable();
            while let Some(c) = chars.next() {
                if c == '{' {
                    if chars.peek() == Some(&'{') {
                        chars.next();
                        out.push('{');
                        continue;
                    }
                    let mut field = String::new();
                    for c2 in chars.by_ref() {
                        if c2 == '}' {
                            break;
                        }
                        field.push(c2);
                    }
                    let (idx, spec) = match field.split_once(':') {
                        Some((a, b)) => (a.to_string(), Some(b.to_string())),
                        None => (field.clone(), None),
                    };
                    let v = if idx.is_empty() || idx.chars().all(|c| c.is_ascii_digit()) {
                        let i = if idx.is_empty() {
                            next += 1;
                            next - 1
                        } else {
                            idx.parse::<usize>().unwrap_or(usize::MAX)
                        };
                        args.get(i).cloned().ok_or_else(|| {
                            PyErr::new(
                                ExcType::IndexError,
                                format!(
                                    "Replacement index {i} out of range for positional args tuple"
                                ),
                            )
                        })?
                    } else {
                        kwargs
                            .iter()
                            .find(|(k, _)| *k == idx)
                            .map(|(_, v)| v.clone())
                            .ok_or_else(|| PyErr::new(ExcType::KeyError, format!("'{idx}'")))?
                    };
                    let text = match spec {
                        Some(sp) => super::builtins::format_spec(interp, &v, &sp)?,
                        None => interp.to_str(&v)?,
                    };
                    out.push_str(&text);
                } else if c == '}' && chars.peek() == Some(&'}') {
                    chars.next();
                    out.push('}');
                } else {
                    out.push(c);
                }
            }
            Value::str(&out)
        }
        _ => return Err(no_attr(&Value::str(s), name, STR_METHODS)),
    })
}

/// `list.sort(key=..., reverse=...)` (stable, as Python's).
pub fn sort_list(interp: &mut Interpreter, l: &Rc<ListObj>, kwargs: &Kwargs) -> PyResult<()> {
    let items = l.items.borrow().clone();
    let key = kw(kwargs, "key");
    let reverse = kw(kwargs, "reverse").is_some_and(|v| v.truthy());
    let mut keyed = Vec::with_capacity(items.len());
    for item in items {
        let k = match &key {
            Some(f) if !matches!(f, Value::None) => {
                interp.call(f, vec![item.clone()], Vec::new())?
            }
            _ => item.clone(),
        };
        keyed.push((k, item));
    }
    let mut error = None;
    keyed.sort_by(|a, b| match ops::compare_values(&a.0, &b.0, "<") {
        Ok(o) => o,
        Err(e) => {
            error.get_or_insert(e);
            std::cmp::Ordering::Equal
        }
    });
    if let Some(e) = error {
        return Err(e);
    }
    if reverse {
        keyed.reverse();
    }
    *l.items.borrow_mut() = keyed.into_iter().map(|(_, v)| v).collect();
    Ok(())
}

fn list_method(
    interp: &mut Interpreter,
    l: &Rc<ListObj>,
    name: &str,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<Value> {
    let owner = l
        .owner
        .as_ref()
        .and_then(|(w, key)| w.upgrade().map(|o| (o, key.clone())));
    match name {
        "append" => {
            expect_args("append", &args, 1)?;
            if let Some((o, key)) = &owner {
                collections::collection_append(o, key, &args[0])?;
            }
            l.items.borrow_mut().push(args[0].clone());
            Ok(Value::None)
        }
        "extend" => {
            expect_args("extend", &args, 1)?;
            let items = iterate(interp, &args[0])?;
            for item in items {
                if let Some((o, key)) = &owner {
                    collections::collection_append(o, key, &item)?;
                }
                l.items.borrow_mut().push(item);
            }
            Ok(Value::None)
        }
        "insert" => {
            expect_args("insert", &args, 2)?;
            let len = l.items.borrow().len() as i64;
            let i = match &args[0] {
                Value::Int(i) => {
                    (if *i < 0 {
                        (*i + len).max(0)
                    } else {
                        (*i).min(len)
                    }) as usize
                }
                other => {
                    return Err(type_error(format!(
                        "'{}' object cannot be interpreted as an integer",
                        other.type_name()
                    )));
                }
            };
            if let Some((o, key)) = &owner {
                collections::collection_append(o, key, &args[1])?;
            }
            l.items.borrow_mut().insert(i, args[1].clone());
            Ok(Value::None)
        }
        "remove" => {
            expect_args("remove", &args, 1)?;
            let pos = l
                .items
                .borrow()
                .iter()
                .position(|x| x.is(&args[0]) || ops::values_equal(x, &args[0]));
            match pos {
                Some(i) => {
                    let removed = l.items.borrow_mut().remove(i);
                    if let Some((o, key)) = &owner {
                        collections::collection_remove(o, key, &removed)?;
                    }
                    Ok(Value::None)
                }
                None => Err(value_error("list.remove(x): x not in list")),
            }
        }
        "pop" => {
            let len = l.items.borrow().len();
            if len == 0 {
                return Err(PyErr::new(ExcType::IndexError, "pop from empty list"));
            }
            let i = match args.first() {
                Some(v) => list_index(v, len)
                    .map_err(|_| PyErr::new(ExcType::IndexError, "pop index out of range"))?,
                None => len - 1,
            };
            let removed = l.items.borrow_mut().remove(i);
            if let Some((o, key)) = &owner {
                collections::collection_remove(o, key, &removed)?;
            }
            Ok(removed)
        }
        "clear" => {
            let removed: Vec<Value> = l.items.borrow_mut().drain(..).collect();
            if let Some((o, key)) = &owner {
                for r in &removed {
                    collections::collection_remove(o, key, r)?;
                }
            }
            Ok(Value::None)
        }
        "index" => {
            expect_args("index", &args, 1)?;
            l.items
                .borrow()
                .iter()
                .position(|x| ops::values_equal(x, &args[0]))
                .map(|i| Value::Int(i as i64))
                .ok_or_else(|| value_error(format!("{} is not in list", repr_plain(&args[0]))))
        }
        "count" => {
            expect_args("count", &args, 1)?;
            Ok(Value::Int(
                l.items
                    .borrow()
                    .iter()
                    .filter(|x| ops::values_equal(x, &args[0]))
                    .count() as i64,
            ))
        }
        "reverse" => {
            l.items.borrow_mut().reverse();
            Ok(Value::None)
        }
        "sort" => {
            sort_list(interp, l, &kwargs)?;
            Ok(Value::None)
        }
        "copy" => Ok(Value::list(l.items.borrow().clone())),
        _ => Err(no_attr(&Value::List(l.clone()), name, LIST_METHODS)),
    }
}

fn dict_method(
    d: &Rc<RefCell<Vec<(Value, Value)>>>,
    name: &str,
    args: Vec<Value>,
) -> PyResult<Value> {
    let find = |k: &Value| {
        d.borrow()
            .iter()
            .find(|(x, _)| ops::values_equal(x, k))
            .map(|(_, v)| v.clone())
    };
    match name {
        "get" => {
            let k = args.first().cloned().unwrap_or(Value::None);
            Ok(find(&k).unwrap_or_else(|| args.get(1).cloned().unwrap_or(Value::None)))
        }
        "keys" => Ok(Value::list(
            d.borrow().iter().map(|(k, _)| k.clone()).collect(),
        )),
        "values" => Ok(Value::list(
            d.borrow().iter().map(|(_, v)| v.clone()).collect(),
        )),
        "items" => Ok(Value::list(
            d.borrow()
                .iter()
                .map(|(k, v)| Value::tuple(vec![k.clone(), v.clone()]))
                .collect(),
        )),
        "pop" => {
            let k = args.first().cloned().unwrap_or(Value::None);
            let pos = d
                .borrow()
                .iter()
                .position(|(x, _)| ops::values_equal(x, &k));
            match pos {
                Some(i) => Ok(d.borrow_mut().remove(i).1),
                None => args
                    .get(1)
                    .cloned()
                    .ok_or_else(|| PyErr::new(ExcType::KeyError, repr_plain(&k))),
            }
        }
        "setdefault" => {
            let k = args.first().cloned().unwrap_or(Value::None);
            match find(&k) {
                Some(v) => Ok(v),
                None => {
                    let v = args.get(1).cloned().unwrap_or(Value::None);
                    d.borrow_mut().push((k, v.clone()));
                    Ok(v)
                }
            }
        }
        "update" => {
            if let Some(Value::Dict(other)) = args.first() {
                let pairs = other.borrow().clone();
                for (k, v) in pairs {
                    let pos = d
                        .borrow()
                        .iter()
                        .position(|(x, _)| ops::values_equal(x, &k));
                    match pos {
                        Some(i) => d.borrow_mut()[i].1 = v,
                        None => d.borrow_mut().push((k, v)),
                    }
                }
            }
            Ok(Value::None)
        }
        _ => Err(no_attr(&Value::Dict(d.clone()), name, DICT_METHODS)),
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
