//! Python's unbounded `int` past 64 bits: [`Value::BigInt`], a boxed
//! `num_bigint::BigInt` that an integer operation promotes to on overflow
//! and demotes back from ([`int_value`]) as soon as the result fits an
//! `i64`, so small ints never pay for it. A `Value::BigInt` never holds a
//! value that fits an `i64`: `2**100 // 2**90` is a plain `Value::Int`.
//!
//! The arithmetic, comparisons (exact against floats, as CPython's
//! `float_richcompare`), `hash` (modulo 2**61 - 1), conversions to and from
//! `float`, and CPython 3.11's 4300-digit limit on `str(int)`/`int(str)`.
//! Results are capped at [`MAX_BITS`] bits: past it an operation raises
//! `MemoryError` at once where CPython would compute for hours
//! (`2 ** 10**10`).

use std::cmp::Ordering;
use std::rc::Rc;

use num_bigint::{BigInt, Sign};
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

use super::ExcType;
use super::exceptions::{PyErr, PyResult, value_error};
use super::value::Value;
use crate::language::ast::BinOp;

/// The largest integer result (in bits) the tutor computes: about 2.5
/// million decimal digits. Past it `MemoryError`, where CPython would try.
pub const MAX_BITS: u64 = 1 << 23;

/// CPython 3.11's `sys.get_int_max_str_digits()` default.
pub const MAX_STR_DIGITS: usize = 4300;

/// An integer value: a `Value::Int` when it fits an `i64`, else a
/// `Value::BigInt`.
pub fn int_value(n: BigInt) -> Value {
    match n.to_i64() {
        Some(i) => Value::Int(i),
        None => Value::BigInt(Rc::new(n)),
    }
}

/// `v` as an unbounded integer, when it is an `int` (or a `bool`).
pub fn to_big(v: &Value) -> Option<BigInt> {
    match v {
        Value::Int(i) => Some(BigInt::from(*i)),
        Value::Bool(b) => Some(BigInt::from(*b as i64)),
        Value::BigInt(n) => Some((**n).clone()),
        _ => None,
    }
}

/// True for `int`s and `bool`s.
pub fn is_int(v: &Value) -> bool {
    matches!(v, Value::Int(_) | Value::Bool(_) | Value::BigInt(_))
}

fn memory_error() -> PyErr {
    PyErr::new(ExcType::MemoryError, "integer too large for the tutor")
}

fn check_bits(bits: u64) -> PyResult<()> {
    if bits > MAX_BITS {
        Err(memory_error())
    } else {
        Ok(())
    }
}

fn zero_division() -> PyErr {
    PyErr::new(
        ExcType::ZeroDivisionError,
        "integer division or modulo by zero",
    )
}

/// `float(n)`, correctly rounded as CPython's.
///
/// Errors: `OverflowError: int too large to convert to float`.
pub fn to_f64(n: &BigInt) -> PyResult<f64> {
    match n.to_f64() {
        Some(f) if f.is_finite() => Ok(f),
        _ => Err(PyErr::new(
            ExcType::OverflowError,
            "int too large to convert to float",
        )),
    }
}

/// `int(f)` of a finite float: its exact value, truncated.
pub fn from_f64(f: f64) -> Value {
    let n: Option<BigInt> = num_traits::FromPrimitive::from_f64(f.trunc());
    n.map_or(Value::Int(0), int_value)
}

/// `a / b` of two integers as CPython's `long_true_divide`: the correctly
/// rounded quotient.
///
/// Errors: `ZeroDivisionError: division by zero`; `OverflowError: integer
/// division result too large for a float`.
pub fn true_divide(a: &BigInt, b: &BigInt) -> PyResult<f64> {
    if b.is_zero() {
        return Err(PyErr::new(ExcType::ZeroDivisionError, "division by zero"));
    }
    if a.is_zero() {
        return Ok(if a.is_negative() != b.is_negative() {
            -0.0
        } else {
            0.0
        });
    }
    let negative = a.is_negative() != b.is_negative();
    let (x, y) = (a.magnitude(), b.magnitude());
    // scale so that the quotient has 55 or 56 bits; its last bit is sticky
    let shift = 55 + y.bits() as i64 - x.bits() as i64;
    let (q, r) = if shift >= 0 {
        (x << shift as u64).div_rem(y)
    } else {
        x.div_rem(&(y << (-shift) as u64))
    };
    let q = q.to_u64().unwrap_or(u64::MAX) | u64::from(!r.is_zero());
    let mut f = q as f64;
    // f * 2**-shift, in steps that stay finite
    let mut e = -shift;
    while e > 0 {
        let step = e.min(1000);
        f *= 2f64.powi(step as i32);
        e -= step;
    }
    while e < 0 {
        let step = (-e).min(1000);
        f /= 2f64.powi(step as i32);
        e += step;
    }
    if f.is_infinite() {
        return Err(PyErr::new(
            ExcType::OverflowError,
            "integer division result too large for a float",
        ));
    }
    Ok(if negative { -f } else { f })
}

