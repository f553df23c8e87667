//! A method table entry: a name, its Python signature and the call. One
//! table per SQLAlchemy type serves dispatch, Tab completion and the
//! "Did you mean" of an `AttributeError` alike, so they cannot drift apart.

use crate::interpreter::Interpreter;
use crate::python::{Bound, PyResult, Signature, Value};

/// One method of a SQLAlchemy type whose receiver is a `T`.
pub struct Method<T: ?Sized + 'static> {
    pub name: &'static str,
    /// The parameters after `self`, in [`Signature`]'s notation.
    pub params: &'static [&'static str],
    pub call: fn(&mut Interpreter, &T, Bound) -> PyResult<Value>,
}

/// Finds `name` in `table`, binds the arguments (raising Python's
/// `TypeError` as `{type_name}.{name}()`) and calls it; `None` when the type
/// has no such method.
pub fn dispatch<T: ?Sized>(
    table: &[Method<T>],
    type_name: &str,
    interp: &mut Interpreter,
    receiver: &T,
    name: &str,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> Option<PyResult<Value>> {
    let m = table.iter().find(|m| m.name == name)?;
    let sig = Signature::method(m.name, m.params);
    Some(
        sig.bind_as(&format!("{type_name}.{name}"), args, kwargs)
            .and_then(|bound| (m.call)(interp, receiver, bound)),
    )
}

/// The method names of a table, for completion and hints.
pub fn names<T: ?Sized>(table: &[Method<T>]) -> Vec<&'static str> {
    table.iter().map(|m| m.name).collect()
}

/// Whether `table` has a method `name`.
pub fn has<T: ?Sized>(table: &[Method<T>], name: &str) -> bool {
    table.iter().any(|m| m.name == name)
}
