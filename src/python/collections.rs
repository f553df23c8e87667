//! Python's `collections`, as CPython 3.11's. `Counter`, `defaultdict` and
//! `OrderedDict` are dicts ([`Value::Dict`]) with a [`DictKind`], so every
//! dict operation works on them; their own behaviour is here: the missing
//! key (`Counter`'s 0, `defaultdict`'s `default_factory()` stored), their
//! reprs, their methods (`most_common`, `elements`, `update` adding counts,
//! `subtract`, `total`; `move_to_end`, `popitem(last=)`), `Counter`
//! arithmetic (`+ - & |`, keeping positive counts) and equality
//! (`OrderedDict`s compare in order, `Counter`s treat a missing key as 0).
//! `deque` ([`Deque`]) and `namedtuple` classes ([`NamedTupleClass`]) and
//! their instances ([`NamedTuple`], a tuple to `len`, `in`, iteration,
//! unpacking, `==` and hashing) are objects of their own.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use super::ExcType;
use super::exceptions::{PyErr, PyResult, type_error};
use super::format::{address_of, repr_plain};
use super::object::PyObject;
use super::signature::{ArgStyle, Signature};
use super::types::dict::{DictItems, lookup, pairs_of, set_item};
use super::value::{DictKind, DictObj, Value};
use super::vm::{Kwargs, Vm};

/// A class of `collections` with a constructor of the tutor's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CollectionsClass {
    Counter,
    DefaultDict,
    OrderedDict,
    Deque,
    NamedTuple,
}

impl CollectionsClass {
    fn name(self) -> &'static str {
        match self {
            CollectionsClass::Counter => "Counter",
            CollectionsClass::DefaultDict => "defaultdict",
            CollectionsClass::OrderedDict => "OrderedDict",
            CollectionsClass::Deque => "deque",
            CollectionsClass::NamedTuple => "namedtuple",
        }
    }
}

