//! Python's `math` module, as CPython 3.11's: the constants (`pi`, `e`,
//! `tau`, `inf`, `nan`) and the functions learners reach for, with
//! CPython's errors (`ValueError: math domain error`, `OverflowError: math
//! range error`, `TypeError: must be real number, not str`). Each function
//! is a [`Builtin::Math`] with its entry in [`MATH_FUNCTIONS`].

use super::ExcType;
use super::builtins::BuiltinFunction;
use super::exceptions::{PyErr, PyResult, type_error};
use super::signature::{ArgStyle, Bound, Signature};
use super::value::{Builtin, Value};
use super::vm::Vm;

/// `math.name` for a constant or a function the tutor has.
pub fn module_value(name: &str) -> Option<Value> {
    let constant = match name {
        "pi" => Some(std::f64::consts::PI),
        "e" => Some(std::f64::consts::E),
        "tau" => Some(std::f64::consts::TAU),
        "inf" => Some(f64::INFINITY),
        "nan" => Some(f64::NAN),
        _ => None,
    };
    if let Some(c) = constant {
        return Some(Value::Float(c));
    }
    MATH_FUNCTIONS.iter().find_map(|f| match f.builtin {
        Builtin::Math(n) if n == name => Some(Value::Builtin(f.builtin.clone())),
        _ => None,
    })
}

fn domain_error() -> PyErr {
    PyErr::new(ExcType::ValueError, "math domain error")
}

fn range_error() -> PyErr {
    PyErr::new(ExcType::OverflowError, "math range error")
}

/// A real number's value as a C double, as `PyFloat_AsDouble`.
///
/// Errors: `TypeError: must be real number, not T`.
fn real(v: &Value) -> PyResult<f64> {
    match v {
        Value::Int(i) => Ok(*i as f64),
        Value::Bool(b) => Ok(f64::from(u8::from(*b))),
        Value::Float(f) => Ok(*f),
        other => Err(type_error(format!(
            "must be real number, not {}",
            other.type_name()
        ))),
    }
}

/// An integer argument, as `PyNumber_Index`.
///
/// Errors: `TypeError: 'float' object cannot be interpreted as an integer`.
fn integer(v: &Value) -> PyResult<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(i64::from(*b)),
        other => Err(type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            other.type_name()
        ))),
    }
}

/// The result of a float function: `nan` from a finite argument is a
/// domain error, an infinity from a finite one a range error (CPython's
/// `math_1`).
fn checked(x: f64, r: f64) -> PyResult<Value> {
    if r.is_nan() && !x.is_nan() {
        return Err(domain_error());
    }
    if r.is_infinite() && x.is_finite() {
        return Err(range_error());
    }
    Ok(Value::Float(r))
}

/// `floor`/`ceil`/`trunc` of a float as an int.
///
/// Errors: `OverflowError` for an infinity, `ValueError` for `nan`;
/// integers past 64 bits are the tutor's `NotImplementedError`.
fn float_to_int(f: f64) -> PyResult<Value> {
    if f.is_infinite() {
        return Err(PyErr::new(
            ExcType::OverflowError,
            "cannot convert float infinity to integer",
        ));
    }
    if f.is_nan() {
        return Err(PyErr::new(
            ExcType::ValueError,
            "cannot convert float NaN to integer",
        ));
    }
    // TODO(bigint9): integers past 64 bits
    if !(-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f) {
        return Err(PyErr::unsupported("integers past 64 bits"));
    }
    Ok(Value::Int(f as i64))
}

fn rounding(v: &Value, name: &str, f: fn(f64) -> f64) -> PyResult<Value> {
    match v {
        Value::Int(i) => Ok(Value::Int(*i)),
        Value::Bool(b) => Ok(Value::Int(i64::from(*b))),
        Value::Float(x) => float_to_int(f(*x)),
        other if name == "trunc" => Err(type_error(format!(
            "type {} doesn't define __trunc__ method",
            other.type_name()
        ))),
        other => real(other).map(|_| Value::None),
    }
}

macro_rules! unary {
    ($name:literal, $full:literal, $body:expr) => {
        BuiltinFunction {
            builtin: Builtin::Math($name),
            sig: Signature::builtin($full, &["x", "/"], ArgStyle::Exact),
            call: |_, b| {
                let f: fn(f64) -> PyResult<Value> = $body;
                f(real(&b.value("x"))?)
            },
        }
    };
}

