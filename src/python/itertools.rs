//! Python's `itertools`, as CPython 3.11's: every iterator is lazy and
//! single-pass (`count()`, `cycle()` and `repeat()` never end, and only
//! draw what is asked for), printed as `<itertools.chain object at 0x…>`
//! (`count(5)`, `repeat('x', 3)` as CPython prints them). The combinatoric
//! iterators (`product`, `permutations`, `combinations`,
//! `combinations_with_replacement`) read their inputs up front, as CPython
//! does, and step their indices as its C code; `groupby`'s groups stop
//! yielding once the outer iterator moves on. Loops that skip items inside
//! one `next()` (`dropwhile`, `filterfalse`, `islice`) count against the
//! step's loop budget and stop at Ctrl-C. Each constructor is a
//! [`Builtin::Itertools`] with its entry in [`ITERTOOLS_FUNCTIONS`].

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use super::ExcType;
use super::builtins::BuiltinFunction;
use super::exceptions::{PyErr, PyResult, type_error};
use super::format::repr_plain;
use super::iter::PyIter;
use super::object::PyObject;
use super::ops::MAX_LIST_LEN;
use super::signature::{ArgStyle, Bound, Signature};
use super::value::{Builtin, Value};
use super::vm::Vm;

/// Which combinatoric iterator a [`State::Combinatoric`] is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Combinatoric {
    Permutations,
    Combinations,
    WithReplacement,
}

/// The buffer the iterators of one `tee()` share.
struct TeeShared {
    source: PyIter,
    buffer: Vec<Value>,
}

enum State {
    Chain {
        sources: PyIter,
        current: Option<PyIter>,
    },
    Islice {
        source: Option<PyIter>,
        next: usize,
        stop: Option<usize>,
        step: usize,
        count: usize,
    },
    Count {
        next: Value,
        step: Value,
    },
    Cycle {
        source: Option<PyIter>,
        saved: Vec<Value>,
        index: usize,
    },
    Repeat {
        object: Value,
        times: Option<i64>,
    },
    Accumulate {
        source: PyIter,
        func: Option<Value>,
        total: Option<Value>,
        initial: Option<Value>,
    },
    GroupBy {
        source: PyIter,
        key: Option<Value>,
        /// The first item of the next group, with its key.
        pending: Option<(Value, Value)>,
        /// Moved on at each outer `next()`: an older group is spent.
        generation: Rc<Cell<u64>>,
    },
    Grouper {
        items: Vec<Value>,
        next: usize,
        generation: u64,
        current: Rc<Cell<u64>>,
    },
    Product {
        pools: Vec<Vec<Value>>,
        indices: Option<Vec<usize>>,
        done: bool,
    },
    Combinatoric {
        kind: Combinatoric,
        pool: Vec<Value>,
        r: usize,
        indices: Vec<usize>,
        cycles: Vec<usize>,
        started: bool,
        done: bool,
    },
    ZipLongest {
        sources: Vec<Option<PyIter>>,
        fill: Value,
        active: usize,
    },
    StarMap {
        func: Value,
        source: PyIter,
    },
    TakeWhile {
        predicate: Value,
        source: PyIter,
        stopped: bool,
    },
    DropWhile {
        predicate: Value,
        source: PyIter,
        dropping: bool,
    },
    FilterFalse {
        predicate: Value,
        source: PyIter,
    },
    Compress {
        data: PyIter,
        selectors: PyIter,
    },
    Pairwise {
        source: PyIter,
        last: Option<Value>,
    },
    Tee {
        shared: Rc<RefCell<TeeShared>>,
        next: usize,
    },
}

/// An iterator of `itertools` (`chain`, `count`, `groupby`'s `_grouper` …).
pub struct ItertoolsIterator {
    type_name: &'static str,
    state: RefCell<State>,
}

impl std::fmt::Debug for ItertoolsIterator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<itertools.{} object>", self.type_name)
    }
}

impl PyObject for ItertoolsIterator {
    fn type_name(&self) -> String {
        self.type_name.to_string()
    }

