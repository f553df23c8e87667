//! Python's `random` module, as CPython 3.11's module-level functions: one
//! Mersenne Twister (MT19937, the `rand_mt` crate) shared by the functions,
//! seeded from an int as CPython's `init_by_array` (the int's 32-bit words,
//! least significant first), so `random.seed(n)` gives CPython's numbers.
//! `random()`, `getrandbits`, `_randbelow` (by rejection over
//! `getrandbits`), `randrange`/`randint`, `choice`, `shuffle`, `sample` and
//! `uniform` follow `Lib/random.py`. Unseeded, the generator starts from
//! the clock (any numbers). Each function is a [`Builtin::Random`] with its
//! entry in [`RANDOM_FUNCTIONS`].

use std::cell::RefCell;

use rand_mt::Mt;

use super::ExcType;
use super::builtins::BuiltinFunction;
use super::exceptions::{PyErr, PyResult, type_error};
use super::signature::{ArgStyle, Bound, Signature};
use super::types::range::Range;
use super::value::{Builtin, Value};
use super::vm::Vm;

thread_local! {
    /// The module's hidden `Random` instance (`random._inst`).
    static GENERATOR: RefCell<Option<Mt>> = const { RefCell::new(None) };
}

/// An MT19937 seeded as CPython's `random_seed` seeds it from `abs(n)`.
fn seeded(n: &num_bigint::BigInt) -> Mt {
    let mut key = n.magnitude().to_u32_digits();
    if key.is_empty() {
        key.push(0);
    }
    Mt::new_with_key(key)
}

fn from_clock() -> Mt {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    Mt::new_with_key([nanos as u32, (nanos >> 32) as u32, (nanos >> 64) as u32])
}

fn with_generator<T>(f: impl FnOnce(&mut Mt) -> T) -> T {
    GENERATOR.with(|g| f(g.borrow_mut().get_or_insert_with(from_clock)))
}

/// `random.random()`: 53 random bits as CPython's `random_random`.
fn random() -> f64 {
    with_generator(|mt| {
        let a = f64::from(mt.next_u32() >> 5);
        let b = f64::from(mt.next_u32() >> 6);
        (a * 67_108_864.0 + b) * (1.0 / 9_007_199_254_740_992.0)
    })
}

/// `getrandbits(k)`'s 32-bit words, least significant first, as
/// CPython's `_random_Random_getrandbits_impl` draws them.
fn random_words(k: u64) -> Vec<u32> {
    with_generator(|mt| {
        if k <= 32 {
            return vec![mt.next_u32() >> (32 - k)];
        }
        let mut left = k;
        let mut words = Vec::with_capacity(k.div_ceil(32) as usize);
        while left > 0 {
            let mut r = mt.next_u32();
            if left < 32 {
                r >>= 32 - left;
            }
            words.push(r);
            left = left.saturating_sub(32);
        }
        words
    })
}

/// `getrandbits(k)` for `k <= 64`.
fn bits_u64(k: u32) -> u64 {
    if k == 0 {
        return 0;
    }
    let words = random_words(u64::from(k));
    words
        .iter()
        .enumerate()
        .fold(0u64, |acc, (i, w)| acc | (u64::from(*w) << (32 * i)))
}

/// `Random._randbelow_with_getrandbits(n)`, for `n > 0`.
fn randbelow(n: u64) -> u64 {
    let k = 64 - n.leading_zeros();
    loop {
        let r = bits_u64(k);
        if r < n {
            return r;
        }
    }
}

fn integer(v: &Value, what: &str) -> PyResult<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(i64::from(*b)),
        Value::BigInt(_) => Err(PyErr::unsupported(format!(
            "{what} past 64 bits in the random module"
        ))),
        Value::Float(_) => Err(PyErr::unsupported(format!(
            "non-integer arguments to {what}"
        ))),
        other => Err(type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            other.type_name()
        ))),
    }
}

