//! Names bound at start and the built-in functions: Python's (`print`,
//! `len`, `sorted`, …) and SQLAlchemy's (`select`, `func`, `and_`,
//! `joinedload`, `Session`, `Column`, …), as after the usual imports.

use std::rc::Rc;

use chrono::{Local, NaiveDate, Utc};

use crate::orm::expression::{self, SqlExpr};
use crate::orm::mapper::AttrKind;
use crate::orm::query::{Entity, Query, QueryStyle};
use crate::orm::strategy_options::{LoadStep, LoaderOption, Strategy};
use crate::sql::elements::Expr;

use super::eval::Interpreter;
use crate::python::ExcType;
use crate::python::exceptions::{PyErr, PyResult, type_error, value_error};
use crate::python::ops;
use crate::python::value::{Builtin, Value};

/// Python built-ins bound in every namespace (SQLAlchemy's names are in
/// [`crate::sqlalchemy::modules::SQLALCHEMY_NAMES`]).
pub const BUILTIN_NAMES: &[(&str, Builtin)] = &[
    ("print", Builtin::Print),
    ("len", Builtin::Len),
    ("repr", Builtin::Repr),
    ("str", Builtin::Str),
    ("int", Builtin::Int),
    ("float", Builtin::Float),
    ("bool", Builtin::Bool),
    ("list", Builtin::ListType),
    ("tuple", Builtin::TupleType),
    ("dict", Builtin::DictType),
    ("range", Builtin::Range),
    ("sorted", Builtin::Sorted),
    ("sum", Builtin::Sum),
    ("min", Builtin::Min),
    ("max", Builtin::Max),
    ("abs", Builtin::Abs),
    ("round", Builtin::Round),
    ("enumerate", Builtin::Enumerate),
    ("zip", Builtin::Zip),
    ("isinstance", Builtin::IsInstance),
    ("type", Builtin::Type),
    ("any", Builtin::Any),
    ("all", Builtin::All),
    ("id", Builtin::Id),
    ("reversed", Builtin::Reversed),
    ("hasattr", Builtin::Hasattr),
    ("getattr", Builtin::Getattr),
    ("datetime", Builtin::DateTime),
    ("date", Builtin::Date),
    ("set", Builtin::SetType),
];

/// Binds the built-ins and exception classes into `interp`'s globals.
pub fn bind_defaults(interp: &mut Interpreter) {
    for (name, b) in BUILTIN_NAMES {
        interp
            .globals
            .insert((*name).to_string(), Value::Builtin(b.clone()));
    }
    for (name, b) in crate::sqlalchemy::modules::SQLALCHEMY_NAMES {
        interp
            .globals
            .insert((*name).to_string(), Value::Builtin(b.clone()));
    }
    for exc in ExcType::ALL.iter().filter(|e| e.is_exception()) {
        interp
            .globals
            .insert(exc.name().to_string(), Value::ExceptionClass(*exc));
    }
}

fn arity(name: &str, args: &[Value], min: usize, max: usize) -> PyResult<()> {
    if args.len() < min || args.len() > max {
        let expected = if min == max {
            format!("exactly {min} argument{}", if min == 1 { "" } else { "s" })
        } else if args.len() < min {
            format!("at least {min} argument{}", if min == 1 { "" } else { "s" })
        } else {
            format!("at most {max} argument{}", if max == 1 { "" } else { "s" })
        };
        return Err(type_error(format!(
            "{name}() takes {expected} ({} given)",
            args.len()
        )));
    }
    Ok(())
}

fn no_kwargs(name: &str, kwargs: &[(String, Value)]) -> PyResult<()> {
    if let Some((k, _)) = kwargs.first() {
        return Err(type_error(format!(
            "{name}() got an unexpected keyword argument '{k}'"
        )));
    }
    Ok(())
}

fn kwarg(kwargs: &[(String, Value)], name: &str) -> Option<Value> {
    kwargs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

fn as_i64(v: &Value, what: &str) -> PyResult<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(*b as i64),
        other => Err(type_error(format!(
            "'{}' object cannot be interpreted as an integer{}",
            other.type_name(),
            if what.is_empty() {
                String::new()
            } else {
                format!(" ({what})")
            }
        ))),
    }
}

