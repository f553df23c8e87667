//! Python's `datetime.timedelta`: the constructor with its keyword
//! components (floats rounded half to even, as CPython), normalisation to
//! `days`/`seconds`/`microseconds`, `repr`/`str`, `total_seconds()`, and
//! the arithmetic with `datetime`, `date`, numbers and other timedeltas,
//! with CPython's `TypeError`/`OverflowError`/`ZeroDivisionError` texts.

use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::BuiltinMethod;
use crate::language::ast::BinOp;
use crate::python::ExcType;
use crate::python::exceptions::{PyErr, PyResult, type_error, value_error};
use crate::python::signature::{ArgStyle, Bound, Signature};
use crate::python::value::Value;

const MICROS_PER_DAY: i128 = 86_400_000_000;
/// `timedelta.max.days`.
const MAX_DAYS: i128 = 999_999_999;

/// A normalised `timedelta`: `0 <= seconds < 86400`,
/// `0 <= microseconds < 1000000`, `|days| <= 999999999`. The derived order
/// is the order of the durations. Three `i32`s (12 bytes, as chrono's
/// `NaiveDateTime`), so `Value` keeps its 24 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeDelta {
    pub days: i32,
    pub seconds: i32,
    pub microseconds: i32,
}

/// `timedelta(days=0, seconds=0, microseconds=0, milliseconds=0, minutes=0,
/// hours=0, weeks=0)`.
pub const TIMEDELTA: Signature = Signature::builtin(
    "__new__",
    &[
        "days=",
        "seconds=",
        "microseconds=",
        "milliseconds=",
        "minutes=",
        "hours=",
        "weeks=",
    ],
    ArgStyle::Takes,
);

/// Each component with its length in microseconds.
const COMPONENTS: [(&str, i128); 7] = [
    ("days", MICROS_PER_DAY),
    ("seconds", 1_000_000),
    ("microseconds", 1),
    ("milliseconds", 1_000),
    ("minutes", 60_000_000),
    ("hours", 3_600_000_000),
    ("weeks", 7 * MICROS_PER_DAY),
];

impl TimeDelta {
    /// The timedelta of `micros` microseconds, or CPython's
    /// `OverflowError: days=1000000000; must have magnitude <= 999999999`.
    pub fn from_micros(micros: i128) -> PyResult<TimeDelta> {
        let days = micros.div_euclid(MICROS_PER_DAY);
        let rest = micros.rem_euclid(MICROS_PER_DAY);
        if i32::try_from(days).is_err() {
            return Err(too_large());
        }
        if days.abs() > MAX_DAYS {
            return Err(PyErr::new(
                ExcType::OverflowError,
                format!("days={days}; must have magnitude <= 999999999"),
            ));
        }
        Ok(TimeDelta {
            days: days as i32,
            seconds: (rest / 1_000_000) as i32,
            microseconds: (rest % 1_000_000) as i32,
        })
    }

    /// The whole duration in microseconds.
    pub fn total_micros(&self) -> i128 {
        i128::from(self.days) * MICROS_PER_DAY
            + i128::from(self.seconds) * 1_000_000
            + i128::from(self.microseconds)
    }

    /// `td.total_seconds()`.
    pub fn total_seconds(&self) -> f64 {
        self.total_micros() as f64 / 1e6
    }

    /// `repr(td)`: `datetime.timedelta(days=1, seconds=5)`, or
    /// `datetime.timedelta(0)`.
    pub fn repr(&self) -> String {
        let mut parts = Vec::new();
        if self.days != 0 {
            parts.push(format!("days={}", self.days));
        }
        if self.seconds != 0 {
            parts.push(format!("seconds={}", self.seconds));
        }
        if self.microseconds != 0 {
            parts.push(format!("microseconds={}", self.microseconds));
        }
        if parts.is_empty() {
            parts.push("0".into());
        }
        format!("datetime.timedelta({})", parts.join(", "))
    }