    fn repr(&self) -> String {
        if let Ok(state) = self.state.try_borrow() {
            match &*state {
                State::Count { next, step } => {
                    return if matches!(step, Value::Int(1)) {
                        format!("count({})", repr_plain(next))
                    } else {
                        format!("count({}, {})", repr_plain(next), repr_plain(step))
                    };
                }
                State::Repeat { object, times } => {
                    return match times {
                        None => format!("repeat({})", repr_plain(object)),
                        Some(n) => format!("repeat({}, {n})", repr_plain(object)),
                    };
                }
                _ => {}
            }
        }
        format!(
            "<itertools.{} object at {}>",
            self.type_name,
            super::format::address_of(self as *const ItertoolsIterator)
        )
    }

    fn is_iterator(&self) -> bool {
        true
    }

    fn next_item(&self, vm: &mut dyn Vm) -> PyResult<Option<Value>> {
        let Ok(mut state) = self.state.try_borrow_mut() else {
            return Err(PyErr::new(
                ExcType::ValueError,
                format!("{} iterator already executing", self.type_name),
            ));
        };
        next(vm, &mut state)
    }

    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

fn new_iterator(type_name: &'static str, state: State) -> Value {
    Value::native(ItertoolsIterator {
        type_name,
        state: RefCell::new(state),
    })
}

fn too_many() -> PyErr {
    PyErr::new(ExcType::MemoryError, "list too large for the tutor")
}

fn truth(vm: &mut dyn Vm, predicate: &Value, item: &Value) -> PyResult<bool> {
    match predicate {
        Value::None => vm.truthy(item),
        f => {
            let v = vm.call_value(f, vec![item.clone()], Vec::new())?;
            vm.truthy(&v)
        }
    }
}

fn add(vm: &mut dyn Vm, a: &Value, b: &Value) -> PyResult<Value> {
    if let Some(v) = vm.call_dunder(a, "__add__", vec![b.clone()])? {
        return Ok(v);
    }
    super::ops::binary_op(crate::language::ast::BinOp::Add, a, b)
}

fn pick(pool: &[Value], indices: &[usize]) -> Value {
    Value::tuple(indices.iter().map(|i| pool[*i].clone()).collect())
}

/// One step of a combinatoric iterator, as CPython's C code (the
/// equivalents in the `itertools` documentation).
fn combinatoric_next(
    kind: Combinatoric,
    pool: &[Value],
    r: usize,
    indices: &mut Vec<usize>,
    cycles: &mut [usize],
    started: &mut bool,
) -> Option<Value> {
    let n = pool.len();
    if !*started {
        *started = true;
        return match kind {
            Combinatoric::Permutations | Combinatoric::Combinations if r > n => None,
            Combinatoric::WithReplacement if n == 0 && r > 0 => None,
            Combinatoric::Permutations => Some(pick(pool, &indices[..r])),
            _ => Some(pick(pool, indices)),
        };
    }
    match kind {
        Combinatoric::Permutations => {
            if n == 0 {
                return None;
            }
            for i in (0..r).rev() {
                cycles[i] -= 1;
                if cycles[i] == 0 {
                    let moved = indices.remove(i);
                    indices.push(moved);
                    cycles[i] = n - i;
                } else {
                    let j = cycles[i];
                    indices.swap(i, n - j);
                    return Some(pick(pool, &indices[..r]));
                }
            }
            None
        }
        Combinatoric::Combinations => {
            let i = (0..r).rev().find(|&i| indices[i] != i + n - r)?;
            indices[i] += 1;
            for j in i + 1..r {
                indices[j] = indices[j - 1] + 1;
            }
            Some(pick(pool, indices))
        }
        Combinatoric::WithReplacement => {
            let i = (0..r).rev().find(|&i| indices[i] != n - 1)?;
            let v = indices[i] + 1;
            for slot in &mut indices[i..] {
                *slot = v;
            }
            Some(pick(pool, indices))
        }
    }
}

fn next(vm: &mut dyn Vm, state: &mut State) -> PyResult<Option<Value>> {
    match state {
        State::Chain { sources, current } => loop {
            if let Some(c) = current {
                if let Some(v) = c.next_value(vm)? {
                    return Ok(Some(v));
                }
                *current = None;
            }
            match sources.next_value(vm)? {
                Some(iterable) => *current = Some(PyIter::new(vm, &iterable)?),
                None => return Ok(None),
            }
        },
        State::Islice {
            source,
            next,
            stop,
            step,
            count,
        } => {
            let Some(it) = source else { return Ok(None) };
            while *count < *next {
                vm.count_step()?;
                if it.next_value(vm)?.is_none() {
                    *source = None;
                    return Ok(None);
                }
                *count += 1;
            }
            if stop.is_some_and(|s| *count >= s) {
                *source = None;
                return Ok(None);
            }
            let Some(item) = it.next_value(vm)? else {
                *source = None;
                return Ok(None);
            };
            *count += 1;
            let old = *next;
            *next = next.saturating_add(*step);
            if *next < old || stop.is_some_and(|s| *next > s) {
                *next = stop.unwrap_or(usize::MAX);
            }
            Ok(Some(item))
        }
        State::Count { next, step } => {
            let v = next.clone();
            *next = add(vm, &v, &step.clone())?;
            Ok(Some(v))
        }
        State::Cycle {
            source,
            saved,
            index,
        } => {
            if let Some(it) = source {
                match it.next_value(vm)? {
                    Some(v) => {
                        if saved.len() >= MAX_LIST_LEN {
                            return Err(too_many());
                        }
                        saved.push(v.clone());
                        return Ok(Some(v));
                    }
                    None => *source = None,
                }
            }
            if saved.is_empty() {
                return Ok(None);
            }
            let v = saved[*index % saved.len()].clone();
            *index = (*index + 1) % saved.len();
            Ok(Some(v))
        }
        State::Repeat { object, times } => match times {
            None => Ok(Some(object.clone())),
            Some(n) if *n > 0 => {
                *n -= 1;
                Ok(Some(object.clone()))
            }
            Some(_) => Ok(None),
        },
        State::Accumulate {
            source,
            func,
            total,
            initial,
        } => {
            if let Some(first) = initial.take() {
                *total = Some(first.clone());
                return Ok(Some(first));
            }
            let Some(item) = source.next_value(vm)? else {
                return Ok(None);
            };
            let new = match (total.take(), &func) {
                (None, _) => item,
                (Some(t), Some(f)) => vm.call_value(&f.clone(), vec![t, item], Vec::new())?,
                (Some(t), None) => add(vm, &t, &item)?,
            };
            *total = Some(new.clone());
            Ok(Some(new))
        }
        State::GroupBy {
            source,
            key,
            pending,
            generation,
        } => {
            generation.set(generation.get() + 1);
            let key = key.clone();
            let keyed = |vm: &mut dyn Vm, item: Value| -> PyResult<(Value, Value)> {
                let k = match &key {
                    Some(f) => vm.call_value(f, vec![item.clone()], Vec::new())?,
                    None => item.clone(),
                };
                Ok((k, item))
            };
            let (group_key, first) = match pending.take() {
                Some(p) => p,
                None => match source.next_value(vm)? {
                    Some(item) => keyed(vm, item)?,
                    None => return Ok(None),
                },
            };
            let mut items = vec![first];
            while let Some(item) = source.next_value(vm)? {
                let (k, item) = keyed(vm, item)?;
                if !super::ops::equal(&k, &group_key)? {
                    *pending = Some((k, item));
                    break;
                }
                if items.len() >= MAX_LIST_LEN {
                    return Err(too_many());
                }
                items.push(item);
            }
            let grouper = new_iterator(
                "_grouper",
                State::Grouper {
                    items,
                    next: 0,
                    generation: generation.get(),
                    current: generation.clone(),
                },
            );
            Ok(Some(Value::tuple(vec![group_key, grouper])))
        }
        State::Grouper {
            items,
            next,
            generation,
            current,
        } => {
            if current.get() != *generation {
                return Ok(None);
            }
            let v = items.get(*next).cloned();
            *next += 1;
            Ok(v)
        }
        State::Product {
            pools,
            indices,
            done,
        } => {
            if *done {
                return Ok(None);
            }
            let Some(ix) = indices else {
                if pools.iter().any(Vec::is_empty) {
                    *done = true;
                    return Ok(None);
                }
                let first = vec![0; pools.len()];
                let v = Value::tuple(pools.iter().map(|p| p[0].clone()).collect());
                *indices = Some(first);
                return Ok(Some(v));
            };
            for i in (0..pools.len()).rev() {
                ix[i] += 1;
                if ix[i] < pools[i].len() {
                    return Ok(Some(Value::tuple(
                        pools
                            .iter()
                            .zip(ix.iter())
                            .map(|(p, j)| p[*j].clone())
                            .collect(),
                    )));
                }
                ix[i] = 0;
            }
            *done = true;
            Ok(None)
        }
        State::Combinatoric {
            kind,
            pool,
            r,
            indices,
            cycles,
            started,
            done,
        } => {
            if *done {
                return Ok(None);
            }
            let v = combinatoric_next(*kind, pool, *r, indices, cycles, started);
            if v.is_none() {
                *done = true;
            }
            Ok(v)
        }
        State::ZipLongest {
            sources,
            fill,
            active,
        } => {
            if *active == 0 {
                return Ok(None);
            }
            let mut row = Vec::with_capacity(sources.len());
            for slot in sources.iter_mut() {
                let v = match slot {
                    Some(it) => match it.next_value(vm)? {
                        Some(v) => v,
                        None => {
                            *slot = None;
                            *active -= 1;
                            if *active == 0 {
                                return Ok(None);
                            }
                            fill.clone()
                        }
                    },
                    None => fill.clone(),
                };
                row.push(v);
            }
            Ok(Some(Value::tuple(row)))
        }
        State::StarMap { func, source } => {
            let Some(item) = source.next_value(vm)? else {
                return Ok(None);
            };
            let args = vm.iterate_value(&item)?;
            vm.call_value(&func.clone(), args, Vec::new()).map(Some)
        }
        State::TakeWhile {
            predicate,
            source,
            stopped,
        } => {
            if *stopped {
                return Ok(None);
            }
            let Some(item) = source.next_value(vm)? else {
                return Ok(None);
            };
            if truth(vm, &predicate.clone(), &item)? {
                return Ok(Some(item));
            }
            *stopped = true;
            Ok(None)
        }
        State::DropWhile {
            predicate,
            source,
            dropping,
        } => loop {
            let Some(item) = source.next_value(vm)? else {
                return Ok(None);
            };
            if !*dropping {
                return Ok(Some(item));
            }
            vm.count_step()?;
            if !truth(vm, &predicate.clone(), &item)? {
                *dropping = false;
                return Ok(Some(item));
            }
        },
        State::FilterFalse { predicate, source } => loop {
            let Some(item) = source.next_value(vm)? else {
                return Ok(None);
            };
            vm.count_step()?;
            if !truth(vm, &predicate.clone(), &item)? {
                return Ok(Some(item));
            }
        },
        State::Compress { data, selectors } => loop {
            let Some(item) = data.next_value(vm)? else {
                return Ok(None);
            };
            let Some(s) = selectors.next_value(vm)? else {
                return Ok(None);
            };
            vm.count_step()?;
            if vm.truthy(&s)? {
                return Ok(Some(item));
            }
        },
        State::Pairwise { source, last } => {
            let a = match last.take() {
                Some(a) => a,
                None => match source.next_value(vm)? {
                    Some(a) => a,
                    None => return Ok(None),
                },
            };
            let Some(b) = source.next_value(vm)? else {
                return Ok(None);
            };
            *last = Some(b.clone());
            Ok(Some(Value::tuple(vec![a, b])))
        }
        State::Tee { shared, next } => {
            let buffered = shared.borrow().buffer.get(*next).cloned();
            let v = match buffered {
                Some(v) => v,
                None => {
                    let Ok(mut s) = shared.try_borrow_mut() else {
                        return Err(PyErr::new(
                            ExcType::RuntimeError,
                            "cannot re-enter the tee iterator",
                        ));
                    };
                    let Some(v) = s.source.next_value(vm)? else {
                        return Ok(None);
                    };
                    if s.buffer.len() >= MAX_LIST_LEN {
                        return Err(too_many());
                    }
                    s.buffer.push(v.clone());
                    v
                }
            };
            *next += 1;
            Ok(Some(v))
        }
    }
}

/// An `islice()` index: `None` or an int in `0 <= x <= sys.maxsize`.
fn slice_index(v: Option<&Value>, message: &str) -> PyResult<Option<usize>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::Int(i)) if *i >= 0 => Ok(Some(*i as usize)),
        Some(Value::Bool(b)) => Ok(Some(usize::from(*b))),
        Some(_) => Err(PyErr::new(ExcType::ValueError, message)),
    }
}

