//! Python's `list` methods. A relationship collection (`user.messages`) is a
//! list with an `owner`: every change to it also fires SQLAlchemy's
//! collection events through [`Vm::collection_append`] and
//! [`Vm::collection_remove`] (backrefs, cascades, delete-orphan).

use super::{BuiltinMethod, index_arg};
use crate::python::ExcType;
use crate::python::exceptions::{PyErr, PyResult, value_error};
use crate::python::format::repr_plain;
use crate::python::ops;
use crate::python::signature::{ArgStyle, Bound, Signature};
use crate::python::value::{ListObj, Value};
use crate::python::vm::{Kwargs, Vm};

/// `list.sort`'s signature, also what `sorted()`'s keywords are checked
/// against (CPython words them as `sort()`'s).
pub const SORT: Signature =
    Signature::builtin("list.sort", &["*", "key=", "reverse="], ArgStyle::Takes);

/// The methods of `list`.
pub static LIST_METHODS: &[BuiltinMethod<ListObj>] = &[
    BuiltinMethod {
        name: "append",
        sig: Signature::builtin("list.append", &["object", "/"], ArgStyle::Exact),
        call: |vm, l, b| {
            let item = b.value("object");
            if l.owner.is_some() {
                vm.collection_append(l, &item)?;
            }
            l.items_mut().push(item);
            Ok(Value::None)
        },
    },
    BuiltinMethod {
        name: "clear",
        sig: Signature::builtin("list.clear", &[], ArgStyle::Exact),
        call: |vm, l, _| {
            let removed: Vec<Value> = l.items_mut().drain(..).collect();
            if l.owner.is_some() {
                for r in &removed {
                    vm.collection_remove(l, r)?;
                }
            }
            Ok(Value::None)
        },
    },
    BuiltinMethod {
        name: "copy",
        sig: Signature::builtin("list.copy", &[], ArgStyle::Exact),
        call: |_, l, _| Ok(Value::list(l.items.borrow().clone())),
    },
    BuiltinMethod {
        name: "count",
        sig: Signature::builtin("list.count", &["value", "/"], ArgStyle::Exact),
        call: |_, l, b| {
            let x = b.value("value");
            let n = l
                .items
                .borrow()
                .iter()
                .filter(|v| ops::values_equal(v, &x))
                .count();
            Ok(Value::Int(n as i64))
        },
    },
    BuiltinMethod {
        name: "extend",
        sig: Signature::builtin("list.extend", &["iterable", "/"], ArgStyle::Exact),
        call: |vm, l, b| {
            let items = vm.iterate_value(&b.value("iterable"))?;
            // The cap of `l + l`: `l.extend(l)` repeated doubles the list.
            if !items.is_empty()
                && l.items.borrow().len().saturating_add(items.len()) > ops::MAX_LIST_LEN
            {
                return Err(PyErr::new(
                    ExcType::MemoryError,
                    "list too large for the tutor",
                ));
            }
            for item in items {
                if l.owner.is_some() {
                    vm.collection_append(l, &item)?;
                }
                l.items_mut().push(item);
            }
            Ok(Value::None)
        },
    },
    BuiltinMethod {
        name: "index",
        sig: Signature::builtin(
            "list.index",
            &["value", "start=", "stop=", "/"],
            ArgStyle::Expected,
        ),
        call: |_, l, b| {
            let x = b.value("value");
            let items = l.items.borrow();
            let (start, stop) = bounds(&b, items.len())?;
            items[start..stop.max(start)]
                .iter()
                .position(|v| ops::values_equal(v, &x))
                .map(|i| Value::Int((start + i) as i64))
                .ok_or_else(|| value_error(format!("{} is not in list", repr_plain(&x))))
        },
    },
    BuiltinMethod {
        name: "insert",
        sig: Signature::builtin("list.insert", &["index", "object", "/"], ArgStyle::Expected),
        call: |vm, l, b| {
            let len = l.items.borrow().len() as i64;
            let i = index_arg(&b.value("index"))?;
            let i = if i < 0 { (i + len).max(0) } else { i.min(len) } as usize;
            let item = b.value("object");
            if l.owner.is_some() {
                vm.collection_append(l, &item)?;
            }
            l.items_mut().insert(i, item);
            Ok(Value::None)
        },
    },
    BuiltinMethod {
        name: "pop",
        sig: Signature::builtin("list.pop", &["index=", "/"], ArgStyle::Expected),
        call: |vm, l, b| {
            let len = l.items.borrow().len() as i64;
            let i = match b.get("index") {
                Some(v) => index_arg(v)?,
                None => -1,
            };
            if len == 0 {
                return Err(PyErr::new(ExcType::IndexError, "pop from empty list"));
            }
            let i = if i < 0 { i + len } else { i };
            if !(0..len).contains(&i) {
                return Err(PyErr::new(ExcType::IndexError, "pop index out of range"));
            }
            let removed = l.items_mut().remove(i as usize);
            if l.owner.is_some() {
                vm.collection_remove(l, &removed)?;
            }
            Ok(removed)
        },
    },
    BuiltinMethod {
        name: "remove",
        sig: Signature::builtin("list.remove", &["value", "/"], ArgStyle::Exact),
        call: |vm, l, b| {
            let x = b.value("value");
            let pos = l
                .items
                .borrow()
                .iter()
                .position(|v| v.is(&x) || ops::values_equal(v, &x));
            let Some(i) = pos else {
                return Err(value_error("list.remove(x): x not in list"));
            };
            let removed = l.items_mut().remove(i);
            if l.owner.is_some() {
                vm.collection_remove(l, &removed)?;
            }
            Ok(Value::None)
        },
    },
    BuiltinMethod {
        name: "reverse",
        sig: Signature::builtin("list.reverse", &[], ArgStyle::Exact),
        call: |_, l, _| {
            l.items_mut().reverse();
            Ok(Value::None)
        },
    },
    BuiltinMethod {
        name: "sort",
        sig: SORT,
        call: |vm, l, b| sort_bound(vm, l, &b).map(|()| Value::None),
    },
];