impl PyObject for CollectionsClass {
    fn type_name(&self) -> String {
        if *self == CollectionsClass::NamedTuple {
            "function".into()
        } else {
            "type".into()
        }
    }
    fn repr(&self) -> String {
        match self {
            CollectionsClass::NamedTuple => {
                format!("<function namedtuple at {}>", address_of(self as *const _))
            }
            CollectionsClass::DefaultDict | CollectionsClass::Deque => {
                format!("<class 'collections.{}'>", self.name())
            }
            _ => format!("<class 'collections.{}'>", self.name()),
        }
    }
    fn instancecheck(&self, v: &Value) -> bool {
        match (self, v) {
            (CollectionsClass::Counter, Value::Dict(d)) => {
                matches!(d.borrow().kind, DictKind::Counter)
            }
            (CollectionsClass::DefaultDict, Value::Dict(d)) => {
                matches!(d.borrow().kind, DictKind::DefaultDict(_))
            }
            (CollectionsClass::OrderedDict, Value::Dict(d)) => {
                matches!(d.borrow().kind, DictKind::OrderedDict)
            }
            (CollectionsClass::Deque, v) => v.downcast::<Deque>().is_some(),
            _ => false,
        }
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `collections.NAME`, when the tutor has it.
pub fn module_value(name: &str) -> Option<Value> {
    Some(Value::native(match name {
        "Counter" => CollectionsClass::Counter,
        "defaultdict" => CollectionsClass::DefaultDict,
        "OrderedDict" => CollectionsClass::OrderedDict,
        "deque" => CollectionsClass::Deque,
        "namedtuple" => CollectionsClass::NamedTuple,
        _ => return None,
    }))
}

fn dict_of(kind: DictKind) -> Rc<DictItems> {
    let mut d = DictObj::default();
    d.kind = kind;
    Rc::new(RefCell::new(d))
}

/// The name a dict's type prints as (`Counter`, `defaultdict`, …).
pub fn kind_name(kind: &DictKind) -> &'static str {
    match kind {
        DictKind::Plain => "dict",
        DictKind::Counter => "Counter",
        DictKind::OrderedDict => "OrderedDict",
        DictKind::DefaultDict(_) => "defaultdict",
    }
}

fn add(a: &Value, b: &Value) -> PyResult<Value> {
    super::ops::binary_op(crate::language::ast::BinOp::Add, a, b)
}

fn sub(a: &Value, b: &Value) -> PyResult<Value> {
    super::ops::binary_op(crate::language::ast::BinOp::Sub, a, b)
}

fn positive(v: &Value) -> PyResult<bool> {
    Ok(super::ops::compare_values(v, &Value::Int(0), ">")?.is_gt())
}

/// `Counter.update(iterable)` (`sign` 1) or `subtract(iterable)` (-1): a
/// mapping's counts added, an iterable's elements counted.
fn count_into(vm: &mut dyn Vm, d: &DictItems, source: &Value, sign: i64) -> PyResult<()> {
    if let Value::Dict(m) = source {
        let pairs = m.borrow().to_vec();
        let empty = d.borrow().is_empty();
        for (k, n) in pairs {
            let new = match lookup(d, &k) {
                Some(old) if sign > 0 => add(&old, &n)?,
                Some(old) => sub(&old, &n)?,
                None if sign > 0 && empty => n,
                None if sign > 0 => add(&Value::Int(0), &n)?,
                None => sub(&Value::Int(0), &n)?,
            };
            set_item(d, k, new);
        }
        return Ok(());
    }
    for item in vm.iterate_value(source)? {
        let old = lookup(d, &item).unwrap_or(Value::Int(0));
        set_item(d, item, add(&old, &Value::Int(sign))?);
    }
    Ok(())
}

fn count_kwargs(d: &DictItems, kwargs: &Kwargs, sign: i64) -> PyResult<()> {
    for (k, n) in kwargs {
        let key = Value::str(k);
        let old = lookup(d, &key).unwrap_or(Value::Int(0));
        let new = if sign > 0 {
            add(&old, n)?
        } else {
            sub(&old, n)?
        };
        set_item(d, key, new);
    }
    Ok(())
}

/// The pairs of a `Counter`, most common first (a stable sort on the
/// counts, as `sorted(…, key=itemgetter(1), reverse=True)`).
pub fn most_common(d: &DictObj) -> PyResult<Vec<(Value, Value)>> {
    let mut pairs = d.to_vec();
    let mut err = None;
    pairs.sort_by(|a, b| match super::ops::compare_values(&b.1, &a.1, "<") {
        Ok(o) => o,
        Err(e) => {
            err.get_or_insert(e);
            std::cmp::Ordering::Equal
        }
    });
    match err {
        Some(e) => Err(e),
        None => Ok(pairs),
    }
}

/// `repr()` of a dict of a [`DictKind`] other than `Plain`, given the
/// repr of a plain dict of the same pairs (`{'a': 1}`) and of the items as
/// a list of tuples; `None` for a plain dict.
pub fn dict_repr(
    d: &DictObj,
    repr: &mut dyn FnMut(&Value) -> PyResult<String>,
) -> Option<PyResult<String>> {
    let pairs_repr = |pairs: &[(Value, Value)],
                      repr: &mut dyn FnMut(&Value) -> PyResult<String>|
     -> PyResult<String> {
        let mut parts = Vec::with_capacity(pairs.len());
        for (k, v) in pairs {
            parts.push(format!("{}: {}", repr(k)?, repr(v)?));
        }
        Ok(format!("{{{}}}", parts.join(", ")))
    };
    let r = match &d.kind {
        DictKind::Plain => return None,
        DictKind::Counter if d.is_empty() => Ok("Counter()".to_string()),
        DictKind::Counter => {
            let pairs = most_common(d).unwrap_or_else(|_| d.to_vec());
            pairs_repr(&pairs, repr).map(|s| format!("Counter({s})"))
        }
        DictKind::OrderedDict if d.is_empty() => Ok("OrderedDict()".to_string()),
        DictKind::OrderedDict => {
            let mut parts = Vec::with_capacity(d.len());
            let mut ok = Ok(());
            for (k, v) in d.iter() {
                match (repr(k), repr(v)) {
                    (Ok(k), Ok(v)) => parts.push(format!("({k}, {v})")),
                    (Err(e), _) | (_, Err(e)) => {
                        ok = Err(e);
                        break;
                    }
                }
            }
            ok.map(|()| format!("OrderedDict([{}])", parts.join(", ")))
        }
        DictKind::DefaultDict(factory) => {
            let f = match factory {
                Value::None => Ok("None".to_string()),
                f => repr(f),
            };
            f.and_then(|f| pairs_repr(d, repr).map(|s| format!("defaultdict({f}, {s})")))
        }
    };
    Some(r)
}

/// `d[key]` for a key `d` lacks: `Counter`'s 0, `defaultdict`'s
/// `default_factory()` (stored under the key); `None` for other dicts
/// (a `KeyError`). A `defaultdict` without a factory raises `KeyError`.
pub fn missing(vm: &mut dyn Vm, d: &DictItems, key: &Value) -> Option<PyResult<Value>> {
    let kind = d.borrow().kind.clone();
    match kind {
        DictKind::Counter => Some(Ok(Value::Int(0))),
        DictKind::DefaultDict(Value::None) => None,
        DictKind::DefaultDict(factory) => Some(
            vm.call_value(&factory, Vec::new(), Vec::new())
                .inspect(|v| {
                    set_item(d, key.clone(), v.clone());
                }),
        ),
        _ => None,
    }
}

/// `==` between two dicts when one has a [`DictKind`] with its own rule:
/// two `OrderedDict`s compare in order; two `Counter`s treat missing keys
/// as 0 (Python 3.10+). `None`: compare as plain dicts.
pub fn dict_equal(x: &DictObj, y: &DictObj, eq: &dyn Fn(&Value, &Value) -> bool) -> Option<bool> {
    match (&x.kind, &y.kind) {
        (DictKind::OrderedDict, DictKind::OrderedDict) => Some(
            x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|((k1, v1), (k2, v2))| eq(k1, k2) && eq(v1, v2)),
        ),
        (DictKind::Counter, DictKind::Counter) => {
            let zero = Value::Int(0);
            let one_way = |a: &DictObj, b: &DictObj| {
                a.iter().all(|(k, v)| eq(v, b.lookup(k).unwrap_or(&zero)))
            };
            Some(one_way(x, y) && one_way(y, x))
        }
        _ => None,
    }
}