fn islice(vm: &mut dyn Vm, b: &Bound) -> PyResult<Value> {
    let args = &b.varargs;
    let source = PyIter::new(vm, &b.value("iterable"))?;
    const STOP: &str =
        "Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize.";
    const INDICES: &str = "Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.";
    let (start, stop, step) = match args.len() {
        0 => return Err(type_error("islice expected at least 2 arguments, got 1")),
        1 => (None, slice_index(args.first(), STOP)?, None),
        2 | 3 => (
            slice_index(args.first(), INDICES)?,
            slice_index(args.get(1), STOP)?,
            match args.get(2) {
                None | Some(Value::None) => None,
                Some(Value::Int(s)) if *s > 0 => Some(*s as usize),
                Some(_) => {
                    return Err(PyErr::new(
                        ExcType::ValueError,
                        "Step for islice() must be a positive integer or None.",
                    ));
                }
            },
        ),
        n => {
            return Err(type_error(format!(
                "islice expected at most 4 arguments, got {}",
                n + 1
            )));
        }
    };
    Ok(new_iterator(
        "islice",
        State::Islice {
            source: Some(source),
            next: start.unwrap_or(0),
            stop,
            step: step.unwrap_or(1),
            count: 0,
        },
    ))
}

fn count_arg(v: Option<&Value>, default: i64) -> PyResult<Value> {
    match v {
        None => Ok(Value::Int(default)),
        Some(
            v @ (Value::Int(_)
            | Value::BigInt(_)
            | Value::Float(_)
            | Value::Bool(_)
            | Value::Decimal(_)),
        ) => Ok(v.clone()),
        Some(_) => Err(type_error("a number is required")),
    }
}

