//! Python's `set` methods. A set is a list of distinct items (by `==`), in
//! insertion order.

use super::BuiltinMethod;
use crate::python::ExcType;
use crate::python::exceptions::{PyErr, PyResult};
use crate::python::format::repr_plain;
use crate::python::ops;
use crate::python::signature::{ArgStyle, Signature};
use crate::python::value::{ListObj, SetKind, Value};
use crate::python::vm::Vm;

const fn one(name: &'static str) -> Signature {
    Signature::builtin(name, &["object", "/"], ArgStyle::Exact)
}

const fn others(name: &'static str) -> Signature {
    Signature::builtin(name, &["*others"], ArgStyle::Takes)
}

/// The methods of `set` that `frozenset` has too (those that change
/// nothing).
pub const FROZENSET_METHODS: &[&str] = &[
    "copy",
    "difference",
    "intersection",
    "isdisjoint",
    "issubset",
    "issuperset",
    "symmetric_difference",
    "union",
];

/// The methods of `set`.
pub static SET_METHODS: &[BuiltinMethod<ListObj>] = &[
    BuiltinMethod {
        name: "add",
        sig: Signature::builtin("set.add", &["object", "/"], ArgStyle::Exact),
        call: |_, s, b| {
            insert(s, b.value("object"));
            Ok(Value::None)
        },
    },
    BuiltinMethod {
        name: "clear",
        sig: Signature::builtin("set.clear", &[], ArgStyle::Exact),
        call: |_, s, _| {
            s.items.borrow_mut().clear();
            Ok(Value::None)
        },
    },
    BuiltinMethod {
        name: "copy",
        sig: Signature::builtin("set.copy", &[], ArgStyle::Exact),
        call: |_, s, _| Ok(new_set(s.items.borrow().clone())),
    },
    BuiltinMethod {
        name: "difference",
        sig: others("set.difference"),
        call: |vm, s, b| {
            let drop = all_items(vm, &b.varargs)?;
            let keep = s
                .items
                .borrow()
                .iter()
                .filter(|x| !drop.iter().any(|d| ops::values_equal(x, d)))
                .cloned()
                .collect();
            Ok(new_set(keep))
        },
    },
    BuiltinMethod {
        name: "discard",
        sig: one("set.discard"),
        call: |_, s, b| {
            remove(s, &b.value("object"));
            Ok(Value::None)
        },
    },
    BuiltinMethod {
        name: "intersection",
        sig: others("set.intersection"),
        call: |vm, s, b| {
            let mut keep = s.items.borrow().clone();
            for other in &b.varargs {
                let items = vm.iterate_value(other)?;
                keep.retain(|x| items.iter().any(|i| ops::values_equal(x, i)));
            }
            Ok(new_set(keep))
        },
    },
    BuiltinMethod {
        name: "isdisjoint",
        sig: Signature::builtin("set.isdisjoint", &["other", "/"], ArgStyle::Exact),
        call: |vm, s, b| {
            let other = vm.iterate_value(&b.value("other"))?;
            Ok(Value::Bool(
                !s.items
                    .borrow()
                    .iter()
                    .any(|x| other.iter().any(|o| ops::values_equal(x, o))),
            ))
        },
    },
    BuiltinMethod {
        name: "issubset",
        sig: Signature::builtin("set.issubset", &["other", "/"], ArgStyle::Exact),
        call: |vm, s, b| {
            let other = vm.iterate_value(&b.value("other"))?;
            Ok(Value::Bool(
                s.items
                    .borrow()
                    .iter()
                    .all(|x| other.iter().any(|o| ops::values_equal(x, o))),
            ))
        },
    },
    BuiltinMethod {
        name: "issuperset",
        sig: Signature::builtin("set.issuperset", &["other", "/"], ArgStyle::Exact),
        call: |vm, s, b| {
            let other = vm.iterate_value(&b.value("other"))?;
            Ok(Value::Bool(other.iter().all(|o| {
                s.items.borrow().iter().any(|x| ops::values_equal(x, o))
            })))
        },
    },
    BuiltinMethod {
        name: "pop",
        sig: Signature::builtin("set.pop", &[], ArgStyle::Exact),
        call: |_, s, _| {
            if s.items.borrow().is_empty() {
                return Err(PyErr::new(ExcType::KeyError, "'pop from an empty set'"));
            }
            Ok(s.items.borrow_mut().remove(0))
        },
    },
    BuiltinMethod {
        name: "remove",
        sig: one("set.remove"),
        call: |_, s, b| {
            let x = b.value("object");
            if remove(s, &x) {
                Ok(Value::None)
            } else {
                Err(PyErr::new(ExcType::KeyError, repr_plain(&x)))
            }
        },
    },
    BuiltinMethod {
        name: "symmetric_difference",
        sig: Signature::builtin("set.symmetric_difference", &["other", "/"], ArgStyle::Exact),
        call: |vm, s, b| {
            let other = vm.iterate_value(&b.value("other"))?;
            let mine = s.items.borrow().clone();
            let mut out: Vec<Value> = mine
                .iter()
                .filter(|x| !other.iter().any(|o| ops::values_equal(x, o)))
                .cloned()
                .collect();
            for o in other {
                if !mine.iter().any(|x| ops::values_equal(x, &o))
                    && !out.iter().any(|x| ops::values_equal(x, &o))
                {
                    out.push(o);
                }
            }
            Ok(new_set(out))
        },
    },
    BuiltinMethod {
        name: "union",
        sig: others("set.union"),
        call: |vm, s, b| {
            let out = ListObj::new(s.items.borrow().clone());
            for x in all_items(vm, &b.varargs)? {
                insert(&out, x);
            }
            Ok(Value::Set(out, SetKind::Plain))
        },
    },
    BuiltinMethod {
        name: "update",
        sig: others("set.update"),
        call: |vm, s, b| {
            for x in all_items(vm, &b.varargs)? {
                insert(s, x);
            }
            Ok(Value::None)
        },
    },
];

