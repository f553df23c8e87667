//! Python's iterator protocol for `for` loops and comprehensions.
//!
//! A list is iterated live, as CPython's `listiterator`: each step re-reads
//! the list at the next index, so `for x in xs: xs.remove(x)` visits every
//! other item and leaves `[2, 4]` of `[1, 2, 3, 4]`, and items appended
//! during the loop are visited. An ORM relationship collection
//! (`user.messages`) is a list, so it behaves as SQLAlchemy's
//! `InstrumentedList` does. Dicts and sets are read live too and raise
//! `RuntimeError` when their size changes, as CPython's. Everything else
//! (query results, tuples, strings, rows) is a snapshot taken up front.
//!
//! `list(x)`, `sorted(x)` and friends do not use this: they take a snapshot
//! through [`Vm::iterate_value`].

use std::rc::Rc;

use super::ExcType;
use super::exceptions::{PyErr, PyResult};
use super::value::{ListObj, SetKind, Value};
use super::vm::Vm;
use crate::python::types::dict::DictItems;

/// A running iteration, as `iter(v)` gives.
pub enum PyIter {
    /// A list, read live at `next`.
    List { list: Rc<ListObj>, next: usize },
    /// A dict's keys, read live; `len` is the size when iteration began.
    Dict {
        dict: Rc<DictItems>,
        next: usize,
        len: usize,
    },
    /// A plain set, read live; `len` is the size when iteration began.
    Set {
        set: Rc<ListObj>,
        next: usize,
        len: usize,
    },
    /// A snapshot. The items stay alive until the loop ends, as the rows of
    /// a buffered result do (objects stay in the identity map meanwhile).
    Items { items: Vec<Value>, next: usize },
    /// An iterator object (`map(...)`, a generator), advanced lazily
    /// through [`crate::python::PyObject::next_item`], so a generator's
    /// body runs between the loop's passes.
    Object(Rc<dyn crate::python::PyObject>),
    /// A `range`, one integer at a time.
    Range {
        range: crate::python::types::range::Range,
        next: i64,
    },
}

impl PyIter {
    /// `iter(v)`: live for lists, dicts and sets; a snapshot of
    /// [`Vm::iterate_value`] otherwise (a legacy query runs here). Raises
    /// `TypeError: 'int' object is not iterable` as that does.
    pub fn new(vm: &mut dyn Vm, v: &Value) -> PyResult<PyIter> {
        if let Some(it) = user_iter(vm, v)? {
            return Ok(PyIter::Object(it));
        }
        Ok(match v {
            Value::List(l) => PyIter::List {
                list: l.clone(),
                next: 0,
            },
            Value::Dict(d) => PyIter::Dict {
                dict: d.clone(),
                next: 0,
                len: d.borrow().len(),
            },
            Value::Set(s, SetKind::Plain | SetKind::Frozen) => PyIter::Set {
                set: s.clone(),
                next: 0,
                len: s.items.borrow().len(),
            },
            Value::Native(o) if o.is_iterator() => PyIter::Object(o.clone()),
            Value::Native(o)
                if let Some(r) =
                    crate::python::object::downcast::<crate::python::types::range::Range>(o) =>
            {
                PyIter::Range { range: *r, next: 0 }
            }
            other => PyIter::Items {
                items: vm.iterate_value(other)?,
                next: 0,
            },
        })
    }

    /// The next item, `None` at the end; `RuntimeError` when a dict or set
    /// changed size since iteration began. `vm` runs what an iterator
    /// object computes (a `map`'s function, a generator's body); an
    /// iterator object ending with `StopIteration` (a generator's `return
    /// value`) ends here too, as CPython's `for`.
    pub fn next_value(&mut self, vm: &mut dyn Vm) -> PyResult<Option<Value>> {
        let changed = |what: &str| {
            PyErr::new(
                ExcType::RuntimeError,
                format!("{what} changed size during iteration"),
            )
        };
        Ok(match self {
            PyIter::List { list, next } => {
                let v = list.items.borrow().get(*next).cloned();
                *next += 1;
                v
            }
            PyIter::Dict { dict, next, len } => {
                if dict.borrow().len() != *len {
                    return Err(changed("dictionary"));
                }
                let v = dict.borrow().get(*next).map(|(k, _)| k.clone());
                *next += 1;
                v
            }
            PyIter::Set { set, next, len } => {
                if set.items.borrow().len() != *len {
                    return Err(changed("Set"));
                }
                let v = set.items.borrow().get(*next).cloned();
                *next += 1;
                v
            }
            PyIter::Items { items, next } => {
                let v = items.get(*next).cloned();
                *next += 1;
                v
            }
            PyIter::Range { range, next } => {
                let v = range.get(*next).map(Value::Int);
                *next += 1;
                v
            }
            PyIter::Object(o) => match o.next_item(vm) {
                Err(e) if e.exc == ExcType::StopIteration => None,
                other => other?,
            },
        })
    }
}