/// `a + b`, `a - b`, `a | b`, `a & b` on two `Counter`s: a new `Counter`
/// of the positive results, as `Counter.__add__` … (`None`: not both
/// counters, or another operator).
pub fn counter_op(
    op: crate::language::ast::BinOp,
    a: &Rc<DictItems>,
    b: &Rc<DictItems>,
) -> Option<PyResult<Value>> {
    use crate::language::ast::BinOp;
    let both = matches!(a.borrow().kind, DictKind::Counter)
        && matches!(b.borrow().kind, DictKind::Counter);
    if !both || !matches!(op, BinOp::Add | BinOp::Sub | BinOp::BitOr | BinOp::BitAnd) {
        return None;
    }
    let run = || -> PyResult<Value> {
        let (x, y) = (a.borrow().to_vec(), b.borrow().to_vec());
        let out = dict_of(DictKind::Counter);
        let zero = Value::Int(0);
        let other = |pairs: &[(Value, Value)], k: &Value| -> PyResult<Value> {
            for (k2, v) in pairs {
                if super::ops::equal(k, k2)? {
                    return Ok(v.clone());
                }
            }
            Ok(zero.clone())
        };
        for (k, v) in &x {
            let w = other(&y, k)?;
            let r = match op {
                BinOp::Add => add(v, &w)?,
                BinOp::Sub => sub(v, &w)?,
                BinOp::BitOr => {
                    if super::ops::compare_values(v, &w, "<")?.is_lt() {
                        w
                    } else {
                        v.clone()
                    }
                }
                _ => {
                    if super::ops::compare_values(&w, v, "<")?.is_lt() {
                        w
                    } else {
                        v.clone()
                    }
                }
            };
            if positive(&r)? {
                set_item(&out, k.clone(), r);
            }
        }
        if matches!(op, BinOp::Add | BinOp::Sub | BinOp::BitOr) {
            for (k, w) in &y {
                if lookup(&out, k).is_some() || a.borrow().position(k).is_some() {
                    continue;
                }
                let r = match op {
                    BinOp::Sub => sub(&zero, w)?,
                    _ => w.clone(),
                };
                if positive(&r)? {
                    set_item(&out, k.clone(), r);
                }
            }
        }
        Ok(Value::Dict(out))
    };
    Some(run())
}

/// The methods a `Counter`/`OrderedDict` has beyond `dict`'s.
pub fn extra_method_names(kind: &DictKind) -> &'static [&'static str] {
    match kind {
        DictKind::Counter => &["elements", "most_common", "subtract", "total"],
        DictKind::OrderedDict => &["move_to_end"],
        _ => &[],
    }
}