fn r_arg(v: Option<&Value>) -> PyResult<Option<usize>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::Int(r)) if *r >= 0 => Ok(Some(*r as usize)),
        Some(Value::Int(_)) => Err(PyErr::new(ExcType::ValueError, "r must be non-negative")),
        Some(_) => Err(type_error("Expected int as r")),
    }
}

fn combinatoric(vm: &mut dyn Vm, b: &Bound, kind: Combinatoric) -> PyResult<Value> {
    let pool = vm.iterate_value(&b.value("iterable"))?;
    let n = pool.len();
    let r = match kind {
        Combinatoric::Permutations => r_arg(b.get("r"))?.unwrap_or(n),
        _ => r_arg(Some(b.required("r")?))?.unwrap_or(n),
    };
    let (indices, cycles) = match kind {
        Combinatoric::Permutations => ((0..n).collect(), (0..r.min(n)).map(|i| n - i).collect()),
        Combinatoric::Combinations => ((0..r.min(n)).collect(), Vec::new()),
        Combinatoric::WithReplacement => (vec![0; r], Vec::new()),
    };
    let type_name = match kind {
        Combinatoric::Permutations => "permutations",
        Combinatoric::Combinations => "combinations",
        Combinatoric::WithReplacement => "combinations_with_replacement",
    };
    Ok(new_iterator(
        type_name,
        State::Combinatoric {
            kind,
            pool,
            r,
            indices,
            cycles,
            started: false,
            done: false,
        },
    ))
}