/// `iter(v)` for an object of a learner's class: what its `__iter__`
/// returns (a generator, `iter(self.items)`, the object itself when it
/// has `__next__`); `None` for other values and classes without one.
///
/// Errors: `TypeError: iter() returned non-iterator of type 'list'`;
/// what `__iter__` raises.
pub fn user_iter(vm: &mut dyn Vm, v: &Value) -> PyResult<Option<Rc<dyn crate::python::PyObject>>> {
    if !matches!(v, Value::Native(_)) {
        return Ok(None);
    }
    match vm.call_dunder(v, "__iter__", Vec::new())? {
        None => Ok(None),
        Some(Value::Native(o)) if o.is_iterator() => Ok(Some(o)),
        Some(other) => Err(crate::python::exceptions::type_error(format!(
            "iter() returned non-iterator of type '{}'",
            other.type_name()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::format::repr_plain;
    use crate::python::types::testing::FakeVm;
    use std::cell::RefCell;

    fn ints(xs: &[i64]) -> Value {
        Value::list(xs.iter().map(|i| Value::Int(*i)).collect())
    }

    /// `for x in v: body(x)`, collecting what was visited.
    fn run(v: &Value, mut body: impl FnMut(&Value)) -> PyResult<Vec<String>> {
        let vm = &mut FakeVm::default();
        let mut it = PyIter::new(vm, v)?;
        let mut seen = Vec::new();
        while let Some(x) = it.next_value(vm)? {
            seen.push(repr_plain(&x));
            body(&x);
        }
        Ok(seen)
    }

    #[test]
    fn removing_during_a_loop_skips_as_python_does() {
        let xs = ints(&[1, 2, 3, 4]);
        let Value::List(l) = &xs else { unreachable!() };
        let seen = run(&xs, |x| {
            let mut items = l.items.borrow_mut();
            if let Some(i) = items
                .iter()
                .position(|v| crate::python::ops::values_equal(v, x))
            {
                items.remove(i);
            }
        })
        .unwrap();
        assert_eq!(seen, ["1", "3"]);
        assert_eq!(repr_plain(&xs), "[2, 4]");
    }

    #[test]
    fn appending_during_a_loop_is_seen() {
        let xs = ints(&[1, 2]);
        let Value::List(l) = &xs else { unreachable!() };
        let seen = run(&xs, |x| {
            if let Value::Int(i) = x
                && *i < 4
            {
                l.items.borrow_mut().push(Value::Int(i + 2));
            }
        })
        .unwrap();
        assert_eq!(seen, ["1", "2", "3", "4", "5"]);
    }

    #[test]
    fn a_dict_or_set_that_changes_size_raises() {
        let d = Rc::new(RefCell::new(crate::python::value::DictObj::new(vec![(
            Value::Int(1),
            Value::Int(1),
        )])));
        let err = run(&Value::Dict(d.clone()), |_| {
            d.borrow_mut().push((Value::Int(2), Value::Int(2)))
        })
        .unwrap_err();
        assert_eq!(err.message, "dictionary changed size during iteration");
        assert_eq!(err.exc, ExcType::RuntimeError);
        let s = ListObj::new(vec![Value::Int(1)]);
        let err = run(&Value::Set(s.clone(), SetKind::Plain), |_| {
            s.items.borrow_mut().push(Value::Int(2))
        })
        .unwrap_err();
        assert_eq!(err.message, "Set changed size during iteration");
    }

    #[test]
    fn tuples_and_strings_are_snapshots() {
        assert_eq!(
            run(&Value::tuple(vec![Value::Int(1), Value::str("a")]), |_| {}).unwrap(),
            ["1", "'a'"]
        );
        assert_eq!(run(&Value::str("ab"), |_| {}).unwrap(), ["'a'", "'b'"]);
        let err = run(&Value::Int(1), |_| {}).unwrap_err();
        assert_eq!(err.message, "'int' object is not iterable");
    }
}
