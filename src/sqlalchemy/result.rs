//! `sqlalchemy.engine.Result` (and `ScalarResult`, `CursorResult`): one
//! method table with SQLAlchemy 2.0's signatures. A result is exhausted by
//! `all()` and iteration, and closed by `first()`, `one()`, `scalar()` and
//! `close()`, as SQLAlchemy's.

use std::cell::RefCell;
use std::rc::Rc;

use crate::orm::result::ResultObj;
use crate::python::{PyErr, PyResult, Value};

use super::method::Method;

/// A `Result` as the tutor holds it.
pub type ResultRef = Rc<RefCell<ResultObj>>;

/// `v` as a `Result`, when it is one.
pub fn as_result(v: &Value) -> Option<ResultRef> {
    v.downcast::<RefCell<ResultObj>>()
}

/// A new `Result` value.
pub fn result_value(r: ResultObj) -> Value {
    Value::native(RefCell::new(r))
}

fn this(r: &ResultRef) -> Value {
    Value::Native(r.clone())
}

/// `Result`'s methods, as SQLAlchemy 2.0 `sqlalchemy.engine.Result`.
pub static RESULT: &[Method<ResultRef>] = &[
    Method {
        name: "all",
        params: &[],
        call: |_, r, _| r.borrow_mut().all(),
    },
    Method {
        name: "fetchall",
        params: &[],
        call: |_, r, _| r.borrow_mut().all(),
    },
    Method {
        name: "first",
        params: &[],
        call: |_, r, _| r.borrow_mut().first(),
    },
    Method {
        name: "fetchone",
        params: &[],
        call: |_, r, _| r.borrow_mut().fetchone(),
    },
    Method {
        name: "fetchmany",
        params: &["size="],
        call: |_, r, b| {
            let size = match b.given("size") {
                Some(Value::Int(n)) => Some((*n).max(0) as usize),
                Some(other) => {
                    return Err(crate::python::exceptions::type_error(format!(
                        "'{}' object cannot be interpreted as an integer",
                        other.type_name()
                    )));
                }
                None => None,
            };
            r.borrow_mut().fetchmany(size)
        },
    },
    Method {
        name: "tuples",
        params: &[],
        // `Result.tuples()` returns the result itself, typed for tuples.
        call: |_, r, _| Ok(this(r)),
    },
    Method {
        name: "mappings",
        params: &[],
        // `Result.mappings()`: a `MappingResult` over the same rows.
        call: |_, r, _| {
            r.borrow_mut().mappings = true;
            Ok(this(r))
        },
    },
    Method {
        name: "columns",
        params: &["*col_expressions"],
        call: |_, r, b| {
            r.borrow_mut().columns(&b.varargs)?;
            Ok(this(r))
        },
    },
    Method {
        name: "one",
        params: &[],
        call: |_, r, _| r.borrow_mut().one(),
    },
    Method {
        name: "one_or_none",
        params: &[],
        call: |_, r, _| r.borrow_mut().one_or_none(),
    },
    Method {
        name: "scalar",
        params: &[],
        call: |_, r, _| r.borrow_mut().scalar(),
    },
    Method {
        name: "scalar_one",
        params: &[],
        call: |_, r, _| r.borrow_mut().scalar_one(),
    },
    Method {
        name: "scalar_one_or_none",
        params: &[],
        call: |_, r, _| r.borrow_mut().scalar_one_or_none(),
    },
    Method {
        name: "scalars",
        params: &["index="],
        call: |_, r, b| {
            if b.given("index")
                .is_some_and(|i| !matches!(i, Value::Int(0)))
            {
                return Err(PyErr::unsupported(
                    "Result.scalars() with an index other than 0",
                ));
            }
            r.borrow_mut().scalars = true;
            Ok(this(r))
        },
    },
    Method {
        name: "unique",
        params: &["strategy=!"],
        call: |_, r, _| {
            r.borrow_mut().unique = true;
            Ok(this(r))
        },
    },
    Method {
        name: "keys",
        params: &[],
        call: |_, r, _| Ok(r.borrow().keys()),
    },
    Method {
        name: "close",
        params: &[],
        call: |_, r, _| {
            r.borrow_mut().close();
            Ok(Value::None)
        },
    },
];

/// Attributes of a `Result` that are not methods.
pub const RESULT_PROPERTIES: &[&str] = &["rowcount", "inserted_primary_key"];

/// `result.rowcount` and `result.inserted_primary_key`; `None` for a name
/// that is not an attribute.
///
/// Errors: `InvalidRequestError` for `inserted_primary_key` of a result
/// that is not a single-row INSERT's, as SQLAlchemy 2.0's.
pub fn result_attr(r: &ResultRef, name: &str) -> Option<PyResult<Value>> {
    let r = r.borrow();
    if !r.cursor {
        // Only a `CursorResult` has them; others raise AttributeError.
        return None;
    }
    match name {
        "rowcount" => Some(Ok(Value::Int(r.rowcount))),
        "inserted_primary_key" => Some(
            r.inserted_primary_key
                .clone()
                .unwrap_or_else(|| Err("Statement is not an insert() expression construct.".into()))
                .map_err(|m| PyErr::new(crate::python::ExcType::InvalidRequestError, m)),
        ),
        _ => None,
    }
}

/// Every public name of a `Result`, sorted, for completion.
pub fn result_names() -> Vec<&'static str> {
    let mut v = super::method::names(RESULT);
    v.extend(RESULT_PROPERTIES);
    v.sort_unstable();
    v
}

/// The Python type name a result's messages use.
pub fn type_name(r: &ResultRef) -> &'static str {
    r.borrow().python_type_name()
}

/// `Result.close()` on a value, for `with` blocks and cleanup (no-op on
/// other values).
pub fn close(v: &Value) -> PyResult<()> {
    if let Some(r) = as_result(v) {
        r.borrow_mut().close();
    }
    Ok(())
}