/// A loader option from `joinedload(User.messages)` and friends.
pub fn loader_option(
    strategy: Strategy,
    args: &[Value],
    base: Option<&LoaderOption>,
) -> PyResult<Value> {
    let name = strategy.function_name();
    if args.len() != 1 {
        return Err(type_error(format!(
            "{name}() takes exactly one relationship attribute"
        )));
    }
    let attr = match &args[0] {
        Value::Attribute(a) if matches!(a.kind, AttrKind::Relationship(_)) => (**a).clone(),
        Value::Attribute(a) => {
            return Err(PyErr::new(
                ExcType::ArgumentError,
                format!(
                    "{name}() needs a relationship attribute; {} is a column",
                    a.qualified_name()
                ),
            ));
        }
        Value::Str(s) => {
            return Err(PyErr::new(
                ExcType::ArgumentError,
                format!(
                    "Strings are not accepted for attribute names in loader options; please use class-bound attributes directly, such as {name}(User.{s})"
                ),
            ));
        }
        other => {
            return Err(PyErr::new(
                ExcType::ArgumentError,
                format!(
                    "{name}() expects a relationship attribute such as User.messages, got {}",
                    other.type_name()
                ),
            ));
        }
    };
    let mut path = base.map(|b| b.path.clone()).unwrap_or_default();
    if let Some(last) = path.last()
        && let AttrKind::Relationship(rel) = &last.attr.kind
    {
        let target = rel.resolve()?.target.clone();
        if !Rc::ptr_eq(&target, &attr.mapper) {
            return Err(PyErr::new(
                ExcType::ArgumentError,
                format!(
                    "Mapped attribute '{}' does not apply to any of the root entities in this query, e.g. mapped class {}->{}. Please specify the full path from one of the root entities to the target attribute.",
                    attr.qualified_name(),
                    target.class_name,
                    target.table.name
                ),
            ));
        }
    }
    path.push(LoadStep::new(strategy, attr));
    Ok(Value::LoaderOption(Rc::new(LoaderOption { path })))
}

/// Entities of `select(...)` / `session.query(...)`.
pub fn entities(args: &[Value], fname: &str) -> PyResult<Vec<Entity>> {
    let mut out = Vec::new();
    for a in args {
        match a {
            Value::Class(m) => out.push(Entity::Mapper(m.clone())),
            Value::Attribute(_) | Value::Sql(_) => {
                out.push(Entity::Column(expression::coerce(a, None)?))
            }
            Value::Table(t) => {
                let from = crate::sql::elements::Selectable::Table(t.clone());
                for (i, c) in t.columns.iter().enumerate() {
                    out.push(Entity::Column(SqlExpr {
                        expr: Expr::column(&from, i),
                        ty: Some(c.sql_type.clone()),
                        key: Some(c.name.clone()),
                    }));
                }
            }
            Value::List(l) if args.len() == 1 => {
                let items = l.items.borrow().clone();
                return entities(&items, fname);
            }
            other => {
                return Err(PyErr::new(
                    ExcType::ArgumentError,
                    format!(
                        "Column expression, FROM clause, or other columns clause element expected, got {}. Did you mean to say select({})? ({fname}() takes classes like User or columns like User.name)",
                        crate::python::format::repr_plain(other),
                        crate::python::format::repr_plain(other)
                    ),
                ));
            }
        }
    }
    if out.is_empty() {
        return Err(type_error(format!(
            "{fname}() needs at least one entity or column"
        )));
    }
    Ok(out)
}