fn product(vm: &mut dyn Vm, b: &Bound) -> PyResult<Value> {
    let repeat = match b.get("repeat") {
        None => 1,
        Some(Value::Int(n)) if *n >= 0 => *n as usize,
        Some(Value::Int(_)) => {
            return Err(PyErr::new(
                ExcType::ValueError,
                "repeat argument cannot be negative",
            ));
        }
        Some(other) => {
            return Err(type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                other.type_name()
            )));
        }
    };
    let mut pools = Vec::new();
    for a in &b.varargs {
        pools.push(vm.iterate_value(a)?);
    }
    let mut all = Vec::new();
    for _ in 0..repeat {
        all.extend(pools.iter().cloned());
        if all.len() > MAX_LIST_LEN {
            return Err(too_many());
        }
    }
    Ok(new_iterator(
        "product",
        State::Product {
            pools: all,
            indices: None,
            done: false,
        },
    ))
}

fn tee(vm: &mut dyn Vm, b: &Bound) -> PyResult<Value> {
    let n = match b.get("n") {
        None => 2,
        Some(Value::Int(n)) if *n >= 0 => *n as usize,
        Some(Value::Int(_)) => return Err(PyErr::new(ExcType::ValueError, "n must be >= 0")),
        Some(other) => {
            return Err(type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                other.type_name()
            )));
        }
    };
    let shared = Rc::new(RefCell::new(TeeShared {
        source: PyIter::new(vm, &b.value("iterable"))?,
        buffer: Vec::new(),
    }));
    Ok(Value::tuple(
        (0..n)
            .map(|_| {
                new_iterator(
                    "_tee",
                    State::Tee {
                        shared: shared.clone(),
                        next: 0,
                    },
                )
            })
            .collect(),
    ))
}