/// `math.log(x[, base])`: `ln(x)`, or `ln(x) / ln(base)` as CPython
/// divides them.
fn log(b: &Bound) -> PyResult<Value> {
    let ln = |v: &Value| -> PyResult<f64> {
        let x = real(v)?;
        if x <= 0.0 || x.is_nan() && !matches!(v, Value::Float(_)) {
            return Err(domain_error());
        }
        Ok(x.ln())
    };
    let num = ln(&b.value("x"))?;
    match b.get("base") {
        None => Ok(Value::Float(num)),
        Some(base) => {
            let den = ln(base)?;
            if den == 0.0 {
                return Err(PyErr::new(
                    ExcType::ZeroDivisionError,
                    "float division by zero",
                ));
            }
            Ok(Value::Float(num / den))
        }
    }
}

/// `math.fsum(iterable)`: the correctly rounded sum, by Shewchuk's exact
/// partial sums as CPython's `math_fsum`.
fn fsum(values: &[f64]) -> PyResult<f64> {
    let mut partials: Vec<f64> = Vec::new();
    let mut special = 0.0;
    let mut inf_sum = 0.0;
    for &x in values {
        if !x.is_finite() {
            if x.is_infinite() {
                inf_sum += x;
            }
            special += x;
            continue;
        }
        let mut x = x;
        let mut i = 0;
        for j in 0..partials.len() {
            let mut y = partials[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                partials[i] = lo;
                i += 1;
            }
            x = hi;
        }
        if x.is_infinite() {
            return Err(PyErr::new(
                ExcType::OverflowError,
                "intermediate overflow in fsum",
            ));
        }
        partials.truncate(i);
        partials.push(x);
    }
    if special != 0.0 {
        if inf_sum.is_nan() {
            return Err(PyErr::new(ExcType::ValueError, "-inf + inf in fsum"));
        }
        return Ok(special);
    }
    let mut hi = 0.0;
    if let Some(mut n) = partials.len().checked_sub(1) {
        hi = partials[n];
        let mut lo = 0.0;
        while n > 0 {
            let x = hi;
            n -= 1;
            let y = partials[n];
            hi = x + y;
            let yr = hi - x;
            lo = y - yr;
            if lo != 0.0 {
                break;
            }
        }
        // half-even rounding across the remaining partials
        if n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            let yr = x - hi;
            if y == yr {
                hi = x;
            }
        }
    }
    Ok(hi)
}

fn gcd(a: i64, b: i64) -> i64 {
    let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a as i64
}

/// `math.prod(iterable, *, start=1)`: `start * x1 * x2 …` with Python's
/// `*`, so ints stay ints.
fn prod(vm: &mut dyn Vm, b: &Bound) -> PyResult<Value> {
    let mut acc = b.get("start").cloned().unwrap_or(Value::Int(1));
    for x in vm.iterate_value(&b.value("iterable"))? {
        acc = super::ops::binary_op(crate::language::ast::BinOp::Mul, &acc, &x)?;
    }
    Ok(acc)
}

