//! What `inspect(obj)` leads to beyond the `InstanceState` itself:
//! `inspect(obj).attrs` (SQLAlchemy's `ReadOnlyProperties` of
//! `AttributeState`s), each attribute's `.value`, `.loaded_value` and
//! `.history` (the `History` named tuple); and `object_session(obj)` and
//! `with_parent(obj, attr)`, as SQLAlchemy 2.0's `sqlalchemy.orm`.

use std::rc::Rc;

use crate::orm::attributes::{History, get_attribute, history};
use crate::orm::state::{Obj, as_instance};
use crate::python::exceptions::attribute_error;
use crate::python::format::{address_of, repr_plain};
use crate::python::{ExcType, PyErr, PyObject, PyResult, Signature, Value};

use super::objects::InstanceState;

/// `inspect(obj).attrs`: the object's attributes by key.
#[derive(Debug)]
pub struct AttrsView(pub Obj);

/// `inspect(obj).attrs.name`: one attribute of one object.
#[derive(Debug)]
pub struct AttributeState(pub Obj, pub String);

/// `History(added=[…], unchanged=(), deleted=[…])`: a named tuple.
#[derive(Debug)]
pub struct HistoryObj(pub History);

/// `LoaderCallableStatus.NO_VALUE`: `loaded_value` of an unloaded attribute.
#[derive(Debug)]
pub struct NoValue;

