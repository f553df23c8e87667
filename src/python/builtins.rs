//! Python's built-in functions (`print`, `len`, `sorted`, `isinstance`, …)
//! and the `datetime`/`date` constructors, as one table: each entry's
//! [`Signature`] raises CPython 3.11's own `TypeError` (`len() takes exactly
//! one argument (0 given)`, `'foo' is an invalid keyword argument for
//! print()`), and its body gets the arguments bound. SQLAlchemy's names
//! (`select`, `joinedload`, …) are not here.

use std::cell::RefCell;
use std::rc::Rc;

use super::ExcType;
use super::exceptions::{PyErr, PyResult, type_error, value_error};
use super::ops;
use super::signature::{ArgStyle, Bound, Signature};
use super::types::{datetime, dict, index_arg, list, set};
use super::value::{Builtin, ListObj, SetKind, Value, str_repr};
use super::vm::{Kwargs, Vm};

/// One built-in function: the [`Builtin`] it is bound as, its signature
/// and its body.
pub struct BuiltinFunction {
    pub builtin: Builtin,
    pub sig: Signature,
    pub call: fn(&mut dyn Vm, Bound) -> PyResult<Value>,
}

const fn one(name: &'static str) -> Signature {
    Signature::builtin(name, &["obj", "/"], ArgStyle::Exact)
}

const fn at_most_one(name: &'static str) -> Signature {
    Signature::builtin(name, &["x=", "/"], ArgStyle::Expected)
}