/// `a <op> b` of two integers at least one of which is a `Value::BigInt`,
/// or whose `i64` result overflowed. `Div` gives a float.
pub fn binary_op(op: BinOp, a: &BigInt, b: &BigInt) -> PyResult<Value> {
    Ok(match op {
        BinOp::Add => int_value(a + b),
        BinOp::Sub => int_value(a - b),
        BinOp::Mul => {
            check_bits(a.bits() + b.bits())?;
            int_value(a * b)
        }
        BinOp::Div => Value::Float(true_divide(a, b)?),
        BinOp::FloorDiv => {
            if b.is_zero() {
                return Err(zero_division());
            }
            int_value(a.div_floor(b))
        }
        BinOp::Mod => {
            if b.is_zero() {
                return Err(zero_division());
            }
            int_value(a.mod_floor(b))
        }
        BinOp::Pow => return pow(a, b),
        BinOp::BitAnd => int_value(a & b),
        BinOp::BitOr => int_value(a | b),
        BinOp::BitXor => int_value(a ^ b),
        BinOp::LShift => {
            let n = shift_count(b)?;
            if a.is_zero() {
                return Ok(Value::Int(0));
            }
            check_bits(a.bits().saturating_add(n))?;
            int_value(a << n)
        }
        BinOp::RShift => {
            let n = shift_count(b)?;
            if n >= a.bits() {
                return Ok(Value::Int(if a.is_negative() { -1 } else { 0 }));
            }
            int_value(a >> n)
        }
    })
}

/// A shift's count: `ValueError: negative shift count`.
fn shift_count(b: &BigInt) -> PyResult<u64> {
    if b.is_negative() {
        return Err(value_error("negative shift count"));
    }
    Ok(b.to_u64().unwrap_or(u64::MAX))
}

/// `a ** b`: an int for `b >= 0`, else the float CPython gives.
fn pow(a: &BigInt, b: &BigInt) -> PyResult<Value> {
    if b.is_negative() {
        if a.is_zero() {
            return Err(PyErr::new(
                ExcType::ZeroDivisionError,
                "0.0 cannot be raised to a negative power",
            ));
        }
        let base = to_f64(a)?;
        let exp = b.to_f64().unwrap_or(f64::NEG_INFINITY);
        return Ok(Value::Float(base.powf(exp)));
    }
    let magnitude = a.magnitude();
    if magnitude.is_zero() || magnitude.is_one() || b.is_zero() {
        let odd = b.is_odd();
        return Ok(Value::Int(if b.is_zero() {
            1
        } else if magnitude.is_zero() {
            0
        } else if a.is_negative() && odd {
            -1
        } else {
            1
        }));
    }
    let exp = b.to_u64().ok_or_else(memory_error)?;
    // bits(a**b) >= b * (bits(a) - 1) + 1
    check_bits(exp.saturating_mul(a.bits() - 1).saturating_add(1))?;
    let exp = u32::try_from(exp).map_err(|_| memory_error())?;
    Ok(int_value(num_traits::Pow::pow(a, exp)))
}

/// `pow(a, b, m)`, CPython's three-argument form: the result has `m`'s
/// sign; a negative `b` takes `a`'s inverse modulo `m`.
///
/// Errors: `ValueError: pow() 3rd argument cannot be 0`; `ValueError: base
/// is not invertible for the given modulus`.
pub fn mod_pow(a: &BigInt, b: &BigInt, m: &BigInt) -> PyResult<Value> {
    if m.is_zero() {
        return Err(value_error("pow() 3rd argument cannot be 0"));
    }
    let modulus = m.abs();
    if modulus.is_one() {
        return Ok(Value::Int(0));
    }
    let mut base = a.mod_floor(&modulus);
    let mut exp = b.clone();
    if exp.is_negative() {
        let g = base.extended_gcd(&modulus);
        if !g.gcd.is_one() {
            return Err(value_error("base is not invertible for the given modulus"));
        }
        base = g.x.mod_floor(&modulus);
        exp = -exp;
    }
    let mut r = base.modpow(&exp, &modulus);
    if m.is_negative() && !r.is_zero() {
        r += m;
    }
    Ok(int_value(r))
}

