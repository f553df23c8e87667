//! `hash(x)` as CPython 3.11 computes it (`Python/pyhash.c`,
//! `Objects/tupleobject.c`): integers modulo the Mersenne prime 2**61 - 1,
//! floats by the same reduction, tuples by the xxHash-based combination of
//! their items' hashes, objects by their address. Strings and dates are
//! hashed with a per-process random key in CPython (`PYTHONHASHSEED`), so
//! any stable value is as faithful; the tutor gives a fixed one.

use super::exceptions::{PyResult, type_error};
use super::value::Value;

/// `sys.hash_info.modulus`: 2**61 - 1.
const MODULUS: u64 = (1 << 61) - 1;
const XXPRIME_1: u64 = 11_400_714_785_074_694_791;
const XXPRIME_2: u64 = 14_029_467_366_897_019_727;
const XXPRIME_5: u64 = 2_870_177_450_012_600_261;

/// `hash(v)`. `custom` answers for values whose class decides (a learner's
/// instance with `__hash__`): `Some(hash)`, or `None` to hash by kind here.
///
/// Errors: `TypeError: unhashable type: 'list'` (and `dict`, `set`).
pub fn hash_value(
    v: &Value,
    custom: &mut dyn FnMut(&Value) -> PyResult<Option<i64>>,
) -> PyResult<i64> {
    if let Some(h) = custom(v)? {
        return Ok(h);
    }
    Ok(match v {
        Value::Bool(b) => *b as i64,
        Value::Int(i) => hash_int(*i as i128),
        Value::BigInt(n) => super::bigint::hash(n),
        Value::Float(f) => hash_float(*f),
        Value::Decimal(d) => super::types::decimal::hash(d),
        Value::Tuple(items) => {
            let mut lanes = Vec::with_capacity(items.len());
            for item in items.iter() {
                lanes.push(hash_value(item, custom)?);
            }
            hash_tuple(&lanes)
        }
        Value::Set(items, super::value::SetKind::Frozen) => {
            let items = items.items.borrow().clone();
            let mut lanes = Vec::with_capacity(items.len());
            for item in &items {
                lanes.push(hash_value(item, custom)?);
            }
            hash_frozenset(&lanes)
        }
        Value::List(_) | Value::Dict(_) | Value::Set(..) => {
            return Err(type_error(format!("unhashable type: '{}'", v.type_name())));
        }
        // An object's hash is its address shifted right by 4, as
        // `_Py_HashPointer` gives for 16-byte aligned objects.
        Value::Native(o) if let Some(key) = o.hash_key() => hash_value(&key, custom)?,
        Value::Native(o) => match o.id() {
            Some(id) => (id >> 4) as i64,
            None => (std::rc::Rc::as_ptr(o) as *const u8 as usize as i64) >> 4,
        },
        other => fnv(&super::format::repr_plain(other)),
    })
}

/// `hash(frozenset)` from its items' hashes, as CPython's
/// `frozenset_hash` (order does not matter).
fn hash_frozenset(items: &[i64]) -> i64 {
    let shuffle = |h: u64| ((h ^ 89_869_747) ^ (h << 16)).wrapping_mul(3_644_798_167);
    let mut hash: u64 = 0;
    for h in items {
        hash ^= shuffle(*h as u64);
    }
    hash ^= (items.len() as u64 + 1).wrapping_mul(1_927_868_237);
    hash ^= (hash >> 11) ^ (hash >> 25);
    hash = hash.wrapping_mul(69_069).wrapping_add(907_133_923);
    let h = hash as i64;
    if h == -1 { 590_923_713 } else { h }
}

/// `__hash__`'s result as `hash()` returns it: an `int` that fits a C
/// `Py_ssize_t` as it is (every tutor `int` does), `-1` made `-2`.
///
/// Errors: `TypeError: __hash__ method should return an integer`.
pub fn hash_result(r: &Value) -> PyResult<i64> {
    match r {
        Value::Int(-1) => Ok(-2),
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(*b as i64),
        _ => Err(type_error("__hash__ method should return an integer")),
    }
}

/// `hash(n)` of an integer: its absolute value modulo 2**61 - 1, signed.
fn hash_int(n: i128) -> i64 {
    let h = (n.unsigned_abs() % MODULUS as u128) as i64;
    let h = if n < 0 { -h } else { h };
    if h == -1 { -2 } else { h }
}