    /// `str(td)`: `1 day, 0:00:05`, `-1 day, 23:59:59`, `0:00:00.000007`.
    pub fn to_str(&self) -> String {
        let (h, m, s) = (
            self.seconds / 3600,
            self.seconds / 60 % 60,
            self.seconds % 60,
        );
        let mut out = String::new();
        if self.days != 0 {
            let plural = if self.days.abs() != 1 { "s" } else { "" };
            out.push_str(&format!("{} day{plural}, ", self.days));
        }
        out.push_str(&format!("{h}:{m:02}:{s:02}"));
        if self.microseconds != 0 {
            out.push_str(&format!(".{:06}", self.microseconds));
        }
        out
    }

    fn duration(&self) -> Option<Duration> {
        i64::try_from(self.total_micros())
            .ok()
            .map(Duration::microseconds)
    }
}

/// CPython's error for a day count past a C `int`.
fn too_large() -> PyErr {
    PyErr::new(
        ExcType::OverflowError,
        "Python int too large to convert to C int",
    )
}

/// `timedelta(...)` from bound arguments: integer components add up
/// exactly, float ones as CPython rounds them (half to even).
pub fn new_timedelta(b: &Bound) -> PyResult<Value> {
    let mut exact: i128 = 0;
    let mut fraction: f64 = 0.0;
    for (name, unit) in COMPONENTS {
        let Some(v) = b.get(name) else { continue };
        match v {
            Value::Int(i) => exact += i128::from(*i) * unit,
            Value::Bool(x) => exact += i128::from(*x) * unit,
            Value::Float(f) => {
                float_to_int(*f)?;
                let whole = f.trunc();
                if whole.abs() > 1e18 {
                    return Err(too_large());
                }
                exact += whole as i128 * unit;
                fraction += (f - whole) * unit as f64;
            }
            other => {
                return Err(type_error(format!(
                    "unsupported type for timedelta {name} component: {}",
                    qualified_name(other)
                )));
            }
        }
    }
    let whole = fraction.trunc();
    exact += whole as i128;
    // CPython's `delta_new`: a leftover of exactly half a microsecond
    // rounds so the total is even.
    let leftover = fraction - whole;
    let mut rounded = leftover.round();
    if (rounded - leftover).abs() == 0.5 {
        let odd = (exact & 1) as f64;
        rounded = 2.0 * ((leftover + odd) * 0.5).round() - odd;
    }
    exact += rounded as i128;
    TimeDelta::from_micros(exact).map(Value::TimeDelta)
}

/// CPython's errors converting a float that is not finite to an integer.
fn float_to_int(f: f64) -> PyResult<()> {
    if f.is_nan() {
        Err(value_error("cannot convert float NaN to integer"))
    } else if f.is_infinite() {
        Err(PyErr::new(
            ExcType::OverflowError,
            "cannot convert float infinity to integer",
        ))
    } else {
        Ok(())
    }
}

/// `n * num / den` rounded half to even, as CPython's `divide_nearest`.
fn div_nearest(n: i128, d: i128) -> i128 {
    let q = n.div_euclid(d);
    let r = n.rem_euclid(d);
    let twice = 2 * r;
    if twice > d.abs() || (twice == d.abs() && q % 2 != 0) {
        if d > 0 { q + 1 } else { q - 1 }
    } else {
        q
    }
}

/// `td * f` (or `td / f` when `divide`) for a float `f`, through its exact
/// integer ratio as CPython's `multiply_truediv_timedelta_float`.
fn times_float(td: &TimeDelta, f: f64, divide: bool) -> PyResult<TimeDelta> {
    if f.is_nan() {
        return Err(value_error("cannot convert NaN to integer ratio"));
    }
    if f.is_infinite() {
        return Err(PyErr::new(
            ExcType::OverflowError,
            "cannot convert Infinity to integer ratio",
        ));
    }
    let (num, den) = integer_ratio(f).ok_or_else(too_large)?;
    let (num, den) = if divide { (den, num) } else { (num, den) };
    if den == 0 {
        return Err(PyErr::new(
            ExcType::ZeroDivisionError,
            "integer division or modulo by zero",
        ));
    }
    let product = td.total_micros().checked_mul(num).ok_or_else(too_large)?;
    let (product, den) = if den < 0 {
        (-product, -den)
    } else {
        (product, den)
    };
    TimeDelta::from_micros(div_nearest(product, den))
}

