//! Python's `datetime.datetime` and `datetime.date`: their constructors,
//! the class methods (`datetime.now()`, `datetime.fromisoformat(s)`) and the
//! instance methods (`strftime`, `isoformat`, `date`, `weekday`), with
//! CPython's argument and range errors.

use chrono::{Datelike, Local, NaiveDate, NaiveDateTime, Timelike, Utc};

use super::{BuiltinMethod, index_arg};
use crate::python::exceptions::{PyResult, attribute_error, type_error, value_error};
use crate::python::signature::{ArgStyle, Bound, Signature};
use crate::python::value::{Value, str_repr};
use crate::python::vm::{Kwargs, Vm};

/// `datetime(year, month, day, hour=0, minute=0, second=0, microsecond=0)`.
pub const DATETIME: Signature = Signature::builtin(
    "datetime",
    &[
        "year",
        "month",
        "day",
        "hour=",
        "minute=",
        "second=",
        "microsecond=",
        "tzinfo=!",
    ],
    ArgStyle::Takes,
);

/// `date(year, month, day)`.
pub const DATE: Signature = Signature::builtin("date", &["year", "month", "day"], ArgStyle::Takes);

const STRFTIME: Signature = Signature::builtin("strftime", &["format"], ArgStyle::Takes);

/// The methods of a `datetime`.
pub static DATETIME_METHODS: &[BuiltinMethod<NaiveDateTime>] = &[
    BuiltinMethod {
        name: "date",
        sig: Signature::builtin("datetime.date", &[], ArgStyle::Exact),
        call: |_, dt, _| Ok(Value::Date(dt.date())),
    },
    BuiltinMethod {
        name: "isoformat",
        sig: Signature::builtin(
            "datetime.isoformat",
            &["sep=", "timespec=!"],
            ArgStyle::Takes,
        ),
        call: |_, dt, b| {
            let sep = match b.given("sep") {
                Some(Value::Str(s)) if s.chars().count() == 1 => s.to_string(),
                Some(other) => {
                    return Err(type_error(format!(
                        "isoformat() argument 1 must be a unicode character, not {}",
                        other.type_name()
                    )));
                }
                None => "T".into(),
            };
            Ok(Value::str(&isoformat(dt, &sep)))
        },
    },
    BuiltinMethod {
        name: "isoweekday",
        sig: Signature::builtin("date.isoweekday", &[], ArgStyle::Exact),
        call: |_, dt, _| Ok(Value::Int(i64::from(dt.weekday().number_from_monday()))),
    },
    BuiltinMethod {
        name: "strftime",
        sig: STRFTIME,
        call: |_, dt, b| strftime(&b, dt),
    },
    BuiltinMethod {
        name: "time",
        sig: Signature::builtin("datetime.time", &[], ArgStyle::Exact),
        call: |_, dt, _| Ok(Value::Time(dt.time())),
    },
    BuiltinMethod {
        name: "weekday",
        sig: Signature::builtin("date.weekday", &[], ArgStyle::Exact),
        call: |_, dt, _| Ok(Value::Int(i64::from(dt.weekday().num_days_from_monday()))),
    },
];

/// The methods of a `date`.
pub static DATE_METHODS: &[BuiltinMethod<NaiveDate>] = &[
    BuiltinMethod {
        name: "isoformat",
        sig: Signature::builtin("date.isoformat", &[], ArgStyle::Exact),
        call: |_, d, _| Ok(Value::str(&d.format("%Y-%m-%d").to_string())),
    },
    BuiltinMethod {
        name: "isoweekday",
        sig: Signature::builtin("date.isoweekday", &[], ArgStyle::Exact),
        call: |_, d, _| Ok(Value::Int(i64::from(d.weekday().number_from_monday()))),
    },
    BuiltinMethod {
        name: "strftime",
        sig: STRFTIME,
        call: |_, d, b| strftime(&b, &d.and_time(chrono::NaiveTime::MIN)),
    },
    BuiltinMethod {
        name: "weekday",
        sig: Signature::builtin("date.weekday", &[], ArgStyle::Exact),
        call: |_, d, _| Ok(Value::Int(i64::from(d.weekday().num_days_from_monday()))),
    },
];

thread_local! {
    /// The instant (µs since the epoch, UTC) [`clock_now`] last gave.
    static LAST_NOW: std::cell::Cell<i64> = const { std::cell::Cell::new(i64::MIN) };
}

/// `datetime.now()`/`today()` (`local`) or `utcnow()` as a naive datetime,
/// and the time a `default=datetime.utcnow` column default gives: the
/// system clock, but each reading at least a microsecond after the last.
/// Two readings in CPython are always microseconds apart (a call costs
/// more than that), so `created_at == updated_at` of two defaults is
/// `False` there; the tutor reads faster than the clock ticks and would
/// sometimes give `True`.
pub fn clock_now(local: bool) -> NaiveDateTime {
    let now = Utc::now();
    let micros = now.timestamp_micros();
    let last = LAST_NOW.with(|l| l.get());
    let micros = if micros <= last {
        last.saturating_add(1)
    } else {
        micros
    };
    LAST_NOW.with(|l| l.set(micros));
    let instant = chrono::DateTime::<Utc>::from_timestamp_micros(micros).unwrap_or(now);
    if local {
        instant.with_timezone(&Local).naive_local()
    } else {
        instant.naive_utc()
    }
}

