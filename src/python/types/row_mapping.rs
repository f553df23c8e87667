//! SQLAlchemy's read-only views of result rows (`sqlalchemy.engine.row`,
//! `sqlalchemy.engine.result`): `RowMapping` (`row._mapping`,
//! `result.mappings()` rows), which prints and compares as a dict;
//! `RMKeyView` (`result.keys()`, `mapping.keys()`), which iterates and
//! compares as a list; and the `ROMappingKeysValuesView` /
//! `ROMappingItemsView` of `mapping.values()` / `mapping.items()`.

use std::rc::Rc;

use crate::python::exceptions::{PyErr, PyResult};
use crate::python::format::repr_plain;
use crate::python::object::{PyObject, downcast};
use crate::python::value::{Row, Value};
use crate::python::{ExcType, Signature};

/// `RowMapping`: a row read by column name (`m["name"]`).
#[derive(Debug)]
pub struct RowMapping(pub Rc<Row>);

/// A view of a `RowMapping` or a result's keys.
#[derive(Debug)]
pub struct MappingView {
    /// `RMKeyView`, `ROMappingKeysValuesView`, `ROMappingItemsView`.
    kind: &'static str,
    /// What it shows in its repr (the key list, or the mapping's dict).
    shown: Value,
    /// What it iterates as: a list.
    items: Value,
}

impl RowMapping {
    fn dict(&self) -> Value {
        super::row::row_dict(&self.0)
    }
}

/// `result.keys()` / `mapping.keys()`: `RMKeyView(['id', 'name'])`.
pub fn key_view(keys: &[String]) -> Value {
    let list = Value::list(keys.iter().map(|k| Value::str(k)).collect());
    Value::native(MappingView {
        kind: "RMKeyView",
        shown: list.clone(),
        items: list,
    })
}

/// A row as a `RowMapping`.
pub fn row_mapping(row: Rc<Row>) -> Value {
    Value::native(RowMapping(row))
}

impl PyObject for RowMapping {
    fn type_name(&self) -> String {
        "RowMapping".into()
    }
    /// As a dict: `{'id': 1, 'name': 'Alice'}`.
    fn repr(&self) -> String {
        repr_plain(&self.dict())
    }
    fn truthy(&self) -> bool {
        !self.0.values.is_empty()
    }
    fn as_builtin(&self) -> Option<Value> {
        Some(self.dict())
    }
    /// `m["name"]`; a key that is not a column raises SQLAlchemy's
    /// `NoSuchColumnError`.
    fn get_item(&self, key: &Value) -> Option<PyResult<Value>> {
        let found = match key {
            Value::Str(s) => self.0.keys.iter().position(|k| **k == **s),
            _ => None,
        };
        Some(match found {
            Some(i) => Ok(self.0.values[i].clone()),
            None => {
                let shown = match key {
                    Value::Str(s) => s.to_string(),
                    other => crate::python::format::str_plain(other),
                };
                Err(PyErr::new(
                    ExcType::NoSuchColumnError,
                    format!("Could not locate column in row for column '{shown}'"),
                ))
            }
        })
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

impl PyObject for MappingView {
    fn type_name(&self) -> String {
        self.kind.into()
    }
    /// `RMKeyView(['id', 'name'])`, `ROMappingItemsView({'id': 1})`.
    fn repr(&self) -> String {
        format!("{}({})", self.kind, repr_plain(&self.shown))
    }
    fn truthy(&self) -> bool {
        crate::python::ops::sequence_items(&self.items).is_some_and(|v| !v.is_empty())
    }
    fn as_builtin(&self) -> Option<Value> {
        Some(self.items.clone())
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// True for the objects of this module.
pub fn is_object(v: &Value) -> bool {
    match v {
        Value::Native(n) => {
            downcast::<RowMapping>(n).is_some() || downcast::<MappingView>(n).is_some()
        }
        _ => false,
    }
}

/// `RowMapping`'s methods.
pub const ROW_MAPPING_METHODS: &[&str] = &["get", "items", "keys", "values"];

/// `RMKeyView`'s methods.
pub const KEY_VIEW_METHODS: &[&str] = &["isdisjoint"];

/// The methods of `v` (one of this module's objects), for `dir()`,
/// completion and attribute errors.
pub fn method_names(v: &Value) -> &'static [&'static str] {
    match v {
        Value::Native(n) if downcast::<RowMapping>(n).is_some() => ROW_MAPPING_METHODS,
        Value::Native(n) if let Some(view) = downcast::<MappingView>(n) => {
            if view.kind == "RMKeyView" {
                KEY_VIEW_METHODS
            } else {
                &[]
            }
        }
        _ => &[],
    }
}

/// `mapping.keys()`, `.values()`, `.items()`, `.get(key, default=None)`;
/// `None` for a name that is not one of them.
///
/// Errors: Python's `TypeError` for arguments that do not fit.
pub fn call_method(
    v: &Value,
    name: &str,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> Option<PyResult<Value>> {
    let Value::Native(n) = v else {
        return None;
    };
    if let Some(view) = downcast::<MappingView>(n) {
        return (name == "isdisjoint" && view.kind == "RMKeyView").then(|| {
            let b = Signature::method("KeysView.isdisjoint", &["other"]).bind(args, kwargs)?;
            let other = b.value("other");
            let mine = crate::python::ops::sequence_items(&view.items).unwrap_or_default();
            for x in crate::python::ops::sequence_items(&other).unwrap_or_default() {
                if mine.iter().any(|m| crate::python::ops::values_equal(m, &x)) {
                    return Ok(Value::Bool(false));
                }
            }
            Ok(Value::Bool(true))
        });
    }
    let m = downcast::<RowMapping>(n)?;
    let row = &m.0;
    let call = || -> PyResult<Value> {
        match name {
            "keys" => {
                Signature::method("RowMapping.keys", &[]).bind(args, kwargs)?;
                Ok(key_view(&row.keys))
            }
            "values" | "items" => {
                Signature::method(
                    if name == "values" {
                        "RowMapping.values"
                    } else {
                        "RowMapping.items"
                    },
                    &[],
                )
                .bind(args, kwargs)?;
                let items = if name == "values" {
                    row.values.clone()
                } else {
                    row.keys
                        .iter()
                        .zip(&row.values)
                        .map(|(k, v)| Value::tuple(vec![Value::str(k), v.clone()]))
                        .collect()
                };
                Ok(Value::native(MappingView {
                    kind: if name == "values" {
                        "ROMappingKeysValuesView"
                    } else {
                        "ROMappingItemsView"
                    },
                    shown: m.dict(),
                    items: Value::list(items),
                }))
            }
            _ => {
                let b =
                    Signature::method("Mapping.get", &["key", "default="]).bind(args, kwargs)?;
                let key = b.value("key");
                Ok(match m.get_item(&key) {
                    Some(Ok(found)) => found,
                    _ => b.get("default").cloned().unwrap_or(Value::None),
                })
            }
        }
    };
    ROW_MAPPING_METHODS.contains(&name).then(call)
}