/// `randrange(start, stop=None, step=1)`, as `Lib/random.py`.
fn randrange(start: &Value, stop: Option<&Value>, step: Option<&Value>) -> PyResult<i64> {
    let istart = integer(start, "randrange()")?;
    let Some(stop) = stop.filter(|s| !matches!(s, Value::None)) else {
        if step.is_some() {
            return Err(type_error("Missing a non-None stop argument"));
        }
        if istart > 0 {
            return Ok(randbelow(istart as u64) as i64);
        }
        return Err(PyErr::new(
            ExcType::ValueError,
            "empty range for randrange()",
        ));
    };
    let istop = integer(stop, "randrange()")?;
    let width = i128::from(istop) - i128::from(istart);
    let istep = match step {
        Some(s) => integer(s, "randrange()")?,
        None => 1,
    };
    let too_wide = || PyErr::unsupported("a randrange() wider than 64 bits");
    if istep == 1 {
        if width > 0 {
            let w = u64::try_from(width).map_err(|_| too_wide())?;
            return Ok((i128::from(istart) + i128::from(randbelow(w))) as i64);
        }
        return Err(PyErr::new(
            ExcType::ValueError,
            format!("empty range for randrange() ({istart}, {istop}, {width})"),
        ));
    }
    let step = i128::from(istep);
    let n = match istep {
        s if s > 0 => (width + step - 1).div_euclid(step),
        s if s < 0 => (width + step + 1).div_euclid(step),
        _ => return Err(PyErr::new(ExcType::ValueError, "zero step for randrange()")),
    };
    if n <= 0 {
        return Err(PyErr::new(
            ExcType::ValueError,
            "empty range for randrange()",
        ));
    }
    let n = u64::try_from(n).map_err(|_| too_wide())?;
    Ok((i128::from(istart) + step * i128::from(randbelow(n))) as i64)
}

/// A sequence `choice`/`sample` index into: its items, or a `range` read
/// by position (so `sample(range(10**9), 3)` holds no list).
enum Sequence {
    Items(Vec<Value>),
    Range(Range),
}

impl Sequence {
    fn len(&self) -> u64 {
        match self {
            Sequence::Items(items) => items.len() as u64,
            Sequence::Range(r) => r.len().max(0) as u64,
        }
    }
    fn get(&self, i: u64) -> Value {
        match self {
            Sequence::Items(items) => items.get(i as usize).cloned().unwrap_or(Value::None),
            Sequence::Range(r) => r.get(i as i64).map_or(Value::None, Value::Int),
        }
    }
}

/// `v` as a sequence (`collections.abc.Sequence`): lists, tuples, strings,
/// bytes, ranges; `None` for anything else.
fn sequence(vm: &mut dyn Vm, v: &Value) -> PyResult<Option<Sequence>> {
    if let Some(r) = v.downcast::<Range>() {
        return Ok(Some(Sequence::Range(*r)));
    }
    Ok(match v {
        Value::List(_) | Value::Tuple(_) | Value::Str(_) | Value::Bytes(_) | Value::Row(_) => {
            Some(Sequence::Items(vm.iterate_value(v)?))
        }
        _ => None,
    })
}

/// `choice(seq)`: `seq[_randbelow(len(seq))]`.
fn choice(vm: &mut dyn Vm, seq: &Value) -> PyResult<Value> {
    let Some(s) = sequence(vm, seq)? else {
        let len = match seq {
            Value::Set(s, _) => Some(s.items.borrow().len()),
            Value::Dict(d) => Some(d.borrow().len()),
            _ => None,
        };
        return Err(match len {
            Some(0) => PyErr::new(ExcType::IndexError, "Cannot choose from an empty sequence"),
            Some(_) if matches!(seq, Value::Dict(_)) => {
                PyErr::unsupported("random.choice() of a dict")
            }
            Some(_) => type_error(format!("'{}' object is not subscriptable", seq.type_name())),
            None => type_error(format!("object of type '{}' has no len()", seq.type_name())),
        });
    };
    if s.len() == 0 {
        return Err(PyErr::new(
            ExcType::IndexError,
            "Cannot choose from an empty sequence",
        ));
    }
    Ok(s.get(randbelow(s.len())))
}