/// Python's built-in functions.
pub static BUILTIN_FUNCTIONS: &[BuiltinFunction] = &[
    BuiltinFunction {
        builtin: Builtin::Print,
        sig: Signature::builtin(
            "print",
            &["*args", "sep=", "end=", "file=!", "flush="],
            ArgStyle::Takes,
        ),
        call: print,
    },
    BuiltinFunction {
        builtin: Builtin::Len,
        sig: one("len"),
        call: |vm, b| {
            let obj = b.value("obj");
            match vm.call_dunder(&obj, "__len__", Vec::new())? {
                Some(n) => super::class::len_result(n),
                None => len(&obj),
            }
        },
    },
    BuiltinFunction {
        builtin: Builtin::Repr,
        sig: one("repr"),
        call: |vm, b| vm.repr_value(&b.value("obj")).map(|s| Value::str(&s)),
    },
    BuiltinFunction {
        builtin: Builtin::Str,
        sig: Signature::builtin(
            "str",
            &["object=", "encoding=!", "errors=!"],
            ArgStyle::Takes,
        ),
        call: |vm, b| match b.get("object") {
            Some(v) => vm.str_value(v).map(|s| Value::str(&s)),
            None => Ok(Value::str("")),
        },
    },
    BuiltinFunction {
        builtin: Builtin::Int,
        sig: Signature::builtin("int", &["x=", "/", "base="], ArgStyle::Takes),
        call: |_, b| int(&b),
    },
    BuiltinFunction {
        builtin: Builtin::Float,
        sig: at_most_one("float"),
        call: |_, b| float(&b),
    },
    BuiltinFunction {
        builtin: Builtin::Bool,
        sig: at_most_one("bool"),
        call: |vm, b| match b.get("x") {
            Some(v) => vm.truthy(v).map(Value::Bool),
            None => Ok(Value::Bool(false)),
        },
    },
    BuiltinFunction {
        builtin: Builtin::ListType,
        sig: at_most_one("list"),
        call: |vm, b| Ok(Value::list(items(vm, b.get("x"))?)),
    },
    BuiltinFunction {
        builtin: Builtin::TupleType,
        sig: at_most_one("tuple"),
        call: |vm, b| Ok(Value::tuple(items(vm, b.get("x"))?)),
    },
    BuiltinFunction {
        builtin: Builtin::SetType,
        sig: at_most_one("set"),
        call: |vm, b| {
            let s = ListObj::new(Vec::new());
            for x in items(vm, b.get("x"))? {
                set::insert(&s, x);
            }
            Ok(Value::Set(s, SetKind::Plain))
        },
    },
    BuiltinFunction {
        builtin: Builtin::DictType,
        sig: Signature::builtin("dict", &["iterable=", "/", "**kwargs"], ArgStyle::Expected),
        call: |vm, b| {
            let d = RefCell::new(crate::python::value::DictObj::default());
            let pairs = match b.get("iterable") {
                Some(v) => dict::pairs_of(vm, v)?,
                None => Vec::new(),
            };
            let kw = b.varkw.iter().map(|(k, v)| (Value::str(k), v.clone()));
            for (k, v) in pairs.into_iter().chain(kw) {
                dict::set_item(&d, k, v);
            }
            Ok(Value::Dict(Rc::new(d)))
        },
    },
    BuiltinFunction {
        builtin: Builtin::Range,
        sig: Signature::builtin(
            "range",
            &["start", "stop=", "step=", "/"],
            ArgStyle::Expected,
        ),
        call: |_, b| range(&b),
    },
    BuiltinFunction {
        builtin: Builtin::Sorted,
        sig: Signature::builtin("sorted", &["iterable", "/", "**kwargs"], ArgStyle::Expected),
        call: |vm, b| {
            let l = ListObj::new(vm.iterate_value(&b.value("iterable"))?);
            list::sort_list(vm, &l, b.varkw)?;
            Ok(Value::List(l))
        },
    },
    BuiltinFunction {
        builtin: Builtin::Sum,
        sig: Signature::builtin("sum", &["iterable", "/", "start="], ArgStyle::Takes),
        call: |vm, b| {
            let mut total = b.get("start").cloned().unwrap_or(Value::Int(0));
            for item in vm.iterate_value(&b.value("iterable"))? {
                total = ops::binary_op(crate::language::ast::BinOp::Add, &total, &item)?;
            }
            Ok(total)
        },
    },
    BuiltinFunction {
        builtin: Builtin::Min,
        sig: Signature::builtin(
            "min",
            &["iterable", "/", "*args", "key=", "default="],
            ArgStyle::Expected,
        ),
        call: |vm, b| min_max(vm, &b, "min"),
    },
    BuiltinFunction {
        builtin: Builtin::Max,
        sig: Signature::builtin(
            "max",
            &["iterable", "/", "*args", "key=", "default="],
            ArgStyle::Expected,
        ),
        call: |vm, b| min_max(vm, &b, "max"),
    },
    BuiltinFunction {
        builtin: Builtin::Abs,
        sig: Signature::builtin("abs", &["x", "/"], ArgStyle::Exact),
        call: |_, b| match b.value("x") {
            Value::Int(i) => i
                .checked_abs()
                .map(Value::Int)
                .ok_or_else(|| PyErr::new(ExcType::OverflowError, "integer overflow in abs()")),
            Value::Float(f) => Ok(Value::Float(f.abs())),
            Value::Decimal(d) => Ok(Value::Decimal(d.abs())),
            Value::TimeDelta(t) => super::types::timedelta::abs(&t),
            Value::Bool(x) => Ok(Value::Int(i64::from(x))),
            other => Err(type_error(format!(
                "bad operand type for abs(): '{}'",
                other.type_name()
            ))),
        },
    },
    BuiltinFunction {
        builtin: Builtin::Round,
        sig: Signature::builtin("round", &["number", "ndigits="], ArgStyle::Takes),
        call: |_, b| round(&b),
    },
    BuiltinFunction {
        builtin: Builtin::Enumerate,
        sig: Signature::builtin("enumerate", &["iterable", "start="], ArgStyle::Takes),
        call: |vm, b| {
            let start = b.get("start").map(index_arg).transpose()?.unwrap_or(0);
            let items = vm.iterate_value(&b.value("iterable"))?;
            let pairs = items.into_iter().enumerate();
            Ok(Value::list(
                pairs
                    .map(|(i, v)| Value::tuple(vec![Value::Int(start + i as i64), v]))
                    .collect(),
            ))
        },
    },
    BuiltinFunction {
        builtin: Builtin::Zip,
        sig: Signature::builtin("zip", &["*iterables", "strict=!"], ArgStyle::Takes),
        call: |vm, b| {
            let mut lists = Vec::new();
            for a in &b.varargs {
                lists.push(vm.iterate_value(a)?);
            }
            let n = lists.iter().map(Vec::len).min().unwrap_or(0);
            Ok(Value::list(
                (0..n)
                    .map(|i| Value::tuple(lists.iter().map(|l| l[i].clone()).collect()))
                    .collect(),
            ))
        },
    },
    BuiltinFunction {
        builtin: Builtin::IsInstance,
        sig: Signature::builtin(
            "isinstance",
            &["obj", "class_or_tuple", "/"],
            ArgStyle::Expected,
        ),
        call: |_, b| is_instance(&b.value("obj"), &b.value("class_or_tuple")).map(Value::Bool),
    },
    BuiltinFunction {
        builtin: Builtin::IsSubclass,
        sig: Signature::builtin(
            "issubclass",
            &["cls", "class_or_tuple", "/"],
            ArgStyle::Expected,
        ),
        call: |_, b| is_subclass(&b.value("cls"), &b.value("class_or_tuple")).map(Value::Bool),
    },
    BuiltinFunction {
        builtin: Builtin::Type,
        sig: Signature::builtin("type", &["*args"], ArgStyle::Takes),
        call: |_, b| match b.varargs.as_slice() {
            [Value::Native(o)] if let Some(class) = o.class_of() => Ok(class),
            [Value::Exception(e)] => Ok(Value::ExceptionClass(e.exc)),
            // `<class 'datetime.datetime'>`, the class the name `datetime` is
            [Value::DateTime(_)] => Ok(Value::Builtin(Builtin::DateTime)),
            [Value::TimeDelta(_)] => Ok(Value::Builtin(Builtin::TimeDelta)),
            [other] => Ok(Value::PyType(Rc::from(other.type_name().as_str()))),
            _ => Err(type_error("type() takes 1 or 3 arguments")),
        },
    },
    BuiltinFunction {
        builtin: Builtin::Any,
        sig: Signature::builtin("any", &["iterable", "/"], ArgStyle::Exact),
        call: |vm, b| any_all(vm, &b, true),
    },
    BuiltinFunction {
        builtin: Builtin::All,
        sig: Signature::builtin("all", &["iterable", "/"], ArgStyle::Exact),
        call: |vm, b| any_all(vm, &b, false),
    },
    BuiltinFunction {
        builtin: Builtin::Id,
        sig: one("id"),
        call: |_, b| match b.value("obj") {
            Value::Native(o) if let Some(id) = o.id() => Ok(Value::Int(id as i64)),
            other => Ok(Value::Int(
                (crate::python::format::repr_plain(&other).len() as i64) * 7919
                    + 140_000_000_000_000,
            )),
        },
    },
    BuiltinFunction {
        builtin: Builtin::Divmod,
        sig: Signature::builtin("divmod", &["x", "y", "/"], ArgStyle::Expected),
        call: |_, b| divmod(&b.value("x"), &b.value("y")),
    },
    BuiltinFunction {
        builtin: Builtin::Hasattr,
        sig: Signature::builtin("hasattr", &["obj", "name", "/"], ArgStyle::Expected),
        call: |vm, b| match vm.get_attr(&b.value("obj"), &attr_name(&b)?) {
            Ok(_) => Ok(Value::Bool(true)),
            Err(e) if e.exc == ExcType::AttributeError => Ok(Value::Bool(false)),
            Err(e) => Err(e),
        },
    },
    BuiltinFunction {
        builtin: Builtin::Getattr,
        sig: Signature::builtin(
            "getattr",
            &["object", "name", "default=", "/"],
            ArgStyle::Expected,
        ),
        call: |vm, b| match (
            vm.get_attr(&b.value("object"), &attr_name(&b)?),
            b.get("default"),
        ) {
            (Err(e), Some(d)) if e.exc == ExcType::AttributeError => Ok(d.clone()),
            (r, _) => r,
        },
    },
    BuiltinFunction {
        builtin: Builtin::DateTime,
        sig: datetime::DATETIME,
        call: |_, b| datetime::new_datetime(&b),
    },
    BuiltinFunction {
        builtin: Builtin::Decimal,
        sig: super::types::decimal::DECIMAL,
        call: |_, b| super::types::decimal::construct(b.given("value")),
    },
    BuiltinFunction {
        builtin: Builtin::TimeDelta,
        sig: super::types::timedelta::TIMEDELTA,
        call: |_, b| super::types::timedelta::new_timedelta(&b),
    },
    BuiltinFunction {
        builtin: Builtin::Date,
        sig: datetime::DATE,
        call: |_, b| datetime::new_date(&b).map(Value::Date),
    },
    BuiltinFunction {
        builtin: Builtin::Time("sleep"),
        sig: Signature::builtin("time.sleep", &["secs", "/"], ArgStyle::Exact),
        call: |_, b| time_sleep(&b.value("secs")),
    },
    BuiltinFunction {
        builtin: Builtin::Time("time"),
        sig: Signature::builtin("time.time", &[], ArgStyle::Exact),
        call: |_, _| {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0.0, |d| d.as_secs_f64());
            Ok(Value::Float(now))
        },
    },
    BuiltinFunction {
        builtin: Builtin::Time("perf_counter"),
        sig: Signature::builtin("time.perf_counter", &[], ArgStyle::Exact),
        call: |_, _| Ok(Value::Float(clock_seconds())),
    },
    BuiltinFunction {
        builtin: Builtin::Time("monotonic"),
        sig: Signature::builtin("time.monotonic", &[], ArgStyle::Exact),
        call: |_, _| Ok(Value::Float(clock_seconds())),
    },
];

