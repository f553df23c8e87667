//! Python's built-in types' methods, one table per type (`str`, `list`,
//! `dict`, `set`, `tuple`, SQLAlchemy's `Row`, `datetime`, `date`,
//! `timedelta`). A table
//! is the one place a method is named: dispatch ([`call_method`]), the REPL's
//! completion ([`method_names`]) and `AttributeError`'s "did you mean"
//! ([`no_attribute`]) all read it, and each entry's [`Signature`] raises
//! CPython's own `TypeError` for wrong arguments.

pub mod bytes;
pub mod datetime;
pub mod decimal;
pub mod dict;
pub mod list;
pub mod range;
pub mod row;
pub mod row_mapping;
pub mod set;
pub mod strftime;
pub mod string;
pub mod time;
pub mod timedelta;
pub mod tuple;

use super::exceptions::{PyErr, PyResult, attribute_error, did_you_mean, type_error};
use super::signature::{Bound, Signature};
use super::value::{SetKind, Value};
use super::vm::{Kwargs, Vm};

/// One method of a built-in type whose receiver is a `T` (`str`, `ListObj`,
/// …): its name, its signature as CPython reports it, and its body, which
/// gets the arguments already bound.
pub struct BuiltinMethod<T: ?Sized + 'static> {
    pub name: &'static str,
    pub sig: Signature,
    pub call: fn(&mut dyn Vm, &T, Bound) -> PyResult<Value>,
}

/// Looks `name` up in `table`, binds the arguments and calls it; `None` when
/// the table has no such method.
pub fn call_in<T: ?Sized>(
    table: &[BuiltinMethod<T>],
    vm: &mut dyn Vm,
    recv: &T,
    name: &str,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> Option<PyResult<Value>> {
    let m = table.iter().find(|m| m.name == name)?;
    Some(m.sig.bind(args, kwargs).and_then(|b| (m.call)(vm, recv, b)))
}

/// The names in a table, in table order.
pub fn names<T: ?Sized>(table: &[BuiltinMethod<T>]) -> Vec<&'static str> {
    table.iter().map(|m| m.name).collect()
}

/// The methods of `v`'s built-in type, for completion and hints; empty for
/// values whose type has no table here.
pub fn method_names(v: &Value) -> Vec<&'static str> {
    match v {
        Value::Str(_) => names(string::STR_METHODS),
        Value::Bytes(_) => names(bytes::BYTES_METHODS),
        Value::List(_) => names(list::LIST_METHODS),
        Value::Dict(d) => {
            let mut all = names(dict::DICT_METHODS);
            all.extend(crate::python::collections::extra_method_names(
                &d.borrow().kind,
            ));
            all.sort_unstable();
            all
        }
        Value::Set(_, SetKind::Plain) => names(set::SET_METHODS),
        Value::Set(_, SetKind::Frozen) => names(set::SET_METHODS)
            .into_iter()
            .filter(|n| set::FROZENSET_METHODS.contains(n))
            .collect(),
        Value::Tuple(_) => names(tuple::TUPLE_METHODS),
        Value::Row(_) => names(row::ROW_METHODS),
        Value::DateTime(_) => names(datetime::DATETIME_METHODS),
        Value::Date(_) => names(datetime::DATE_METHODS),
        Value::Time(_) => names(time::TIME_METHODS),
        Value::Decimal(_) => names(decimal::DECIMAL_METHODS),
        Value::TimeDelta(_) => names(timedelta::TIMEDELTA_METHODS),
        _ => Vec::new(),
    }
}

/// True when `v`'s built-in type has a method `name`.
pub fn has_method(v: &Value, name: &str) -> bool {
    method_names(v).contains(&name)
}