/// `f.as_integer_ratio()` when it fits an `i128`.
fn integer_ratio(f: f64) -> Option<(i128, i128)> {
    if f == 0.0 {
        return Some((0, 1));
    }
    let bits = f.to_bits();
    let sign: i128 = if bits >> 63 == 0 { 1 } else { -1 };
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let mantissa = if exp == 0 {
        (bits & 0xf_ffff_ffff_ffff) << 1
    } else {
        (bits & 0xf_ffff_ffff_ffff) | 0x10_0000_0000_0000
    };
    let mut num = i128::from(mantissa);
    let mut e = exp - 1075;
    while num % 2 == 0 && e < 0 {
        num /= 2;
        e += 1;
    }
    if e >= 0 {
        Some((sign * num.checked_mul(1i128.checked_shl(e as u32)?)?, 1))
    } else if -e < 120 {
        Some((sign * num, 1i128 << (-e)))
    } else {
        None
    }
}

/// A C type's full name as CPython's messages give it
/// (`datetime.timedelta`, `decimal.Decimal`).
pub fn qualified_name(v: &Value) -> String {
    match v {
        Value::Decimal(_) => "decimal.Decimal".into(),
        Value::DateTime(_) => "datetime.datetime".into(),
        Value::Date(_) => "datetime.date".into(),
        Value::TimeDelta(_) => "datetime.timedelta".into(),
        other => other.type_name(),
    }
}

fn date_out_of_range() -> PyErr {
    PyErr::new(ExcType::OverflowError, "date value out of range")
}

fn in_range(dt: NaiveDateTime) -> PyResult<NaiveDateTime> {
    use chrono::Datelike;
    if (1..=9999).contains(&dt.year()) {
        Ok(dt)
    } else {
        Err(date_out_of_range())
    }
}

fn shift_datetime(dt: &NaiveDateTime, td: &TimeDelta, sign: i64) -> PyResult<Value> {
    let moved = td.duration().and_then(|d| {
        if sign > 0 {
            dt.checked_add_signed(d)
        } else {
            dt.checked_sub_signed(d)
        }
    });
    moved
        .ok_or_else(date_out_of_range)
        .and_then(in_range)
        .map(Value::DateTime)
}

fn shift_date(d: &NaiveDate, td: &TimeDelta, sign: i64) -> PyResult<Value> {
    let days = Duration::days(i64::from(td.days) * sign);
    d.checked_add_signed(days)
        .map(|x| x.and_time(chrono::NaiveTime::MIN))
        .ok_or_else(date_out_of_range)
        .and_then(in_range)
        .map(|dt| Value::Date(dt.date()))
}

fn since(a: NaiveDateTime, b: NaiveDateTime) -> PyResult<Value> {
    let micros = (a - b).num_microseconds().ok_or_else(date_out_of_range)?;
    TimeDelta::from_micros(i128::from(micros)).map(Value::TimeDelta)
}