/// The names of the `time` module the tutor has, as [`Builtin::Time`].
pub const TIME_NAMES: &[&str] = &["sleep", "time", "perf_counter", "monotonic"];

/// `time.perf_counter()` / `time.monotonic()`: seconds on a monotonic
/// clock, counted from the first reading (only differences mean anything,
/// as in Python).
fn clock_seconds() -> f64 {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_secs_f64()
}

/// `time.sleep(secs)`: the thread sleeps, as Python's (a blocking call
/// inside `async def` blocks every task, which is the point seeds make).
///
/// Errors: `TypeError: 'str' object cannot be interpreted as an integer`
/// for a non-number, `ValueError: sleep length must be non-negative`.
fn time_sleep(secs: &Value) -> PyResult<Value> {
    let secs = match secs {
        Value::Int(i) => *i as f64,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Float(f) => *f,
        other => {
            return Err(type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                other.type_name()
            )));
        }
    };
    if secs.is_nan() {
        return Err(PyErr::new(
            ExcType::ValueError,
            "Invalid value NaN (not a number)",
        ));
    }
    if secs < 0.0 {
        return Err(PyErr::new(
            ExcType::ValueError,
            "sleep length must be non-negative",
        ));
    }
    // CPython counts nanoseconds in a 64-bit `_PyTime_t`
    if secs * 1e9 >= 9.2e18 {
        return Err(PyErr::new(
            ExcType::OverflowError,
            "timestamp out of range for platform time_t",
        ));
    }
    std::thread::sleep(std::time::Duration::from_secs_f64(secs));
    Ok(Value::None)
}

/// Calls the built-in function `b`; `None` when it is not one of Python's
/// (SQLAlchemy's names are called elsewhere).
pub fn call(
    vm: &mut dyn Vm,
    b: &Builtin,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> Option<PyResult<Value>> {
    let f = builtin_function(b)?;
    Some(
        f.sig
            .bind(args, kwargs)
            .and_then(|bound| (f.call)(vm, bound)),
    )
}

/// The signature of a built-in function, for `help()` and completion.
pub fn signature(b: &Builtin) -> Option<&'static Signature> {
    builtin_function(b).map(|f| &f.sig)
}

/// The table entry of `b`: here, or among the iterator built-ins
/// ([`super::iterators::ITERATOR_FUNCTIONS`]).
fn builtin_function(b: &Builtin) -> Option<&'static BuiltinFunction> {
    BUILTIN_FUNCTIONS
        .iter()
        .chain(super::iterators::ITERATOR_FUNCTIONS)
        .find(|f| f.builtin == *b)
}

/// `divmod(x, y)`: `(x // y, x % y)`, as Python's.
///
/// Errors: `ZeroDivisionError: integer division or modulo by zero` (`float
/// divmod()` for floats); `TypeError: unsupported operand type(s) for
/// divmod(): 'str' and 'int'`.
fn divmod(x: &Value, y: &Value) -> PyResult<Value> {
    let number = |v: &Value| matches!(v, Value::Int(_) | Value::Bool(_) | Value::Float(_));
    if let (Value::TimeDelta(_), Value::TimeDelta(_)) = (x, y) {
        let q = super::ops::binary_op(crate::language::ast::BinOp::FloorDiv, x, y)?;
        let r = super::ops::binary_op(crate::language::ast::BinOp::Mod, x, y)?;
        return Ok(Value::tuple(vec![q, r]));
    }
    if !number(x) || !number(y) {
        return Err(type_error(format!(
            "unsupported operand type(s) for divmod(): '{}' and '{}'",
            super::types::timedelta::qualified_name(x),
            super::types::timedelta::qualified_name(y)
        )));
    }
    let zero = matches!(y, Value::Int(0) | Value::Bool(false))
        || matches!(y, Value::Float(f) if *f == 0.0);
    if zero {
        let float = matches!(x, Value::Float(_)) || matches!(y, Value::Float(_));
        return Err(PyErr::new(
            ExcType::ZeroDivisionError,
            if float {
                "float divmod()"
            } else {
                "integer division or modulo by zero"
            },
        ));
    }
    let q = super::ops::binary_op(crate::language::ast::BinOp::FloorDiv, x, y)?;
    let r = super::ops::binary_op(crate::language::ast::BinOp::Mod, x, y)?;
    Ok(Value::tuple(vec![q, r]))
}