/// The class methods of `datetime` (`datetime.now()`).
pub static DATETIME_CLASS_METHODS: &[BuiltinMethod<()>] = &[
    BuiltinMethod {
        name: "combine",
        sig: Signature::builtin("combine", &["date", "time", "tzinfo=!"], ArgStyle::Takes),
        call: |_, _, b| {
            let date = match b.value("date") {
                Value::Date(d) => d,
                Value::DateTime(dt) => dt.date(),
                other => {
                    return Err(type_error(format!(
                        "combine() argument 1 must be datetime.date, not {}",
                        other.type_name()
                    )));
                }
            };
            match b.value("time") {
                Value::Time(t) => Ok(Value::DateTime(date.and_time(t))),
                other => Err(type_error(format!(
                    "combine() argument 2 must be datetime.time, not {}",
                    other.type_name()
                ))),
            }
        },
    },
    BuiltinMethod {
        name: "fromisoformat",
        sig: Signature::builtin(
            "datetime.fromisoformat",
            &["date_string", "/"],
            ArgStyle::Exact,
        ),
        call: |_, _, b| match b.value("date_string") {
            Value::Str(s) => fromisoformat(&s)
                .map(Value::DateTime)
                .ok_or_else(|| value_error(format!("Invalid isoformat string: {}", str_repr(&s)))),
            _ => Err(type_error("fromisoformat: argument must be str")),
        },
    },
    BuiltinMethod {
        name: "now",
        sig: Signature::builtin("datetime.now", &["tz=!"], ArgStyle::Takes),
        call: |_, _, _| Ok(Value::DateTime(clock_now(true))),
    },
    BuiltinMethod {
        name: "today",
        sig: Signature::builtin("datetime.today", &[], ArgStyle::Exact),
        call: |_, _, _| Ok(Value::DateTime(clock_now(true))),
    },
    BuiltinMethod {
        name: "utcnow",
        sig: Signature::builtin("datetime.utcnow", &[], ArgStyle::Exact),
        call: |_, _, _| Ok(Value::DateTime(clock_now(false))),
    },
];