/// `d.name(*args, **kwargs)` for a method a dict of `d`'s kind has of its
/// own (or does its own way: `Counter.update`, `OrderedDict.popitem`);
/// `None` to use `dict`'s.
pub fn dict_method(
    vm: &mut dyn Vm,
    d: &DictItems,
    name: &str,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> Option<PyResult<Value>> {
    let kind = d.borrow().kind.clone();
    let r = match (&kind, name) {
        (DictKind::Counter, "most_common") => (|| {
            let b =
                Signature::builtin("most_common", &["n="], ArgStyle::Takes).bind(args, kwargs)?;
            let mut pairs = most_common(&d.borrow())?;
            if let Some(n) = b.given("n") {
                let n = match n {
                    Value::Int(n) => (*n).max(0) as usize,
                    other => {
                        return Err(type_error(format!(
                            "'{}' object cannot be interpreted as an integer",
                            other.type_name()
                        )));
                    }
                };
                pairs.truncate(n);
            }
            Ok(Value::list(
                pairs
                    .into_iter()
                    .map(|(k, v)| Value::tuple(vec![k, v]))
                    .collect(),
            ))
        })(),
        (DictKind::Counter, "elements") => (|| {
            Signature::builtin("elements", &[], ArgStyle::Exact).bind(args, kwargs)?;
            let mut out = Vec::new();
            for (k, v) in d.borrow().iter() {
                let n = match v {
                    Value::Int(n) => *n,
                    Value::Bool(b) => i64::from(*b),
                    other => {
                        return Err(type_error(format!(
                            "'{}' object cannot be interpreted as an integer",
                            other.type_name()
                        )));
                    }
                };
                for _ in 0..n.max(0) {
                    if out.len() >= super::ops::MAX_LIST_LEN {
                        return Err(PyErr::new(
                            ExcType::MemoryError,
                            "list too large for the tutor",
                        ));
                    }
                    out.push(k.clone());
                }
            }
            Ok(super::iterators::items_iterator("itertools.chain", out))
        })(),
        (DictKind::Counter, "total") => (|| {
            Signature::builtin("total", &[], ArgStyle::Exact).bind(args, kwargs)?;
            let mut t = Value::Int(0);
            for (_, v) in d.borrow().iter() {
                t = add(&t, v)?;
            }
            Ok(t)
        })(),
        (DictKind::Counter, "update" | "subtract") => (|| {
            if args.len() > 1 {
                return Err(type_error(format!(
                    "expected at most 1 arguments, got {}",
                    args.len()
                )));
            }
            let sign = if name == "update" { 1 } else { -1 };
            if let Some(source) = args.first() {
                count_into(vm, d, source, sign)?;
            }
            count_kwargs(d, &kwargs, sign)?;
            Ok(Value::None)
        })(),
        (DictKind::OrderedDict, "move_to_end") => (|| {
            let b = Signature::builtin("move_to_end", &["key", "last="], ArgStyle::Takes)
                .bind(args, kwargs)?;
            let key = b.value("key");
            let last = b.flag("last", true);
            let pos = d.borrow().position(&key);
            let Some(i) = pos else {
                return Err(PyErr::new(ExcType::KeyError, repr_plain(&key)));
            };
            let mut dm = d.borrow_mut();
            let pair = dm.remove(i);
            if last {
                dm.push(pair);
            } else {
                dm.insert(0, pair);
            }
            Ok(Value::None)
        })(),
        (DictKind::OrderedDict, "popitem") => (|| {
            let b =
                Signature::builtin("popitem", &["last="], ArgStyle::Takes).bind(args, kwargs)?;
            let last = b.flag("last", true);
            let mut dm = d.borrow_mut();
            if dm.is_empty() {
                return Err(PyErr::new(ExcType::KeyError, "'dictionary is empty'"));
            }
            let at = if last { dm.len() - 1 } else { 0 };
            let (k, v) = dm.remove(at);
            Ok(Value::tuple(vec![k, v]))
        })(),
        _ => return None,
    };
    Some(r)
}

/// An attribute of a `collections` object that is not a method:
/// `defaultdict.default_factory`, `deque.maxlen`, a namedtuple's fields,
/// `_fields` and `_field_defaults`; `None` when `obj` has none of these.
pub fn get_attr(obj: &Value, name: &str) -> Option<PyResult<Value>> {
    match obj {
        Value::Dict(d) if name == "default_factory" => match &d.borrow().kind {
            DictKind::DefaultDict(f) => Some(Ok(f.clone())),
            _ => None,
        },
        v if let Some(q) = v.downcast::<Deque>()
            && name == "maxlen" =>
        {
            Some(Ok(q.maxlen.map_or(Value::None, |n| Value::Int(n as i64))))
        }
        v if let Some(t) = v.downcast::<NamedTuple>() => {
            if let Some(i) = t.class.fields.iter().position(|f| f == name) {
                return Some(Ok(t.values[i].clone()));
            }
            class_attr(&t.class, name)
        }
        v if let Some(c) = v.downcast::<NamedTupleClass>() => class_attr(&c, name),
        _ => None,
    }
}

fn class_attr(c: &NamedTupleClass, name: &str) -> Option<PyResult<Value>> {
    match name {
        "_fields" => Some(Ok(Value::tuple(
            c.fields.iter().map(|f| Value::str(f)).collect(),
        ))),
        "_field_defaults" => {
            let start = c.fields.len() - c.defaults.len();
            Some(Ok(DictObj::value(
                c.fields[start..]
                    .iter()
                    .zip(c.defaults.iter())
                    .map(|(f, v)| (Value::str(f), v.clone()))
                    .collect(),
            )))
        }
        "__name__" | "__qualname__" => Some(Ok(Value::str(&c.name))),
        _ => None,
    }
}

/// The method names of a deque, a namedtuple instance or class (for
/// `obj.name` giving a bound method).
pub fn method_names(obj: &Value) -> &'static [&'static str] {
    if obj.downcast::<Deque>().is_some() {
        &[
            "append",
            "appendleft",
            "clear",
            "copy",
            "count",
            "extend",
            "extendleft",
            "index",
            "pop",
            "popleft",
            "remove",
            "reverse",
            "rotate",
        ]
    } else if obj.downcast::<NamedTuple>().is_some() {
        &["_asdict", "_replace", "count", "index"]
    } else if obj.downcast::<NamedTupleClass>().is_some() {
        &["_make"]
    } else {
        &[]
    }
}

// ----- deque ----------------------------------------------------------------

/// `collections.deque`: a double-ended queue, bounded by `maxlen` (items
/// fall off the other end).
#[derive(Debug)]
pub struct Deque {
    pub items: RefCell<VecDeque<Value>>,
    pub maxlen: Option<usize>,
}

impl Deque {
    fn push(&self, v: Value, left: bool) -> PyResult<()> {
        let mut q = self.items.borrow_mut();
        if self.maxlen == Some(0) {
            return Ok(());
        }
        if q.len() >= super::ops::MAX_LIST_LEN {
            return Err(PyErr::new(
                ExcType::MemoryError,
                "deque too large for the tutor",
            ));
        }
        if left {
            q.push_front(v);
            if self.maxlen.is_some_and(|m| q.len() > m) {
                q.pop_back();
            }
        } else {
            q.push_back(v);
            if self.maxlen.is_some_and(|m| q.len() > m) {
                q.pop_front();
            }
        }
        Ok(())
    }
}