/// `a op b` when either side is a `timedelta`, or a `datetime`/`date`
/// minus its own kind; `None` when the pair is not one of these, for the
/// caller's `unsupported operand type(s)`.
pub fn binary_op(op: BinOp, a: &Value, b: &Value) -> Option<PyResult<Value>> {
    use Value::{Bool, Date, DateTime, Float, Int, TimeDelta as Td};
    let td = |m: PyResult<i128>| Some(m.and_then(TimeDelta::from_micros).map(Td));
    let zero = |what: &str| Err(PyErr::new(ExcType::ZeroDivisionError, what.to_string()));
    let int = |v: &Value| match v {
        Int(i) => Some(i128::from(*i)),
        Bool(x) => Some(i128::from(*x)),
        _ => None,
    };
    Some(match (op, a, b) {
        (BinOp::Add, Td(x), Td(y)) => return td(Ok(x.total_micros() + y.total_micros())),
        (BinOp::Sub, Td(x), Td(y)) => return td(Ok(x.total_micros() - y.total_micros())),
        (BinOp::Add, DateTime(d), Td(t)) | (BinOp::Add, Td(t), DateTime(d)) => {
            shift_datetime(d, t, 1)
        }
        (BinOp::Sub, DateTime(d), Td(t)) => shift_datetime(d, t, -1),
        (BinOp::Add, Date(d), Td(t)) | (BinOp::Add, Td(t), Date(d)) => shift_date(d, t, 1),
        (BinOp::Sub, Date(d), Td(t)) => shift_date(d, t, -1),
        (BinOp::Sub, DateTime(x), DateTime(y)) => since(*x, *y),
        (BinOp::Sub, Date(x), Date(y)) => since(
            x.and_time(chrono::NaiveTime::MIN),
            y.and_time(chrono::NaiveTime::MIN),
        ),
        (BinOp::Mul, Td(t), n) | (BinOp::Mul, n, Td(t)) if int(n).is_some() => {
            let n = int(n).unwrap_or_default();
            return td(t.total_micros().checked_mul(n).ok_or_else(too_large));
        }
        (BinOp::Mul, Td(t), Float(f)) | (BinOp::Mul, Float(f), Td(t)) => {
            times_float(t, *f, false).map(Td)
        }
        (BinOp::Div, Td(x), Td(y)) => match y.total_micros() {
            0 => zero("division by zero"),
            d => Ok(Float(x.total_micros() as f64 / d as f64)),
        },
        (BinOp::Div, Td(t), n) if int(n).is_some() => match int(n).unwrap_or_default() {
            0 => zero("integer division or modulo by zero"),
            n => return td(Ok(div_nearest(t.total_micros(), n))),
        },
        (BinOp::Div, Td(t), Float(f)) => times_float(t, *f, true).map(Td),
        (BinOp::FloorDiv, Td(x), Td(y)) => match y.total_micros() {
            0 => zero("integer division or modulo by zero"),
            d => i64::try_from(x.total_micros().div_euclid(d))
                .map(Int)
                .map_err(|_| PyErr::new(ExcType::OverflowError, "integer overflow")),
        },
        (BinOp::FloorDiv, Td(t), n) if int(n).is_some() => match int(n).unwrap_or_default() {
            0 => zero("integer division or modulo by zero"),
            n => return td(Ok(t.total_micros().div_euclid(n))),
        },
        (BinOp::Mod, Td(x), Td(y)) => match y.total_micros() {
            0 => zero("integer modulo by zero"),
            d => return td(Ok(x.total_micros().rem_euclid(d))),
        },
        _ => return None,
    })
}

/// `-td`.
pub fn neg(t: &TimeDelta) -> PyResult<Value> {
    TimeDelta::from_micros(-t.total_micros()).map(Value::TimeDelta)
}

/// `abs(td)`.
pub fn abs(t: &TimeDelta) -> PyResult<Value> {
    TimeDelta::from_micros(t.total_micros().abs()).map(Value::TimeDelta)
}

/// The class attributes `timedelta.min`, `timedelta.max`,
/// `timedelta.resolution`.
pub fn class_attribute(name: &str) -> Option<Value> {
    let micros = match name {
        "min" => -MAX_DAYS * MICROS_PER_DAY,
        "max" => (MAX_DAYS + 1) * MICROS_PER_DAY - 1,
        "resolution" => 1,
        _ => return None,
    };
    TimeDelta::from_micros(micros).ok().map(Value::TimeDelta)
}

/// `td.days`, `td.seconds`, `td.microseconds`.
pub fn field(t: &TimeDelta, name: &str) -> Option<Value> {
    match name {
        "days" => Some(Value::Int(i64::from(t.days))),
        "seconds" => Some(Value::Int(i64::from(t.seconds))),
        "microseconds" => Some(Value::Int(i64::from(t.microseconds))),
        _ => None,
    }
}

