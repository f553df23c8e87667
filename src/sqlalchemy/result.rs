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
        name: "yield_per",
        params: &["num"],
        // `Result.yield_per(num)`: the result itself, fetching `num` rows
        // at a time (`fetchmany()`, `partitions()`).
        call: |_, r, b| {
            let n = size_arg(b.required("num")?)?;
            r.borrow_mut().yield_per = Some(n.max(1));
            Ok(this(r))
        },
    },
    Method {
        name: "partitions",
        params: &["size="],
        // `Result.partitions(size)`: a generator of lists of rows.
        call: |_, r, b| {
            // As SQLAlchemy's `itertools.islice(rows, size)`.
            let size = match b.given("size") {
                None | Some(Value::None) => None,
                Some(Value::Int(n)) if *n >= 0 => Some(*n as usize),
                Some(_) => {
                    return Err(PyErr::new(
                        crate::python::ExcType::ValueError,
                        "Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize.",
                    ));
                }
            };
            let parts = r.borrow_mut().partitions(size)?;
            Ok(crate::python::iterators::items_iterator("generator", parts))
        },
    },
    Method {
        name: "freeze",
        params: &[],
        // `Result.freeze()`: a `FrozenResult` of the remaining rows.
        call: |_, r, _| {
            let (keys, rows) = r.borrow_mut().freeze()?;
            Ok(Value::native(FrozenResult { keys, rows }))
        },
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
pub const RESULT_PROPERTIES: &[&str] = &["closed", "inserted_primary_key", "rowcount", "t"];

/// A row count argument (`yield_per(num)`, `partitions(size)`).
///
/// Errors: Python's `TypeError` for a value that is not an integer.
fn size_arg(v: &Value) -> PyResult<usize> {
    match v {
        Value::Int(n) => Ok((*n).max(0) as usize),
        other => Err(crate::python::exceptions::type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            other.type_name()
        ))),
    }
}

/// `result.freeze()`'s `FrozenResult`: the rows of a result, kept; calling
/// it gives a new result over them each time, as SQLAlchemy 2.0's
/// `FrozenResult.__call__`.
#[derive(Debug)]
pub struct FrozenResult {
    keys: Rc<[String]>,
    rows: Vec<Vec<Value>>,
}

impl crate::python::PyObject for FrozenResult {
    fn type_name(&self) -> String {
        "FrozenResult".into()
    }
    fn repr(&self) -> String {
        format!(
            "<sqlalchemy.engine.result.FrozenResult object at {}>",
            crate::python::format::address_of(self as *const FrozenResult)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

impl FrozenResult {
    /// `frozen()`: a new `IteratorResult` over the kept rows.
    ///
    /// Errors: Python's `TypeError` when given arguments.
    pub fn call(&self, args: &[Value], kwargs: &[(String, Value)]) -> PyResult<Value> {
        if !args.is_empty() || !kwargs.is_empty() {
            return Err(crate::python::exceptions::type_error(format!(
                "FrozenResult.__call__() takes 1 positional argument but {} were given",
                1 + args.len() + kwargs.len()
            )));
        }
        let mut r = ResultObj::new(self.keys.to_vec(), self.rows.clone(), false);
        r.iterator = true;
        Ok(result_value(r))
    }

    /// `frozen.data`: the kept rows, as a list of tuples.
    pub fn data(&self) -> Value {
        Value::list(self.rows.iter().map(|r| Value::tuple(r.clone())).collect())
    }
}

/// `result.rowcount` and `result.inserted_primary_key`; `None` for a name
/// that is not an attribute.
///
/// Errors: `InvalidRequestError` for `inserted_primary_key` of a result
/// that is not a single-row INSERT's, as SQLAlchemy 2.0's.
pub fn result_attr(r: &ResultRef, name: &str) -> Option<PyResult<Value>> {
    if name == "t" {
        // `Result.t`: the result itself, typed for tuples.
        return Some(Ok(this(r)));
    }
    let r = r.borrow();
    if name == "closed" {
        return Some(Ok(Value::Bool(r.closed)));
    }
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
