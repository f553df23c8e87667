//! Python's `datetime.time`: the constructor `time(hour, minute, second,
//! microsecond)`, `time.fromisoformat(s)`, `repr`/`str`/`isoformat`,
//! `strftime`, and the fields (`hour` … `microsecond`) read in
//! `interpreter::methods`, with CPython's argument and range errors.

use chrono::{NaiveDate, NaiveTime, Timelike};

use super::{BuiltinMethod, index_arg};
use crate::python::exceptions::{PyResult, attribute_error, type_error, value_error};
use crate::python::signature::{ArgStyle, Bound, Signature};
use crate::python::value::{Value, str_repr};
use crate::python::vm::{Kwargs, Vm};

/// `time(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)`.
pub const TIME: Signature = Signature::builtin(
    "time",
    &["hour=", "minute=", "second=", "microsecond=", "tzinfo=!"],
    ArgStyle::Takes,
);

/// The methods of a `time`.
pub static TIME_METHODS: &[BuiltinMethod<NaiveTime>] = &[
    BuiltinMethod {
        name: "isoformat",
        sig: Signature::builtin("time.isoformat", &["timespec=!"], ArgStyle::Takes),
        call: |_, t, _| Ok(Value::str(&to_str(t))),
    },
    BuiltinMethod {
        name: "strftime",
        sig: Signature::builtin("strftime", &["format"], ArgStyle::Takes),
        call: |_, t, b| {
            let Value::Str(f) = b.value("format") else {
                return Err(type_error(format!(
                    "strftime() argument 1 must be str, not {}",
                    b.value("format").type_name()
                )));
            };
            // CPython formats a time as on 1900-01-01
            let day = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default();
            Ok(Value::str(&super::strftime::strftime(
                &day.and_time(*t),
                &f,
            )))
        },
    },
];

/// The class methods of `time` (`time.fromisoformat(s)`).
pub static TIME_CLASS_METHODS: &[BuiltinMethod<()>] = &[BuiltinMethod {
    name: "fromisoformat",
    sig: Signature::builtin("time.fromisoformat", &["time_string", "/"], ArgStyle::Exact),
    call: |_, _, b| match b.value("time_string") {
        Value::Str(s) => fromisoformat(&s)
            .map(Value::Time)
            .ok_or_else(|| value_error(format!("Invalid isoformat string: {}", str_repr(&s)))),
        _ => Err(type_error("fromisoformat: argument must be str")),
    },
}];

/// `time.<name>(*args, **kwargs)`: a class method, or
/// `AttributeError: type object 'datetime.time' has no attribute …`.
pub fn time_class_method(
    vm: &mut dyn Vm,
    name: &str,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<Value> {
    super::call_in(TIME_CLASS_METHODS, vm, &(), name, args, kwargs).unwrap_or_else(|| {
        Err(attribute_error(format!(
            "type object 'datetime.time' has no attribute '{name}'"
        )))
    })
}

/// `time(...)` from bound arguments, with CPython's range errors
/// (`hour must be in 0..23`).
pub fn new_time(b: &Bound) -> PyResult<NaiveTime> {
    let part = |name: &str, max: i64| -> PyResult<u32> {
        let v = b.get(name).map(index_arg).transpose()?.unwrap_or(0);
        if (0..=max).contains(&v) {
            Ok(v as u32)
        } else {
            Err(value_error(format!("{name} must be in 0..{max}")))
        }
    };
    NaiveTime::from_hms_micro_opt(
        part("hour", 23)?,
        part("minute", 59)?,
        part("second", 59)?,
        part("microsecond", 999_999)?,
    )
    .ok_or_else(|| value_error("time out of range"))
}

/// The microseconds of `t` (chrono keeps nanoseconds; the tutor's times
/// have none below a microsecond).
pub fn micros(t: &NaiveTime) -> u32 {
    t.nanosecond() / 1000
}

/// `repr(t)`: `datetime.time(10, 30)`, trailing zero seconds and
/// microseconds left out as CPython's `time.__repr__`.
pub fn repr(t: &NaiveTime) -> String {
    let (h, m, s, us) = (t.hour(), t.minute(), t.second(), micros(t));
    if us != 0 {
        format!("datetime.time({h}, {m}, {s}, {us})")
    } else if s != 0 {
        format!("datetime.time({h}, {m}, {s})")
    } else {
        format!("datetime.time({h}, {m})")
    }
}

/// `str(t)` and `t.isoformat()`: `10:30:00`, or `10:30:00.000120` when it
/// has microseconds.
pub fn to_str(t: &NaiveTime) -> String {
    let base = format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second());
    match micros(t) {
        0 => base,
        us => format!("{base}.{us:06}"),
    }
}

/// SQLAlchemy's SQLite `TIME` storage text: `10:30:00.000000`.
pub fn storage(t: &NaiveTime) -> String {
    format!(
        "{:02}:{:02}:{:02}.{:06}",
        t.hour(),
        t.minute(),
        t.second(),
        micros(t)
    )
}

/// Python 3.11's `time.fromisoformat`: `HH`, `HH:MM`, `HH:MM:SS` or
/// `HH:MM:SS.f…` (1 to 6 fraction digits); also read back from SQLite's
/// storage text.
pub fn fromisoformat(s: &str) -> Option<NaiveTime> {
    let (hms, frac) = match s.split_once('.') {
        Some((a, f)) => (a, Some(f)),
        None => (s, None),
    };
    let nums: Vec<&str> = hms.split(':').collect();
    if nums.len() > 3
        || nums
            .iter()
            .any(|n| n.len() != 2 || !n.bytes().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let get = |i: usize| nums.get(i).and_then(|n| n.parse::<u32>().ok()).unwrap_or(0);
    let micro = match frac {
        Some(f)
            if nums.len() == 3
                && (1..=6).contains(&f.len())
                && f.bytes().all(|c| c.is_ascii_digit()) =>
        {
            format!("{f:0<6}").parse::<u32>().ok()?
        }
        Some(_) => return None,
        None => 0,
    };
    NaiveTime::from_hms_micro_opt(get(0), get(1), get(2), micro)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repr_and_str_are_cpythons() {
        let t = |h, m, s, us| NaiveTime::from_hms_micro_opt(h, m, s, us).unwrap();
        assert_eq!(repr(&t(10, 30, 0, 0)), "datetime.time(10, 30)");
        assert_eq!(repr(&t(0, 0, 5, 0)), "datetime.time(0, 0, 5)");
        assert_eq!(repr(&t(23, 59, 58, 120)), "datetime.time(23, 59, 58, 120)");
        assert_eq!(to_str(&t(23, 59, 58, 120)), "23:59:58.000120");
        assert_eq!(to_str(&t(7, 5, 9, 0)), "07:05:09");
        assert_eq!(storage(&t(10, 30, 0, 0)), "10:30:00.000000");
        assert_eq!(fromisoformat("07:05:09.25"), Some(t(7, 5, 9, 250_000)));
        assert_eq!(fromisoformat("07"), Some(t(7, 0, 0, 0)));
        assert_eq!(fromisoformat("7:05"), None);
    }
}
