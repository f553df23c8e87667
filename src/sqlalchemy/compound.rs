//! Compound selects: `union()` / `union_all()` (functions of `sqlalchemy`)
//! and `Select.union()` / `Select.union_all()`, with the methods of
//! SQLAlchemy 2.0's `CompoundSelect` (`order_by`, `limit`, `offset`,
//! `subquery`, `cte`, `union`, `union_all`). A compound select is a
//! [`Query`] whose `compound` holds its selects (`orm/query.rs`).

use std::rc::Rc;

use crate::orm::query::Query;
use crate::python::format::repr_plain;
use crate::python::signature::Signature;
use crate::python::vm::Kwargs;
use crate::python::{Bound, ExcType, PyErr, PyResult, Value};
use crate::sql::elements::CompoundKeyword;

use super::method::Method;
use super::query::{LIMIT, OFFSET, ORDER_BY, as_query};

/// The `sqlalchemy` functions this module serves.
pub const COMPOUND_NAMES: &[&str] = &["union", "union_all"];

fn keyword_of(name: &str) -> CompoundKeyword {
    if name == "union_all" {
        CompoundKeyword::UnionAll
    } else {
        CompoundKeyword::Union
    }
}

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

/// `union(*selects)` / `union_all(*selects)`, as SQLAlchemy 2.0's
/// functions: a `CompoundSelect`.
///
/// Errors: `ArgumentError` for an argument that is not a `select()`;
/// `NotImplementedError` for what [`Query::compound_of`] does not support,
/// and for no selects at all.
pub fn compound_call(name: &str, args: Vec<Value>, kwargs: Kwargs) -> PyResult<Value> {
    let keyword = keyword_of(name);
    let name = if keyword == CompoundKeyword::UnionAll {
        "union_all"
    } else {
        "union"
    };
    let b = Signature::function(name, &["*selects"]).bind(args, kwargs)?;
    let selects = selects_of(&b.varargs)?;
    if selects.is_empty() {
        return Err(PyErr::unsupported(format!("{name}() with no selects")));
    }
    Ok(Value::native(Query::compound_of(keyword, selects)?))
}

/// `Select.union(*other)` / `Select.union_all(*other)` (and the same on a
/// `CompoundSelect`): `union(self, *other)`.
fn union_method(q: &Rc<Query>, b: &Bound, keyword: CompoundKeyword) -> PyResult<Value> {
    let mut selects = vec![(**q).clone()];
    selects.extend(selects_of(&b.varargs)?);
    Ok(Value::native(Query::compound_of(keyword, selects)?))
}

/// `Select.union` and `Select.union_all`, for `Select`'s own table.
pub const UNION: Method<Rc<Query>> = Method {
    name: "union",
    params: &["*other"],
    call: |_, q, b| union_method(q, &b, CompoundKeyword::Union),
};

/// See [`UNION`].
pub const UNION_ALL: Method<Rc<Query>> = Method {
    name: "union_all",
    params: &["*other"],
    call: |_, q, b| union_method(q, &b, CompoundKeyword::UnionAll),
};

/// `CompoundSelect`'s methods, as SQLAlchemy 2.0's (no `where`, `join`, …:
/// those are `AttributeError`s).
pub static COMPOUND_SELECT: &[Method<Rc<Query>>] = &[
    ORDER_BY,
    LIMIT,
    OFFSET,
    UNION,
    UNION_ALL,
    Method {
        name: "subquery",
        params: &["name="],
        call: |_, q, b| super::query::subquery_or_cte(q, &b, false),
    },
    Method {
        name: "cte",
        params: &["name=", "recursive=!", "nesting=!"],
        call: |_, q, b| super::query::subquery_or_cte(q, &b, true),
    },
];
