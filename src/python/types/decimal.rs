//! Python's `decimal.Decimal`: construction (`Decimal("1.50")`,
//! `Decimal(3)`), `repr`/`str` as CPython's `_pydecimal.__str__`,
//! arithmetic with `int` and `Decimal` in the default context (28
//! significant digits, `ROUND_HALF_EVEN`), comparisons, `hash()` consistent
//! with `int`'s, and the methods `quantize` and `normalize`.
//!
//! Values are `rust_decimal::Decimal`: a 96-bit coefficient and a scale of
//! 0 to 28 digits after the point. Python's decimals go further (positive
//! exponents as in `Decimal('1E+2')`, exact binary expansions of floats,
//! infinities and NaN); those are read as the nearest value the tutor can
//! hold, or refused with `NotImplementedError`.

use rust_decimal::{Decimal, RoundingStrategy};

use super::BuiltinMethod;
use crate::python::ExcType;
use crate::python::exceptions::{PyErr, PyResult, type_error};
use crate::python::signature::{ArgStyle, Signature};
use crate::python::value::Value;

/// Significant digits of the default context (`getcontext().prec`).
const PRECISION: u32 = 28;

/// `Decimal(value="0")`.
pub const DECIMAL: Signature =
    Signature::builtin("Decimal", &["value=", "context=!"], ArgStyle::Takes);

/// `Decimal(value)`: from an `int`, a `str` (`"1.50"`, `" -2e-3 "`), a
/// `float` (its binary value to 28 digits) or another `Decimal`.
/// `decimal.InvalidOperation` for a string that is no number, as CPython
/// (`[<class 'decimal.ConversionSyntax'>]`).
pub fn construct(value: Option<&Value>) -> PyResult<Value> {
    let d = match value {
        None => Decimal::ZERO,
        Some(Value::Decimal(d)) => *d,
        Some(Value::Int(i)) => Decimal::from(*i),
        Some(Value::Bool(b)) => Decimal::from(*b as i64),
        Some(Value::Float(f)) => from_float(*f)?,
        Some(Value::Str(s)) => parse(s).ok_or_else(|| {
            let t = s.trim().to_ascii_lowercase();
            if matches!(
                t.trim_start_matches(['+', '-']),
                "inf" | "infinity" | "nan" | "snan"
            ) {
                PyErr::unsupported("Decimal infinities and NaN")
            } else {
                PyErr::new(
                    ExcType::InvalidOperation,
                    "[<class 'decimal.ConversionSyntax'>]",
                )
            }
        })?,
        Some(other) => {
            return Err(type_error(format!(
                "conversion from {} to Decimal is not supported",
                other.type_name()
            )));
        }
    };
    Ok(Value::Decimal(d))
}

/// A float's value, as close as 28 digits after the point allow (Python
/// gives its exact binary expansion, up to 55 digits for `Decimal(1.1)`).
pub fn from_float(f: f64) -> PyResult<Decimal> {
    if !f.is_finite() {
        return Err(PyErr::unsupported("Decimal infinities and NaN"));
    }
    Decimal::from_f64_retain(f)
        .map(fit)
        .ok_or_else(|| PyErr::unsupported("a Decimal this large"))
}

/// Decimal text as Python reads it: an optional sign, digits with an
/// optional point, an optional exponent; surrounding whitespace and `_`
/// between digits allowed. `None` for anything else, or a value outside
/// what the tutor holds.
pub fn parse(s: &str) -> Option<Decimal> {
    let t: String = s.trim().chars().filter(|c| *c != '_').collect();
    if t.is_empty() || t.contains(char::is_whitespace) {
        return None;
    }
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], t[i + 1..].parse::<i32>().ok()?),
        None => (&t[..], 0),
    };
    let unsigned = mantissa.trim_start_matches(['+', '-']);
    if mantissa.len() - unsigned.len() > 1 || unsigned.is_empty() || unsigned == "." {
        return None;
    }
    if unsigned.matches('.').count() > 1
        || !unsigned.chars().all(|c| c.is_ascii_digit() || c == '.')
    {
        return None;
    }
    let mut d = mantissa.parse::<Decimal>().ok()?;
    // `Decimal('-0')` keeps its sign
    d.set_sign_negative(mantissa.starts_with('-'));
    if exponent > 0 {
        if exponent > 28 {
            return None;
        }
        for _ in 0..exponent {
            d = d.checked_mul(Decimal::TEN)?;
        }
        // `1.5E+1` is 15: the scale drops by the exponent
        d.rescale(d.scale().saturating_sub(exponent as u32));
    } else if exponent < 0 {
        let scale = d.scale().checked_add(exponent.unsigned_abs())?;
        if scale > 28 {
            return None;
        }
        d.set_scale(scale).ok()?;
    }
    Some(d)
}