/// A new plain `set` of `items` (already distinct).
fn new_set(items: Vec<Value>) -> Value {
    Value::Set(ListObj::new(items), SetKind::Plain)
}

/// Adds `x` unless an equal item is there.
pub fn insert(s: &ListObj, x: Value) {
    if !s.items.borrow().iter().any(|i| ops::values_equal(i, &x)) {
        s.items.borrow_mut().push(x);
    }
}

/// Removes the item equal to `x`; false when there is none.
fn remove(s: &ListObj, x: &Value) -> bool {
    let pos = s
        .items
        .borrow()
        .iter()
        .position(|i| ops::values_equal(i, x));
    pos.map(|i| s.items.borrow_mut().remove(i)).is_some()
}

fn all_items(vm: &mut dyn Vm, iterables: &[Value]) -> PyResult<Vec<Value>> {
    let mut out = Vec::new();
    for it in iterables {
        out.extend(vm.iterate_value(it)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{FakeVm, call};
    use super::*;

    #[test]
    fn methods_and_errors_are_pythons() {
        let vm = &mut FakeVm::default();
        let s = new_set(vec![Value::Int(1), Value::Int(2)]);
        assert_eq!(call(vm, &s, "add", vec![Value::Int(1)], vec![]), "None");
        assert_eq!(
            call(
                vm,
                &s,
                "union",
                vec![Value::list(vec![Value::Int(3)])],
                vec![]
            ),
            "{1, 2, 3}"
        );
        assert_eq!(
            call(vm, &s, "remove", vec![Value::Int(9)], vec![]),
            "KeyError: 9"
        );
        assert_eq!(
            call(vm, &s, "add", vec![], vec![]),
            "TypeError: set.add() takes exactly one argument (0 given)"
        );
        assert_eq!(
            call(vm, &s, "union", vec![], vec![("x".into(), Value::Int(1))]),
            "TypeError: set.union() takes no keyword arguments"
        );
        let empty = new_set(vec![]);
        assert_eq!(
            call(vm, &empty, "pop", vec![], vec![]),
            "KeyError: 'pop from an empty set'"
        );
    }
}
