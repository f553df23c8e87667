//! Compound selects: `union()`, `union_all()`, `intersect()`,
//! `intersect_all()`, `except_()`, `except_all()` (functions of
//! `sqlalchemy`) and the `Select` methods of the same names, with the
//! methods of SQLAlchemy 2.0's `CompoundSelect` (`order_by`, `limit`,
//! `offset`, `subquery`, `cte`). A compound select is a
//! [`Query`] whose `compound` holds its selects (`orm/query.rs`).

use std::rc::Rc;

use crate::orm::query::Query;
use crate::python::format::repr_plain;
use crate::python::signature::Signature;
use crate::python::vm::Kwargs;
use crate::python::{Bound, ExcType, PyErr, PyResult, Value};
use crate::sql::elements::CompoundKeyword;

use super::method::Method;
use super::query::{COMPILE, LIMIT, OFFSET, ORDER_BY, as_query};

/// The `sqlalchemy` functions this module serves.
pub const COMPOUND_NAMES: &[&str] = &[
    "union",
    "union_all",
    "intersect",
    "intersect_all",
    "except_",
    "except_all",
];

/// Each argument as a select.
///
/// Errors: `ArgumentError` as SQLAlchemy's `coercions.expect(roles.CompoundElementRole, …)`.
fn selects_of(values: &[Value]) -> PyResult<Vec<Query>> {
    values
        .iter()
        .map(|v| match as_query(v) {
            Some(q) if !q.is_legacy() => Ok((*q).clone()),
            _ => Err(PyErr::new(
                ExcType::ArgumentError,
                format!(
                    "SELECT construct for inclusion in a UNION or other set construct expected, got {}.",
                    repr_plain(v)
                ),
            )),
        })
        .collect()
}

/// `union(*selects)`, `union_all(*selects)`, … (one of
/// [`COMPOUND_NAMES`]), as SQLAlchemy 2.0's functions: a `CompoundSelect`.
///
/// Errors: `ArgumentError` for an argument that is not a `select()`;
/// `NotImplementedError` for what [`Query::compound_of`] does not support,
/// and for no selects at all.
pub fn compound_call(name: &str, args: Vec<Value>, kwargs: Kwargs) -> PyResult<Value> {
    let keyword = CompoundKeyword::of_name(name)
        .ok_or_else(|| PyErr::unsupported(format!("the compound select {name}()")))?;
    let name = keyword.name();
    let b = Signature::function(name, &["*selects"]).bind(args, kwargs)?;
    let selects = selects_of(&b.varargs)?;
    if selects.is_empty() {
        return Err(PyErr::unsupported(format!("{name}() with no selects")));
    }
    Ok(Value::native(Query::compound_of(keyword, selects)?))
}

/// `Select.union(*other)`, `Select.union_all(*other)`, …:
/// `union(self, *other)`.
fn union_method(q: &Rc<Query>, b: &Bound, keyword: CompoundKeyword) -> PyResult<Value> {
    let mut selects = vec![(**q).clone()];
    selects.extend(selects_of(&b.varargs)?);
    Ok(Value::native(Query::compound_of(keyword, selects)?))
}

/// `Select.union()`.
pub const SELECT_UNION: Method<Rc<Query>> = Method {
    name: "union",
    params: &["*other"],
    call: |_, q, b| union_method(q, &b, CompoundKeyword::Union),
};

/// `Select.union_all()`.
pub const SELECT_UNION_ALL: Method<Rc<Query>> = Method {
    name: "union_all",
    params: &["*other"],
    call: |_, q, b| union_method(q, &b, CompoundKeyword::UnionAll),
};

/// `Select.intersect()`.
pub const SELECT_INTERSECT: Method<Rc<Query>> = Method {
    name: "intersect",
    params: &["*other"],
    call: |_, q, b| union_method(q, &b, CompoundKeyword::Intersect),
};

/// `Select.intersect_all()`.
pub const SELECT_INTERSECT_ALL: Method<Rc<Query>> = Method {
    name: "intersect_all",
    params: &["*other"],
    call: |_, q, b| union_method(q, &b, CompoundKeyword::IntersectAll),
};

/// `Select.except_()`.
pub const SELECT_EXCEPT: Method<Rc<Query>> = Method {
    name: "except_",
    params: &["*other"],
    call: |_, q, b| union_method(q, &b, CompoundKeyword::Except),
};

/// `Select.except_all()`.
pub const SELECT_EXCEPT_ALL: Method<Rc<Query>> = Method {
    name: "except_all",
    params: &["*other"],
    call: |_, q, b| union_method(q, &b, CompoundKeyword::ExceptAll),
};

/// `CompoundSelect`'s methods, as SQLAlchemy 2.0's (no `where`, `join`,
/// `union`, …: those are `AttributeError`s).
pub static COMPOUND_SELECT: &[Method<Rc<Query>>] = &[
    ORDER_BY,
    LIMIT,
    OFFSET,
    Method {
        name: "subquery",
        params: &["name="],
        call: |_, q, b| super::query::subquery_or_cte(q, &b, false),
    },
    Method {
        name: "cte",
        params: &["name=", "recursive=", "nesting=!"],
        call: |_, q, b| super::query::subquery_or_cte(q, &b, true),
    },
    COMPILE,
];

/// The legacy `Query.union()` and its kin: not supported yet.
fn legacy_compound(name: &str) -> PyResult<Value> {
    Err(PyErr::unsupported(format!(
        "Query.{name}() (use select(...).{name}(...) with session.execute())"
    )))
}

/// The legacy `Query.union()`: `NotImplementedError`.
pub const QUERY_UNION: Method<Rc<Query>> = Method {
    name: "union",
    params: &["*q"],
    call: |_, _, _| legacy_compound("union"),
};

/// The legacy `Query.union_all()`: `NotImplementedError`.
pub const QUERY_UNION_ALL: Method<Rc<Query>> = Method {
    name: "union_all",
    params: &["*q"],
    call: |_, _, _| legacy_compound("union_all"),
};

/// The legacy `Query.intersect()`: `NotImplementedError`.
pub const QUERY_INTERSECT: Method<Rc<Query>> = Method {
    name: "intersect",
    params: &["*q"],
    call: |_, _, _| legacy_compound("intersect"),
};

/// The legacy `Query.intersect_all()`: `NotImplementedError`.
pub const QUERY_INTERSECT_ALL: Method<Rc<Query>> = Method {
    name: "intersect_all",
    params: &["*q"],
    call: |_, _, _| legacy_compound("intersect_all"),
};

/// The legacy `Query.except_()`: `NotImplementedError`.
pub const QUERY_EXCEPT: Method<Rc<Query>> = Method {
    name: "except_",
    params: &["*q"],
    call: |_, _, _| legacy_compound("except_"),
};

/// The legacy `Query.except_all()`: `NotImplementedError`.
pub const QUERY_EXCEPT_ALL: Method<Rc<Query>> = Method {
    name: "except_all",
    params: &["*q"],
    call: |_, _, _| legacy_compound("except_all"),
};