/// `v.name(*args, **kwargs)` for a built-in type's method. `None` when `v`'s
/// type has no table here; `AttributeError` (with "did you mean") when it has
/// one without `name`.
pub fn call_method(
    vm: &mut dyn Vm,
    v: &Value,
    name: &str,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> Option<PyResult<Value>> {
    let found = match v {
        Value::Str(s) => call_in(string::STR_METHODS, vm, &**s, name, args, kwargs),
        Value::Bytes(b) => call_in(bytes::BYTES_METHODS, vm, &**b, name, args, kwargs),
        Value::List(l) => call_in(list::LIST_METHODS, vm, &**l, name, args, kwargs),
        Value::Dict(d) if !matches!(d.borrow().kind, crate::python::value::DictKind::Plain) => {
            match crate::python::collections::dict_method(vm, d, name, args.clone(), kwargs.clone())
            {
                Some(r) => Some(r),
                None => call_in(dict::DICT_METHODS, vm, &**d, name, args, kwargs),
            }
        }
        Value::Dict(d) => call_in(dict::DICT_METHODS, vm, &**d, name, args, kwargs),
        Value::Set(s, SetKind::Plain) => call_in(set::SET_METHODS, vm, &**s, name, args, kwargs),
        Value::Set(s, SetKind::Frozen) if set::FROZENSET_METHODS.contains(&name) => {
            // `frozenset.union()` … give a frozenset
            call_in(set::SET_METHODS, vm, &**s, name, args, kwargs).map(|r| {
                r.map(|v| match v {
                    Value::Set(items, SetKind::Plain) => Value::Set(items, SetKind::Frozen),
                    other => other,
                })
            })
        }
        Value::Tuple(t) => call_in(tuple::TUPLE_METHODS, vm, &**t, name, args, kwargs),
        Value::Row(r) => call_in(row::ROW_METHODS, vm, &**r, name, args, kwargs),
        Value::DateTime(dt) => call_in(datetime::DATETIME_METHODS, vm, dt, name, args, kwargs),
        Value::Date(d) => call_in(datetime::DATE_METHODS, vm, d, name, args, kwargs),
        Value::Time(t) => call_in(time::TIME_METHODS, vm, t, name, args, kwargs),
        Value::Decimal(d) => call_in(decimal::DECIMAL_METHODS, vm, d, name, args, kwargs),
        Value::TimeDelta(t) => call_in(timedelta::TIMEDELTA_METHODS, vm, t, name, args, kwargs),
        _ => return None,
    };
    Some(found.unwrap_or_else(|| Err(no_attribute(v, name))))
}

/// Python's `AttributeError: 'list' object has no attribute 'apend'`, with
/// a "did you mean 'append'?" hint drawn from the type's table.
pub fn no_attribute(v: &Value, name: &str) -> PyErr {
    let err = attribute_error(format!(
        "'{}' object has no attribute '{name}'",
        v.type_name()
    ));
    match did_you_mean(name, method_names(v)) {
        Some(h) => err.with_hint(format!("did you mean '{h}'?")),
        None => err,
    }
}

/// An argument that must be an `int` (`bool` counts), as CPython's
/// `__index__` check: `'str' object cannot be interpreted as an integer`.
pub fn index_arg(v: &Value) -> PyResult<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(i64::from(*b)),
        Value::BigInt(_) => Err(PyErr::new(
            super::ExcType::OverflowError,
            "Python int too large to convert to C ssize_t",
        )),
        other => Err(type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            other.type_name()
        ))),
    }
}

/// A test double for the interpreter: calls plain built-ins only, records
/// what `print` writes and the collection events.
#[cfg(test)]
pub(crate) mod testing {
    use super::super::exceptions::{PyResult, type_error};
    use super::super::format::repr_plain;
    use super::super::value::{ListObj, Value};
    use super::super::vm::{Kwargs, Vm};

    #[derive(Default)]
    pub struct FakeVm {
        pub stdout: String,
        pub events: Vec<String>,
    }

    impl Vm for FakeVm {
        fn call_value(&mut self, f: &Value, args: Vec<Value>, kwargs: Kwargs) -> PyResult<Value> {
            match f {
                Value::Builtin(b) => crate::python::builtins::call(self, b, args, kwargs)
                    .unwrap_or_else(|| Err(type_error("not callable in tests"))),
                _ => Err(type_error("not callable in tests")),
            }
        }
        fn iterate_value(&mut self, v: &Value) -> PyResult<Vec<Value>> {
            crate::python::ops::sequence_items(v)
                .ok_or_else(|| type_error(format!("'{}' object is not iterable", v.type_name())))
        }
        fn repr_value(&mut self, v: &Value) -> PyResult<String> {
            Ok(repr_plain(v))
        }
        fn str_value(&mut self, v: &Value) -> PyResult<String> {
            Ok(match v {
                Value::Str(s) => s.to_string(),
                other => repr_plain(other),
            })
        }
        fn write_stdout(&mut self, s: &str) {
            self.stdout.push_str(s);
        }
        fn truthy(&mut self, v: &Value) -> PyResult<bool> {
            Ok(v.truthy())
        }
        fn get_attr(&mut self, obj: &Value, name: &str) -> PyResult<Value> {
            Err(super::no_attribute(obj, name))
        }
        fn collection_append(&mut self, _: &ListObj, item: &Value) -> PyResult<()> {
            self.events.push(format!("append {}", repr_plain(item)));
            Ok(())
        }
        fn collection_remove(&mut self, _: &ListObj, item: &Value) -> PyResult<()> {
            self.events.push(format!("remove {}", repr_plain(item)));
            Ok(())
        }
    }

    /// `recv.name(*args)` through the tables, as `Type: message` or the repr.
    pub fn call(vm: &mut FakeVm, recv: &Value, name: &str, args: Vec<Value>, kw: Kwargs) -> String {
        match super::call_method(vm, recv, name, args, kw) {
            Some(Ok(v)) => repr_plain(&v),
            Some(Err(e)) => format!("{}: {}", e.type_name(), e.message),
            None => "no table".into(),
        }
    }
}