/// Calls a built-in function.
pub fn call_builtin(
    interp: &mut Interpreter,
    b: &Builtin,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<Value> {
    match b {
        Builtin::Print => {
            let sep = match kwarg(&kwargs, "sep") {
                Some(Value::None) | None => " ".to_string(),
                Some(v) => interp.to_str(&v)?,
            };
            let end = match kwarg(&kwargs, "end") {
                Some(Value::None) | None => "\n".to_string(),
                Some(v) => interp.to_str(&v)?,
            };
            let mut parts = Vec::with_capacity(args.len());
            for a in &args {
                parts.push(interp.to_str(a)?);
            }
            let text = format!("{}{}", parts.join(&sep), end);
            interp.write(&text);
            Ok(Value::None)
        }
        Builtin::Len => {
            no_kwargs("len", &kwargs)?;
            arity("len", &args, 1, 1)?;
            let n = match &args[0] {
                Value::Str(s) => s.chars().count(),
                Value::List(l) => l.items.borrow().len(),
                Value::Tuple(t) => t.len(),
                Value::Row(r) => r.values.len(),
                Value::Dict(d) => d.borrow().len(),
                Value::Set(s, _) => s.items.borrow().len(),
                other => {
                    return Err(type_error(format!(
                        "object of type '{}' has no len()",
                        other.type_name()
                    )));
                }
            };
            Ok(Value::Int(n as i64))
        }
        Builtin::Repr => {
            arity("repr", &args, 1, 1)?;
            Ok(Value::str(&interp.repr(&args[0])?))
        }
        Builtin::Str => {
            arity("str", &args, 0, 1)?;
            match args.first() {
                Some(v) => Ok(Value::str(&interp.to_str(v)?)),
                None => Ok(Value::str("")),
            }
        }
        Builtin::Int => {
            arity("int", &args, 0, 2)?;
            match args.first() {
                None => Ok(Value::Int(0)),
                Some(Value::Int(i)) => Ok(Value::Int(*i)),
                Some(Value::Bool(b)) => Ok(Value::Int(*b as i64)),
                Some(Value::Float(f)) => {
                    if f.is_finite() {
                        Ok(Value::Int(f.trunc() as i64))
                    } else {
                        Err(PyErr::new(
                            ExcType::OverflowError,
                            "cannot convert float infinity to integer",
                        ))
                    }
                }
                Some(Value::Str(s)) => s
                    .trim()
                    .replace('_', "")
                    .parse::<i64>()
                    .map(Value::Int)
                    .map_err(|_| {
                        value_error(format!(
                            "invalid literal for int() with base 10: {}",
                            crate::python::value::str_repr(s)
                        ))
                    }),
                Some(other) => Err(type_error(format!(
                    "int() argument must be a string, a bytes-like object or a real number, not '{}'",
                    other.type_name()
                ))),
            }
        }
        Builtin::Float => {
            arity("float", &args, 0, 1)?;
            match args.first() {
                None => Ok(Value::Float(0.0)),
                Some(Value::Int(i)) => Ok(Value::Float(*i as f64)),
                Some(Value::Bool(b)) => Ok(Value::Float(*b as i64 as f64)),
                Some(Value::Float(f)) => Ok(Value::Float(*f)),
                Some(Value::Str(s)) => s.trim().parse::<f64>().map(Value::Float).map_err(|_| {
                    value_error(format!(
                        "could not convert string to float: {}",
                        crate::python::value::str_repr(s)
                    ))
                }),
                Some(other) => Err(type_error(format!(
                    "float() argument must be a string or a real number, not '{}'",
                    other.type_name()
                ))),
            }
        }
        Builtin::Bool => {
            arity("bool", &args, 0, 1)?;
            match args.first() {
                Some(v) => Ok(Value::Bool(interp.truthy(v)?)),
                None => Ok(Value::Bool(false)),
            }
        }
        Builtin::ListType => {
            arity("list", &args, 0, 1)?;
            match args.first() {
                Some(v) => Ok(Value::list(super::methods::iterate(interp, v)?)),
                None => Ok(Value::list(Vec::new())),
            }
        }
        Builtin::TupleType => {
            arity("tuple", &args, 0, 1)?;
            match args.first() {
                Some(v) => Ok(Value::tuple(super::methods::iterate(interp, v)?)),
                None => Ok(Value::tuple(Vec::new())),
            }
        }
        Builtin::SetType => {
            arity("set", &args, 0, 1)?;
            let mut items: Vec<Value> = Vec::new();
            if let Some(v) = args.first() {
                for i in super::methods::iterate(interp, v)? {
                    if !items.iter().any(|x| ops::values_equal(x, &i)) {
                        items.push(i);
                    }
                }
            }
            Ok(Value::Set(
                crate::python::value::ListObj::new(items),
                crate::python::value::SetKind::Plain,
            ))
        }
        Builtin::DictType => {
            let mut pairs: Vec<(Value, Value)> = Vec::new();
            if let Some(v) = args.first() {
                for item in super::methods::iterate(interp, v)? {
                    let kv = ops::sequence_items(&item).unwrap_or_default();
                    if kv.len() != 2 {
                        return Err(value_error(
                            "dictionary update sequence element has wrong length; 2 is required",
                        ));
                    }
                    pairs.push((kv[0].clone(), kv[1].clone()));
                }
            }
            for (k, v) in kwargs {
                pairs.push((Value::str(&k), v));
            }
            Ok(Value::Dict(Rc::new(std::cell::RefCell::new(pairs))))
        }
        Builtin::Range => {
            arity("range", &args, 1, 3)?;
            let (start, stop, step) = match args.len() {
                1 => (0, as_i64(&args[0], "")?, 1),
                2 => (as_i64(&args[0], "")?, as_i64(&args[1], "")?, 1),
                _ => (
                    as_i64(&args[0], "")?,
                    as_i64(&args[1], "")?,
                    as_i64(&args[2], "")?,
                ),
            };
            if step == 0 {
                return Err(value_error("range() arg 3 must not be zero"));
            }
            let mut out = Vec::new();
            let mut i = start;
            while (step > 0 && i < stop) || (step < 0 && i > stop) {
                if out.len() >= 1_000_000 {
                    return Err(PyErr::new(
                        ExcType::MemoryError,
                        "range too large for the tutor (over 1,000,000 items)",
                    ));
                }
                out.push(Value::Int(i));
                i += step;
            }
            Ok(Value::list(out))
        }
        Builtin::Sorted => {
            arity("sorted", &args, 1, 1)?;
            let items = super::methods::iterate(interp, &args[0])?;
            let list = Rc::new(crate::python::value::ListObj {
                items: std::cell::RefCell::new(items),
                owner: None,
            });
            super::methods::sort_list(interp, &list, &kwargs)?;
            Ok(Value::List(list))
        }
        Builtin::Sum => {
            arity("sum", &args, 1, 2)?;
            let mut total = args.get(1).cloned().unwrap_or(Value::Int(0));
            for item in super::methods::iterate(interp, &args[0])? {
                total = ops::binary_op(crate::language::ast::BinOp::Add, &total, &item)?;
            }
            Ok(total)
        }
        Builtin::Min | Builtin::Max => {
            let name = if matches!(b, Builtin::Min) {
                "min"
            } else {
                "max"
            };
            let items = if args.len() == 1 {
                super::methods::iterate(interp, &args[0])?
            } else {
                args.clone()
            };
            let key = kwarg(&kwargs, "key");
            let mut best: Option<(Value, Value)> = None;
            for item in items {
                let k = match &key {
                    Some(f) => interp.call(f, vec![item.clone()], Vec::new())?,
                    None => item.clone(),
                };
                let better = match &best {
                    None => true,
                    Some((bk, _)) => {
                        let ord =
                            ops::compare_values(&k, bk, if name == "min" { "<" } else { ">" })?;
                        if name == "min" {
                            ord.is_lt()
                        } else {
                            ord.is_gt()
                        }
                    }
                };
                if better {
                    best = Some((k, item));
                }
            }
            match best {
                Some((_, v)) => Ok(v),
                None => match kwarg(&kwargs, "default") {
                    Some(d) => Ok(d),
                    None => Err(value_error(format!("{name}() arg is an empty sequence"))),
                },
            }
        }
        Builtin::Abs => {
            arity("abs", &args, 1, 1)?;
            match &args[0] {
                Value::Int(i) => Ok(Value::Int(i.abs())),
                Value::Float(f) => Ok(Value::Float(f.abs())),
                Value::Bool(b) => Ok(Value::Int(*b as i64)),
                other => Err(type_error(format!(
                    "bad operand type for abs(): '{}'",
                    other.type_name()
                ))),
            }
        }
        Builtin::Round => {
            arity("round", &args, 1, 2)?;
            let digits = match args.get(1) {
                Some(Value::None) | None => None,
                Some(v) => Some(as_i64(v, "")?),
            };
            match (&args[0], digits) {
                (Value::Int(i), _) => Ok(Value::Int(*i)),
                (Value::Float(f), None) => Ok(Value::Int(round_half_even(*f) as i64)),
                (Value::Float(f), Some(d)) => {
                    let factor = 10f64.powi(d as i32);
                    Ok(Value::Float(round_half_even(f * factor) / factor))
                }
                (other, _) => Err(type_error(format!(
                    "type {} doesn't define __round__ method",
                    other.type_name()
                ))),
            }
        }
        Builtin::Enumerate => {
            arity("enumerate", &args, 1, 2)?;
            let start = match kwarg(&kwargs, "start").or_else(|| args.get(1).cloned()) {
                Some(v) => as_i64(&v, "")?,
                None => 0,
            };
            let items = super::methods::iterate(interp, &args[0])?;
            Ok(Value::list(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| Value::tuple(vec![Value::Int(start + i as i64), v]))
                    .collect(),
            ))
        }
        Builtin::Zip => {
            let mut lists = Vec::new();
            for a in &args {
                lists.push(super::methods::iterate(interp, a)?);
            }
            let n = lists.iter().map(Vec::len).min().unwrap_or(0);
            Ok(Value::list(
                (0..n)
                    .map(|i| Value::tuple(lists.iter().map(|l| l[i].clone()).collect()))
                    .collect(),
            ))
        }
        Builtin::IsInstance => {
            arity("isinstance", &args, 2, 2)?;
            Ok(Value::Bool(is_instance(&args[0], &args[1])))
        }
        Builtin::Type => {
            arity("type", &args, 1, 1)?;
            match &args[0] {
                Value::Object(o) => Ok(Value::Class(o.borrow().mapper.clone())),
                Value::Exception(e) => Ok(Value::ExceptionClass(e.exc)),
                other => Ok(Value::PyType(Rc::from(other.type_name().as_str()))),
            }
        }
        Builtin::Any | Builtin::All => {
            arity(
                if matches!(b, Builtin::Any) {
                    "any"
                } else {
                    "all"
                },
                &args,
                1,
                1,
            )?;
            let items = super::methods::iterate(interp, &args[0])?;
            let any = matches!(b, Builtin::Any);
            for i in items {
                let t = interp.truthy(&i)?;
                if any && t {
                    return Ok(Value::Bool(true));
                }
                if !any && !t {
                    return Ok(Value::Bool(false));
                }
            }
            Ok(Value::Bool(!any))
        }
        Builtin::Id => {
            arity("id", &args, 1, 1)?;
            match &args[0] {
                Value::Object(o) => Ok(Value::Int(o.borrow().address as i64)),
                other => Ok(Value::Int(
                    (crate::python::format::repr_plain(other).len() as i64) * 7919
                        + 140_000_000_000_000,
                )),
            }
        }
        Builtin::Reversed => {
            arity("reversed", &args, 1, 1)?;
            let mut items = super::methods::iterate(interp, &args[0])?;
            items.reverse();
            Ok(Value::list(items))
        }
        Builtin::Hasattr => {
            arity("hasattr", &args, 2, 2)?;
            let Value::Str(name) = &args[1] else {
                return Err(type_error("hasattr(): attribute name must be string"));
            };
            match super::methods::get_attr(interp, &args[0], name) {
                Ok(_) => Ok(Value::Bool(true)),
                Err(e) if e.exc == ExcType::AttributeError => Ok(Value::Bool(false)),
                Err(e) => Err(e),
            }
        }
        Builtin::Getattr => {
            arity("getattr", &args, 2, 3)?;
            let Value::Str(name) = &args[1] else {
                return Err(type_error("getattr(): attribute name must be string"));
            };
            match super::methods::get_attr(interp, &args[0], name) {
                Ok(v) => Ok(v),
                Err(e) if e.exc == ExcType::AttributeError && args.len() == 3 => {
                    Ok(args[2].clone())
                }
                Err(e) => Err(e),
            }
        }
        Builtin::DateTime => {
            arity("datetime", &args, 3, 7)?;
            let mut n = Vec::new();
            for a in &args {
                n.push(as_i64(a, "")?);
            }
            let get = |i: usize| n.get(i).copied().unwrap_or(0);
            let date = NaiveDate::from_ymd_opt(get(0) as i32, get(1) as u32, get(2) as u32)
                .ok_or_else(|| value_error("day is out of range for month"))?;
            let dt = date
                .and_hms_micro_opt(get(3) as u32, get(4) as u32, get(5) as u32, get(6) as u32)
                .ok_or_else(|| value_error("hour must be in 0..23"))?;
            Ok(Value::DateTime(dt))
        }
        Builtin::Date => {
            arity("date", &args, 3, 3)?;
            let y = as_i64(&args[0], "")?;
            let m = as_i64(&args[1], "")?;
            let d = as_i64(&args[2], "")?;
            NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32)
                .map(Value::Date)
                .ok_or_else(|| value_error("day is out of range for month"))
        }
        Builtin::Select => {
            no_kwargs("select", &kwargs)?;
            let ents = entities(&args, "select")?;
            Ok(Value::Query(Rc::new(Query::new(QueryStyle::Select, ents))))
        }
        Builtin::Func => Err(type_error(
            "'_FunctionGenerator' object is not callable; use func.count(...), func.max(...)",
        )),
        Builtin::SqlFunction(name) => {
            let mut exprs = Vec::new();
            for a in &args {
                exprs.push(expression::coerce(a, None)?.expr);
            }
            let first_ty = match args.first() {
                Some(a) => expression::coerce(a, None).ok().and_then(|e| e.ty),
                None => None,
            };
            let ty = match name.to_lowercase().as_str() {
                "count" => Some(crate::sql::schema::SqlType::Integer),
                "max" | "min" | "sum" | "coalesce" => first_ty,
                "avg" => None,
                "lower" | "upper" | "trim" | "substr" | "replace" => {
                    Some(crate::sql::schema::SqlType::String(None))
                }
                "length" => Some(crate::sql::schema::SqlType::Integer),
                "now" | "current_timestamp" => Some(crate::sql::schema::SqlType::DateTime),
                _ => first_ty,
            };
            Ok(Value::Sql(Rc::new(SqlExpr {
                expr: Expr::Function {
                    name: name.clone(),
                    args: exprs,
                },
                ty,
                key: Some(name.clone()),
            })))
        }
        Builtin::And | Builtin::Or => expression::and_or(&args, matches!(b, Builtin::Or)),
        Builtin::Not => {
            arity("not_", &args, 1, 1)?;
            expression::negate(&args[0])
        }
        Builtin::Desc | Builtin::Asc | Builtin::Distinct => {
            let name = match b {
                Builtin::Desc => "desc",
                Builtin::Asc => "asc",
                _ => "distinct",
            };
            arity(name, &args, 1, 1)?;
            if let Value::Str(label) = &args[0] {
                let inner = Box::new(Expr::LabelRef(label.to_string()));
                let e = match b {
                    Builtin::Desc => Expr::Desc(inner),
                    Builtin::Asc => Expr::Asc(inner),
                    _ => Expr::Distinct(inner),
                };
                return Ok(expression::sql(e, None));
            }
            match expression::column_method(&args[0], name, &[]) {
                Some(r) => r,
                None => Err(type_error(format!("{name}() needs a column"))),
            }
        }
        Builtin::Literal => {
            arity("literal", &args, 1, 1)?;
            Ok(Value::Sql(Rc::new(expression::coerce(&args[0], None)?)))
        }
        Builtin::True_ => Ok(expression::sql(
            Expr::True,
            Some(crate::sql::schema::SqlType::Boolean),
        )),
        Builtin::False_ => Ok(expression::sql(
            Expr::False,
            Some(crate::sql::schema::SqlType::Boolean),
        )),
        Builtin::Null => Ok(expression::sql(Expr::Null, None)),
        Builtin::Joinedload => crate::sqlalchemy::strategy_options::loader_option(
            Strategy::Joined,
            &args,
            kwargs,
            None,
        ),
        Builtin::Selectinload => crate::sqlalchemy::strategy_options::loader_option(
            Strategy::Selectin,
            &args,
            kwargs,
            None,
        ),
        Builtin::Subqueryload => crate::sqlalchemy::strategy_options::loader_option(
            Strategy::Subquery,
            &args,
            kwargs,
            None,
        ),
        Builtin::Lazyload => {
            crate::sqlalchemy::strategy_options::loader_option(Strategy::Lazy, &args, kwargs, None)
        }
        Builtin::Raiseload => {
            crate::sqlalchemy::strategy_options::loader_option(Strategy::Raise, &args, kwargs, None)
        }
        Builtin::Noload => crate::sqlalchemy::strategy_options::loader_option(
            Strategy::Noload,
            &args,
            kwargs,
            None,
        ),
        Builtin::Inspect => {
            arity("inspect", &args, 1, 1)?;
            match &args[0] {
                Value::Object(o) => Ok(Value::InstanceState(o.clone())),
                Value::Class(m) => Ok(Value::Class(m.clone())),
                other => Err(PyErr::new(
                    ExcType::NoInspectionAvailable,
                    format!(
                        "No inspection system is available for object of type {}",
                        other.type_name()
                    ),
                )),
            }
        }
        Builtin::SessionClass => crate::sqlalchemy::session::construct(
            interp,
            crate::orm::session::SessionConfig::default(),
            args,
            kwargs,
        ),
        Builtin::SessionFactory(config) => {
            crate::sqlalchemy::session::construct(interp, *config, args, kwargs)
        }
        Builtin::Sessionmaker => crate::sqlalchemy::session::sessionmaker(args, kwargs),
        Builtin::CreateEngine => Ok(interp
            .globals
            .get("engine")
            .cloned()
            .unwrap_or(Value::Engine(Rc::new(crate::python::value::EngineObj)))),
        Builtin::DeclarativeBase => Ok(Value::Base(interp.registry.clone())),
        Builtin::Aliased => Err(PyErr::new(
            ExcType::NotImplementedError,
            "aliased() is not supported by orm-tutor yet",
        )),
        Builtin::Schema(kind) => super::models::schema_call(interp, kind, args, kwargs),
        Builtin::Update | Builtin::Delete | Builtin::Insert => {
            let (kind, name) = match b {
                Builtin::Update => (crate::orm::bulk::DmlKind::Update, "update"),
                Builtin::Delete => (crate::orm::bulk::DmlKind::Delete, "delete"),
                _ => (crate::orm::bulk::DmlKind::Insert, "insert"),
            };
            arity(name, &args, 1, 1)?;
            match &args[0] {
                Value::Class(m) => Ok(Value::Dml(Rc::new(crate::orm::bulk::DmlStatement::new(
                    kind,
                    m.clone(),
                )))),
                other => Err(PyErr::new(
                    ExcType::ArgumentError,
                    format!(
                        "{name}() takes a mapped class such as User, got {}",
                        crate::python::format::repr_plain(other)
                    ),
                )),
            }
        }
    }
}