fn items(vm: &mut dyn Vm, v: Option<&Value>) -> PyResult<Vec<Value>> {
    v.map_or_else(|| Ok(Vec::new()), |v| vm.iterate_value(v))
}

fn print(vm: &mut dyn Vm, b: Bound) -> PyResult<Value> {
    let sep = text_kwarg(&b, "sep", " ")?;
    let end = text_kwarg(&b, "end", "\n")?;
    let mut parts = Vec::with_capacity(b.varargs.len());
    for a in &b.varargs {
        parts.push(vm.str_value(a)?);
    }
    vm.write_stdout(&format!("{}{end}", parts.join(&sep)));
    Ok(Value::None)
}

/// `print`'s `sep`/`end`: a string, or `None` for the default.
fn text_kwarg(b: &Bound, name: &str, default: &str) -> PyResult<String> {
    match b.get(name) {
        None | Some(Value::None) => Ok(default.to_string()),
        Some(Value::Str(s)) => Ok(s.to_string()),
        Some(other) => Err(type_error(format!(
            "{name} must be None or a string, not {}",
            other.type_name()
        ))),
    }
}

fn len(v: &Value) -> PyResult<Value> {
    let n = match v {
        Value::Str(s) => s.chars().count(),
        Value::List(l) => l.items.borrow().len(),
        Value::Tuple(t) => t.len(),
        Value::Row(r) => r.values.len(),
        Value::Dict(d) => d.borrow().len(),
        Value::Set(s, _) => s.items.borrow().len(),
        Value::Native(n) if let Some(b) = n.as_builtin() => return len(&b),
        other => {
            return Err(type_error(format!(
                "object of type '{}' has no len()",
                other.type_name()
            )));
        }
    };
    Ok(Value::Int(n as i64))
}

fn int(b: &Bound) -> PyResult<Value> {
    let base = b.get("base").map(index_arg).transpose()?;
    match (b.get("x"), base) {
        (None, _) => Ok(Value::Int(0)),
        (Some(Value::Str(s)), base) => {
            let base = base.unwrap_or(10);
            let text = s.trim().replace('_', "");
            u32::try_from(base)
                .ok()
                .filter(|b| (2..=36).contains(b))
                .ok_or_else(|| value_error("int() base must be >= 2 and <= 36, or 0"))
                .and_then(|radix| {
                    i64::from_str_radix(&text, radix)
                        .map(Value::Int)
                        .map_err(|_| {
                            value_error(format!(
                                "invalid literal for int() with base {base}: {}",
                                str_repr(s)
                            ))
                        })
                })
        }
        (Some(_), Some(_)) => Err(type_error(
            "int() can't convert non-string with explicit base",
        )),
        (Some(Value::Int(i)), None) => Ok(Value::Int(*i)),
        (Some(Value::Decimal(d)), None) => super::types::decimal::to_int(d),
        (Some(Value::Bool(x)), None) => Ok(Value::Int(i64::from(*x))),
        (Some(Value::Float(f)), None) if f.is_nan() => {
            Err(value_error("cannot convert float NaN to integer"))
        }
        // Python's int is unbounded; the tutor's is 64-bit, so a float
        // beyond it has no exact value here (`int(1e300)`).
        (Some(Value::Float(f)), None)
            if f.is_finite() && (f.trunc() >= i64::MAX as f64 || f.trunc() < i64::MIN as f64) =>
        {
            Err(PyErr::unsupported("integers beyond 64 bits"))
        }
        (Some(Value::Float(f)), None) if f.is_finite() => Ok(Value::Int(f.trunc() as i64)),
        (Some(Value::Float(_)), None) => Err(PyErr::new(
            ExcType::OverflowError,
            "cannot convert float infinity to integer",
        )),
        (Some(other), None) => Err(type_error(format!(
            "int() argument must be a string, a bytes-like object or a real number, not '{}'",
            other.type_name()
        ))),
    }
}

fn float(b: &Bound) -> PyResult<Value> {
    match b.get("x") {
        None => Ok(Value::Float(0.0)),
        Some(Value::Int(i)) => Ok(Value::Float(*i as f64)),
        Some(Value::Bool(x)) => Ok(Value::Float(f64::from(u8::from(*x)))),
        Some(Value::Float(f)) => Ok(Value::Float(*f)),
        Some(Value::Decimal(d)) => Ok(Value::Float(super::types::decimal::to_float(d))),
        Some(Value::Str(s)) => s.trim().parse::<f64>().map(Value::Float).map_err(|_| {
            value_error(format!(
                "could not convert string to float: {}",
                str_repr(s)
            ))
        }),
        Some(other) => Err(type_error(format!(
            "float() argument must be a string or a real number, not '{}'",
            other.type_name()
        ))),
    }
}