/// `str(d)`: CPython's `Decimal.__str__` (scientific notation when the
/// value has more than six leading zeros after the point: `1E-7`).
pub fn to_str(d: &Decimal) -> String {
    let digits = d.mantissa().unsigned_abs().to_string();
    let exp = -(d.scale() as i64);
    let n = digits.len() as i64;
    let leftdigits = exp + n;
    let dotplace = if exp <= 0 && leftdigits > -6 {
        leftdigits
    } else {
        1
    };
    let (intpart, fracpart) = if dotplace <= 0 {
        (
            "0".to_string(),
            format!(".{}{digits}", "0".repeat((-dotplace) as usize)),
        )
    } else if dotplace >= n {
        (
            format!("{digits}{}", "0".repeat((dotplace - n) as usize)),
            String::new(),
        )
    } else {
        let (a, b) = digits.split_at(dotplace as usize);
        (a.to_string(), format!(".{b}"))
    };
    let e = if leftdigits == dotplace {
        String::new()
    } else {
        format!("E{:+}", leftdigits - dotplace)
    };
    let sign = if d.is_sign_negative() { "-" } else { "" };
    format!("{sign}{intpart}{fracpart}{e}")
}

/// `repr(d)`: `Decimal('1.50')`.
pub fn repr(d: &Decimal) -> String {
    format!("Decimal('{}')", to_str(d))
}

/// A result rounded to the context's 28 significant digits (half even),
/// as every arithmetic operation of the default context.
fn fit(d: Decimal) -> Decimal {
    let digits = d.mantissa().unsigned_abs().to_string().len() as u32;
    if digits <= PRECISION {
        return d;
    }
    let drop = digits - PRECISION;
    if d.scale() >= drop {
        d.round_dp_with_strategy(d.scale() - drop, RoundingStrategy::MidpointNearestEven)
    } else {
        d.round_sf(PRECISION).unwrap_or(d)
    }
}

/// The number of the other operand of an arithmetic operation with a
/// Decimal: an `int`/`bool` or a `Decimal`; `None` for others (a `float`
/// is a `TypeError` with a Decimal, as in Python).
pub fn operand(v: &Value) -> Option<Decimal> {
    match v {
        Value::Decimal(d) => Some(*d),
        Value::Int(i) => Some(Decimal::from(*i)),
        Value::Bool(b) => Some(Decimal::from(*b as i64)),
        _ => None,
    }
}

fn overflow() -> PyErr {
    PyErr::unsupported("a Decimal this large")
}

fn division_by_zero(x: &Decimal) -> PyErr {
    if x.is_zero() {
        PyErr::new(
            ExcType::InvalidOperation,
            "[<class 'decimal.DivisionUndefined'>]",
        )
    } else {
        PyErr::new(
            ExcType::DivisionByZero,
            "[<class 'decimal.DivisionByZero'>]",
        )
    }
}

/// `x / y`: the exact quotient at the ideal exponent (`Decimal('1.00') / 2`
/// is `Decimal('0.50')`), else 28 significant digits.
fn divide(x: Decimal, y: Decimal) -> PyResult<Decimal> {
    if y.is_zero() {
        return Err(division_by_zero(&x));
    }
    let q = fit(x.checked_div(y).ok_or_else(overflow)?);
    let ideal = x.scale() as i64 - y.scale() as i64;
    if q.checked_mul(y) == Some(x) {
        let mut exact = q.normalize();
        if (exact.scale() as i64) < ideal {
            let mut padded = exact;
            padded.rescale(ideal as u32);
            if padded == exact && padded.scale() as i64 == ideal {
                exact = padded;
            }
        }
        return Ok(exact);
    }
    Ok(q)
}