impl PyObject for AttrsView {
    fn type_name(&self) -> String {
        "ReadOnlyProperties".into()
    }
    fn repr(&self) -> String {
        format!(
            "<sqlalchemy.util._collections.ReadOnlyProperties object at {}>",
            address_of(self as *const Self)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

impl PyObject for AttributeState {
    fn type_name(&self) -> String {
        "AttributeState".into()
    }
    fn repr(&self) -> String {
        format!(
            "<sqlalchemy.orm.state.AttributeState object at {}>",
            address_of(self as *const Self)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

impl HistoryObj {
    fn part(items: &[Value]) -> Value {
        if items.is_empty() {
            Value::tuple(Vec::new())
        } else {
            Value::list(items.to_vec())
        }
    }

    /// The named tuple's three fields: an empty one is `()`, else a list.
    pub fn as_tuple(&self) -> Value {
        Value::tuple(vec![
            Self::part(&self.0.added),
            Self::part(&self.0.unchanged),
            Self::part(&self.0.deleted),
        ])
    }
}

impl PyObject for HistoryObj {
    fn type_name(&self) -> String {
        "History".into()
    }
    /// `History(added=['Alicia'], unchanged=(), deleted=['Alice'])`.
    fn repr(&self) -> String {
        format!(
            "History(added={}, unchanged={}, deleted={})",
            repr_plain(&Self::part(&self.0.added)),
            repr_plain(&Self::part(&self.0.unchanged)),
            repr_plain(&Self::part(&self.0.deleted))
        )
    }
    /// A tuple for `len()`, indexing, unpacking and `==`.
    fn as_builtin(&self) -> Option<Value> {
        Some(self.as_tuple())
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

impl PyObject for NoValue {
    fn type_name(&self) -> String {
        "LoaderCallableStatus".into()
    }
    fn repr(&self) -> String {
        "<LoaderCallableStatus.NO_VALUE: 4>".into()
    }
    fn truthy(&self) -> bool {
        true
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `obj.name` for the objects of this module (and `InstanceState.attrs`);
/// `None` when `obj` is none of them.
pub fn get_attr(obj: &Value, name: &str) -> Option<PyResult<Value>> {
    if name == "attrs"
        && let Some(s) = obj.downcast::<InstanceState>()
    {
        return Some(Ok(Value::native(AttrsView(s.0.clone()))));
    }
    if let Some(v) = obj.downcast::<AttrsView>() {
        let mapper = v.0.borrow().mapper.clone();
        if mapper.column(name).is_none() && mapper.relationship(name).is_none() {
            return Some(Err(attribute_error(name.to_string())));
        }
        return Some(Ok(Value::native(AttributeState(v.0.clone(), name.into()))));
    }
    if let Some(a) = obj.downcast::<AttributeState>() {
        return Some(match name {
            "key" => Ok(Value::str(&a.1)),
            "value" => get_attribute(&a.0, &a.1),
            "loaded_value" => Ok(a
                .0
                .borrow()
                .dict
                .get(&a.1)
                .cloned()
                .unwrap_or_else(|| Value::native(NoValue))),
            "history" => Ok(Value::native(HistoryObj(history(&a.0, &a.1)))),
            _ => Err(attribute_error(format!(
                "'AttributeState' object has no attribute '{name}'"
            ))),
        });
    }
    if let Some(h) = obj.downcast::<HistoryObj>() {
        return Some(match name {
            "added" => Ok(HistoryObj::part(&h.0.added)),
            "unchanged" => Ok(HistoryObj::part(&h.0.unchanged)),
            "deleted" => Ok(HistoryObj::part(&h.0.deleted)),
            "has_changes" | "empty" | "sum" | "non_added" | "non_deleted" => {
                Ok(Value::Method(Rc::new(crate::python::value::Method {
                    receiver: obj.clone(),
                    name: name.to_string(),
                })))
            }
            _ => Err(attribute_error(format!(
                "'History' object has no attribute '{name}'"
            ))),
        });
    }
    None
}

/// `history.has_changes()`, `.empty()`, `.sum()`, `.non_added()`,
/// `.non_deleted()`, as SQLAlchemy's `History`; `None` for other receivers.
pub fn call_method(receiver: &Value, name: &str, args: &[Value]) -> Option<PyResult<Value>> {
    let h = receiver.downcast::<HistoryObj>()?;
    if !args.is_empty() {
        return Some(Err(PyErr::new(
            ExcType::TypeError,
            format!(
                "History.{name}() takes 1 positional argument but {} were given",
                args.len() + 1
            ),
        )));
    }
    let h = &h.0;
    let cat =
        |parts: &[&Vec<Value>]| Value::list(parts.iter().flat_map(|p| p.iter().cloned()).collect());
    Some(Ok(match name {
        "has_changes" => Value::Bool(!h.added.is_empty() || !h.deleted.is_empty()),
        "empty" => {
            Value::Bool(h.added.is_empty() && h.deleted.is_empty() && h.unchanged.is_empty())
        }
        "sum" => cat(&[&h.added, &h.unchanged, &h.deleted]),
        "non_deleted" => cat(&[&h.added, &h.unchanged]),
        "non_added" => cat(&[&h.unchanged, &h.deleted]),
        _ => return None,
    }))
}

/// `object_session(obj)`: the Session holding `obj`, or `None`.
///
/// Errors: `UnmappedInstanceError` for a value that is not a mapped
/// object, as SQLAlchemy's.
pub fn object_session(args: Vec<Value>, kwargs: Vec<(String, Value)>) -> PyResult<Value> {
    let b = Signature::function("object_session", &["instance"]).bind(args, kwargs)?;
    let v = b.required("instance")?;
    let Some(o) = as_instance(v) else {
        return Err(super::session::unmapped_instance_error(v));
    };
    let id = o.borrow().session;
    Ok(match id.and_then(crate::orm::session::session_by_id) {
        Some(s) => Value::Native(s),
        None => Value::None,
    })
}

/// `make_transient(instance)` and `make_transient_to_detached(instance)`
/// (`name` says which): see [`crate::orm::session::make_transient`] and
/// [`crate::orm::session::make_transient_to_detached`]; both return `None`.
///
/// Errors: for a value that is not a mapped object, the `AttributeError`
/// SQLAlchemy's `instance_state()` raises (`'int' object has no attribute
/// '_sa_instance_state'`); `InvalidRequestError` from
/// `make_transient_to_detached` for an object that is not transient.
pub fn make_transient(
    name: &'static str,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<Value> {
    let b = Signature::function(name, &["instance"]).bind(args, kwargs)?;
    let v = b.required("instance")?;
    let Some(o) = as_instance(v) else {
        return Err(PyErr::new(
            ExcType::AttributeError,
            format!(
                "'{}' object has no attribute '_sa_instance_state'",
                v.type_name()
            ),
        ));
    };
    if name == "make_transient" {
        crate::orm::session::make_transient(&o);
    } else {
        crate::orm::session::make_transient_to_detached(&o)?;
    }
    Ok(Value::None)
}

/// `with_parent(instance, prop)`: see [`crate::orm::util::with_parent`].
///
/// Errors: `ArgumentError` for a non-attribute or a non-instance, as
/// SQLAlchemy's.
pub fn with_parent(args: Vec<Value>, kwargs: Vec<(String, Value)>) -> PyResult<Value> {
    let b = Signature::function("with_parent", &["instance", "prop", "from_entity=!"])
        .bind(args, kwargs)?;
    let v = b.required("instance")?;
    let Some(o) = as_instance(v) else {
        let prop = match b
            .required("prop")?
            .downcast::<crate::orm::mapper::AttrRef>()
        {
            Some(a) => a.qualified_name(),
            None => "the relationship".into(),
        };
        return Err(PyErr::new(
            ExcType::ArgumentError,
            format!(
                "Mapped instance expected for relationship comparison to object.   Classes, queries and other SQL elements are not accepted in this context; for comparison with a subquery, use {prop}.has(**criteria)."
            ),
        ));
    };
    let Some(attr) = b
        .required("prop")?
        .downcast::<crate::orm::mapper::AttrRef>()
    else {
        return Err(PyErr::new(
            ExcType::ArgumentError,
            format!(
                "with_parent() takes a relationship attribute such as User.messages, got {}",
                repr_plain(b.required("prop")?)
            ),
        ));
    };
    let e = crate::orm::util::with_parent(&o, &attr)?;
    Ok(crate::orm::expression::sql(
        e,
        Some(crate::sql::schema::SqlType::Boolean),
    ))
}
