//! Python's operators on plain values: equality, ordering, arithmetic,
//! membership. SQL expressions (objects of the ORM room above) are handled
//! by the interpreter before these are reached.

use std::rc::Rc;

use crate::language::ast::BinOp;

use super::ExcType;
use super::bigint;
use super::exceptions::{PyErr, PyResult, type_error};
use super::recursion;
use super::types::timedelta::qualified_name;
use super::value::Value;

/// The longest string (bytes) `+` and `*` build before raising
/// `MemoryError`, where Python would grow until the machine runs out.
pub const MAX_STR_LEN: usize = 10_000_000;

/// The longest list `+` and `*` build before raising `MemoryError`.
pub const MAX_LIST_LEN: usize = 1_000_000;

/// Python's `==` operator on plain values: [`values_equal`], with
/// `RecursionError: maximum recursion depth exceeded in comparison` for
/// containers nested past the recursion limit (two lists that contain
/// themselves), as CPython.
pub fn equal(a: &Value, b: &Value) -> PyResult<bool> {
    recursion::take_exceeded();
    let eq = values_equal(a, b);
    if recursion::take_exceeded() {
        return Err(recursion::recursion_error(" in comparison"));
    }
    Ok(eq)
}

/// Items compare equal when they are the same object, then by `==`, as
/// CPython's `PyObject_RichCompareBool` inside containers.
fn item_equal(a: &Value, b: &Value) -> bool {
    a.is(b) || values_equal(a, b)
}

/// Python's `==` on plain values (`false` past the recursion limit: use
/// [`equal`] for the operator, which raises then).
pub fn values_equal(a: &Value, b: &Value) -> bool {
    let _level = match (a, b) {
        (Value::List(_) | Value::Tuple(_) | Value::Row(_) | Value::Dict(_) | Value::Set(..), _) => {
            match recursion::Level::enter() {
                Some(level) => Some(level),
                None => return false,
            }
        }
        _ => None,
    };
    match (a, b) {
        (Value::None, Value::None) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::BigInt(x), Value::BigInt(y)) => x == y,
        (Value::BigInt(_), Value::Int(_) | Value::Bool(_))
        | (Value::Int(_) | Value::Bool(_), Value::BigInt(_)) => false,
        (Value::BigInt(n), Value::Float(f)) | (Value::Float(f), Value::BigInt(n)) => {
            bigint::cmp_float(n, *f) == Some(std::cmp::Ordering::Equal)
        }
        (Value::Int(i), Value::Float(f)) | (Value::Float(f), Value::Int(i)) => {
            int_float_cmp(*i, *f) == Some(std::cmp::Ordering::Equal)
        }
        (
            Value::Int(_) | Value::Bool(_) | Value::Float(_),
            Value::Int(_) | Value::Bool(_) | Value::Float(_),
        ) => match (as_int(a), as_int(b)) {
            (Some(x), Some(y)) => x == y,
            _ => as_float(a) == as_float(b),
        },
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Bytes(x), Value::Bytes(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            Rc::ptr_eq(x, y) || {
                let (x, y) = (x.items.borrow(), y.items.borrow());
                x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| item_equal(p, q))
            }
        }
        (Value::Tuple(x), Value::Tuple(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| item_equal(p, q))
        }
        (Value::Row(x), Value::Row(y)) => {
            x.values.len() == y.values.len()
                && x.values
                    .iter()
                    .zip(y.values.iter())
                    .all(|(p, q)| item_equal(p, q))
        }
        (Value::Row(x), Value::Tuple(y)) | (Value::Tuple(y), Value::Row(x)) => {
            x.values.len() == y.len()
                && x.values.iter().zip(y.iter()).all(|(p, q)| item_equal(p, q))
        }
        (Value::Dict(x), Value::Dict(y)) => {
            let (x, y) = (x.borrow(), y.borrow());
            if let Some(eq) = super::collections::dict_equal(&x, &y, &item_equal) {
                return eq;
            }
            x.len() == y.len()
                && x.iter().all(|(k, v)| {
                    y.iter()
                        .any(|(k2, v2)| values_equal(k, k2) && item_equal(v, v2))
                })
        }
        (Value::Set(x, _), Value::Set(y, _)) => {
            let (x, y) = (x.items.borrow(), y.items.borrow());
            x.len() == y.len()
                && x.iter()
                    .all(|a| y.iter().any(|b| a.is(b) || values_equal(a, b)))
        }
        (Value::DateTime(x), Value::DateTime(y)) => x == y,
        (Value::Date(x), Value::Date(y)) => x == y,
        (Value::Time(x), Value::Time(y)) => x == y,
        (Value::TimeDelta(x), Value::TimeDelta(y)) => x == y,
        (Value::Decimal(d), other) | (other, Value::Decimal(d))
            if let Some(eq) = super::types::decimal::equals(d, other) =>
        {
            eq
        }
        (Value::ExceptionClass(x), Value::ExceptionClass(y)) => x == y,
        (Value::Native(n), other) | (other, Value::Native(n)) if let Some(eq) = n.equals(other) => {
            eq
        }
        (Value::Native(n), other) | (other, Value::Native(n)) if let Some(v) = n.as_builtin() => {
            values_equal(&v, other)
        }
        _ => a.is(b),
    }
}