fn round_half_even(f: f64) -> f64 {
    let r = f.round();
    if (f - f.trunc()).abs() == 0.5 {
        2.0 * (f / 2.0).round()
    } else {
        r
    }
}

/// `isinstance(v, cls)`.
fn is_instance(v: &Value, cls: &Value) -> bool {
    match cls {
        Value::Tuple(t) => t.iter().any(|c| is_instance(v, c)),
        Value::Class(m) => matches!(v, Value::Object(o) if Rc::ptr_eq(&o.borrow().mapper, m)),
        Value::ExceptionClass(c) => matches!(v, Value::Exception(e) if e.is_instance_of(*c)),
        Value::Builtin(Builtin::Int) => matches!(v, Value::Int(_) | Value::Bool(_)),
        Value::Builtin(Builtin::Float) => matches!(v, Value::Float(_)),
        Value::Builtin(Builtin::Str) => matches!(v, Value::Str(_)),
        Value::Builtin(Builtin::Bool) => matches!(v, Value::Bool(_)),
        Value::Builtin(Builtin::ListType) => matches!(v, Value::List(_)),
        Value::Builtin(Builtin::TupleType) => matches!(v, Value::Tuple(_) | Value::Row(_)),
        Value::Builtin(Builtin::DictType) => matches!(v, Value::Dict(_)),
        Value::Builtin(Builtin::DateTime) => matches!(v, Value::DateTime(_)),
        Value::Builtin(Builtin::SessionClass) => matches!(v, Value::Session(_)),
        _ => false,
    }
}