/// `x ** n` for an integer power (Python also takes Decimal powers).
fn power(x: Decimal, n: &Value) -> PyResult<Decimal> {
    let Value::Int(n) = n else {
        return Err(PyErr::unsupported("a Decimal power that is not an int"));
    };
    let mut out = Decimal::ONE;
    for _ in 0..n.unsigned_abs().min(10_000) {
        out = fit(out.checked_mul(x).ok_or_else(overflow)?);
    }
    if *n < 0 {
        out = divide(Decimal::ONE, out)?;
    }
    Ok(out)
}

/// `a <op> b` where one side is a Decimal: `None` when the other side is
/// not a number a Decimal mixes with (the caller raises Python's
/// `TypeError`).
pub fn binary_op(op: crate::language::ast::BinOp, a: &Value, b: &Value) -> Option<PyResult<Value>> {
    use crate::language::ast::BinOp;
    let x = operand(a)?;
    if op == BinOp::Pow {
        if !matches!(a, Value::Decimal(_)) {
            return Some(Err(PyErr::unsupported("a Decimal power")));
        }
        return Some(power(x, b).map(Value::Decimal));
    }
    let y = operand(b)?;
    let r = match op {
        BinOp::Add => x.checked_add(y).map(fit).ok_or_else(overflow),
        BinOp::Sub => x.checked_sub(y).map(fit).ok_or_else(overflow),
        BinOp::Mul => x.checked_mul(y).map(fit).ok_or_else(overflow),
        BinOp::Div => divide(x, y),
        // Decimal's `//` and `%` truncate toward zero (not floor, as int's)
        BinOp::FloorDiv if y.is_zero() => Err(division_by_zero(&x)),
        BinOp::FloorDiv => x.checked_div(y).map(|q| q.trunc()).ok_or_else(overflow),
        BinOp::Mod if y.is_zero() => Err(PyErr::new(
            ExcType::InvalidOperation,
            "[<class 'decimal.DivisionUndefined'>]",
        )),
        BinOp::Mod => x.checked_rem(y).ok_or_else(overflow),
        _ => return None,
    };
    Some(r.map(Value::Decimal))
}

/// `d == other` for a number: exact, as Python (`Decimal('1.1') == 1.1` is
/// false: the float is not exactly 1.1).
pub fn equals(d: &Decimal, other: &Value) -> Option<bool> {
    match other {
        Value::Float(f) => Some(f.is_finite() && from_float(*f).is_ok_and(|g| g == *d)),
        other => operand(other).map(|o| o == *d),
    }
}

/// Ordering of a Decimal with another number.
pub fn compare(d: &Decimal, other: &Value) -> Option<std::cmp::Ordering> {
    match other {
        Value::Float(f) => from_float(*f).ok().map(|g| d.cmp(&g)),
        other => operand(other).map(|o| d.cmp(&o)),
    }
}

/// `hash(d)`: CPython's numeric hash (`Decimal.__hash__`), so that
/// `hash(Decimal(1)) == hash(1)` and `hash(Decimal('1.5')) == hash(1.5)`.
pub fn hash(d: &Decimal) -> i64 {
    const P: u128 = (1 << 61) - 1;
    fn pow_mod(mut b: u128, mut e: u128) -> u128 {
        let mut r = 1;
        b %= P;
        while e > 0 {
            if e & 1 == 1 {
                r = r * b % P;
            }
            b = b * b % P;
            e >>= 1;
        }
        r
    }
    let inv10 = pow_mod(10, P - 2);
    let exp_hash = pow_mod(inv10, u128::from(d.scale()));
    let coefficient = d.mantissa().unsigned_abs() % P;
    let h = (coefficient * exp_hash % P) as i64;
    let h = if d.is_sign_negative() { -h } else { h };
    if h == -1 { -2 } else { h }
}

/// `round(d)`: the nearest int, half to even.
pub fn round_int(d: &Decimal) -> PyResult<Value> {
    let r = d.round_dp_with_strategy(0, RoundingStrategy::MidpointNearestEven);
    i64::try_from(r.mantissa() / 10i128.pow(r.scale()))
        .map(Value::Int)
        .map_err(|_| overflow())
}