/// `range(stop)`, `range(start, stop[, step])`: a lazy
/// [`Range`](crate::python::types::range::Range), as CPython's.
fn range(b: &Bound) -> PyResult<Value> {
    let first = index_arg(&b.value("start"))?;
    let (start, stop) = match b.get("stop") {
        Some(v) => (first, index_arg(v)?),
        None => (0, first),
    };
    let step = b.get("step").map(index_arg).transpose()?.unwrap_or(1);
    if step == 0 {
        return Err(value_error("range() arg 3 must not be zero"));
    }
    Ok(Value::Native(std::rc::Rc::new(
        crate::python::types::range::Range { start, stop, step },
    )))
}

fn min_max(vm: &mut dyn Vm, b: &Bound, name: &str) -> PyResult<Value> {
    let items = if b.varargs.is_empty() {
        vm.iterate_value(&b.value("iterable"))?
    } else if b.get("default").is_some() {
        return Err(type_error(format!(
            "Cannot specify a default for {name}() with multiple positional arguments"
        )));
    } else {
        std::iter::once(b.value("iterable"))
            .chain(b.varargs.iter().cloned())
            .collect()
    };
    let key = b.given("key");
    let mut best: Option<(Value, Value)> = None;
    for item in items {
        let k = match key {
            Some(f) => vm.call_value(f, vec![item.clone()], Vec::new())?,
            None => item.clone(),
        };
        let better = match &best {
            None => true,
            Some((bk, _)) if name == "min" => vm.less_than(&k, bk)?,
            Some((bk, _)) => vm.greater_than(&k, bk)?,
        };
        if better {
            best = Some((k, item));
        }
    }
    match (best, b.get("default")) {
        (Some((_, v)), _) => Ok(v),
        (None, Some(d)) => Ok(d.clone()),
        (None, None) => Err(value_error(format!("{name}() arg is an empty sequence"))),
    }
}

/// `round(number[, ndigits])`, as CPython's `float.__round__` and
/// `int.__round__` ([`super::rounding`]).
fn round(b: &Bound) -> PyResult<Value> {
    use super::rounding::{round_float, round_half_even, round_int};
    let digits = b.given("ndigits").map(index_arg).transpose()?;
    match (b.value("number"), digits) {
        (Value::Int(i), d) => Ok(Value::Int(round_int(i, d.unwrap_or(0)))),
        (Value::Bool(x), d) => Ok(Value::Int(round_int(i64::from(x), d.unwrap_or(0)))),
        (Value::Float(f), None) if !f.is_finite() => Err(PyErr::new(
            if f.is_nan() {
                ExcType::ValueError
            } else {
                ExcType::OverflowError
            },
            format!(
                "cannot convert float {} to integer",
                if f.is_nan() { "NaN" } else { "infinity" }
            ),
        )),
        (Value::Float(f), None) => Ok(Value::Int(round_half_even(f) as i64)),
        (Value::Float(f), Some(d)) => Ok(Value::Float(round_float(f, d))),
        (Value::Decimal(x), None) => super::types::decimal::round_int(&x),
        (Value::Decimal(x), Some(d)) => super::types::decimal::round_to(&x, d),
        (other, _) => Err(type_error(format!(
            "type {} doesn't define __round__ method",
            other.type_name()
        ))),
    }
}

fn any_all(vm: &mut dyn Vm, b: &Bound, any: bool) -> PyResult<Value> {
    for i in vm.iterate_value(&b.value("iterable"))? {
        if vm.truthy(&i)? == any {
            return Ok(Value::Bool(any));
        }
    }
    Ok(Value::Bool(!any))
}

fn attr_name(b: &Bound) -> PyResult<String> {
    match b.value("name") {
        Value::Str(s) => Ok(s.to_string()),
        other => Err(type_error(format!(
            "attribute name must be string, not '{}'",
            other.type_name()
        ))),
    }
}