/// `datetime.utcnow()` and friends.
pub fn datetime_method(name: &str, args: &[Value]) -> PyResult<Value> {
    match name {
        "utcnow" => Ok(Value::DateTime(Utc::now().naive_utc())),
        "now" | "today" => Ok(Value::DateTime(Local::now().naive_local())),
        "fromisoformat" => match args.first() {
            Some(Value::Str(s)) => crate::orm::expression::parse_datetime(s)
                .map(Value::DateTime)
                .ok_or_else(|| {
                    value_error(format!(
                        "Invalid isoformat string: {}",
                        crate::python::value::str_repr(s)
                    ))
                }),
            _ => Err(type_error("fromisoformat: argument must be str")),
        },
        _ => Err(crate::python::exceptions::attribute_error(format!(
            "type object 'datetime.datetime' has no attribute '{name}'"
        ))),
    }
}

/// Python's format mini-language for f-string fields (`{x:>10}`,
/// `{price:.2f}`, `{n:,}`, `{r:%}`).
pub fn format_spec(interp: &mut Interpreter, v: &Value, spec: &str) -> PyResult<String> {
    let chars: Vec<char> = spec.chars().collect();
    let mut i = 0;
    let mut fill = ' ';
    let mut align: Option<char> = None;
    if chars.len() >= 2 && matches!(chars[1], '<' | '>' | '^' | '=') {
        fill = chars[0];
        align = Some(chars[1]);
        i = 2;
    } else if !chars.is_empty() && matches!(chars[0], '<' | '>' | '^' | '=') {
        align = Some(chars[0]);
        i = 1;
    }
    let mut sign = None;
    if i < chars.len() && matches!(chars[i], '+' | '-' | ' ') {
        sign = Some(chars[i]);
        i += 1;
    }
    if i < chars.len() && chars[i] == '0' && align.is_none() {
        fill = '0';
        align = Some('=');
        i += 1;
    }
    let mut width = 0usize;
    while i < chars.len() && chars[i].is_ascii_digit() {
        width = width * 10 + chars[i].to_digit(10).unwrap_or(0) as usize;
        i += 1;
    }
    let mut comma = false;
    if i < chars.len() && (chars[i] == ',' || chars[i] == '_') {
        comma = true;
        i += 1;
    }
    let mut precision = None;
    if i < chars.len() && chars[i] == '.' {
        i += 1;
        let mut p = 0usize;
        while i < chars.len() && chars[i].is_ascii_digit() {
            p = p * 10 + chars[i].to_digit(10).unwrap_or(0) as usize;
            i += 1;
        }
        precision = Some(p);
    }
    let ty = chars.get(i).copied();
    if i + usize::from(ty.is_some()) != chars.len() || width > 10_000 {
        return Err(value_error(format!("Invalid format specifier '{spec}'")));
    }
    let number = |v: &Value| -> Option<f64> {
        match v {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            Value::Bool(b) => Some(*b as i64 as f64),
            _ => None,
        }
    };
    let mut body = match ty {
        Some('f') | Some('F') | Some('e') | Some('%') => {
            let Some(x) = number(v) else {
                return Err(value_error(format!(
                    "Unknown format code '{}' for object of type '{}'",
                    ty.unwrap_or('f'),
                    v.type_name()
                )));
            };
            let p = precision.unwrap_or(6);
            match ty {
                Some('e') => format!("{x:.p$e}"),
                Some('%') => format!("{:.p$}%", x * 100.0),
                _ => format!("{x:.p$}"),
            }
        }
        Some(code @ ('x' | 'X' | 'o' | 'b')) => match v {
            Value::Int(i) => match code {
                'x' => format!("{i:x}"),
                'X' => format!("{i:X}"),
                'o' => format!("{i:o}"),
                _ => format!("{i:b}"),
            },
            other => {
                return Err(value_error(format!(
                    "Unknown format code '{code}' for object of type '{}'",
                    other.type_name()
                )));
            }
        },
        Some('d') => match v {
            Value::Int(i) => i.to_string(),
            Value::Bool(b) => (*b as i64).to_string(),
            other => {
                return Err(value_error(format!(
                    "Unknown format code 'd' for object of type '{}'",
                    other.type_name()
                )));
            }
        },
        Some('s') | None => match (v, precision) {
            (Value::Float(f), Some(p)) => format!("{f:.p$}"),
            (Value::Str(s), Some(p)) => s.chars().take(p).collect(),
            _ => interp.to_str(v)?,
        },
        Some(other) => {
            return Err(value_error(format!(
                "Unknown format code '{other}' for object of type '{}'",
                v.type_name()
            )));
        }
    };
    if comma
        && let Some((int_part, rest)) = body
            .split_once('.')
            .map(|(a, b)| (a.to_string(), format!(".{b}")))
            .or_else(|| Some((body.clone(), String::new())))
    {
        let neg = int_part.starts_with('-');
        let digits: Vec<char> = int_part.trim_start_matches('-').chars().collect();
        let mut grouped = String::new();
        for (k, c) in digits.iter().enumerate() {
            if k > 0 && (digits.len() - k).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(*c);
        }
        body = format!("{}{}{}", if neg { "-" } else { "" }, grouped, rest);
    }
    if sign == Some('+') && number(v).is_some_and(|x| x >= 0.0) {
        body = format!("+{body}");
    }
    let len = body.chars().count();
    if len >= width {
        return Ok(body);
    }
    let pad = width - len;
    let is_num = number(v).is_some() && !matches!(v, Value::Bool(_));
    let align = align.unwrap_or(if is_num { '>' } else { '<' });
    let fill_str = |n: usize| fill.to_string().repeat(n);
    Ok(match align {
        '<' => format!("{body}{}", fill_str(pad)),
        '^' => format!("{}{body}{}", fill_str(pad / 2), fill_str(pad - pad / 2)),
        '=' if body.starts_with('-') || body.starts_with('+') => {
            let (s, rest) = body.split_at(1);
            format!("{s}{}{rest}", fill_str(pad))
        }
        _ => format!("{}{body}", fill_str(pad)),
    })
}