/// `shuffle(x)`: Fisher-Yates from the end, in place.
fn shuffle(x: &Value) -> PyResult<()> {
    let Value::List(list) = x else {
        let len = match x {
            Value::Tuple(t) => t.len(),
            Value::Str(s) => s.chars().count(),
            Value::Bytes(b) => b.len(),
            v if let Some(r) = v.downcast::<Range>() => r.len().max(0) as usize,
            other => {
                return Err(type_error(format!(
                    "object of type '{}' has no len()",
                    other.type_name()
                )));
            }
        };
        if len < 2 {
            return Ok(());
        }
        return Err(type_error(format!(
            "'{}' object does not support item assignment",
            x.type_name()
        )));
    };
    let n = list.items.borrow().len();
    for i in (1..n).rev() {
        let j = randbelow(i as u64 + 1) as usize;
        list.items.borrow_mut().swap(i, j);
    }
    Ok(())
}

/// `sample(population, k)`, with `Lib/random.py`'s choice between a pool
/// list and a set of chosen positions.
fn sample(vm: &mut dyn Vm, population: &Value, k: &Value) -> PyResult<Value> {
    let Some(pop) = sequence(vm, population)? else {
        return Err(type_error(
            "Population must be a sequence.  For dicts or sets, use sorted(d).",
        ));
    };
    let n = pop.len();
    let k = integer(k, "sample()")?;
    if k < 0 || k as u64 > n {
        return Err(PyErr::new(
            ExcType::ValueError,
            "Sample larger than population or is negative",
        ));
    }
    let k = k as u64;
    let mut setsize: u64 = 21;
    if k > 5 {
        let exp = (((k * 3) as f64).ln() / 4f64.ln()).ceil() as u32;
        setsize = setsize.saturating_add(4u64.saturating_pow(exp));
    }
    let mut result = Vec::with_capacity(k as usize);
    if n <= setsize {
        let mut pool: Vec<Value> = (0..n).map(|i| pop.get(i)).collect();
        for i in 0..k {
            let j = randbelow(n - i) as usize;
            result.push(pool[j].clone());
            pool[j] = pool[(n - i - 1) as usize].clone();
        }
    } else {
        let mut selected = std::collections::HashSet::new();
        for _ in 0..k {
            let mut j = randbelow(n);
            while selected.contains(&j) {
                j = randbelow(n);
            }
            selected.insert(j);
            result.push(pop.get(j));
        }
    }
    Ok(Value::list(result))
}

fn real(v: &Value) -> PyResult<f64> {
    match v {
        Value::Int(i) => Ok(*i as f64),
        Value::Bool(b) => Ok(f64::from(u8::from(*b))),
        Value::Float(f) => Ok(*f),
        other => Err(type_error(format!(
            "unsupported operand type(s) for -: '{t}' and '{t}'",
            t = other.type_name()
        ))),
    }
}

/// `seed(a=None)`: an int's bits (its absolute value), or the clock for
/// `None`. Strings, bytes and floats (which CPython hashes) are not
/// modelled.
fn seed(b: &Bound) -> PyResult<Value> {
    let mt = match b.get("a") {
        None | Some(Value::None) => from_clock(),
        Some(v @ (Value::Int(_) | Value::Bool(_) | Value::BigInt(_))) => {
            seeded(&super::bigint::to_big(v).unwrap_or_default())
        }
        Some(Value::Float(_) | Value::Str(_) | Value::Bytes(_)) => {
            return Err(PyErr::unsupported("random.seed() of a float, str or bytes"));
        }
        Some(_) => {
            return Err(type_error(
                "The only supported seed types are: None,\nint, float, str, bytes, and bytearray.",
            ));
        }
    };
    GENERATOR.with(|g| *g.borrow_mut() = Some(mt));
    Ok(Value::None)
}

fn getrandbits(b: &Bound) -> PyResult<Value> {
    let k = integer(&b.value("k"), "getrandbits()")?;
    if k < 0 {
        return Err(PyErr::new(
            ExcType::ValueError,
            "number of bits must be non-negative",
        ));
    }
    if k <= 64 {
        let r = bits_u64(k as u32);
        return Ok(i64::try_from(r).map_or_else(
            |_| super::bigint::int_value(num_bigint::BigInt::from(r)),
            Value::Int,
        ));
    }
    if k > 1_000_000 {
        return Err(PyErr::new(
            ExcType::MemoryError,
            "integer too large for the tutor",
        ));
    }
    let words = random_words(k as u64);
    let n = num_bigint::BigUint::new(words);
    Ok(super::bigint::int_value(num_bigint::BigInt::from(n)))
}