/// Equality of two primary keys.
pub fn key_equal(a: &[Value], b: &[Value]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| values_equal(x, y))
}

/// An int against a float, exactly (`2**53 + 1 != 2.0**53`), as CPython.
fn int_float_cmp(i: i64, f: f64) -> Option<std::cmp::Ordering> {
    if i.unsigned_abs() <= 1 << 53 {
        (i as f64).partial_cmp(&f)
    } else {
        bigint::cmp_float(&i.into(), f)
    }
}

fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(*b as i64),
        _ => None,
    }
}

fn as_float(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Bool(b) => Some(*b as i64 as f64),
        Value::Float(f) => Some(*f),
        Value::BigInt(n) => bigint::to_f64(n).ok(),
        _ => None,
    }
}

/// Python's ordering (`<`) on plain values; `TypeError` for mixed types.
pub fn compare_values(a: &Value, b: &Value, op: &str) -> PyResult<std::cmp::Ordering> {
    use std::cmp::Ordering;
    let unorderable = || {
        type_error(format!(
            "'{op}' not supported between instances of '{}' and '{}'",
            qualified_name(a),
            qualified_name(b)
        ))
    };
    match (a, b) {
        (Value::Int(_) | Value::Bool(_), Value::Int(_) | Value::Bool(_)) => {
            Ok(as_int(a).cmp(&as_int(b)))
        }
        (Value::BigInt(_), Value::Int(_) | Value::Bool(_) | Value::BigInt(_))
        | (Value::Int(_) | Value::Bool(_), Value::BigInt(_)) => {
            Ok(bigint::to_big(a).cmp(&bigint::to_big(b)))
        }
        (Value::BigInt(n), Value::Float(f)) => bigint::cmp_float(n, *f).ok_or_else(unorderable),
        (Value::Int(i), Value::Float(f)) => int_float_cmp(*i, *f).ok_or_else(unorderable),
        (Value::Float(f), Value::Int(i)) => int_float_cmp(*i, *f)
            .map(std::cmp::Ordering::reverse)
            .ok_or_else(unorderable),
        (Value::Float(f), Value::BigInt(n)) => bigint::cmp_float(n, *f)
            .map(std::cmp::Ordering::reverse)
            .ok_or_else(unorderable),
        (Value::Bool(_) | Value::Float(_), Value::Bool(_) | Value::Float(_)) => as_float(a)
            .partial_cmp(&as_float(b))
            .ok_or_else(unorderable),
        (Value::Str(x), Value::Str(y)) => Ok(x.cmp(y)),
        (Value::Bytes(x), Value::Bytes(y)) => Ok(x.cmp(y)),
        (Value::Decimal(d), other) if let Some(o) = super::types::decimal::compare(d, other) => {
            Ok(o)
        }
        (other, Value::Decimal(d)) if let Some(o) = super::types::decimal::compare(d, other) => {
            Ok(o.reverse())
        }
        (Value::DateTime(x), Value::DateTime(y)) => Ok(x.cmp(y)),
        (Value::Date(x), Value::Date(y)) => Ok(x.cmp(y)),
        (Value::Time(x), Value::Time(y)) => Ok(x.cmp(y)),
        (Value::TimeDelta(x), Value::TimeDelta(y)) => Ok(x.cmp(y)),
        (
            Value::List(_) | Value::Tuple(_) | Value::Row(_),
            Value::List(_) | Value::Tuple(_) | Value::Row(_),
        ) => {
            let Some(_level) = recursion::Level::enter() else {
                recursion::take_exceeded();
                return Err(recursion::recursion_error(" in comparison"));
            };
            let xs = sequence_items(a).unwrap_or_default();
            let ys = sequence_items(b).unwrap_or_default();
            for (x, y) in xs.iter().zip(ys.iter()) {
                if !x.is(y) && !equal(x, y)? {
                    return compare_values(x, y, op);
                }
            }
            Ok(xs.len().cmp(&ys.len()))
        }
        _ => {
            let _ = Ordering::Equal;
            Err(unorderable())
        }
    }
}

