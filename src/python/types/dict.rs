//! Python's `dict` methods. A dict is its `(key, value)` pairs in insertion
//! order; `keys()`, `values()` and `items()` give lists (the tutor has no
//! view objects).

use std::cell::RefCell;

use super::BuiltinMethod;
use crate::python::ExcType;
use crate::python::exceptions::{PyErr, PyResult, value_error};
use crate::python::format::repr_plain;
use crate::python::ops;
use crate::python::signature::{ArgStyle, Signature};
use crate::python::value::Value;
use crate::python::vm::Vm;

/// A dict's pairs, as `Value::Dict` holds them.
pub type DictItems = RefCell<crate::python::value::DictObj>;

const KEY_DEFAULT: &[&str] = &["key", "default=", "/"];

/// The methods of `dict`.
pub static DICT_METHODS: &[BuiltinMethod<DictItems>] = &[
    BuiltinMethod {
        name: "clear",
        sig: Signature::builtin("dict.clear", &[], ArgStyle::Exact),
        call: |_, d, _| {
            d.borrow_mut().clear();
            Ok(Value::None)
        },
    },
    BuiltinMethod {
        name: "copy",
        sig: Signature::builtin("dict.copy", &[], ArgStyle::Exact),
        call: |_, d, _| {
            Ok(Value::Dict(std::rc::Rc::new(RefCell::new(
                d.borrow().clone(),
            ))))
        },
    },
    BuiltinMethod {
        name: "get",
        sig: Signature::builtin("dict.get", KEY_DEFAULT, ArgStyle::Expected),
        call: |_, d, b| Ok(lookup(d, &b.value("key")).unwrap_or_else(|| b.value("default"))),
    },
    BuiltinMethod {
        name: "items",
        sig: Signature::builtin("dict.items", &[], ArgStyle::Exact),
        call: |_, d, _| {
            let items = d
                .borrow()
                .iter()
                .map(|(k, v)| Value::tuple(vec![k.clone(), v.clone()]))
                .collect();
            Ok(Value::list(items))
        },
    },
    BuiltinMethod {
        name: "keys",
        sig: Signature::builtin("dict.keys", &[], ArgStyle::Exact),
        call: |_, d, _| {
            Ok(Value::list(
                d.borrow().iter().map(|(k, _)| k.clone()).collect(),
            ))
        },
    },
    BuiltinMethod {
        name: "pop",
        sig: Signature::builtin("dict.pop", KEY_DEFAULT, ArgStyle::Expected),
        call: |_, d, b| {
            let k = b.value("key");
            let pos = d.borrow().position(&k);
            match pos {
                Some(i) => Ok(d.borrow_mut().remove(i).1),
                None => b
                    .get("default")
                    .cloned()
                    .ok_or_else(|| PyErr::new(ExcType::KeyError, repr_plain(&k))),
            }
        },
    },
    BuiltinMethod {
        name: "popitem",
        sig: Signature::builtin("dict.popitem", &[], ArgStyle::Exact),
        call: |_, d, _| {
            let last = d.borrow_mut().pop();
            match last {
                Some((k, v)) => Ok(Value::tuple(vec![k, v])),
                None => Err(PyErr::new(
                    ExcType::KeyError,
                    "'popitem(): dictionary is empty'",
                )),
            }
        },
    },
    BuiltinMethod {
        name: "setdefault",
        sig: Signature::builtin("dict.setdefault", KEY_DEFAULT, ArgStyle::Expected),
        call: |_, d, b| {
            let k = b.value("key");
            if let Some(v) = lookup(d, &k) {
                return Ok(v);
            }
            let v = b.value("default");
            d.borrow_mut().push((k, v.clone()));
            Ok(v)
        },
    },
    BuiltinMethod {
        name: "update",
        sig: Signature::builtin(
            "dict.update",
            &["other=", "/", "**kwargs"],
            ArgStyle::Expected,
        ),
        call: |vm, d, b| {
            let mut pairs = match b.get("other") {
                Some(other) => pairs_of(vm, other)?,
                None => Vec::new(),
            };
            pairs.extend(b.varkw.iter().map(|(k, v)| (Value::str(k), v.clone())));
            for (k, v) in pairs {
                set_item(d, k, v);
            }
            Ok(Value::None)
        },
    },
    BuiltinMethod {
        name: "values",
        sig: Signature::builtin("dict.values", &[], ArgStyle::Exact),
        call: |_, d, _| {
            Ok(Value::list(
                d.borrow().iter().map(|(_, v)| v.clone()).collect(),
            ))
        },
    },
];

