//! The loader option functions of `sqlalchemy.orm` (`joinedload`,
//! `selectinload`, …) and their chained forms
//! (`joinedload(Message.user).joinedload(User.role, innerjoin=True)`), with
//! the keywords SQLAlchemy 2.0 takes.

use std::rc::Rc;

use crate::orm::strategy_options::{InnerJoin, LoaderOption, Strategy};
use crate::python::{ExcType, PyErr, PyResult, Value};

/// `joinedload(attr, innerjoin=True)` and the others: builds the option
/// (chained onto `base` when called as a method of another option).
///
/// Errors: `ArgumentError` for a bad `innerjoin` value; `NotImplementedError`
/// for a keyword SQLAlchemy takes that the tutor does not support yet.
pub fn loader_option(
    strategy: Strategy,
    args: &[Value],
    kwargs: Vec<(String, Value)>,
    base: Option<&LoaderOption>,
) -> PyResult<Value> {
    let mut innerjoin = None;
    let mut strategy = strategy;
    for (k, v) in kwargs {
        match (strategy, k.as_str()) {
            (Strategy::Raise, "sql_only") => {
                if v.truthy() {
                    strategy = Strategy::RaiseOnSql;
                }
            }
            (Strategy::Joined, "innerjoin") => {
                innerjoin = Some(InnerJoin::from_python(&v).ok_or_else(|| {
                    PyErr::new(
                        ExcType::ArgumentError,
                        "innerjoin takes True, False or \"unnested\"",
                    )
                })?);
            }
            _ => {
                return Err(PyErr::unsupported(format!(
                    "the '{k}' argument of {}()",
                    strategy.function_name()
                )));
            }
        }
    }
    if let [Value::Str(s)] = args
        && &**s == "*"
    {
        // `raiseload("*")`: every relationship at this level.
        if strategy == Strategy::Default {
            return Err(PyErr::unsupported("defaultload('*')"));
        }
        let path = base.map(|b| b.path.clone()).unwrap_or_default();
        if base.is_some_and(|b| b.wildcard.is_some()) {
            return Err(PyErr::unsupported("an option chained after a '*' wildcard"));
        }
        return Ok(Value::native(LoaderOption {
            path,
            wildcard: Some(strategy),
        }));
    }
    if base.is_some_and(|b| b.wildcard.is_some()) {
        return Err(PyErr::unsupported("an option chained after a '*' wildcard"));
    }
    let option = crate::interpreter::builtins::loader_option(strategy, args, base)?;
    match (innerjoin, option) {
        (Some(ij), option) => match option.downcast::<LoaderOption>() {
            Some(o) => Ok(Value::native((*o).clone().with_innerjoin(ij))),
            None => Ok(option),
        },
        (_, option) => Ok(option),
    }
}

/// The strategy a loader option method names (`.joinedload(...)`).
pub fn strategy_named(name: &str) -> Option<Strategy> {
    Some(match name {
        "joinedload" => Strategy::Joined,
        "selectinload" => Strategy::Selectin,
        "subqueryload" => Strategy::Subquery,
        "lazyload" => Strategy::Lazy,
        "raiseload" => Strategy::Raise,
        "noload" => Strategy::Noload,
        "defaultload" => Strategy::Default,
        _ => return None,
    })
}

use super::method::Method;

/// A chained loader option's methods (`joinedload(A.b).selectinload(B.c)`),
/// as SQLAlchemy 2.0 `sqlalchemy.orm.Load`.
pub static LOAD: &[Method<Rc<LoaderOption>>] = &[
    Method {
        name: "joinedload",
        params: &["*attrs", "**kw"],
        call: |_, o, b| loader_option(Strategy::Joined, &b.varargs, b.varkw, Some(o)),
    },
    Method {
        name: "selectinload",
        params: &["*attrs", "**kw"],
        call: |_, o, b| loader_option(Strategy::Selectin, &b.varargs, b.varkw, Some(o)),
    },
    Method {
        name: "subqueryload",
        params: &["*attrs", "**kw"],
        call: |_, o, b| loader_option(Strategy::Subquery, &b.varargs, b.varkw, Some(o)),
    },
    Method {
        name: "lazyload",
        params: &["*attrs", "**kw"],
        call: |_, o, b| loader_option(Strategy::Lazy, &b.varargs, b.varkw, Some(o)),
    },
    Method {
        name: "raiseload",
        params: &["*attrs", "**kw"],
        call: |_, o, b| loader_option(Strategy::Raise, &b.varargs, b.varkw, Some(o)),
    },
    Method {
        name: "defaultload",
        params: &["*attrs"],
        call: |_, o, b| loader_option(Strategy::Default, &b.varargs, Vec::new(), Some(o)),
    },
    Method {
        name: "noload",
        params: &["*attrs"],
        call: |_, o, b| loader_option(Strategy::Noload, &b.varargs, Vec::new(), Some(o)),
    },
];