/// `round(d, n)`: a Decimal with `n` digits after the point, half to even
/// (`round(Decimal('2.675'), 2)` is `Decimal('2.68')`).
pub fn round_to(d: &Decimal, n: i64) -> PyResult<Value> {
    if !(0..=28).contains(&n) {
        return Err(PyErr::unsupported(
            "round() of a Decimal to this many digits",
        ));
    }
    Ok(Value::Decimal(quantize(
        d,
        n as u32,
        RoundingStrategy::MidpointNearestEven,
    )))
}

/// `d` with exactly `scale` digits after the point, rounded by `strategy`.
fn quantize(d: &Decimal, scale: u32, strategy: RoundingStrategy) -> Decimal {
    let mut r = d.round_dp_with_strategy(scale, strategy);
    r.rescale(scale);
    r
}

/// `int(d)`: toward zero.
pub fn to_int(d: &Decimal) -> PyResult<Value> {
    let t = d.trunc();
    i64::try_from(t.mantissa() / 10i128.pow(t.scale()))
        .map(Value::Int)
        .map_err(|_| overflow())
}

/// `float(d)`.
pub fn to_float(d: &Decimal) -> f64 {
    to_str(d).parse().unwrap_or(0.0)
}

/// `format(d, ".2f")`: fixed point with `p` digits, half to even.
pub fn format_fixed(d: &Decimal, p: usize) -> String {
    to_str(&quantize(
        d,
        p.min(28) as u32,
        RoundingStrategy::MidpointNearestEven,
    ))
}

/// The `ROUND_*` constants of the `decimal` module, as the strings they are
/// in Python, with the rounding each names.
pub const ROUNDINGS: &[(&str, RoundingStrategy)] = &[
    ("ROUND_HALF_EVEN", RoundingStrategy::MidpointNearestEven),
    ("ROUND_HALF_UP", RoundingStrategy::MidpointAwayFromZero),
    ("ROUND_HALF_DOWN", RoundingStrategy::MidpointTowardZero),
    ("ROUND_UP", RoundingStrategy::AwayFromZero),
    ("ROUND_DOWN", RoundingStrategy::ToZero),
    ("ROUND_CEILING", RoundingStrategy::ToPositiveInfinity),
    ("ROUND_FLOOR", RoundingStrategy::ToNegativeInfinity),
];