/// The items of a list, tuple, row or string (as one-character strings).
pub fn sequence_items(v: &Value) -> Option<Vec<Value>> {
    match v {
        Value::List(l) => Some(l.items.borrow().clone()),
        Value::Tuple(t) => Some(t.to_vec()),
        Value::Row(r) => Some(r.values.clone()),
        Value::Str(s) => Some(s.chars().map(|c| Value::str(&c.to_string())).collect()),
        Value::Bytes(b) => Some(b.iter().map(|&x| Value::Int(i64::from(x))).collect()),
        Value::Dict(d) => Some(d.borrow().iter().map(|(k, _)| k.clone()).collect()),
        Value::Set(s, _) => Some(s.items.borrow().clone()),
        Value::Native(n) => sequence_items(&n.as_builtin()?),
        _ => None,
    }
}

/// `item in container`.
pub fn contains(container: &Value, item: &Value) -> PyResult<bool> {
    match container {
        Value::Str(s) => match item {
            Value::Str(sub) => Ok(s.contains(&**sub)),
            other => Err(type_error(format!(
                "'in <string>' requires string as left operand, not {}",
                other.type_name()
            ))),
        },
        Value::Bytes(b) => super::types::bytes::contains(b, item),
        Value::Dict(d) => Ok(d.borrow().position(item).is_some()),
        Value::Native(n) if let Some(b) = n.as_builtin() => contains(&b, item),
        other => match sequence_items(other) {
            Some(items) => {
                for x in &items {
                    if x.is(item) || equal(x, item)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            None => Err(type_error(format!(
                "argument of type '{}' is not iterable",
                other.type_name()
            ))),
        },
    }
}

fn op_symbol(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::Div => "/",
        BinOp::FloorDiv => "//",
        BinOp::Mod => "%",
        BinOp::Pow => "**",
        BinOp::BitAnd => "&",
        BinOp::BitOr => "|",
        BinOp::BitXor => "^",
        BinOp::LShift => "<<",
        BinOp::RShift => ">>",
    }
}

fn unsupported(op: BinOp, a: &Value, b: &Value) -> PyErr {
    // a C type's full name, as CPython's message gives it
    let symbol = match op {
        BinOp::Pow => "** or pow()",
        other => op_symbol(other),
    };
    type_error(format!(
        "unsupported operand type(s) for {symbol}: '{}' and '{}'",
        qualified_name(a),
        qualified_name(b)
    ))
}

fn zero_division(what: &str) -> PyErr {
    PyErr::new(ExcType::ZeroDivisionError, what.to_string())
}

/// Python arithmetic on plain values.
pub fn binary_op(op: BinOp, a: &Value, b: &Value) -> PyResult<Value> {
    if matches!(a, Value::Decimal(_)) || matches!(b, Value::Decimal(_)) {
        return super::types::decimal::binary_op(op, a, b)
            .unwrap_or_else(|| Err(unsupported(op, a, b)));
    }
    if matches!(
        (a, b),
        (Value::TimeDelta(_), _)
            | (_, Value::TimeDelta(_))
            | (Value::DateTime(_), Value::DateTime(_))
            | (Value::Date(_), Value::Date(_))
    ) && let Some(r) = super::types::timedelta::binary_op(op, a, b)
    {
        return r;
    }
    if let (Some(x), Some(y)) = (as_int(a), as_int(b)) {
        if !(matches!(a, Value::Bool(_))
            && matches!(b, Value::Bool(_))
            && matches!(op, BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor))
        {
            return small_int_op(op, x, y);
        }
        return Ok(match op {
            BinOp::BitAnd => Value::Bool(x & y != 0),
            BinOp::BitXor => Value::Bool(x ^ y != 0),
            _ => Value::Bool(x | y != 0),
        });
    }
    if matches!(a, Value::BigInt(_)) || matches!(b, Value::BigInt(_)) {
        if let (Some(x), Some(y)) = (bigint::to_big(a), bigint::to_big(b)) {
            return bigint::binary_op(op, &x, &y);
        }
        if let (Value::BigInt(n), Value::Float(_)) | (Value::Float(_), Value::BigInt(n)) = (a, b)
            && !matches!(
                op,
                BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor | BinOp::LShift | BinOp::RShift
            )
        {
            // the int converts to a float first, as CPython's float ops
            bigint::to_f64(n)?;
        }
    }
    if let (Some(x), Some(y)) = (as_float(a), as_float(b)) {
        return Ok(match op {
            BinOp::Add => Value::Float(x + y),
            BinOp::Sub => Value::Float(x - y),
            BinOp::Mul => Value::Float(x * y),
            BinOp::Div => {
                if y == 0.0 {
                    return Err(zero_division("float division by zero"));
                }
                Value::Float(x / y)
            }
            BinOp::FloorDiv => {
                if y == 0.0 {
                    return Err(zero_division("float floor division by zero"));
                }
                Value::Float((x / y).floor())
            }
            BinOp::Mod => {
                if y == 0.0 {
                    return Err(zero_division("float modulo"));
                }
                Value::Float(x - y * (x / y).floor())
            }
            // Python raises where C's pow() reports ERANGE: a finite base
            // and exponent whose power is infinite (`10.0 ** 400`).
            BinOp::Pow if x.is_finite() && y.is_finite() && x.powf(y).is_infinite() && x != 0.0 => {
                return Err(PyErr::new(
                    ExcType::OverflowError,
                    "(34, 'Numerical result out of range')",
                ));
            }
            BinOp::Pow => Value::Float(x.powf(y)),
            _ => return Err(unsupported(op, a, b)),
        });
    }
    match (op, a, b) {
        (BinOp::Add, Value::Bytes(x), y) => super::types::bytes::concat(x, y),
        (BinOp::Mul, Value::Bytes(x), n @ (Value::Int(_) | Value::Bool(_)))
        | (BinOp::Mul, n @ (Value::Int(_) | Value::Bool(_)), Value::Bytes(x)) => {
            super::types::bytes::repeat(x, as_int(n).unwrap_or(0))
        }
        (BinOp::Add, Value::Str(x), Value::Str(y)) => {
            if x.len().saturating_add(y.len()) > MAX_STR_LEN {
                return Err(PyErr::new(
                    ExcType::MemoryError,
                    "string too large for the tutor",
                ));
            }
            Ok(Value::str(&format!("{x}{y}")))
        }
        (BinOp::Add, Value::List(x), Value::List(y)) => {
            if x.items
                .borrow()
                .len()
                .saturating_add(y.items.borrow().len())
                > MAX_LIST_LEN
            {
                return Err(PyErr::new(
                    ExcType::MemoryError,
                    "list too large for the tutor",
                ));
            }
            let mut items = x.items.borrow().clone();
            items.extend(y.items.borrow().iter().cloned());
            Ok(Value::list(items))
        }
        (BinOp::Add, Value::Tuple(x), Value::Tuple(y)) => {
            Ok(Value::tuple(x.iter().chain(y.iter()).cloned().collect()))
        }
        (BinOp::Mul, Value::Str(s), Value::Int(n)) | (BinOp::Mul, Value::Int(n), Value::Str(s)) => {
            let n = (*n).max(0) as usize;
            if s.len().saturating_mul(n) > MAX_STR_LEN {
                return Err(PyErr::new(
                    ExcType::MemoryError,
                    "string too large for the tutor",
                ));
            }
            Ok(Value::str(&s.repeat(n)))
        }
        (BinOp::Mul, Value::List(l), Value::Int(n))
        | (BinOp::Mul, Value::Int(n), Value::List(l)) => {
            let n = (*n).max(0) as usize;
            let items = l.items.borrow();
            if items.len().saturating_mul(n) > MAX_LIST_LEN {
                return Err(PyErr::new(
                    ExcType::MemoryError,
                    "list too large for the tutor",
                ));
            }
            if items.is_empty() {
                // `[] * 9223372036854775807` is `[]` at once.
                return Ok(Value::list(Vec::new()));
            }
            let mut out = Vec::with_capacity(items.len() * n);
            for _ in 0..n {
                out.extend(items.iter().cloned());
            }
            Ok(Value::list(out))
        }
        (BinOp::Mul, Value::Tuple(t), n @ (Value::Int(_) | Value::Bool(_)))
        | (BinOp::Mul, n @ (Value::Int(_) | Value::Bool(_)), Value::Tuple(t)) => {
            let n = as_int(n).unwrap_or(0);
            let n = n.max(0) as usize;
            if t.len().saturating_mul(n) > MAX_LIST_LEN {
                return Err(PyErr::new(
                    ExcType::MemoryError,
                    "tuple too large for the tutor",
                ));
            }
            if t.is_empty() || n == 1 {
                return Ok(Value::Tuple(t.clone()));
            }
            let mut out = Vec::with_capacity(t.len() * n);
            for _ in 0..n {
                out.extend(t.iter().cloned());
            }
            Ok(Value::tuple(out))
        }
        (_, Value::Dict(x), Value::Dict(y))
            if let Some(r) = super::collections::counter_op(op, x, y) =>
        {
            r
        }
        (BinOp::BitOr, Value::Dict(x), Value::Dict(y)) => {
            let mut merged = x.borrow().clone();
            for (k, v) in y.borrow().iter() {
                merged.set(k.clone(), v.clone());
            }
            Ok(Value::Dict(Rc::new(std::cell::RefCell::new(merged))))
        }
        (BinOp::Sub | BinOp::BitOr | BinOp::BitAnd, Value::Set(x, kx), Value::Set(y, ky)) => {
            // the result is of the left operand's type (`frozenset | set`)
            let kind = match (kx, ky) {
                (super::value::SetKind::Identity, super::value::SetKind::Identity) => {
                    super::value::SetKind::Identity
                }
                (super::value::SetKind::Frozen, _) => super::value::SetKind::Frozen,
                _ => super::value::SetKind::Plain,
            };
            Ok(set_operation(op, x, y, kind))
        }
        (BinOp::Mod, Value::Str(fmt), args) => super::printf::percent_format(fmt, args),
        (
            BinOp::Mul,
            Value::Str(_) | Value::Bytes(_) | Value::List(_) | Value::Tuple(_),
            Value::BigInt(_),
        )
        | (
            BinOp::Mul,
            Value::BigInt(_),
            Value::Str(_) | Value::Bytes(_) | Value::List(_) | Value::Tuple(_),
        ) => Err(PyErr::new(
            ExcType::OverflowError,
            "cannot fit 'int' into an index-sized integer",
        )),
        (BinOp::Mul, Value::Str(_) | Value::Bytes(_) | Value::List(_) | Value::Tuple(_), other)
        | (BinOp::Mul, other, Value::Str(_) | Value::Bytes(_) | Value::List(_) | Value::Tuple(_))
            if !matches!(other, Value::Native(_)) =>
        {
            Err(type_error(format!(
                "can't multiply sequence by non-int of type '{}'",
                qualified_name(other)
            )))
        }
        (BinOp::Add, Value::Str(_) | Value::List(_) | Value::Tuple(_), other) => {
            Err(type_error(format!(
                "can only concatenate {} (not \"{}\") to {}",
                a.type_name(),
                other.type_name(),
                a.type_name()
            )))
        }
        _ => Err(unsupported(op, a, b)),
    }
}

/// `a - b`, `a | b`, `a & b` of two sets: a new set, in `a`'s order then
/// `b`'s (an `IdentitySet` when both are).
fn set_operation(
    op: BinOp,
    a: &super::value::ListObj,
    b: &super::value::ListObj,
    kind: super::value::SetKind,
) -> Value {
    let (a, b) = (a.items.borrow(), b.items.borrow());
    let in_b = |x: &Value| b.iter().any(|y| values_equal(x, y));
    let mut out: Vec<Value> = match op {
        BinOp::Sub => a.iter().filter(|x| !in_b(x)).cloned().collect(),
        BinOp::BitAnd => a.iter().filter(|x| in_b(x)).cloned().collect(),
        _ => a.to_vec(),
    };
    if op == BinOp::BitOr {
        for y in b.iter() {
            if !out.iter().any(|x| values_equal(x, y)) {
                out.push(y.clone());
            }
        }
    }
    Value::Set(super::value::ListObj::new(out), kind)
}

/// `a < b`, `a <= b`, `a > b`, `a >= b` of two sets: subset and superset
/// tests (`None` unless both are sets).
pub fn set_compare(a: &Value, b: &Value, op: &str) -> Option<bool> {
    let (Value::Set(x, _), Value::Set(y, _)) = (a, b) else {
        return None;
    };
    let (x, y) = (x.items.borrow(), y.items.borrow());
    let within = |p: &[Value], q: &[Value]| p.iter().all(|v| q.iter().any(|w| values_equal(v, w)));
    Some(match op {
        "<=" => within(&x, &y),
        "<" => x.len() < y.len() && within(&x, &y),
        ">=" => within(&y, &x),
        _ => y.len() < x.len() && within(&y, &x),
    })
}

/// `x <op> y` of two `int`s that fit an `i64`: promoted to a
/// [`Value::BigInt`] when the result does not.
fn small_int_op(op: BinOp, x: i64, y: i64) -> PyResult<Value> {
    let big = || bigint::binary_op(op, &x.into(), &y.into());
    Ok(match op {
        BinOp::Add => x.checked_add(y).map_or_else(big, |v| Ok(Value::Int(v)))?,
        BinOp::Sub => x.checked_sub(y).map_or_else(big, |v| Ok(Value::Int(v)))?,
        BinOp::Mul => x.checked_mul(y).map_or_else(big, |v| Ok(Value::Int(v)))?,
        BinOp::Div => {
            if y == 0 {
                return Err(zero_division("division by zero"));
            }
            if x.unsigned_abs() < 1 << 53 && y.unsigned_abs() < 1 << 53 {
                Value::Float(x as f64 / y as f64)
            } else {
                big()?
            }
        }
        BinOp::FloorDiv => {
            if y == 0 {
                return Err(zero_division("integer division or modulo by zero"));
            }
            match x.checked_div(y) {
                Some(_) => Value::Int(floor_div(x, y)),
                None => big()?,
            }
        }
        BinOp::Mod => {
            if y == 0 {
                return Err(zero_division("integer division or modulo by zero"));
            }
            Value::Int(
                x.checked_rem_euclid(y)
                    .map_or(0, |r| if y < 0 && r != 0 { r + y } else { r }),
            )
        }
        BinOp::Pow => {
            if y < 0 {
                if x == 0 {
                    return Err(zero_division("0.0 cannot be raised to a negative power"));
                }
                Value::Float((x as f64).powf(y as f64))
            } else {
                match u32::try_from(y).ok().and_then(|e| x.checked_pow(e)) {
                    Some(v) => Value::Int(v),
                    None => big()?,
                }
            }
        }
        BinOp::BitAnd => Value::Int(x & y),
        BinOp::BitOr => Value::Int(x | y),
        BinOp::BitXor => Value::Int(x ^ y),
        BinOp::LShift => {
            if y < 0 {
                return Err(super::exceptions::value_error("negative shift count"));
            }
            if y < 64 && (x << y) >> y == x {
                Value::Int(x << y)
            } else {
                big()?
            }
        }
        BinOp::RShift => {
            if y < 0 {
                return Err(super::exceptions::value_error("negative shift count"));
            }
            Value::Int(x >> y.min(63))
        }
    })
}

/// Python's floor division for integers (rounds toward negative infinity).
fn floor_div(x: i64, y: i64) -> i64 {
    let q = x / y;
    if x % y != 0 && ((x < 0) != (y < 0)) {
        q - 1
    } else {
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_follows_python() {
        assert!(values_equal(
            &binary_op(BinOp::FloorDiv, &Value::Int(-7), &Value::Int(2)).unwrap(),
            &Value::Int(-4)
        ));
        assert!(values_equal(
            &binary_op(BinOp::Mod, &Value::Int(-7), &Value::Int(2)).unwrap(),
            &Value::Int(1)
        ));
        assert!(values_equal(
            &binary_op(BinOp::Div, &Value::Int(7), &Value::Int(2)).unwrap(),
            &Value::Float(3.5)
        ));
        assert_eq!(
            binary_op(BinOp::Div, &Value::Int(1), &Value::Int(0))
                .unwrap_err()
                .type_name(),
            "ZeroDivisionError"
        );
        assert_eq!(
            binary_op(BinOp::Add, &Value::Int(1), &Value::str("a"))
                .unwrap_err()
                .message,
            "unsupported operand type(s) for +: 'int' and 'str'"
        );
        assert!(values_equal(&Value::Int(1), &Value::Float(1.0)));
        assert!(values_equal(&Value::Bool(true), &Value::Int(1)));
    }
}