/// `itertools.NAME` for a name the tutor has.
pub fn module_value(name: &str) -> Option<Value> {
    ITERTOOLS_FUNCTIONS.iter().find_map(|f| match f.builtin {
        Builtin::Itertools(n) if n == name => Some(Value::Builtin(f.builtin.clone())),
        _ => None,
    })
}

/// The `itertools` constructors (classes, in CPython).
pub static ITERTOOLS_FUNCTIONS: &[BuiltinFunction] = &[
    BuiltinFunction {
        builtin: Builtin::Itertools("chain"),
        sig: Signature::builtin("chain", &["*iterables"], ArgStyle::Takes),
        call: |_, b| {
            Ok(new_iterator(
                "chain",
                State::Chain {
                    sources: PyIter::Items {
                        items: b.varargs,
                        next: 0,
                    },
                    current: None,
                },
            ))
        },
    },
    BuiltinFunction {
        builtin: Builtin::Itertools("chain.from_iterable"),
        sig: Signature::builtin("from_iterable", &["iterable", "/"], ArgStyle::Exact),
        call: |vm, b| {
            Ok(new_iterator(
                "chain",
                State::Chain {
                    sources: PyIter::new(vm, &b.value("iterable"))?,
                    current: None,
                },
            ))
        },
    },
    BuiltinFunction {
        builtin: Builtin::Itertools("islice"),
        sig: Signature::builtin("islice", &["iterable", "*args"], ArgStyle::Takes),
        call: |vm, b| islice(vm, &b),
    },
    BuiltinFunction {
        builtin: Builtin::Itertools("count"),
        sig: Signature::builtin("count", &["start=", "step="], ArgStyle::Takes),
        call: |_, b| {
            Ok(new_iterator(
                "count",
                State::Count {
                    next: count_arg(b.get("start"), 0)?,
                    step: count_arg(b.get("step"), 1)?,
                },
            ))
        },
    },
    BuiltinFunction {
        builtin: Builtin::Itertools("cycle"),
        sig: Signature::builtin("cycle", &["iterable", "/"], ArgStyle::Exact),
        call: |vm, b| {
            Ok(new_iterator(
                "cycle",
                State::Cycle {
                    source: Some(PyIter::new(vm, &b.value("iterable"))?),
                    saved: Vec::new(),
                    index: 0,
                },
            ))
        },
    },
    BuiltinFunction {
        builtin: Builtin::Itertools("repeat"),
        sig: Signature::builtin("repeat", &["object", "times="], ArgStyle::Takes),
        call: |_, b| {
            let times = match b.get("times") {
                None => None,
                Some(Value::Int(n)) => Some((*n).max(0)),
                Some(other) => {
                    return Err(type_error(format!(
                        "'{}' object cannot be interpreted as an integer",
                        other.type_name()
                    )));
                }
            };
            Ok(new_iterator(
                "repeat",
                State::Repeat {
                    object: b.value("object"),
                    times,
                },
            ))
        },
    },
    BuiltinFunction {
        builtin: Builtin::Itertools("accumulate"),
        sig: Signature::builtin(
            "accumulate",
            &["iterable", "func=", "*", "initial="],
            ArgStyle::Takes,
        ),
        call: |vm, b| {
            Ok(new_iterator(
                "accumulate",
                State::Accumulate {
                    source: PyIter::new(vm, &b.value("iterable"))?,
                    func: b.given("func").cloned(),
                    total: None,
                    initial: b.given("initial").cloned(),
                },
            ))
        },
    },
    BuiltinFunction {
        builtin: Builtin::Itertools("groupby"),
        sig: Signature::builtin("groupby", &["iterable", "key="], ArgStyle::Takes),
        call: |vm, b| {
            Ok(new_iterator(
                "groupby",
                State::GroupBy {
                    source: PyIter::new(vm, &b.value("iterable"))?,
                    key: b.given("key").cloned(),
                    pending: None,
                    generation: Rc::new(Cell::new(0)),
                },
            ))
        },
    },
    BuiltinFunction {
        builtin: Builtin::Itertools("product"),
        sig: Signature::builtin("product", &["*iterables", "repeat="], ArgStyle::Takes),
        call: |vm, b| product(vm, &b),
    },
    BuiltinFunction {
        builtin: Builtin::Itertools("permutations"),
        sig: Signature::builtin("permutations", &["iterable", "r="], ArgStyle::Takes),
        call: |vm, b| combinatoric(vm, &b, Combinatoric::Permutations),
    },
    BuiltinFunction {
        builtin: Builtin::Itertools("combinations"),
        sig: Signature::builtin("combinations", &["iterable", "r"], ArgStyle::Takes),
        call: |vm, b| combinatoric(vm, &b, Combinatoric::Combinations),
    },
    BuiltinFunction {
        builtin: Builtin::Itertools("combinations_with_replacement"),
        sig: Signature::builtin(
            "combinations_with_replacement",
            &["iterable", "r"],
            ArgStyle::Takes,
        ),
        call: |vm, b| combinatoric(vm, &b, Combinatoric::WithReplacement),
    },
    BuiltinFunction {
        builtin: Builtin::Itertools("zip_longest"),
        sig: Signature::builtin(
            "zip_longest",
            &["*iterables", "fillvalue="],
            ArgStyle::Takes,
        ),
        call: |vm, b| {
            let mut sources = Vec::new();
            for a in &b.varargs {
                sources.push(Some(PyIter::new(vm, a)?));
            }
            let active = sources.len();
            Ok(new_iterator(
                "zip_longest",
                State::ZipLongest {
                    sources,
                    fill: b.value("fillvalue"),
                    active,
                },
            ))
        },
    },
    BuiltinFunction {
        builtin: Builtin::Itertools("starmap"),
        sig: Signature::builtin("starmap", &["function", "iterable", "/"], ArgStyle::Exact),
        call: |vm, b| {
            Ok(new_iterator(
                "starmap",
                State::StarMap {
                    func: b.value("function"),
                    source: PyIter::new(vm, &b.value("iterable"))?,
                },
            ))
        },
    },
    BuiltinFunction {
        builtin: Builtin::Itertools("takewhile"),
        sig: Signature::builtin(
            "takewhile",
            &["predicate", "iterable", "/"],
            ArgStyle::Exact,
        ),
        call: |vm, b| {
            Ok(new_iterator(
                "takewhile",
                State::TakeWhile {
                    predicate: b.value("predicate"),
                    source: PyIter::new(vm, &b.value("iterable"))?,
                    stopped: false,
                },
            ))
        },
    },
    BuiltinFunction {
        builtin: Builtin::Itertools("dropwhile"),
        sig: Signature::builtin(
            "dropwhile",
            &["predicate", "iterable", "/"],
            ArgStyle::Exact,
        ),
        call: |vm, b| {
            Ok(new_iterator(
                "dropwhile",
                State::DropWhile {
                    predicate: b.value("predicate"),
                    source: PyIter::new(vm, &b.value("iterable"))?,
                    dropping: true,
                },
            ))
        },
    },
    BuiltinFunction {
        builtin: Builtin::Itertools("filterfalse"),
        sig: Signature::builtin(
            "filterfalse",
            &["function", "iterable", "/"],
            ArgStyle::Exact,
        ),
        call: |vm, b| {
            Ok(new_iterator(
                "filterfalse",
                State::FilterFalse {
                    predicate: b.value("function"),
                    source: PyIter::new(vm, &b.value("iterable"))?,
                },
            ))
        },
    },
    BuiltinFunction {
        builtin: Builtin::Itertools("compress"),
        sig: Signature::builtin("compress", &["data", "selectors"], ArgStyle::Takes),
        call: |vm, b| {
            Ok(new_iterator(
                "compress",
                State::Compress {
                    data: PyIter::new(vm, &b.value("data"))?,
                    selectors: PyIter::new(vm, &b.value("selectors"))?,
                },
            ))
        },
    },
    BuiltinFunction {
        builtin: Builtin::Itertools("pairwise"),
        sig: Signature::builtin("pairwise", &["iterable", "/"], ArgStyle::Exact),
        call: |vm, b| {
            Ok(new_iterator(
                "pairwise",
                State::Pairwise {
                    source: PyIter::new(vm, &b.value("iterable"))?,
                    last: None,
                },
            ))
        },
    },
    BuiltinFunction {
        builtin: Builtin::Itertools("tee"),
        sig: Signature::builtin("tee", &["iterable", "n=", "/"], ArgStyle::Expected),
        call: |vm, b| tee(vm, &b),
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::types::testing::FakeVm;

    fn make(vm: &mut FakeVm, name: &'static str, args: Vec<Value>) -> Value {
        crate::python::builtins::call(vm, &Builtin::Itertools(name), args, Vec::new())
            .expect("an itertools name")
            .expect("itertools constructor")
    }

    #[test]
    fn endless_iterators_are_lazy_and_draining_one_is_memory_error() {
        let mut vm = FakeVm::default();
        let c = make(&mut vm, "count", vec![Value::Int(5)]);
        let Value::Native(it) = &c else { panic!() };
        assert_eq!(
            it.next_item(&mut vm).ok().flatten().map(|v| repr_plain(&v)),
            Some("5".into())
        );
        assert_eq!(it.repr(), "count(6)");
        let err = crate::python::iterators::drain(&mut vm, it).expect_err("endless");
        assert_eq!(err.exc, ExcType::MemoryError);
        let cyc = make(&mut vm, "cycle", vec![Value::list(vec![Value::Int(1)])]);
        let Value::Native(it) = &cyc else { panic!() };
        for _ in 0..3 {
            assert!(matches!(it.next_item(&mut vm), Ok(Some(Value::Int(1)))));
        }
    }

    #[test]
    fn combinatorics_count_as_cpython() {
        let mut vm = FakeVm::default();
        let abc = Value::str("abcd");
        for (name, r, n) in [
            ("permutations", 2, 12),
            ("combinations", 2, 6),
            ("combinations_with_replacement", 2, 10),
        ] {
            let it = make(&mut vm, name, vec![abc.clone(), Value::Int(r)]);
            let Value::Native(it) = &it else { panic!() };
            let all = crate::python::iterators::drain(&mut vm, it).expect("finite");
            assert_eq!(all.len(), n, "{name}");
        }
    }
}