/// The methods of a `timedelta`.
pub static TIMEDELTA_METHODS: &[BuiltinMethod<TimeDelta>] = &[BuiltinMethod {
    name: "total_seconds",
    sig: Signature::builtin("timedelta.total_seconds", &[], ArgStyle::Exact),
    call: |_, t, _| Ok(Value::Float(t.total_seconds())),
}];

#[cfg(test)]
mod tests {
    use super::super::testing::{FakeVm, call};
    use super::*;
    use crate::python::format::{repr_plain, str_plain};

    /// A timedelta is held inline in a `Value` without growing it (every
    /// loaded attribute is a `Value`).
    #[test]
    fn a_timedelta_does_not_grow_value() {
        assert_eq!(std::mem::size_of::<TimeDelta>(), 12);
        assert!(
            std::mem::size_of::<Value>() <= 24,
            "{}",
            std::mem::size_of::<Value>()
        );
    }

    fn td(days: i64, seconds: i64, micros: i64) -> Value {
        let m = i128::from(days) * MICROS_PER_DAY
            + i128::from(seconds) * 1_000_000
            + i128::from(micros);
        Value::TimeDelta(TimeDelta::from_micros(m).unwrap())
    }

    fn new(args: Vec<Value>, kwargs: Vec<(&str, Value)>) -> String {
        let kwargs = kwargs
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        show(TIMEDELTA.bind(args, kwargs).and_then(|b| new_timedelta(&b)))
    }

    fn show(r: PyResult<Value>) -> String {
        r.map_or_else(
            |e| format!("{}: {}", e.type_name(), e.message),
            |v| repr_plain(&v),
        )
    }

    fn op(o: BinOp, a: &Value, b: &Value) -> String {
        show(crate::python::ops::binary_op(o, a, b))
    }

    #[test]
    fn constructs_and_normalises_as_python() {
        // Each expected text is what Python 3.11 printed.
        assert_eq!(new(vec![], vec![]), "datetime.timedelta(0)");
        assert_eq!(
            new((1..=7).map(Value::Int).collect(), vec![]),
            "datetime.timedelta(days=50, seconds=21902, microseconds=4003)"
        );
        assert_eq!(
            new(vec![], vec![("seconds", Value::Int(-1))]),
            "datetime.timedelta(days=-1, seconds=86399)"
        );
        assert_eq!(
            new(vec![], vec![("microseconds", Value::Float(2.5))]),
            "datetime.timedelta(microseconds=2)"
        );
        assert_eq!(
            new(vec![], vec![("microseconds", Value::Float(1.5))]),
            "datetime.timedelta(microseconds=2)"
        );
        assert_eq!(
            new(vec![], vec![("days", Value::Float(0.1))]),
            "datetime.timedelta(seconds=8640)"
        );
        assert_eq!(
            new(vec![], vec![("milliseconds", Value::Float(-0.5))]),
            "datetime.timedelta(days=-1, seconds=86399, microseconds=999500)"
        );
        assert_eq!(str_plain(&td(-1, 86399, 0)), "-1 day, 23:59:59");
        assert_eq!(str_plain(&td(2, 0, 7)), "2 days, 0:00:00.000007");
        assert_eq!(str_plain(&td(0, 3725, 0)), "1:02:05");
        let vm = &mut FakeVm::default();
        assert_eq!(
            call(vm, &td(1, 0, 0), "total_seconds", vec![], vec![]),
            "86400.0"
        );
        assert_eq!(
            call(vm, &td(0, 0, 1), "total_seconds", vec![], vec![]),
            "1e-06"
        );
    }