/// The methods of a `Decimal`.
pub static DECIMAL_METHODS: &[BuiltinMethod<Decimal>] = &[
    BuiltinMethod {
        name: "quantize",
        sig: Signature::builtin(
            "quantize",
            &["exp", "rounding=", "context=!"],
            ArgStyle::Takes,
        ),
        call: |_, d, b| {
            let exp = match b.value("exp") {
                Value::Decimal(e) => e,
                Value::Int(i) => Decimal::from(i),
                other => {
                    return Err(type_error(format!(
                        "conversion from {} to Decimal is not supported",
                        other.type_name()
                    )));
                }
            };
            let strategy = match b.given("rounding") {
                None | Some(Value::None) => RoundingStrategy::MidpointNearestEven,
                Some(Value::Str(s)) => ROUNDINGS
                    .iter()
                    .find(|(n, _)| *n == &**s)
                    .map(|(_, r)| *r)
                    .ok_or_else(|| {
                        type_error("valid values for rounding are:\n  [ROUND_CEILING, ROUND_FLOOR, ROUND_UP, ROUND_DOWN,\n   ROUND_HALF_UP, ROUND_HALF_DOWN, ROUND_HALF_EVEN,\n   ROUND_05UP]")
                    })?,
                Some(other) => {
                    return Err(type_error(format!(
                        "valid values for rounding are strings, not {}",
                        other.type_name()
                    )));
                }
            };
            Ok(Value::Decimal(quantize(d, exp.scale(), strategy)))
        },
    },
    BuiltinMethod {
        name: "normalize",
        sig: Signature::builtin("normalize", &["context=!"], ArgStyle::Takes),
        call: |_, d, _| Ok(Value::Decimal(d.normalize())),
    },
    BuiltinMethod {
        name: "is_zero",
        sig: Signature::builtin("is_zero", &[], ArgStyle::Exact),
        call: |_, d, _| Ok(Value::Bool(d.is_zero())),
    },
    BuiltinMethod {
        name: "is_signed",
        sig: Signature::builtin("is_signed", &[], ArgStyle::Exact),
        call: |_, d, _| Ok(Value::Bool(d.is_sign_negative())),
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::ast::BinOp;

    fn dec(s: &str) -> Decimal {
        parse(s).unwrap_or_else(|| panic!("{s} parses"))
    }

    fn op(o: BinOp, a: Value, b: Value) -> String {
        match binary_op(o, &a, &b) {
            Some(Ok(v)) => match v {
                Value::Decimal(d) => to_str(&d),
                other => format!("{other:?}"),
            },
            Some(Err(e)) => format!("{}: {}", e.type_name(), e.message),
            None => "unsupported".into(),
        }
    }

    // Expected values are CPython 3.11's.
    #[test]
    fn str_and_repr_as_python() {
        assert_eq!(repr(&dec("1.50")), "Decimal('1.50')");
        assert_eq!(to_str(&dec("0.0000001")), "1E-7");
        assert_eq!(to_str(&dec("0.00000010")), "1.0E-7");
        assert_eq!(to_str(&dec("0.000001")), "0.000001");
        assert_eq!(to_str(&dec("-0")), "-0");
        assert_eq!(to_str(&dec("  2.0000000000000000 ")), "2.0000000000000000");
        assert_eq!(to_str(&dec("1.5e1")), "15");
        assert_eq!(to_str(&dec("15e-1")), "1.5");
        assert!(parse("1.2.3").is_none());
        assert!(parse("abc").is_none());
        assert!(parse("--1").is_none());
    }

    #[test]
    fn arithmetic_as_python() {
        let d = |s| Value::Decimal(dec(s));
        assert_eq!(op(BinOp::Add, d("1.50"), Value::Int(1)), "2.50");
        assert_eq!(op(BinOp::Mul, d("1.50"), Value::Int(2)), "3.00");
        assert_eq!(
            op(BinOp::Div, d("1"), d("3")),
            "0.3333333333333333333333333333"
        );
        assert_eq!(
            op(BinOp::Div, d("10"), d("3")),
            "3.333333333333333333333333333"
        );
        assert_eq!(op(BinOp::Div, d("1.00"), Value::Int(2)), "0.50");
        assert_eq!(op(BinOp::Div, d("6"), Value::Int(2)), "3");
        assert_eq!(op(BinOp::Div, d("10"), d("4")), "2.5");
        assert_eq!(op(BinOp::Div, d("1"), d("8")), "0.125");
        assert_eq!(op(BinOp::Div, d("100"), d("10")), "10");
        assert_eq!(op(BinOp::Mul, d("1.20"), d("1.5")), "1.800");
        assert_eq!(op(BinOp::FloorDiv, d("1.5"), Value::Int(1)), "1");
        assert_eq!(op(BinOp::Mod, d("7.5"), Value::Int(2)), "1.5");
        assert_eq!(op(BinOp::Mod, d("-7"), Value::Int(2)), "-1");
        assert_eq!(op(BinOp::Pow, d("2"), Value::Int(3)), "8");
        assert_eq!(op(BinOp::Add, d("1.5"), Value::Float(1.0)), "unsupported");
        assert_eq!(
            op(BinOp::Div, d("1"), Value::Int(0)),
            "DivisionByZero: [<class 'decimal.DivisionByZero'>]"
        );
    }

    #[test]
    fn rounding_comparison_and_hash_as_python() {
        assert_eq!(format_fixed(&dec("1.505"), 2), "1.50");
        assert!(
            matches!(round_to(&dec("2.675"), 2), Ok(Value::Decimal(d)) if to_str(&d) == "2.68")
        );
        assert!(matches!(round_int(&dec("2.5")), Ok(Value::Int(2))));
        assert!(matches!(to_int(&dec("-1.9")), Ok(Value::Int(-1))));
        assert_eq!(equals(&dec("1.5"), &Value::Float(1.5)), Some(true));
        assert_eq!(equals(&dec("1.1"), &Value::Float(1.1)), Some(false));
        assert_eq!(equals(&dec("1.0"), &Value::Int(1)), Some(true));
        assert_eq!(hash(&dec("1.0")), 1);
        assert_eq!(hash(&dec("1.5")), 1_152_921_504_606_846_977);
        assert_eq!(hash(&dec("-1")), -2);
    }
}