impl PyObject for Deque {
    fn type_name(&self) -> String {
        "deque".into()
    }
    fn repr(&self) -> String {
        let Ok(q) = self.items.try_borrow() else {
            return "[...]".into();
        };
        let items: Vec<String> = q.iter().map(repr_plain).collect();
        match self.maxlen {
            Some(m) => format!("deque([{}], maxlen={m})", items.join(", ")),
            None => format!("deque([{}])", items.join(", ")),
        }
    }
    fn truthy(&self) -> bool {
        !self.items.borrow().is_empty()
    }
    fn as_builtin(&self) -> Option<Value> {
        Some(Value::list(self.items.borrow().iter().cloned().collect()))
    }
    fn equals(&self, other: &Value) -> Option<bool> {
        match other.downcast::<Deque>() {
            Some(o) => {
                let (a, b) = (self.items.borrow(), o.items.borrow());
                Some(
                    a.len() == b.len()
                        && a.iter()
                            .zip(b.iter())
                            .all(|(x, y)| super::ops::equal(x, y).unwrap_or(false)),
                )
            }
            None => Some(false),
        }
    }
    fn get_item(&self, key: &Value) -> Option<PyResult<Value>> {
        let q = self.items.borrow();
        Some(match key {
            Value::Int(i) => {
                let n = q.len() as i64;
                let j = if *i < 0 { i + n } else { *i };
                if (0..n).contains(&j) {
                    Ok(q[j as usize].clone())
                } else {
                    Err(PyErr::new(ExcType::IndexError, "deque index out of range"))
                }
            }
            other => Err(type_error(format!(
                "sequence index must be integer, not '{}'",
                other.type_name()
            ))),
        })
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `deque.name(*args, **kwargs)`.
pub fn deque_method(
    vm: &mut dyn Vm,
    q: &Deque,
    receiver: &Value,
    name: &str,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<Value> {
    let one = |args: Vec<Value>, kwargs: Kwargs| -> PyResult<Value> {
        let b = Signature::builtin(
            match name {
                "append" => "deque.append",
                "appendleft" => "deque.appendleft",
                "extend" => "deque.extend",
                "extendleft" => "deque.extendleft",
                "count" => "deque.count",
                "remove" => "deque.remove",
                _ => "deque.index",
            },
            &["x", "/"],
            ArgStyle::Exact,
        )
        .bind(args, kwargs)?;
        Ok(b.value("x"))
    };
    let none = |args: Vec<Value>, kwargs: Kwargs, full: &'static str| -> PyResult<()> {
        Signature::builtin(full, &[], ArgStyle::Exact)
            .bind(args, kwargs)
            .map(|_| ())
    };
    match name {
        "append" => q.push(one(args, kwargs)?, false).map(|()| Value::None),
        "appendleft" => q.push(one(args, kwargs)?, true).map(|()| Value::None),
        "extend" | "extendleft" => {
            let src = one(args, kwargs)?;
            let mut it = super::iter::PyIter::new(vm, &src)?;
            while let Some(v) = it.next_value(vm)? {
                vm.count_step()?;
                q.push(v, name == "extendleft")?;
            }
            Ok(Value::None)
        }
        "pop" | "popleft" => {
            none(
                args,
                kwargs,
                if name == "pop" {
                    "deque.pop"
                } else {
                    "deque.popleft"
                },
            )?;
            let mut items = q.items.borrow_mut();
            let v = if name == "pop" {
                items.pop_back()
            } else {
                items.pop_front()
            };
            v.ok_or_else(|| PyErr::new(ExcType::IndexError, "pop from an empty deque"))
        }
        "clear" => {
            none(args, kwargs, "deque.clear")?;
            q.items.borrow_mut().clear();
            Ok(Value::None)
        }
        "reverse" => {
            none(args, kwargs, "deque.reverse")?;
            q.items.borrow_mut().make_contiguous().reverse();
            Ok(Value::None)
        }
        "copy" => {
            none(args, kwargs, "deque.copy")?;
            Ok(Value::native(Deque {
                items: RefCell::new(q.items.borrow().clone()),
                maxlen: q.maxlen,
            }))
        }
        "rotate" => {
            let b = Signature::builtin("deque.rotate", &["n=", "/"], ArgStyle::Expected)
                .bind(args, kwargs)?;
            let n = match b.get("n") {
                None => 1,
                Some(Value::Int(n)) => *n,
                Some(other) => {
                    return Err(type_error(format!(
                        "'{}' object cannot be interpreted as an integer",
                        other.type_name()
                    )));
                }
            };
            let mut items = q.items.borrow_mut();
            let len = items.len() as i64;
            if len > 1 {
                let k = n.rem_euclid(len) as usize;
                items.rotate_right(k);
            }
            Ok(Value::None)
        }
        "count" => {
            let x = one(args, kwargs)?;
            let items: Vec<Value> = q.items.borrow().iter().cloned().collect();
            let mut n = 0;
            for v in &items {
                if super::ops::equal(v, &x)? {
                    n += 1;
                }
            }
            Ok(Value::Int(n))
        }
        "remove" | "index" => {
            let x = one(args, kwargs)?;
            let items: Vec<Value> = q.items.borrow().iter().cloned().collect();
            for (i, v) in items.iter().enumerate() {
                if super::ops::equal(v, &x)? {
                    if name == "remove" {
                        q.items.borrow_mut().remove(i);
                        return Ok(Value::None);
                    }
                    return Ok(Value::Int(i as i64));
                }
            }
            Err(PyErr::new(
                ExcType::ValueError,
                format!("{} is not in deque", repr_plain(&x)),
            ))
        }
        _ => Err(PyErr::new(
            ExcType::AttributeError,
            format!("'deque' object has no attribute '{name}'"),
        ))
        .inspect_err(|_| {
            let _ = receiver;
        }),
    }
}

// ----- namedtuple -----------------------------------------------------------

/// A class `namedtuple(typename, field_names)` made.
#[derive(Debug)]
pub struct NamedTupleClass {
    pub name: String,
    pub fields: Vec<String>,
    /// The defaults of the last fields.
    pub defaults: Vec<Value>,
}

impl PyObject for NamedTupleClass {
    fn type_name(&self) -> String {
        "type".into()
    }
    fn repr(&self) -> String {
        format!("<class '__main__.{}'>", self.name)
    }
    fn instancecheck(&self, v: &Value) -> bool {
        v.downcast::<NamedTuple>()
            .is_some_and(|t| std::ptr::eq(Rc::as_ptr(&t.class), self))
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// An instance of a [`NamedTupleClass`]: a tuple with named fields.
#[derive(Debug)]
pub struct NamedTuple {
    pub class: Rc<NamedTupleClass>,
    pub values: Rc<[Value]>,
}

impl PyObject for NamedTuple {
    fn type_name(&self) -> String {
        self.class.name.clone()
    }
    fn repr(&self) -> String {
        let parts: Vec<String> = self
            .class
            .fields
            .iter()
            .zip(self.values.iter())
            .map(|(f, v)| format!("{f}={}", repr_plain(v)))
            .collect();
        format!("{}({})", self.class.name, parts.join(", "))
    }
    fn truthy(&self) -> bool {
        !self.values.is_empty()
    }
    fn class_of(&self) -> Option<Value> {
        Some(Value::Native(self.class.clone()))
    }
    fn as_builtin(&self) -> Option<Value> {
        Some(Value::Tuple(self.values.clone()))
    }
    fn equals(&self, other: &Value) -> Option<bool> {
        let mine = Value::Tuple(self.values.clone());
        let other = match other.downcast::<NamedTuple>() {
            Some(o) => Value::Tuple(o.values.clone()),
            None => other.clone(),
        };
        super::ops::equal(&mine, &other).ok()
    }
    fn hash_key(&self) -> Option<Value> {
        Some(Value::Tuple(self.values.clone()))
    }
    fn get_item(&self, key: &Value) -> Option<PyResult<Value>> {
        let n = self.values.len() as i64;
        Some(match key {
            Value::Int(i) => {
                let j = if *i < 0 { i + n } else { *i };
                if (0..n).contains(&j) {
                    Ok(self.values[j as usize].clone())
                } else {
                    Err(PyErr::new(ExcType::IndexError, "tuple index out of range"))
                }
            }
            _ => return None,
        })
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// `namedtuple(typename, field_names, *, rename=False, defaults=None,
/// module=None)`, with CPython's checks of the names.
fn namedtuple(vm: &mut dyn Vm, args: Vec<Value>, kwargs: Kwargs) -> PyResult<Value> {
    let b = Signature::builtin(
        "namedtuple",
        &[
            "typename",
            "field_names",
            "*",
            "rename=!",
            "defaults=",
            "module=!",
        ],
        ArgStyle::Takes,
    )
    .bind(args, kwargs)?;
    let typename = match b.value("typename") {
        Value::Str(s) => s.to_string(),
        other => {
            return Err(type_error(format!(
                "namedtuple() argument 1 must be str, not {}",
                other.type_name()
            )));
        }
    };
    let fields: Vec<String> = match b.value("field_names") {
        Value::Str(s) => s
            .replace(',', " ")
            .split_whitespace()
            .map(str::to_string)
            .collect(),
        other => {
            let mut out = Vec::new();
            for f in vm.iterate_value(&other)? {
                out.push(vm.str_value(&f)?);
            }
            out
        }
    };
    for name in std::iter::once(&typename).chain(fields.iter()) {
        if !is_identifier(name) || KEYWORDS.contains(&name.as_str()) {
            return Err(PyErr::new(
                ExcType::ValueError,
                if is_identifier(name) {
                    format!(
                        "Type names and field names cannot be a keyword: {}",
                        repr_plain(&Value::str(name))
                    )
                } else {
                    format!(
                        "Type names and field names must be valid identifiers: {}",
                        repr_plain(&Value::str(name))
                    )
                },
            ));
        }
    }
    let mut seen = std::collections::HashSet::new();
    for f in &fields {
        if f.starts_with('_') {
            return Err(PyErr::new(
                ExcType::ValueError,
                format!(
                    "Field names cannot start with an underscore: {}",
                    repr_plain(&Value::str(f))
                ),
            ));
        }
        if !seen.insert(f.clone()) {
            return Err(PyErr::new(
                ExcType::ValueError,
                format!(
                    "Encountered duplicate field name: {}",
                    repr_plain(&Value::str(f))
                ),
            ));
        }
    }
    let defaults = match b.given("defaults") {
        Some(d) => vm.iterate_value(d)?,
        None => Vec::new(),
    };
    if defaults.len() > fields.len() {
        return Err(type_error("Got more default values than field names"));
    }
    Ok(Value::native(NamedTupleClass {
        name: typename,
        fields,
        defaults,
    }))
}

/// `Point(*args, **kwargs)`: the fields bound as a function's parameters.
fn make_namedtuple(
    class: &Rc<NamedTupleClass>,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<Value> {
    let n = class.fields.len();
    let first_default = n - class.defaults.len();
    if args.len() > n {
        return Err(type_error(format!(
            "{}.__new__() takes {} positional argument{} but {} were given",
            class.name,
            n + 1,
            if n == 0 { "" } else { "s" },
            args.len() + 1
        )));
    }
    let mut values: Vec<Option<Value>> = vec![None; n];
    for (i, a) in args.into_iter().enumerate() {
        values[i] = Some(a);
    }
    for (k, v) in kwargs {
        let Some(i) = class.fields.iter().position(|f| *f == k) else {
            return Err(type_error(format!(
                "{}.__new__() got an unexpected keyword argument '{k}'",
                class.name
            )));
        };
        if values[i].is_some() {
            return Err(type_error(format!(
                "{}.__new__() got multiple values for argument '{k}'",
                class.name
            )));
        }
        values[i] = Some(v);
    }
    let mut missing = Vec::new();
    for (i, slot) in values.iter_mut().enumerate() {
        if slot.is_none() {
            if i >= first_default {
                *slot = Some(class.defaults[i - first_default].clone());
            } else {
                missing.push(format!("'{}'", class.fields[i]));
            }
        }
    }
    if !missing.is_empty() {
        let list = match missing.len() {
            1 => missing[0].clone(),
            2 => format!("{} and {}", missing[0], missing[1]),
            _ => {
                let (last, rest) = missing.split_last().unwrap_or((&missing[0], &[]));
                format!("{}, and {last}", rest.join(", "))
            }
        };
        return Err(type_error(format!(
            "{}.__new__() missing {} required positional argument{}: {list}",
            class.name,
            missing.len(),
            if missing.len() == 1 { "" } else { "s" }
        )));
    }
    Ok(Value::native(NamedTuple {
        class: class.clone(),
        values: values
            .into_iter()
            .map(|v| v.unwrap_or(Value::None))
            .collect(),
    }))
}

/// A namedtuple instance's or class's method.
pub fn namedtuple_method(
    vm: &mut dyn Vm,
    receiver: &Value,
    name: &str,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> Option<PyResult<Value>> {
    if let Some(c) = receiver.downcast::<NamedTupleClass>() {
        return match name {
            "_make" => Some((|| {
                let b = Signature::builtin("_make", &["iterable"], ArgStyle::Takes)
                    .bind(args, kwargs)?;
                let items = vm.iterate_value(&b.value("iterable"))?;
                if items.len() != c.fields.len() {
                    return Err(type_error(format!(
                        "Expected {} arguments, got {}",
                        c.fields.len(),
                        items.len()
                    )));
                }
                make_namedtuple(&c, items, Vec::new())
            })()),
            _ => None,
        };
    }
    let t = receiver.downcast::<NamedTuple>()?;
    Some(match name {
        "_asdict" => Signature::builtin("_asdict", &[], ArgStyle::Exact)
            .bind(args, kwargs)
            .map(|_| {
                DictObj::value(
                    t.class
                        .fields
                        .iter()
                        .zip(t.values.iter())
                        .map(|(f, v)| (Value::str(f), v.clone()))
                        .collect(),
                )
            }),
        "_replace" => (|| {
            if !args.is_empty() {
                return Err(type_error(format!(
                    "{}._replace() takes 1 positional argument but {} were given",
                    t.class.name,
                    args.len() + 1
                )));
            }
            let mut values = t.values.to_vec();
            let mut unknown = Vec::new();
            for (k, v) in kwargs {
                match t.class.fields.iter().position(|f| *f == k) {
                    Some(i) => values[i] = v,
                    None => unknown.push(format!("'{k}'")),
                }
            }
            if !unknown.is_empty() {
                return Err(PyErr::new(
                    ExcType::ValueError,
                    format!("Got unexpected field names: [{}]", unknown.join(", ")),
                ));
            }
            Ok(Value::native(NamedTuple {
                class: t.class.clone(),
                values: values.into(),
            }))
        })(),
        "count" | "index" => {
            super::types::call_method(vm, &Value::Tuple(t.values.clone()), name, args, kwargs)
                .unwrap_or_else(|| Err(type_error(format!("no method {name}"))))
        }
        _ => return None,
    })
}

/// Calls one of `collections`' classes (or a namedtuple class).
pub fn call(
    vm: &mut dyn Vm,
    f: &Value,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> Option<PyResult<Value>> {
    if let Some(c) = f.downcast::<NamedTupleClass>() {
        return Some(make_namedtuple(&c, args, kwargs));
    }
    let class = *f.downcast::<CollectionsClass>()?;
    Some(construct(vm, class, args, kwargs))
}

/// True for the values [`call`] calls.
pub fn is_callable(f: &Value) -> bool {
    f.downcast::<NamedTupleClass>().is_some() || f.downcast::<CollectionsClass>().is_some()
}

fn construct(
    vm: &mut dyn Vm,
    class: CollectionsClass,
    mut args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<Value> {
    let fill = |vm: &mut dyn Vm, d: &DictItems, args: &[Value], kwargs: &Kwargs, name: &str| {
        if args.len() > 1 {
            return Err(type_error(format!(
                "{name} expected at most 1 argument, got {}",
                args.len()
            )));
        }
        if let Some(source) = args.first() {
            for (k, v) in pairs_of(vm, source)? {
                set_item(d, k, v);
            }
        }
        for (k, v) in kwargs {
            set_item(d, Value::str(k), v.clone());
        }
        Ok(())
    };
    match class {
        CollectionsClass::Counter => {
            if args.len() > 1 {
                return Err(type_error(format!(
                    "expected at most 1 arguments, got {}",
                    args.len()
                )));
            }
            let d = dict_of(DictKind::Counter);
            if let Some(source) = args.first() {
                count_into(vm, &d, source, 1)?;
            }
            count_kwargs(&d, &kwargs, 1)?;
            Ok(Value::Dict(d))
        }
        CollectionsClass::OrderedDict => {
            let d = dict_of(DictKind::OrderedDict);
            fill(vm, &d, &args, &kwargs, "OrderedDict")?;
            Ok(Value::Dict(d))
        }
        CollectionsClass::DefaultDict => {
            let factory = if args.is_empty() {
                Value::None
            } else {
                args.remove(0)
            };
            if matches!(
                factory,
                Value::Int(_)
                    | Value::Float(_)
                    | Value::Str(_)
                    | Value::List(_)
                    | Value::Tuple(_)
                    | Value::Dict(_)
                    | Value::Bool(_)
            ) {
                return Err(type_error("first argument must be callable or None"));
            }
            let d = dict_of(DictKind::DefaultDict(factory));
            fill(vm, &d, &args, &kwargs, "dict")?;
            Ok(Value::Dict(d))
        }
        CollectionsClass::Deque => {
            let b = Signature::builtin("deque", &["iterable=", "maxlen="], ArgStyle::Takes)
                .bind(args, kwargs)?;
            let maxlen = match b.get("maxlen") {
                None | Some(Value::None) => None,
                Some(Value::Int(n)) if *n >= 0 => Some(*n as usize),
                Some(Value::Int(_)) => {
                    return Err(PyErr::new(
                        ExcType::ValueError,
                        "maxlen must be non-negative",
                    ));
                }
                Some(other) => {
                    return Err(type_error(format!(
                        "an integer is required, not '{}'",
                        other.type_name()
                    )));
                }
            };
            let q = Deque {
                items: RefCell::new(VecDeque::new()),
                maxlen,
            };
            if let Some(src) = b.get("iterable") {
                let mut it = super::iter::PyIter::new(vm, src)?;
                while let Some(v) = it.next_value(vm)? {
                    vm.count_step()?;
                    q.push(v, false)?;
                }
            }
            Ok(Value::native(q))
        }
        CollectionsClass::NamedTuple => namedtuple(vm, args, kwargs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::types::testing::FakeVm;

    #[test]
    fn counter_repr_is_most_common_first_and_missing_is_zero() {
        let mut vm = FakeVm::default();
        let c = construct(
            &mut vm,
            CollectionsClass::Counter,
            vec![Value::str("abracadabra")],
            Vec::new(),
        )
        .expect("Counter");
        assert_eq!(
            repr_plain(&c),
            "Counter({'a': 5, 'b': 2, 'r': 2, 'c': 1, 'd': 1})"
        );
        let Value::Dict(d) = &c else { panic!() };
        assert!(matches!(
            missing(&mut vm, d, &Value::str("z")),
            Some(Ok(Value::Int(0)))
        ));
        assert_eq!(c.type_name(), "Counter");
    }

    #[test]
    fn deque_keeps_maxlen_items() {
        let mut vm = FakeVm::default();
        let q = construct(
            &mut vm,
            CollectionsClass::Deque,
            vec![Value::str("abcd")],
            vec![("maxlen".into(), Value::Int(2))],
        )
        .expect("deque");
        assert_eq!(repr_plain(&q), "deque(['c', 'd'], maxlen=2)");
    }
}