/// `-n`.
pub fn negate(n: &BigInt) -> Value {
    int_value(-n)
}

/// `~n`: `-n - 1`.
pub fn invert(n: &BigInt) -> Value {
    int_value(-n - 1)
}

/// Python's ordering of an int against a float, exact (`2**53 + 1 > 2.0**53`).
/// `None` when `f` is NaN.
pub fn cmp_float(n: &BigInt, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f.is_infinite() {
        return Some(if f > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        });
    }
    let t = f.trunc();
    let bt: BigInt = num_traits::FromPrimitive::from_f64(t)?;
    Some(match n.cmp(&bt) {
        Ordering::Equal if f > t => Ordering::Less,
        Ordering::Equal if f < t => Ordering::Greater,
        o => o,
    })
}

/// `hash(n)`: `|n|` modulo 2**61 - 1 with `n`'s sign, `-1` made `-2`.
pub fn hash(n: &BigInt) -> i64 {
    let modulus = BigInt::from((1u64 << 61) - 1);
    let h = (n.abs() % modulus).to_i64().unwrap_or(0);
    let h = if n.is_negative() { -h } else { h };
    if h == -1 { -2 } else { h }
}

/// The error CPython 3.11 raises converting an int of more than 4300
/// digits to a string.
pub fn str_digits_error() -> PyErr {
    value_error(format!(
        "Exceeds the limit ({MAX_STR_DIGITS} digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit"
    ))
}

/// `str(n)` in base 10.
///
/// Errors: `ValueError: Exceeds the limit (4300 digits) for integer string
/// conversion; …`.
pub fn to_decimal(n: &BigInt) -> PyResult<String> {
    // 4300 decimal digits hold at most 14284 bits: check cheaply first
    if n.bits() > 14_300 {
        return Err(str_digits_error());
    }
    let s = n.to_string();
    let digits = s.len() - usize::from(n.is_negative());
    if digits > MAX_STR_DIGITS {
        return Err(str_digits_error());
    }
    Ok(s)
}

/// `int(s)` of a string of digits in `radix` (signs, `_` and prefixes
/// already checked by the caller): `None` when it is not a number.
///
/// Errors: CPython's 4300-digit limit for base 10 (only powers of two are
/// exempt): `ValueError: Exceeds the limit (4300 digits) for integer
/// string conversion: value has 5000 digits; …`.
pub fn parse(digits: &str, radix: u32) -> PyResult<Option<BigInt>> {
    if !radix.is_power_of_two() && digits.len() > MAX_STR_DIGITS {
        return Err(value_error(format!(
            "Exceeds the limit ({MAX_STR_DIGITS} digits) for integer string conversion: value has {} digits; use sys.set_int_max_str_digits() to increase the limit",
            digits.len()
        )));
    }
    Ok(BigInt::parse_bytes(digits.as_bytes(), radix))
}

/// The magnitude of `n` in `radix` (2, 8, 10, 16), lower case.
pub fn magnitude_str(n: &BigInt, radix: u32) -> String {
    n.magnitude().to_str_radix(radix)
}

/// True when `n` is negative.
pub fn is_negative(n: &BigInt) -> bool {
    n.sign() == Sign::Minus
}