/// `dict.fromkeys(iterable, value=None)`: a new dict with each item as a
/// key, all bound to `value`.
pub fn from_keys(
    vm: &mut dyn Vm,
    args: Vec<Value>,
    kwargs: crate::python::vm::Kwargs,
) -> PyResult<Value> {
    let b = Signature::builtin("fromkeys", &["iterable", "value=", "/"], ArgStyle::Expected)
        .bind(args, kwargs)?;
    let value = b.get("value").cloned().unwrap_or(Value::None);
    let d = RefCell::new(crate::python::value::DictObj::default());
    for k in vm.iterate_value(&b.value("iterable"))? {
        set_item(&d, k, value.clone());
    }
    Ok(Value::Dict(std::rc::Rc::new(d)))
}

/// `d[k]`, or `None` when missing.
pub fn lookup(d: &DictItems, k: &Value) -> Option<Value> {
    d.borrow().lookup(k).cloned()
}

/// `d[k] = v`: replaces in place, or appends a new key.
pub fn set_item(d: &DictItems, k: Value, v: Value) {
    d.borrow_mut().set(k, v);
}

/// The pairs of `dict(x)`/`d.update(x)`: another dict's, or an iterable of
/// two-item sequences.
pub fn pairs_of(vm: &mut dyn Vm, v: &Value) -> PyResult<Vec<(Value, Value)>> {
    if let Value::Dict(other) = v {
        return Ok(other.borrow().to_vec());
    }
    // A read-only mapping (`RowMapping`) gives its own pairs.
    if let Value::Native(n) = v
        && let Some(d @ Value::Dict(_)) = n.as_builtin()
    {
        return pairs_of(vm, &d);
    }
    let mut pairs = Vec::new();
    for (i, item) in vm.iterate_value(v)?.into_iter().enumerate() {
        let kv = ops::sequence_items(&item).unwrap_or_default();
        if kv.len() != 2 {
            return Err(value_error(format!(
                "dictionary update sequence element #{i} has length {}; 2 is required",
                kv.len()
            )));
        }
        pairs.push((kv[0].clone(), kv[1].clone()));
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{FakeVm, call};
    use crate::python::value::Value;

    #[test]
    fn methods_and_errors_are_pythons() {
        let vm = &mut FakeVm::default();
        let d = crate::python::value::DictObj::value(vec![(Value::str("a"), Value::Int(1))]);
        assert_eq!(
            call(vm, &d, "get", vec![Value::str("b"), Value::Int(0)], vec![]),
            "0"
        );
        assert_eq!(
            call(vm, &d, "update", vec![], vec![("b".into(), Value::Int(2))]),
            "None"
        );
        assert_eq!(
            call(vm, &d, "items", vec![], vec![]),
            "[('a', 1), ('b', 2)]"
        );
        assert_eq!(
            call(vm, &d, "pop", vec![Value::str("z")], vec![]),
            "KeyError: 'z'"
        );
        assert_eq!(
            call(vm, &d, "get", vec![], vec![]),
            "TypeError: get expected at least 1 argument, got 0"
        );
        assert_eq!(
            call(vm, &d, "get", vec![Value::Int(1); 3], vec![]),
            "TypeError: get expected at most 2 arguments, got 3"
        );
        assert_eq!(
            call(vm, &d, "keys", vec![Value::Int(1)], vec![]),
            "TypeError: dict.keys() takes no arguments (1 given)"
        );
        assert_eq!(
            call(vm, &d, "update", vec![Value::Int(1); 2], vec![]),
            "TypeError: update expected at most 1 argument, got 2"
        );
        assert_eq!(
            call(vm, &d, "get", vec![], vec![("key".into(), Value::Int(1))]),
            "TypeError: dict.get() takes no keyword arguments"
        );
    }
}