/// `datetime.<name>(*args, **kwargs)`: a class method, or
/// `AttributeError: type object 'datetime.datetime' has no attribute …`.
pub fn datetime_class_method(
    vm: &mut dyn Vm,
    name: &str,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<Value> {
    super::call_in(DATETIME_CLASS_METHODS, vm, &(), name, args, kwargs).unwrap_or_else(|| {
        Err(attribute_error(format!(
            "type object 'datetime.datetime' has no attribute '{name}'"
        )))
    })
}

/// `datetime(...)` from bound arguments, with CPython's range errors
/// (`month must be in 1..12`, `day is out of range for month`).
pub fn new_datetime(b: &Bound) -> PyResult<Value> {
    let date = new_date(b)?;
    let time = super::time::new_time(b)?;
    Ok(Value::DateTime(date.and_time(time)))
}

/// `date(year, month, day)` from bound arguments.
pub fn new_date(b: &Bound) -> PyResult<NaiveDate> {
    let year = index_arg(&b.value("year"))?;
    let month = index_arg(&b.value("month"))?;
    let day = index_arg(&b.value("day"))?;
    if !(1..=9999).contains(&year) {
        return Err(value_error(format!("year {year} is out of range")));
    }
    if !(1..=12).contains(&month) {
        return Err(value_error("month must be in 1..12"));
    }
    u32::try_from(day)
        .ok()
        .and_then(|d| NaiveDate::from_ymd_opt(year as i32, month as u32, d))
        .ok_or_else(|| value_error("day is out of range for month"))
}

/// Python's `datetime.isoformat(sep)`: microseconds only when not zero.
pub fn isoformat(dt: &NaiveDateTime, sep: &str) -> String {
    let mut s = dt.format(&format!("%Y-%m-%d{sep}%H:%M:%S")).to_string();
    let micro = dt.nanosecond() / 1000;
    if micro != 0 {
        s.push_str(&format!(".{micro:06}"));
    }
    s
}

/// `strftime(format)` (a `date` at midnight), as Python on Linux.
fn strftime(b: &Bound, dt: &NaiveDateTime) -> PyResult<Value> {
    let Value::Str(f) = b.value("format") else {
        return Err(type_error(format!(
            "strftime() argument 1 must be str, not {}",
            b.value("format").type_name()
        )));
    };
    Ok(Value::str(&super::strftime::strftime(dt, &f)))
}

/// Python 3.11's `datetime.fromisoformat`: `YYYY-MM-DD`, then optionally any
/// one separator and `HH`, `HH:MM`, `HH:MM:SS` or `HH:MM:SS.ffffff`.
pub fn fromisoformat(s: &str) -> Option<NaiveDateTime> {
    let date = NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?;
    if s.len() == 10 {
        return date.and_hms_opt(0, 0, 0);
    }
    let rest = s.get(11..)?;
    let (hms, frac) = match rest.split_once('.') {
        Some((a, f)) => (a, Some(f)),
        None => (rest, None),
    };
    let nums: Vec<&str> = hms.split(':').collect();
    if nums
        .iter()
        .any(|n| n.len() != 2 || !n.bytes().all(|c| c.is_ascii_digit()))
        || nums.len() > 3
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
    date.and_hms_micro_opt(get(0), get(1), get(2), micro)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{FakeVm, call};
    use super::*;

    fn dt() -> Value {
        Value::DateTime(fromisoformat("2024-01-15 09:00:00.5").unwrap())
    }

    #[test]
    fn clock_readings_are_at_least_a_microsecond_apart() {
        let utc: Vec<NaiveDateTime> = (0..1000).map(|_| clock_now(false)).collect();
        assert!(utc.windows(2).all(|w| w[1] > w[0]));
    }

    #[test]
    fn methods_behave_as_python() {
        let vm = &mut FakeVm::default();
        assert_eq!(
            call(vm, &dt(), "isoformat", vec![], vec![]),
            "'2024-01-15T09:00:00.500000'"
        );
        assert_eq!(
            call(vm, &dt(), "strftime", vec![Value::str("%d/%m")], vec![]),
            "'15/01'"
        );
        assert_eq!(call(vm, &dt(), "weekday", vec![], vec![]), "0");
        assert_eq!(
            call(vm, &dt(), "date", vec![], vec![]),
            "datetime.date(2024, 1, 15)"
        );
        // glibc leaves a directive it does not know as written
        assert_eq!(
            call(vm, &dt(), "strftime", vec![Value::str("%Q %")], vec![]),
            "'%Q %'"
        );
        assert!(fromisoformat("2020-01-01T10:11").is_some());
        assert!(fromisoformat("2020-01-01x").is_none());
    }

    #[test]
    fn errors_are_cpythons() {
        // Each text is what Python 3.11 printed.
        let vm = &mut FakeVm::default();
        assert_eq!(
            call(vm, &dt(), "strftime", vec![], vec![]),
            "TypeError: strftime() missing required argument 'format' (pos 1)"
        );
        assert_eq!(
            call(vm, &dt(), "strftime", vec![Value::Int(1)], vec![]),
            "TypeError: strftime() argument 1 must be str, not int"
        );
        assert_eq!(
            call(vm, &dt(), "date", vec![Value::Int(1)], vec![]),
            "TypeError: datetime.date() takes no arguments (1 given)"
        );
        assert_eq!(
            call(vm, &dt(), "weekday", vec![Value::Int(1)], vec![]),
            "TypeError: date.weekday() takes no arguments (1 given)"
        );
        assert_eq!(
            call(vm, &dt(), "isoformat", vec![Value::Int(1); 3], vec![]),
            "TypeError: isoformat() takes at most 2 arguments (3 given)"
        );
        let d = Value::Date(NaiveDate::from_ymd_opt(2020, 1, 1).unwrap());
        assert_eq!(
            call(vm, &d, "isoformat", vec![Value::Int(1)], vec![]),
            "TypeError: date.isoformat() takes no arguments (1 given)"
        );
        let e = |r: PyResult<Value>| {
            r.map_or_else(
                |e| format!("{}: {}", e.type_name(), e.message),
                |v| crate::python::format::repr_plain(&v),
            )
        };
        assert_eq!(
            e(datetime_class_method(
                vm,
                "utcnow",
                vec![Value::Int(1)],
                vec![]
            )),
            "TypeError: datetime.utcnow() takes no arguments (1 given)"
        );
        assert_eq!(
            e(datetime_class_method(
                vm,
                "now",
                vec![Value::Int(1); 2],
                vec![]
            )),
            "TypeError: now() takes at most 1 argument (2 given)"
        );
        assert_eq!(
            e(datetime_class_method(vm, "fromisoformat", vec![], vec![])),
            "TypeError: datetime.fromisoformat() takes exactly one argument (0 given)"
        );
        assert_eq!(
            e(datetime_class_method(
                vm,
                "fromisoformat",
                vec![Value::str("2020-01-01x")],
                vec![]
            )),
            "ValueError: Invalid isoformat string: '2020-01-01x'"
        );
        let month13 = DATETIME
            .bind(
                vec![Value::Int(2020), Value::Int(13), Value::Int(1)],
                vec![],
            )
            .unwrap();
        assert_eq!(
            e(new_datetime(&month13)),
            "ValueError: month must be in 1..12"
        );
        let hour25 = DATETIME
            .bind(
                vec![
                    Value::Int(2020),
                    Value::Int(1),
                    Value::Int(1),
                    Value::Int(25),
                ],
                vec![],
            )
            .unwrap();
        assert_eq!(
            e(new_datetime(&hour25)),
            "ValueError: hour must be in 0..23"
        );
        let feb30 = DATE
            .bind(
                vec![Value::Int(2020), Value::Int(2), Value::Int(30)],
                vec![],
            )
            .unwrap();
        assert_eq!(
            e(new_date(&feb30).map(Value::Date)),
            "ValueError: day is out of range for month"
        );
    }
}