/// `round(n, ndigits)` for a negative `ndigits`: to the nearest multiple of
/// `10**-ndigits`, ties to even, as CPython's `long_round`.
pub fn round(n: &BigInt, ndigits: i64) -> PyResult<Value> {
    if ndigits >= 0 {
        return Ok(int_value(n.clone()));
    }
    let places = u32::try_from(-ndigits).unwrap_or(u32::MAX);
    if u64::from(places) > n.bits() {
        // 10**places > |n|: the nearest multiple is 0 (half only when equal)
        return Ok(Value::Int(0));
    }
    let pow: BigInt = num_traits::Pow::pow(BigInt::from(10), places);
    let (q, r) = n.div_mod_floor(&pow);
    let twice: BigInt = &r * 2;
    let q = match twice.cmp(&pow) {
        Ordering::Greater => q + 1,
        Ordering::Equal if q.is_odd() => q + 1,
        _ => q,
    };
    Ok(int_value(q * pow))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn big(s: &str) -> BigInt {
        s.parse().unwrap()
    }

    fn show(v: PyResult<Value>) -> String {
        match v {
            Ok(Value::Int(i)) => i.to_string(),
            Ok(Value::BigInt(n)) => format!("big {n}"),
            Ok(Value::Float(f)) => format!("{f:?}"),
            Ok(_) => "?".into(),
            Err(e) => format!("{}: {}", e.type_name(), e.message),
        }
    }

    #[test]
    fn results_demote_to_i64_when_they_fit() {
        let p100 = big("1267650600228229401496703205376");
        let p90 = big("1237940039285380274899124224");
        assert_eq!(show(binary_op(BinOp::FloorDiv, &p100, &p90)), "1024");
        assert_eq!(
            show(binary_op(BinOp::Mul, &p100, &BigInt::from(2))),
            "big 2535301200456458802993406410752"
        );
        assert_eq!(
            show(binary_op(BinOp::Mod, &-p100.clone(), &BigInt::from(7))),
            "5"
        );
        assert_eq!(show(binary_op(BinOp::Sub, &p100, &p100)), "0");
    }

    #[test]
    fn pow_and_mod_pow_follow_cpython() {
        assert_eq!(
            show(binary_op(BinOp::Pow, &BigInt::from(2), &BigInt::from(100))),
            "big 1267650600228229401496703205376"
        );
        assert_eq!(
            show(binary_op(BinOp::Pow, &BigInt::from(2), &big("10000000000"))),
            "MemoryError: integer too large for the tutor"
        );
        assert_eq!(
            show(mod_pow(
                &BigInt::from(3),
                &BigInt::from(-1),
                &BigInt::from(7)
            )),
            "5"
        );
        assert_eq!(
            show(mod_pow(
                &BigInt::from(2),
                &BigInt::from(10),
                &BigInt::from(-7)
            )),
            "-5"
        );
        assert_eq!(
            show(mod_pow(
                &BigInt::from(2),
                &BigInt::from(-1),
                &BigInt::from(4)
            )),
            "ValueError: base is not invertible for the given modulus"
        );
    }

    #[test]
    fn shifts_round_toward_negative_infinity() {
        assert_eq!(
            show(binary_op(
                BinOp::RShift,
                &BigInt::from(-5),
                &BigInt::from(1)
            )),
            "-3"
        );
        assert_eq!(
            show(binary_op(
                BinOp::RShift,
                &BigInt::from(-5),
                &BigInt::from(100)
            )),
            "-1"
        );
        assert_eq!(
            show(binary_op(
                BinOp::LShift,
                &BigInt::from(1),
                &BigInt::from(-1)
            )),
            "ValueError: negative shift count"
        );
    }

    #[test]
    fn true_division_is_correctly_rounded() {
        let p100 = big("1267650600228229401496703205376");
        assert_eq!(
            true_divide(&p100, &BigInt::from(3)).unwrap(),
            4.2255020007607644e29
        );
        assert_eq!(
            true_divide(&BigInt::from(1), &p100).unwrap(),
            7.888609052210118e-31
        );
        let huge: BigInt = num_traits::Pow::pow(BigInt::from(10), 400u32);
        assert_eq!(
            true_divide(&huge, &BigInt::from(1)).unwrap_err().message,
            "integer division result too large for a float"
        );
    }

    #[test]
    fn hash_is_modulo_the_mersenne_prime() {
        // hash(2**100) in CPython 3.11
        assert_eq!(hash(&big("1267650600228229401496703205376")), 549755813888);
        assert_eq!(
            hash(&-big("1267650600228229401496703205376")),
            -549755813888
        );
    }

    #[test]
    fn comparisons_with_floats_are_exact() {
        let n = big("9007199254740993"); // 2**53 + 1
        assert_eq!(cmp_float(&n, 9007199254740992.0), Some(Ordering::Greater));
        assert_eq!(cmp_float(&n, f64::INFINITY), Some(Ordering::Less));
        assert_eq!(cmp_float(&n, f64::NAN), None);
    }

    #[test]
    fn str_is_limited_to_4300_digits() {
        let ok: BigInt = num_traits::Pow::pow(BigInt::from(10), 4299u32);
        assert_eq!(to_decimal(&ok).unwrap().len(), 4300);
        let too_long: BigInt = num_traits::Pow::pow(BigInt::from(10), 4300u32);
        assert!(
            to_decimal(&too_long)
                .unwrap_err()
                .message
                .starts_with("Exceeds the limit")
        );
    }

    #[test]
    fn round_to_tens_is_half_even() {
        let n = big("1267650600228229401496703205376");
        assert_eq!(show(round(&n, -10)), "big 1267650600228229401500000000000");
        assert_eq!(show(round(&BigInt::from(25), -1)), "20");
        assert_eq!(show(round(&BigInt::from(35), -1)), "40");
    }
}