/// The `math` functions the tutor has.
pub static MATH_FUNCTIONS: &[BuiltinFunction] = &[
    unary!("sqrt", "math.sqrt", |x| checked(x, x.sqrt())),
    unary!("exp", "math.exp", |x| checked(x, x.exp())),
    unary!("fabs", "math.fabs", |x| Ok(Value::Float(x.abs()))),
    unary!("log10", "math.log10", |x| {
        if x <= 0.0 {
            return Err(domain_error());
        }
        Ok(Value::Float(x.log10()))
    }),
    unary!("log2", "math.log2", |x| {
        if x <= 0.0 {
            return Err(domain_error());
        }
        Ok(Value::Float(x.log2()))
    }),
    unary!("isnan", "math.isnan", |x| Ok(Value::Bool(x.is_nan()))),
    unary!("isinf", "math.isinf", |x| Ok(Value::Bool(x.is_infinite()))),
    unary!("isfinite", "math.isfinite", |x| Ok(Value::Bool(
        x.is_finite()
    ))),
    unary!("sin", "math.sin", |x| checked(x, x.sin())),
    unary!("cos", "math.cos", |x| checked(x, x.cos())),
    unary!("tan", "math.tan", |x| checked(x, x.tan())),
    unary!("degrees", "math.degrees", |x| Ok(Value::Float(
        x.to_degrees()
    ))),
    unary!("radians", "math.radians", |x| Ok(Value::Float(
        x.to_radians()
    ))),
    BuiltinFunction {
        builtin: Builtin::Math("floor"),
        sig: Signature::builtin("math.floor", &["x", "/"], ArgStyle::Exact),
        call: |_, b| rounding(&b.value("x"), "floor", f64::floor),
    },
    BuiltinFunction {
        builtin: Builtin::Math("ceil"),
        sig: Signature::builtin("math.ceil", &["x", "/"], ArgStyle::Exact),
        call: |_, b| rounding(&b.value("x"), "ceil", f64::ceil),
    },
    BuiltinFunction {
        builtin: Builtin::Math("trunc"),
        sig: Signature::builtin("math.trunc", &["x", "/"], ArgStyle::Exact),
        call: |_, b| rounding(&b.value("x"), "trunc", f64::trunc),
    },
    BuiltinFunction {
        builtin: Builtin::Math("log"),
        sig: Signature::builtin("math.log", &["x", "base=", "/"], ArgStyle::Expected),
        call: |_, b| log(&b),
    },
    BuiltinFunction {
        builtin: Builtin::Math("pow"),
        sig: Signature::builtin("math.pow", &["x", "y", "/"], ArgStyle::Expected),
        call: |_, b| {
            let (x, y) = (real(&b.value("x"))?, real(&b.value("y"))?);
            let r = x.powf(y);
            if x == 0.0 && y < 0.0 {
                return Err(domain_error());
            }
            if r.is_nan() && !x.is_nan() && !y.is_nan() {
                return Err(domain_error());
            }
            if r.is_infinite() && x.is_finite() && y.is_finite() {
                return Err(range_error());
            }
            Ok(Value::Float(r))
        },
    },
    BuiltinFunction {
        builtin: Builtin::Math("isclose"),
        sig: Signature::builtin(
            "math.isclose",
            &["a", "b", "/", "*", "rel_tol=", "abs_tol="],
            ArgStyle::Takes,
        ),
        call: |_, b| {
            let (a, x) = (real(&b.value("a"))?, real(&b.value("b"))?);
            let rel = b.get("rel_tol").map_or(Ok(1e-9), real)?;
            let abs = b.get("abs_tol").map_or(Ok(0.0), real)?;
            if rel < 0.0 || abs < 0.0 {
                return Err(PyErr::new(
                    ExcType::ValueError,
                    "tolerances must be non-negative",
                ));
            }
            if a == x {
                return Ok(Value::Bool(true));
            }
            if a.is_infinite() || x.is_infinite() {
                return Ok(Value::Bool(false));
            }
            let diff = (x - a).abs();
            Ok(Value::Bool(
                (diff <= (rel * x).abs()) || (diff <= (rel * a).abs()) || diff <= abs,
            ))
        },
    },
    BuiltinFunction {
        builtin: Builtin::Math("gcd"),
        sig: Signature::builtin("math.gcd", &["*integers"], ArgStyle::Takes),
        call: |_, b| {
            let mut g = 0;
            for v in &b.varargs {
                g = gcd(g, integer(v)?);
            }
            Ok(Value::Int(g))
        },
    },
    BuiltinFunction {
        builtin: Builtin::Math("factorial"),
        sig: Signature::builtin("math.factorial", &["n", "/"], ArgStyle::Exact),
        call: |_, b| {
            let n = integer(&b.value("n"))?;
            if n < 0 {
                return Err(PyErr::new(
                    ExcType::ValueError,
                    "factorial() not defined for negative values",
                ));
            }
            let mut acc: i64 = 1;
            for k in 2..=n {
                // TODO(bigint9): 21! and past need big ints
                acc = acc
                    .checked_mul(k)
                    .ok_or_else(|| PyErr::unsupported("integers past 64 bits"))?;
            }
            Ok(Value::Int(acc))
        },
    },
    BuiltinFunction {
        builtin: Builtin::Math("prod"),
        sig: Signature::builtin(
            "math.prod",
            &["iterable", "/", "*", "start="],
            ArgStyle::Takes,
        ),
        call: |vm, b| prod(vm, &b),
    },
    BuiltinFunction {
        builtin: Builtin::Math("fsum"),
        sig: Signature::builtin("math.fsum", &["seq", "/"], ArgStyle::Exact),
        call: |vm, b| {
            let mut xs = Vec::new();
            for v in vm.iterate_value(&b.value("seq"))? {
                xs.push(real(&v)?);
            }
            fsum(&xs).map(Value::Float)
        },
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fsum_is_correctly_rounded() {
        // CPython 3.11: math.fsum([0.1] * 10) == 1.0, sum(...) == 0.9999999999999999
        assert_eq!(fsum(&[0.1; 10]).ok(), Some(1.0));
        assert_eq!(
            fsum(&[1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50]).ok(),
            Some(1e-100)
        );
        assert_eq!(fsum(&[]).ok(), Some(0.0));
    }

    #[test]
    fn gcd_of_negatives_is_positive() {
        assert_eq!(gcd(-12, 18), 6);
        assert_eq!(gcd(0, 0), 0);
    }
}