/// `random.NAME` for a function the tutor has.
pub fn module_value(name: &str) -> Option<Value> {
    RANDOM_FUNCTIONS.iter().find_map(|f| match f.builtin {
        Builtin::Random(n) if n == name => Some(Value::Builtin(f.builtin.clone())),
        _ => None,
    })
}

/// The `random` module's functions, as bound methods of its hidden
/// `Random` instance.
pub static RANDOM_FUNCTIONS: &[BuiltinFunction] = &[
    BuiltinFunction {
        builtin: Builtin::Random("seed"),
        sig: Signature::builtin("seed", &["a=", "version=!"], ArgStyle::Takes),
        call: |_, b| seed(&b),
    },
    BuiltinFunction {
        builtin: Builtin::Random("random"),
        sig: Signature::builtin("random", &[], ArgStyle::Takes),
        call: |_, _| Ok(Value::Float(random())),
    },
    BuiltinFunction {
        builtin: Builtin::Random("getrandbits"),
        sig: Signature::builtin("getrandbits", &["k", "/"], ArgStyle::Exact),
        call: |_, b| getrandbits(&b),
    },
    BuiltinFunction {
        builtin: Builtin::Random("randrange"),
        sig: Signature::builtin("randrange", &["start", "stop=", "step="], ArgStyle::Takes),
        call: |_, b| randrange(&b.value("start"), b.get("stop"), b.get("step")).map(Value::Int),
    },
    BuiltinFunction {
        builtin: Builtin::Random("randint"),
        sig: Signature::builtin("randint", &["a", "b"], ArgStyle::Takes),
        call: |_, b| {
            let hi = integer(&b.value("b"), "randint()")?;
            let stop = hi
                .checked_add(1)
                .ok_or_else(|| PyErr::unsupported("a randint() past 64 bits"))?;
            randrange(&b.value("a"), Some(&Value::Int(stop)), None).map(Value::Int)
        },
    },
    BuiltinFunction {
        builtin: Builtin::Random("choice"),
        sig: Signature::builtin("choice", &["seq"], ArgStyle::Takes),
        call: |vm, b| choice(vm, &b.value("seq")),
    },
    BuiltinFunction {
        builtin: Builtin::Random("shuffle"),
        sig: Signature::builtin("shuffle", &["x"], ArgStyle::Takes),
        call: |_, b| shuffle(&b.value("x")).map(|()| Value::None),
    },
    BuiltinFunction {
        builtin: Builtin::Random("sample"),
        sig: Signature::builtin(
            "sample",
            &["population", "k", "*", "counts=!"],
            ArgStyle::Takes,
        ),
        call: |vm, b| sample(vm, &b.value("population"), &b.value("k")),
    },
    BuiltinFunction {
        builtin: Builtin::Random("uniform"),
        sig: Signature::builtin("uniform", &["a", "b"], ArgStyle::Takes),
        call: |_, b| {
            let (lo, hi) = (real(&b.value("a"))?, real(&b.value("b"))?);
            Ok(Value::Float(lo + (hi - lo) * random()))
        },
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn seed_with(n: i64) {
        GENERATOR.with(|g| *g.borrow_mut() = Some(seeded(&num_bigint::BigInt::from(n))));
    }

    #[test]
    fn seeded_numbers_are_cpythons() {
        // python3.11: random.seed(42); random.random() ...
        seed_with(42);
        assert_eq!(random(), 0.6394267984578837);
        seed_with(42);
        assert_eq!(
            randrange(&Value::Int(1), Some(&Value::Int(11)), None).ok(),
            Some(2)
        );
        seed_with(0);
        assert_eq!(random(), 0.8444218515250481);
        // a negative seed uses its absolute value
        seed_with(-42);
        assert_eq!(random(), 0.6394267984578837);
    }

    #[test]
    fn randbelow_is_below() {
        seed_with(7);
        for n in 1..50 {
            assert!(randbelow(n) < n);
        }
    }
}
