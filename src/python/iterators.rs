//! Iterator objects, as CPython's: what `iter()`, `map()`, `filter()` and
//! `reversed()` return — lazy (a `map` calls its function only when the
//! next item is asked for), single-pass, printed as `<map object at 0x…>` —
//! and `next()`. Any [`PyObject`] whose [`PyObject::is_iterator`] is true
//! (a generator, say) works with `next()`, `for` and `list()` alike
//! through [`PyObject::next_item`].

use std::cell::RefCell;
use std::rc::Rc;

use super::ExcType;
use super::builtins::BuiltinFunction;
use super::exceptions::{PyErr, PyResult, type_error};
use super::iter::PyIter;
use super::object::PyObject;
use super::signature::{ArgStyle, Signature};
use super::types::range::Range;
use super::value::{Builtin, Value};
use super::vm::Vm;

/// What an [`Iterator`] draws its items from.
enum Source {
    /// `iter(x)`, `reversed(x)`: the items of `x`.
    Items(PyIter),
    /// `map(func, *iterables)`: `func` of one item of each, up to the
    /// shortest.
    Map { func: Value, sources: Vec<PyIter> },
    /// `filter(func, iterable)`: the items `func` (or, for `None`, truth)
    /// accepts.
    Filter { func: Value, source: PyIter },
    /// `zip(*iterables)`: a tuple of one item of each, up to the shortest.
    Zip(Vec<PyIter>),
    /// `enumerate(iterable, start)`: `(index, item)` pairs.
    Enumerate { source: PyIter, next: i64 },
}

/// A built-in iterator object: `list_iterator`, `map`, `filter`,
/// `list_reverseiterator`, ….
pub struct Iterator {
    type_name: &'static str,
    source: RefCell<Source>,
}

impl std::fmt::Debug for Iterator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<{} object>", self.type_name)
    }
}

impl PyObject for Iterator {
    fn type_name(&self) -> String {
        self.type_name.to_string()
    }

    fn repr(&self) -> String {
        format!(
            "<{} object at {}>",
            self.type_name,
            super::format::address_of(self as *const Iterator)
        )
    }

    fn is_iterator(&self) -> bool {
        true
    }