    #[test]
    fn arithmetic_is_pythons() {
        let d = td(1, 5, 0);
        assert_eq!(
            op(BinOp::Mul, &d, &Value::Float(1.5)),
            "datetime.timedelta(days=1, seconds=43207, microseconds=500000)"
        );
        assert_eq!(op(BinOp::Div, &d, &d), "1.0");
        assert_eq!(
            op(BinOp::Div, &td(0, 1, 0), &Value::Int(3)),
            "datetime.timedelta(microseconds=333333)"
        );
        assert_eq!(
            op(BinOp::Div, &td(1, 0, 0), &Value::Float(7.0)),
            "datetime.timedelta(seconds=12342, microseconds=857143)"
        );
        assert_eq!(
            op(BinOp::Mul, &td(0, 0, 100_000), &Value::Float(3.3)),
            "datetime.timedelta(microseconds=330000)"
        );
        assert_eq!(op(BinOp::FloorDiv, &d, &td(0, 18000, 0)), "4");
        assert_eq!(
            op(BinOp::Mod, &d, &td(0, 18000, 0)),
            "datetime.timedelta(seconds=14405)"
        );
        let start = Value::DateTime(
            crate::python::types::datetime::fromisoformat("2024-01-15 09:30").unwrap(),
        );
        let end = Value::DateTime(
            crate::python::types::datetime::fromisoformat("2024-03-01 12:00:00.000500").unwrap(),
        );
        assert_eq!(
            op(BinOp::Sub, &start, &end),
            "datetime.timedelta(days=-47, seconds=77399, microseconds=999500)"
        );
        assert_eq!(
            op(BinOp::Add, &td(0, 10800, 0), &start),
            "datetime.datetime(2024, 1, 15, 12, 30)"
        );
        let day = Value::Date(NaiveDate::from_ymd_opt(2024, 2, 28).unwrap());
        assert_eq!(
            op(BinOp::Add, &day, &td(1, 3600, 0)),
            "datetime.date(2024, 2, 29)"
        );
    }

    #[test]
    fn errors_are_cpythons() {
        assert_eq!(
            op(BinOp::Add, &td(1, 0, 0), &Value::Int(1)),
            "TypeError: unsupported operand type(s) for +: 'datetime.timedelta' and 'int'"
        );
        assert_eq!(
            op(BinOp::Pow, &td(1, 0, 0), &Value::Int(2)),
            "TypeError: unsupported operand type(s) for ** or pow(): 'datetime.timedelta' and 'int'"
        );
        assert_eq!(
            op(BinOp::Add, &td(999_999_999, 0, 0), &td(1, 0, 0)),
            "OverflowError: days=1000000000; must have magnitude <= 999999999"
        );
        assert_eq!(
            op(BinOp::Mul, &td(1, 0, 0), &Value::Int(10_000_000_000)),
            "OverflowError: Python int too large to convert to C int"
        );
        assert_eq!(
            op(BinOp::Div, &td(1, 0, 0), &td(0, 0, 0)),
            "ZeroDivisionError: division by zero"
        );
        assert_eq!(
            op(BinOp::Div, &td(1, 0, 0), &Value::Int(0)),
            "ZeroDivisionError: integer division or modulo by zero"
        );
        assert_eq!(
            op(BinOp::Mod, &td(1, 0, 0), &td(0, 0, 0)),
            "ZeroDivisionError: integer modulo by zero"
        );
        assert_eq!(
            op(BinOp::Mul, &td(1, 0, 0), &Value::Float(f64::INFINITY)),
            "OverflowError: cannot convert Infinity to integer ratio"
        );
        let last =
            Value::DateTime(crate::python::types::datetime::fromisoformat("9999-12-31").unwrap());
        assert_eq!(
            op(BinOp::Add, &last, &td(1, 0, 0)),
            "OverflowError: date value out of range"
        );
        assert_eq!(
            new(vec![Value::str("1")], vec![]),
            "TypeError: unsupported type for timedelta days component: str"
        );
        assert_eq!(
            new(vec![], vec![("days", Value::Float(1e10))]),
            "OverflowError: Python int too large to convert to C int"
        );
        assert_eq!(
            new(vec![], vec![("days", Value::Float(f64::NAN))]),
            "ValueError: cannot convert float NaN to integer"
        );
        assert_eq!(
            new(vec![], vec![("foo", Value::Int(1))]),
            "TypeError: 'foo' is an invalid keyword argument for __new__()"
        );
        assert_eq!(
            new((0..8).map(Value::Int).collect(), vec![]),
            "TypeError: __new__() takes at most 7 arguments (8 given)"
        );
    }
}