/// `isinstance(v, cls)`; `cls` may be a tuple of classes.
/// `issubclass(cls, class_or_tuple)`: exception classes by their
/// `__mro__`, a mapped class against itself and its declarative base.
pub fn is_subclass(cls: &Value, of: &Value) -> PyResult<bool> {
    if let Value::Tuple(t) = of {
        for c in t.iter() {
            if is_subclass(cls, c)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    if let Some(answer) = super::class::class_is_subclass(cls, of) {
        return Ok(answer);
    }
    Ok(match (cls, of) {
        (Value::ExceptionClass(a), Value::ExceptionClass(b)) => a.is_subclass_of(*b),
        (Value::Native(_), Value::Native(base)) => base.subclasscheck(cls),
        (Value::PyType(a), Value::PyType(b)) => a == b || &**b == "object",
        // Built-in types: `bool` subclasses `int`, `datetime` `date`;
        // every class subclasses `object`.
        (Value::Builtin(a), Value::Builtin(b)) => {
            a == b
                || matches!(
                    (a, b),
                    (Builtin::Bool, Builtin::Int) | (Builtin::DateTime, Builtin::Date)
                )
        }
        (Value::Builtin(_) | Value::ExceptionClass(_), Value::PyType(b)) => &**b == "object",
        (Value::ExceptionClass(_) | Value::PyType(_) | Value::Builtin(_), _) => false,
        (Value::Native(c), _) if c.type_name() == "DeclarativeMeta" => false,
        _ => return Err(type_error("issubclass() arg 1 must be a class")),
    })
}

pub fn is_instance(v: &Value, cls: &Value) -> PyResult<bool> {
    Ok(match cls {
        Value::Tuple(t) => {
            for c in t.iter() {
                if is_instance(v, c)? {
                    return Ok(true);
                }
            }
            false
        }
        // A class defined above python/ (a declarative base) decides.
        Value::Native(class) => class.instancecheck(v),
        Value::ExceptionClass(c) => match v {
            Value::Exception(e) => e.is_instance_of(*c),
            v => super::class::exception_instance_of(v, *c),
        },
        Value::Builtin(Builtin::Int) => matches!(v, Value::Int(_) | Value::Bool(_)),
        Value::Builtin(Builtin::Float) => matches!(v, Value::Float(_)),
        Value::Builtin(Builtin::Str) => matches!(v, Value::Str(_)),
        Value::Builtin(Builtin::Bool) => matches!(v, Value::Bool(_)),
        Value::Builtin(Builtin::ListType) => matches!(v, Value::List(_)),
        Value::Builtin(Builtin::TupleType) => matches!(v, Value::Tuple(_) | Value::Row(_)),
        Value::Builtin(Builtin::DictType) => matches!(v, Value::Dict(_)),
        Value::Builtin(Builtin::SetType) => matches!(v, Value::Set(_, SetKind::Plain)),
        Value::Builtin(Builtin::DateTime) => matches!(v, Value::DateTime(_)),
        Value::Builtin(Builtin::Date) => matches!(v, Value::Date(_) | Value::DateTime(_)),
        Value::Builtin(Builtin::Decimal) => matches!(v, Value::Decimal(_)),
        Value::Builtin(Builtin::TimeDelta) => matches!(v, Value::TimeDelta(_)),
        Value::Builtin(Builtin::Range) => matches!(v, Value::Native(n) if n.type_name() == "range"),
        Value::Builtin(Builtin::SessionClass) => {
            matches!(v, Value::Native(n) if n.type_name() == "Session")
        }
        Value::PyType(t) => v.type_name() == **t,
        Value::None
        | Value::Bool(_)
        | Value::Int(_)
        | Value::Float(_)
        | Value::Str(_)
        | Value::List(_)
        | Value::Dict(_) => {
            return Err(type_error(
                "isinstance() arg 2 must be a type, a tuple of types, or a union",
            ));
        }
        _ => false,
    })
}

/// Python's format mini-language for f-string fields (`{x:>10}`,
/// `{price:.2f}`, `{n:,}`, `{r:%}`).
pub fn format_spec(vm: &mut dyn Vm, v: &Value, spec: &str) -> PyResult<String> {
    // `datetime.__format__`/`date.__format__`: a non-empty spec is a
    // `strftime` format (`f"{dt:%Y-%m}"`).
    match v {
        Value::DateTime(dt) if !spec.is_empty() => {
            return Ok(super::types::strftime::strftime(dt, spec));
        }
        Value::Date(d) if !spec.is_empty() => {
            return Ok(super::types::strftime::strftime(
                &d.and_time(chrono::NaiveTime::MIN),
                spec,
            ));
        }
        _ => {}
    }
    let chars: Vec<char> = spec.chars().collect();
    let mut i = 0;
    let mut fill = ' ';
    let mut align: Option<char> = None;
    if chars.len() >= 2 && matches!(chars[1], '<' | '>' | '^' | '=') {
        fill = chars[0];
        align = Some(chars[1]);
        i = 2;
    } else if !chars.is_empty() && matches!(chars[0], '<' | '>' | '^' | '=') {
        align = Some(chars[0]);
        i = 1;
    }
    let mut sign = None;
    if i < chars.len() && matches!(chars[i], '+' | '-' | ' ') {
        sign = Some(chars[i]);
        i += 1;
    }
    if i < chars.len() && chars[i] == '0' && align.is_none() {
        fill = '0';
        align = Some('=');
        i += 1;
    }
    let mut width = 0usize;
    while i < chars.len() && chars[i].is_ascii_digit() {
        width = width * 10 + chars[i].to_digit(10).unwrap_or(0) as usize;
        i += 1;
    }
    let mut comma = false;
    if i < chars.len() && (chars[i] == ',' || chars[i] == '_') {
        comma = true;
        i += 1;
    }
    let mut precision = None;
    if i < chars.len() && chars[i] == '.' {
        i += 1;
        let mut p = 0usize;
        while i < chars.len() && chars[i].is_ascii_digit() {
            p = p * 10 + chars[i].to_digit(10).unwrap_or(0) as usize;
            i += 1;
        }
        precision = Some(p);
    }
    let ty = chars.get(i).copied();
    if i + usize::from(ty.is_some()) != chars.len() || width > 10_000 {
        return Err(value_error(format!("Invalid format specifier '{spec}'")));
    }
    let number = |v: &Value| -> Option<f64> {
        match v {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            Value::Bool(b) => Some(*b as i64 as f64),
            _ => None,
        }
    };
    let mut body = match ty {
        Some('f') | Some('F') if let Value::Decimal(d) = v => {
            super::types::decimal::format_fixed(d, precision.unwrap_or(6))
        }
        Some('f') | Some('F') | Some('e') | Some('%') => {
            let Some(x) = number(v) else {
                return Err(value_error(format!(
                    "Unknown format code '{}' for object of type '{}'",
                    ty.unwrap_or('f'),
                    v.type_name()
                )));
            };
            let p = precision.unwrap_or(6);
            match ty {
                Some('e') => format!("{x:.p$e}"),
                Some('%') => format!("{:.p$}%", x * 100.0),
                _ => format!("{x:.p$}"),
            }
        }
        Some(code @ ('x' | 'X' | 'o' | 'b')) => match v {
            Value::Int(i) => match code {
                'x' => format!("{i:x}"),
                'X' => format!("{i:X}"),
                'o' => format!("{i:o}"),
                _ => format!("{i:b}"),
            },
            other => {
                return Err(value_error(format!(
                    "Unknown format code '{code}' for object of type '{}'",
                    other.type_name()
                )));
            }
        },
        Some('d') => match v {
            Value::Int(i) => i.to_string(),
            Value::Bool(b) => (*b as i64).to_string(),
            other => {
                return Err(value_error(format!(
                    "Unknown format code 'd' for object of type '{}'",
                    other.type_name()
                )));
            }
        },
        Some('s') | None => match (v, precision) {
            (Value::Float(f), Some(p)) => format!("{f:.p$}"),
            (Value::Str(s), Some(p)) => s.chars().take(p).collect(),
            _ => vm.str_value(v)?,
        },
        Some(other) => {
            return Err(value_error(format!(
                "Unknown format code '{other}' for object of type '{}'",
                v.type_name()
            )));
        }
    };
    if comma
        && let Some((int_part, rest)) = body
            .split_once('.')
            .map(|(a, b)| (a.to_string(), format!(".{b}")))
            .or_else(|| Some((body.clone(), String::new())))
    {
        let neg = int_part.starts_with('-');
        let digits: Vec<char> = int_part.trim_start_matches('-').chars().collect();
        let mut grouped = String::new();
        for (k, c) in digits.iter().enumerate() {
            if k > 0 && (digits.len() - k).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(*c);
        }
        body = format!("{}{}{}", if neg { "-" } else { "" }, grouped, rest);
    }
    if sign == Some('+') && number(v).is_some_and(|x| x >= 0.0) {
        body = format!("+{body}");
    }
    let len = body.chars().count();
    if len >= width {
        return Ok(body);
    }
    let pad = width - len;
    let is_num = number(v).is_some() && !matches!(v, Value::Bool(_));
    let align = align.unwrap_or(if is_num { '>' } else { '<' });
    let fill_str = |n: usize| fill.to_string().repeat(n);
    Ok(match align {
        '<' => format!("{body}{}", fill_str(pad)),
        '^' => format!("{}{body}{}", fill_str(pad / 2), fill_str(pad - pad / 2)),
        '=' if body.starts_with('-') || body.starts_with('+') => {
            let (s, rest) = body.split_at(1);
            format!("{s}{}{rest}", fill_str(pad))
        }
        _ => format!("{}{body}", fill_str(pad)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::types::testing::FakeVm;

    fn call_str(vm: &mut FakeVm, b: Builtin, args: Vec<Value>, kwargs: Kwargs) -> String {
        match call(vm, &b, args, kwargs) {
            Some(Ok(v)) => crate::python::format::repr_plain(&v),
            Some(Err(e)) => format!("{}: {}", e.type_name(), e.message),
            None => "not a Python built-in".into(),
        }
    }

    fn check(vm: &mut FakeVm, cases: Vec<(Builtin, Vec<Value>, Kwargs, &str)>) {
        for (b, args, kwargs, want) in cases {
            let what = format!("{b:?}");
            assert_eq!(
                call_str(vm, b, args, kwargs),
                format!("TypeError: {want}"),
                "{what}"
            );
        }
    }

    #[test]
    fn argument_errors_are_cpythons() {
        // Each text is what Python 3.11 printed for the same call.
        use Builtin::*;
        let vm = &mut FakeVm::default();
        let n = |k: usize| vec![Value::Int(1); k];
        let kw = |k: &str| vec![(k.to_string(), Value::Int(1))];
        let cases: Vec<(Builtin, Vec<Value>, Kwargs, &str)> = vec![
            (
                Len,
                n(0),
                vec![],
                "len() takes exactly one argument (0 given)",
            ),
            (
                Len,
                n(2),
                vec![],
                "len() takes exactly one argument (2 given)",
            ),
            (Len, n(0), kw("x"), "len() takes no keyword arguments"),
            (
                Print,
                n(0),
                kw("foo"),
                "'foo' is an invalid keyword argument for print()",
            ),
            (
                Repr,
                n(0),
                vec![],
                "repr() takes exactly one argument (0 given)",
            ),
            (
                Str,
                n(4),
                vec![],
                "str() takes at most 3 arguments (4 given)",
            ),
            (
                Str,
                n(0),
                kw("x"),
                "'x' is an invalid keyword argument for str()",
            ),
            (
                Int,
                n(3),
                vec![],
                "int() takes at most 2 arguments (3 given)",
            ),
            (
                Float,
                n(2),
                vec![],
                "float expected at most 1 argument, got 2",
            ),
            (
                ListType,
                n(2),
                vec![],
                "list expected at most 1 argument, got 2",
            ),
            (ListType, n(0), kw("x"), "list() takes no keyword arguments"),
            (
                DictType,
                n(2),
                vec![],
                "dict expected at most 1 argument, got 2",
            ),
            (
                Range,
                n(0),
                vec![],
                "range expected at least 1 argument, got 0",
            ),
            (
                Range,
                n(4),
                vec![],
                "range expected at most 3 arguments, got 4",
            ),
            (Range, n(0), kw("x"), "range() takes no keyword arguments"),
            (Sorted, n(0), vec![], "sorted expected 1 argument, got 0"),
            (
                Sorted,
                vec![Value::list(vec![])],
                kw("foo"),
                "'foo' is an invalid keyword argument for sort()",
            ),
            (
                Sum,
                n(3),
                vec![],
                "sum() takes at most 2 arguments (3 given)",
            ),
            (Min, n(0), vec![], "min expected at least 1 argument, got 0"),
            (
                Max,
                n(2),
                kw("foo"),
                "'foo' is an invalid keyword argument for max()",
            ),
        ];
        check(vm, cases);
    }

    #[test]
    fn more_argument_errors_are_cpythons() {
        use Builtin::*;
        let vm = &mut FakeVm::default();
        let n = |k: usize| vec![Value::Int(1); k];
        let kw = |k: &str| vec![(k.to_string(), Value::Int(1))];
        let cases: Vec<(Builtin, Vec<Value>, Kwargs, &str)> = vec![
            (
                Abs,
                n(0),
                vec![],
                "abs() takes exactly one argument (0 given)",
            ),
            (
                Round,
                n(0),
                vec![],
                "round() missing required argument 'number' (pos 1)",
            ),
            (
                Round,
                n(3),
                vec![],
                "round() takes at most 2 arguments (3 given)",
            ),
            (
                Enumerate,
                n(3),
                vec![],
                "enumerate() takes at most 2 arguments (3 given)",
            ),
            (
                Zip,
                n(0),
                kw("foo"),
                "'foo' is an invalid keyword argument for zip()",
            ),
            (
                IsInstance,
                n(1),
                vec![],
                "isinstance expected 2 arguments, got 1",
            ),
            (Type, n(0), vec![], "type() takes 1 or 3 arguments"),
            (
                Any,
                n(0),
                vec![],
                "any() takes exactly one argument (0 given)",
            ),
            (
                Id,
                n(2),
                vec![],
                "id() takes exactly one argument (2 given)",
            ),
            (
                Reversed,
                n(0),
                vec![],
                "reversed expected 1 argument, got 0",
            ),
            (Hasattr, n(1), vec![], "hasattr expected 2 arguments, got 1"),
            (
                Getattr,
                n(4),
                vec![],
                "getattr expected at most 3 arguments, got 4",
            ),
            (
                Getattr,
                n(2),
                vec![],
                "attribute name must be string, not 'int'",
            ),
        ];
        check(vm, cases);
    }

    #[test]
    fn values_are_pythons() {
        use Builtin::*;
        let vm = &mut FakeVm::default();
        let ints = |xs: &[i64]| Value::list(xs.iter().map(|i| Value::Int(*i)).collect());
        assert_eq!(call_str(vm, Len, vec![Value::str("héllo")], vec![]), "5");
        assert_eq!(
            call_str(vm, Len, vec![Value::Int(1)], vec![]),
            "TypeError: object of type 'int' has no len()"
        );
        assert_eq!(
            call_str(
                vm,
                Sorted,
                vec![ints(&[3, 1, 2])],
                vec![("reverse".into(), Value::Bool(true))]
            ),
            "[3, 2, 1]"
        );
        assert_eq!(
            call_str(
                vm,
                Max,
                vec![Value::Int(1), Value::Int(2)],
                vec![("default".into(), Value::Int(3))]
            ),
            "TypeError: Cannot specify a default for max() with multiple positional arguments"
        );
        assert_eq!(
            call_str(
                vm,
                Min,
                vec![ints(&[])],
                vec![("default".into(), Value::None)]
            ),
            "None"
        );
        assert_eq!(call_str(vm, Round, vec![Value::Float(2.5)], vec![]), "2");
        assert_eq!(
            call_str(
                vm,
                Round,
                vec![],
                vec![("number".into(), Value::Float(1.5))]
            ),
            "2"
        );
        assert_eq!(
            call_str(vm, Int, vec![Value::str("ff"), Value::Int(16)], vec![]),
            "255"
        );
        assert_eq!(
            call_str(vm, Int, vec![Value::str("5"), Value::Int(2)], vec![]),
            "ValueError: invalid literal for int() with base 2: '5'"
        );
        assert_eq!(
            call_str(
                vm,
                Range,
                vec![Value::Int(5), Value::Int(0), Value::Int(-2)],
                vec![]
            ),
            "range(5, 0, -2)"
        );
        assert_eq!(
            call_str(
                vm,
                Enumerate,
                vec![ints(&[7])],
                vec![("start".into(), Value::Int(1))]
            ),
            "[(1, 7)]"
        );
        assert_eq!(
            call_str(vm, DictType, vec![], vec![("x".into(), Value::Int(1))]),
            "{'x': 1}"
        );
        assert_eq!(
            call_str(vm, Reversed, vec![Value::Int(1)], vec![]),
            "TypeError: 'int' object is not reversible"
        );
        assert_eq!(
            call_str(vm, IsInstance, vec![Value::Int(1), Value::Int(2)], vec![]),
            "TypeError: isinstance() arg 2 must be a type, a tuple of types, or a union"
        );
        assert_eq!(
            call_str(
                vm,
                IsInstance,
                vec![Value::Bool(true), Value::Builtin(Int)],
                vec![]
            ),
            "True"
        );
        assert_eq!(
            call_str(
                vm,
                Print,
                vec![Value::Int(1), Value::str("a")],
                vec![("sep".into(), Value::str("-"))]
            ),
            "None"
        );
        assert_eq!(vm.stdout, "1-a\n");
        assert_eq!(
            call_str(vm, Print, vec![], vec![("sep".into(), Value::Int(1))]),
            "TypeError: sep must be None or a string, not int"
        );
        assert_eq!(
            call_str(vm, Select, vec![], vec![]),
            "not a Python built-in"
        );
    }
}

#[cfg(test)]
mod time_tests {
    use super::*;

    #[test]
    fn time_sleep_checks_its_argument_as_cpython() {
        assert!(matches!(time_sleep(&Value::Float(0.0)), Ok(Value::None)));
        let e = time_sleep(&Value::Int(-1))
            .err()
            .map(|e| (e.exc, e.message));
        assert_eq!(
            e,
            Some((
                ExcType::ValueError,
                "sleep length must be non-negative".into()
            ))
        );
        let e = time_sleep(&Value::str("1"))
            .err()
            .map(|e| (e.exc, e.message));
        assert_eq!(
            e,
            Some((
                ExcType::TypeError,
                "'str' object cannot be interpreted as an integer".into()
            ))
        );
        let e = time_sleep(&Value::Float(f64::INFINITY))
            .err()
            .map(|e| e.exc);
        assert_eq!(e, Some(ExcType::OverflowError));
    }

    #[test]
    fn perf_counter_never_goes_back() {
        let a = clock_seconds();
        assert!(clock_seconds() >= a);
    }
}