    fn next_item(&self, vm: &mut dyn Vm) -> PyResult<Option<Value>> {
        // The function a `map` or `filter` calls may advance this same
        // iterator; CPython allows it, the tutor refuses it plainly.
        let Ok(mut source) = self.source.try_borrow_mut() else {
            return Err(PyErr::unsupported(format!(
                "advancing a {} object from inside its own function",
                self.type_name
            )));
        };
        match &mut *source {
            Source::Items(items) => items.next_value(vm),
            Source::Map { func, sources } => {
                let mut args = Vec::with_capacity(sources.len());
                for s in sources.iter_mut() {
                    match s.next_value(vm)? {
                        Some(v) => args.push(v),
                        None => return Ok(None),
                    }
                }
                let func = func.clone();
                vm.call_value(&func, args, Vec::new()).map(Some)
            }
            Source::Zip(sources) => {
                if sources.is_empty() {
                    return Ok(None);
                }
                let mut row = Vec::with_capacity(sources.len());
                for s in sources.iter_mut() {
                    match s.next_value(vm)? {
                        Some(v) => row.push(v),
                        None => return Ok(None),
                    }
                }
                Ok(Some(Value::tuple(row)))
            }
            Source::Enumerate { source, next } => {
                let Some(v) = source.next_value(vm)? else {
                    return Ok(None);
                };
                let i = *next;
                *next = next.saturating_add(1);
                Ok(Some(Value::tuple(vec![Value::Int(i), v])))
            }
            Source::Filter { func, source } => {
                let func = func.clone();
                while let Some(item) = source.next_value(vm)? {
                    let keep = match &func {
                        Value::None => vm.truthy(&item)?,
                        f => {
                            let v = vm.call_value(f, vec![item.clone()], Vec::new())?;
                            vm.truthy(&v)?
                        }
                    };
                    if keep {
                        return Ok(Some(item));
                    }
                }
                Ok(None)
            }
        }
    }

    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

fn iterator(type_name: &'static str, source: Source) -> Value {
    Value::native(Iterator {
        type_name,
        source: RefCell::new(source),
    })
}

/// A new iterator object named `type_name` over `items`, one by one (a
/// `generator` SQLAlchemy returns, say).
pub fn items_iterator(type_name: &'static str, items: Vec<Value>) -> Value {
    iterator(type_name, Source::Items(PyIter::Items { items, next: 0 }))
}

/// `iter(v)`: `v` itself when it is an iterator, else a new iterator over
/// it named as CPython names it (`list_iterator`, `dict_keyiterator`, …).
///
/// Errors: `TypeError: 'int' object is not iterable`.
pub fn iter(vm: &mut dyn Vm, v: &Value) -> PyResult<Value> {
    if let Some(it) = super::iter::user_iter(vm, v)? {
        return Ok(Value::Native(it));
    }
    if let Value::Native(o) = v
        && o.is_iterator()
    {
        return Ok(v.clone());
    }
    let type_name = match v {
        Value::List(_) => "list_iterator",
        Value::Tuple(_) | Value::Row(_) => "tuple_iterator",
        Value::Str(s) if s.is_ascii() => "str_ascii_iterator",
        Value::Str(_) => "str_iterator",
        Value::Dict(_) => "dict_keyiterator",
        Value::Set(..) => "set_iterator",
        v if v.downcast::<Range>().is_some() => "range_iterator",
        _ => "iterator",
    };
    Ok(iterator(type_name, Source::Items(PyIter::new(vm, v)?)))
}

/// A lazy `zip(*iterables)` object.
pub fn zip(vm: &mut dyn Vm, iterables: &[Value]) -> PyResult<Value> {
    let mut sources = Vec::with_capacity(iterables.len());
    for v in iterables {
        sources.push(PyIter::new(vm, v)?);
    }
    Ok(iterator("zip", Source::Zip(sources)))
}

/// A lazy `enumerate(iterable, start)` object.
pub fn enumerate(vm: &mut dyn Vm, iterable: &Value, start: i64) -> PyResult<Value> {
    Ok(iterator(
        "enumerate",
        Source::Enumerate {
            source: PyIter::new(vm, iterable)?,
            next: start,
        },
    ))
}

/// Every remaining item of an iterator object (for `list(it)`, `sorted(it)`).
/// An endless one (`itertools.count()`) stops with `MemoryError` past
/// [`super::ops::MAX_LIST_LEN`] items, as list growth does.
pub fn drain(vm: &mut dyn Vm, it: &Rc<dyn PyObject>) -> PyResult<Vec<Value>> {
    let mut out = Vec::new();
    loop {
        match it.next_item(vm) {
            Ok(Some(_)) if out.len() >= super::ops::MAX_LIST_LEN => {
                return Err(PyErr::new(
                    ExcType::MemoryError,
                    "list too large for the tutor",
                ));
            }
            Ok(Some(v)) => out.push(v),
            Ok(None) => return Ok(out),
            Err(e) if e.exc == ExcType::StopIteration => return Ok(out),
            Err(e) => return Err(e),
        }
    }
}

/// `next(iterator[, default])`.
///
/// Errors: `TypeError: 'list' object is not an iterator`; `StopIteration`
/// at the end when no default is given (a generator's carries its
/// `return` value).
fn next(vm: &mut dyn Vm, it: &Value, default: Option<&Value>) -> PyResult<Value> {
    let Value::Native(o) = it else {
        return Err(not_an_iterator(it));
    };
    if !o.is_iterator() {
        return Err(not_an_iterator(it));
    }
    match (o.next_item(vm), default) {
        (Ok(Some(v)), _) => Ok(v),
        (Ok(None), Some(d)) => Ok(d.clone()),
        (Err(e), Some(d)) if e.exc == ExcType::StopIteration => Ok(d.clone()),
        (Ok(None), None) => Err(PyErr::new(ExcType::StopIteration, "")),
        (Err(e), _) => Err(e),
    }
}

fn not_an_iterator(v: &Value) -> PyErr {
    type_error(format!("'{}' object is not an iterator", v.type_name()))
}

/// `reversed(seq)`: the items of a sequence, last first.
///
/// Errors: `TypeError: 'set' object is not reversible` for sets and
/// numbers; `OverflowError` for a range whose reverse leaves `i64`.
fn reversed(vm: &mut dyn Vm, v: &Value) -> PyResult<Value> {
    if let Some(r) = v.downcast::<Range>() {
        // lazily, as CPython: `range(10**12)` reversed holds no list
        let backwards = r.slice(None, None, Some(Value::Int(-1)))?;
        return Ok(iterator(
            "range_iterator",
            Source::Items(PyIter::new(vm, &backwards)?),
        ));
    }
    let type_name = match v {
        Value::Set(..) | Value::Int(_) | Value::Float(_) | Value::None | Value::Bool(_) => {
            return Err(type_error(format!(
                "'{}' object is not reversible",
                v.type_name()
            )));
        }
        Value::List(_) => "list_reverseiterator",
        Value::Dict(_) => "dict_reversekeyiterator",
        _ => "reversed",
    };
    let mut items = vm.iterate_value(v)?;
    items.reverse();
    let items = PyIter::new(vm, &Value::tuple(items))?;
    Ok(iterator(type_name, Source::Items(items)))
}

/// The built-in functions of this module, looked up with the others in
/// [`super::builtins::BUILTIN_FUNCTIONS`].
pub static ITERATOR_FUNCTIONS: &[BuiltinFunction] = &[
    BuiltinFunction {
        builtin: Builtin::Iter,
        sig: Signature::builtin("iter", &["object", "/"], ArgStyle::Expected),
        call: |vm, b| iter(vm, &b.value("object")),
    },
    BuiltinFunction {
        builtin: Builtin::Next,
        sig: Signature::builtin("next", &["iterator", "default=", "/"], ArgStyle::Expected),
        call: |vm, b| next(vm, &b.value("iterator"), b.get("default")),
    },
    BuiltinFunction {
        builtin: Builtin::Map,
        sig: Signature::builtin("map", &["*args"], ArgStyle::Takes),
        call: |vm, b| {
            let [func, iterables @ ..] = b.varargs.as_slice() else {
                return Err(type_error("map() must have at least two arguments."));
            };
            if iterables.is_empty() {
                return Err(type_error("map() must have at least two arguments."));
            }
            let mut sources = Vec::with_capacity(iterables.len());
            for it in iterables {
                sources.push(PyIter::new(vm, it)?);
            }
            let func = func.clone();
            Ok(iterator("map", Source::Map { func, sources }))
        },
    },
    BuiltinFunction {
        builtin: Builtin::Filter,
        sig: Signature::builtin("filter", &["function", "iterable", "/"], ArgStyle::Expected),
        call: |vm, b| {
            let source = PyIter::new(vm, &b.value("iterable"))?;
            let func = b.value("function");
            Ok(iterator("filter", Source::Filter { func, source }))
        },
    },
    BuiltinFunction {
        builtin: Builtin::Reversed,
        sig: Signature::builtin("reversed", &["sequence", "/"], ArgStyle::Expected),
        call: |vm, b| reversed(vm, &b.value("sequence")),
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::format::repr_plain;
    use crate::python::types::testing::FakeVm;

    fn ints(xs: &[i64]) -> Value {
        Value::list(xs.iter().map(|i| Value::Int(*i)).collect())
    }

    #[test]
    fn next_walks_an_iterator_then_stops() {
        let vm = &mut FakeVm::default();
        let it = iter(vm, &ints(&[1, 2])).unwrap();
        assert!(repr_plain(&it).starts_with("<list_iterator object at 0x"));
        assert_eq!(repr_plain(&next(vm, &it, None).unwrap()), "1");
        assert_eq!(repr_plain(&next(vm, &it, None).unwrap()), "2");
        assert_eq!(
            repr_plain(&next(vm, &it, Some(&Value::Int(9))).unwrap()),
            "9"
        );
        let end = next(vm, &it, None).unwrap_err();
        assert_eq!(
            (end.exc, end.message.as_str()),
            (ExcType::StopIteration, "")
        );
        let err = next(vm, &ints(&[]), None).unwrap_err();
        assert_eq!(err.message, "'list' object is not an iterator");
    }

    #[test]
    fn reversed_is_an_iterator_named_as_cpython_names_it() {
        let vm = &mut FakeVm::default();
        let r = reversed(vm, &ints(&[1, 2, 3])).unwrap();
        assert!(repr_plain(&r).starts_with("<list_reverseiterator object at 0x"));
        let Value::Native(o) = &r else { panic!() };
        let items: Vec<String> = drain(vm, o).unwrap().iter().map(repr_plain).collect();
        assert_eq!(items, ["3", "2", "1"]);
        assert!(drain(vm, o).unwrap().is_empty());
        let err = reversed(vm, &Value::Int(1)).unwrap_err();
        assert_eq!(err.message, "'int' object is not reversible");
    }
}