/// `_Py_HashDouble`: the float's exact rational value modulo 2**61 - 1.
fn hash_float(v: f64) -> i64 {
    if v.is_infinite() {
        return if v > 0.0 { 314_159 } else { -314_159 };
    }
    if v.is_nan() {
        return 0;
    }
    if v.fract() == 0.0 && v.abs() < 1e18 {
        return hash_int(v as i128);
    }
    let (mut m, mut e) = frexp(v);
    let sign: i64 = if m < 0.0 {
        m = -m;
        -1
    } else {
        1
    };
    let mut x: u64 = 0;
    while m != 0.0 {
        x = ((x << 28) & MODULUS) | (x >> (61 - 28));
        m *= 268_435_456.0;
        e -= 28;
        let y = m as u64;
        m -= y as f64;
        x += y;
        if x >= MODULUS {
            x -= MODULUS;
        }
    }
    let e = if e >= 0 { e % 61 } else { 60 - ((-1 - e) % 61) } as u32;
    x = ((x << e) & MODULUS) | (x >> (61 - e));
    let h = x as i64 * sign;
    if h == -1 { -2 } else { h }
}

/// C's `frexp`: `v == m * 2**e` with `0.5 <= |m| < 1`.
fn frexp(v: f64) -> (f64, i32) {
    if v == 0.0 || !v.is_finite() {
        return (v, 0);
    }
    let bits = v.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    if exp == 0 {
        let (m, e) = frexp(v * 2f64.powi(54));
        return (m, e - 54);
    }
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (m, exp - 1022)
}

/// `tuplehash`: xxHash's round over the items' hashes.
fn hash_tuple(lanes: &[i64]) -> i64 {
    let mut acc = XXPRIME_5;
    for &lane in lanes {
        acc = acc.wrapping_add((lane as u64).wrapping_mul(XXPRIME_2));
        acc = acc.rotate_left(31);
        acc = acc.wrapping_mul(XXPRIME_1);
    }
    acc = acc.wrapping_add(lanes.len() as u64 ^ (XXPRIME_5 ^ 3_527_539));
    if acc == u64::MAX {
        1_546_275_796
    } else {
        acc as i64
    }
}

/// A fixed stand-in for CPython's keyed string hash (FNV-1a).
fn fnv(s: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let h = (h >> 1) as i64;
    if h == -1 { -2 } else { h }
}

#[cfg(test)]
mod tests {

    #[test]
    fn frozenset_hash_is_cpythons() {
        // CPython 3.11: hash(frozenset({1, 2})), hash(frozenset())
        assert_eq!(hash_frozenset(&[1, 2]), -1826646154956904602);
        assert_eq!(hash_frozenset(&[2, 1]), -1826646154956904602);
        assert_eq!(hash_frozenset(&[]), 133146708735736);
    }

    use super::*;

    fn h(v: Value) -> i64 {
        hash_value(&v, &mut |_| Ok(None)).unwrap()
    }

    #[test]
    fn numbers_hash_as_cpython() {
        // python3 -c "print(hash(5), hash(-1), hash(2**62), hash(-(2**62)), hash(1.5), hash(-0.1), hash(3.0), hash(True))"
        assert_eq!(h(Value::Int(5)), 5);
        assert_eq!(h(Value::Int(-1)), -2);
        assert_eq!(h(Value::Int(1 << 62)), 2);
        assert_eq!(h(Value::Int(-(1 << 62))), -2);
        assert_eq!(h(Value::Float(1.5)), 1_152_921_504_606_846_977);
        assert_eq!(h(Value::Float(-0.1)), -230_584_300_921_369_408);
        assert_eq!(h(Value::Float(3.0)), 3);
        assert_eq!(h(Value::Bool(true)), 1);
    }

    #[test]
    fn tuples_hash_as_cpython() {
        // python3 -c "print(hash((1, 2)), hash(()), hash((1, (2, 3.5))))"
        let t = Value::tuple;
        assert_eq!(
            h(t(vec![Value::Int(1), Value::Int(2)])),
            -3_550_055_125_485_641_917
        );
        assert_eq!(h(t(vec![])), 5_740_354_900_026_072_187);
        assert_eq!(
            h(t(vec![
                Value::Int(1),
                t(vec![Value::Int(2), Value::Float(3.5)])
            ])),
            -9_148_893_311_433_065_316
        );
    }

    #[test]
    fn containers_are_unhashable() {
        let e = hash_value(&Value::list(vec![]), &mut |_| Ok(None)).unwrap_err();
        assert_eq!(
            (e.exc, e.message.as_str()),
            (crate::python::ExcType::TypeError, "unhashable type: 'list'")
        );
    }
}
