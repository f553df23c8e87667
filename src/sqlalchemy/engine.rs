//! `sqlalchemy.engine.Engine`'s Python face: the methods and attributes a
//! learner reaches for, with SQLAlchemy 2.0's signatures. Core connections
//! (`engine.connect()`, `engine.begin()`) are not in the tutor yet and say
//! so.

use std::rc::Rc;

use super::objects::Engine;
use crate::python::{PyErr, PyResult, Value};

use super::method::Method;

/// `Engine`'s methods, as SQLAlchemy 2.0 `sqlalchemy.engine.Engine`.
pub static ENGINE: &[Method<Rc<Engine>>] = &[
    Method {
        name: "dispose",
        params: &["close="],
        call: |_, _, _| Ok(Value::None),
    },
    Method {
        name: "connect",
        params: &[],
        call: |_, _, _| Err(PyErr::unsupported("Engine.connect() (Core connections)")),
    },
    Method {
        name: "begin",
        params: &[],
        call: |_, _, _| Err(PyErr::unsupported("Engine.begin() (Core connections)")),
    },
    Method {
        name: "raw_connection",
        params: &[],
        call: |_, _, _| Err(PyErr::unsupported("Engine.raw_connection()")),
    },
];

/// `Engine`'s attributes that are not methods.
pub const ENGINE_PROPERTIES: &[&str] = &["url"];

/// `engine.url` and the other attributes; `None` for a name that is not one.
pub fn engine_attr(_: &Engine, name: &str) -> Option<PyResult<Value>> {
    match name {
        "url" => Some(Ok(Value::str("sqlite://"))),
        _ => None,
    }
}

/// Every public name of an `Engine`, sorted, for completion and hints.
pub fn engine_names() -> Vec<&'static str> {
    let mut v = super::method::names(ENGINE);
    v.extend(ENGINE_PROPERTIES);
    v.sort_unstable();
    v
}