/// `start`/`stop` of `list.index`, clamped as CPython clamps them.
fn bounds(b: &Bound, len: usize) -> PyResult<(usize, usize)> {
    let n = len as i64;
    let clamp = |v: Option<&Value>, default: i64| -> PyResult<usize> {
        let i = v.map(index_arg).transpose()?.unwrap_or(default);
        Ok((if i < 0 { (i + n).max(0) } else { i.min(n) }) as usize)
    };
    Ok((clamp(b.get("start"), 0)?, clamp(b.get("stop"), n)?))
}

/// `list.sort(key=..., reverse=...)` with raw keyword arguments (checked
/// against [`SORT`]), as `sorted()` passes them on.
pub fn sort_list(vm: &mut dyn Vm, l: &ListObj, kwargs: Kwargs) -> PyResult<()> {
    let b = SORT.bind(Vec::new(), kwargs)?;
    sort_bound(vm, l, &b)
}

/// Sorts in place, stably, as Python's `list.sort`: `key` is called once
/// per item; comparing unorderable items raises `TypeError`.
fn sort_bound(vm: &mut dyn Vm, l: &ListObj, b: &Bound) -> PyResult<()> {
    let items = l.items.borrow().clone();
    let key = b.given("key").cloned();
    let reverse = b.flag("reverse", false);
    let mut keyed = Vec::with_capacity(items.len());
    for item in items {
        let k = match &key {
            Some(f) => vm.call_value(f, vec![item.clone()], Vec::new())?,
            None => item.clone(),
        };
        keyed.push((k, item));
    }
    let mut error = None;
    if reverse {
        // As CPython: reverse, sort, reverse, so equal items keep their order.
        keyed.reverse();
    }
    keyed.sort_by(|a, b| {
        let ordering = if matches!(a.0, Value::Native(_)) || matches!(b.0, Value::Native(_)) {
            // A learner's class orders by its own `__lt__`, as CPython's
            // sort, which only ever asks `<`.
            match vm.less_than(&a.0, &b.0) {
                Ok(true) => Ok(std::cmp::Ordering::Less),
                Ok(false) => vm.less_than(&b.0, &a.0).map(|gt| {
                    if gt {
                        std::cmp::Ordering::Greater
                    } else {
                        std::cmp::Ordering::Equal
                    }
                }),
                Err(e) => Err(e),
            }
        } else {
            ops::compare_values(&a.0, &b.0, "<")
        };
        ordering.unwrap_or_else(|e| {
            error.get_or_insert(e);
            std::cmp::Ordering::Equal
        })
    });
    if let Some(e) = error {
        return Err(e);
    }
    if reverse {
        keyed.reverse();
    }
    *l.items_mut() = keyed.into_iter().map(|(_, v)| v).collect();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testing::{FakeVm, call};
    use crate::python::value::Value;

    fn ints(xs: &[i64]) -> Value {
        Value::list(xs.iter().map(|i| Value::Int(*i)).collect())
    }

    #[test]
    fn methods_behave_as_python() {
        let vm = &mut FakeVm::default();
        let l = ints(&[3, 1, 2]);
        assert_eq!(call(vm, &l, "append", vec![Value::Int(5)], vec![]), "None");
        assert_eq!(
            call(
                vm,
                &l,
                "insert",
                vec![Value::Int(-1), Value::Int(9)],
                vec![]
            ),
            "None"
        );
        assert_eq!(crate::python::format::repr_plain(&l), "[3, 1, 2, 9, 5]");
        assert_eq!(call(vm, &l, "pop", vec![], vec![]), "5");
        assert_eq!(call(vm, &l, "index", vec![Value::Int(2)], vec![]), "2");
        assert_eq!(
            call(
                vm,
                &l,
                "sort",
                vec![],
                vec![("reverse".into(), Value::Bool(true))]
            ),
            "None"
        );
        assert_eq!(crate::python::format::repr_plain(&l), "[9, 3, 2, 1]");
        assert_eq!(call(vm, &l, "remove", vec![Value::Int(3)], vec![]), "None");
        assert_eq!(crate::python::format::repr_plain(&l), "[9, 2, 1]");
        assert!(vm.events.is_empty(), "a plain list fires no ORM events");
    }

    #[test]
    fn reverse_sort_is_stable_like_pythons() {
        // sorted([(1,'a'),(0,'b'),(1,'c')], key=lambda t: t[0], reverse=True)
        // == [(1, 'a'), (1, 'c'), (0, 'b')] in Python; compare on the ints only.
        let vm = &mut FakeVm::default();
        let l = Value::list(vec![Value::Int(1), Value::Float(1.0), Value::Int(0)]);
        call(
            vm,
            &l,
            "sort",
            vec![],
            vec![("reverse".into(), Value::Bool(true))],
        );
        assert_eq!(crate::python::format::repr_plain(&l), "[1, 1.0, 0]");
    }

    #[test]
    fn argument_errors_are_cpythons() {
        // Each text is what Python 3.11 printed.
        let vm = &mut FakeVm::default();
        let l = ints(&[1]);
        let one = || vec![Value::Int(1)];
        let cases: &[(&str, Vec<Value>, &str)] = &[
            (
                "append",
                vec![],
                "TypeError: list.append() takes exactly one argument (0 given)",
            ),
            (
                "append",
                vec![Value::Int(1); 2],
                "TypeError: list.append() takes exactly one argument (2 given)",
            ),
            (
                "insert",
                one(),
                "TypeError: insert expected 2 arguments, got 1",
            ),
            (
                "pop",
                vec![Value::Int(1); 2],
                "TypeError: pop expected at most 1 argument, got 2",
            ),
            (
                "index",
                vec![],
                "TypeError: index expected at least 1 argument, got 0",
            ),
            (
                "index",
                vec![Value::Int(1); 4],
                "TypeError: index expected at most 3 arguments, got 4",
            ),
            (
                "clear",
                one(),
                "TypeError: list.clear() takes no arguments (1 given)",
            ),
            (
                "sort",
                one(),
                "TypeError: sort() takes no positional arguments",
            ),
            (
                "remove",
                vec![Value::Int(5)],
                "ValueError: list.remove(x): x not in list",
            ),
            ("index", vec![Value::Int(5)], "ValueError: 5 is not in list"),
            (
                "pop",
                vec![Value::Int(5)],
                "IndexError: pop index out of range",
            ),
            (
                "pop",
                vec![Value::str("a")],
                "TypeError: 'str' object cannot be interpreted as an integer",
            ),
        ];
        for (name, args, want) in cases {
            assert_eq!(call(vm, &l, name, args.clone(), vec![]), *want, "{name}");
        }
        let kw = |k: &str| vec![(k.to_string(), Value::Int(1))];
        assert_eq!(
            call(vm, &l, "append", vec![], kw("x")),
            "TypeError: list.append() takes no keyword arguments"
        );
        assert_eq!(
            call(vm, &l, "sort", vec![], kw("foo")),
            "TypeError: 'foo' is an invalid keyword argument for sort()"
        );
        let e = super::super::no_attribute(&l, "apend");
        assert_eq!(e.message, "'list' object has no attribute 'apend'");
        assert_eq!(e.hint.as_deref(), Some("did you mean 'append'?"));
    }
}
