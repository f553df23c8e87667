//! Python's `str` methods (`'a,b'.split(',')`, `', '.join(names)`,
//! `'{} {}'.format(a, b)`), with CPython 3.11's argument errors.

use super::BuiltinMethod;
use crate::python::ExcType;
use crate::python::exceptions::{PyErr, PyResult, type_error, value_error};
use crate::python::ops::MAX_STR_LEN;
use crate::python::signature::{ArgStyle, Bound, Signature};
use crate::python::value::Value;
use crate::python::vm::Vm;

const fn no_args(name: &'static str) -> Signature {
    Signature::builtin(name, &[], ArgStyle::Exact)
}

const SUB_START_END: &[&str] = &["sub", "start=", "end=", "/"];
const PREFIX_START_END: &[&str] = &["prefix", "start=", "end=", "/"];

/// The methods of `str`.
pub static STR_METHODS: &[BuiltinMethod<str>] = &[
    BuiltinMethod {
        name: "capitalize",
        sig: no_args("str.capitalize"),
        call: |_, s, _| Ok(Value::str(&capitalize(s))),
    },
    BuiltinMethod {
        name: "count",
        sig: Signature::builtin("str.count", SUB_START_END, ArgStyle::Takes),
        call: |_, s, b| {
            let sub = str_arg(&b, "sub", "must be str, not {}")?;
            let s = slice(s, &b)?;
            Ok(Value::Int(if sub.is_empty() {
                s.chars().count() as i64 + 1
            } else {
                s.matches(sub.as_str()).count() as i64
            }))
        },
    },
    BuiltinMethod {
        name: "encode",
        sig: Signature::builtin("str.encode", &["encoding=", "errors="], ArgStyle::Takes),
        call: |_, s, b| super::bytes::str_encode(s, &b),
    },
    BuiltinMethod {
        name: "endswith",
        sig: Signature::builtin("str.endswith", PREFIX_START_END, ArgStyle::Takes),
        call: |_, s, b| {
            let s = slice(s, &b)?;
            affixes(&b, "endswith").map(|a| Value::Bool(a.iter().any(|x| s.ends_with(x))))
        },
    },
    BuiltinMethod {
        name: "find",
        sig: Signature::builtin("str.find", SUB_START_END, ArgStyle::Takes),
        call: |_, s, b| Ok(Value::Int(find(s, &b)?.unwrap_or(-1))),
    },
    BuiltinMethod {
        name: "format",
        sig: Signature::builtin("str.format", &["*args", "**kwargs"], ArgStyle::Takes),
        call: |vm, s, b| format(vm, s, &b.varargs, &b.varkw).map(|t| Value::str(&t)),
    },
    BuiltinMethod {
        name: "index",
        sig: Signature::builtin("str.index", SUB_START_END, ArgStyle::Takes),
        call: |_, s, b| match find(s, &b)? {
            Some(i) => Ok(Value::Int(i)),
            None => Err(value_error("substring not found")),
        },
    },
    BuiltinMethod {
        name: "isalnum",
        sig: no_args("str.isalnum"),
        call: |_, s, _| {
            Ok(Value::Bool(
                !s.is_empty() && s.chars().all(char::is_alphanumeric),
            ))
        },
    },
    BuiltinMethod {
        name: "isalpha",
        sig: no_args("str.isalpha"),
        call: |_, s, _| {
            Ok(Value::Bool(
                !s.is_empty() && s.chars().all(char::is_alphabetic),
            ))
        },
    },
    BuiltinMethod {
        name: "isdigit",
        sig: no_args("str.isdigit"),
        call: |_, s, _| {
            Ok(Value::Bool(
                !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()),
            ))
        },
    },
    BuiltinMethod {
        name: "islower",
        sig: no_args("str.islower"),
        call: |_, s, _| {
            let cased = s.chars().any(char::is_alphabetic);
            Ok(Value::Bool(cased && !s.chars().any(char::is_uppercase)))
        },
    },
    BuiltinMethod {
        name: "isupper",
        sig: no_args("str.isupper"),
        call: |_, s, _| {
            let cased = s.chars().any(char::is_alphabetic);
            Ok(Value::Bool(cased && !s.chars().any(char::is_lowercase)))
        },
    },
    BuiltinMethod {
        name: "join",
        sig: Signature::builtin("str.join", &["iterable", "/"], ArgStyle::Exact),
        call: |vm, s, b| {
            let items = vm.iterate_value(&b.value("iterable"))?;
            let mut parts = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::Str(x) => parts.push(x.to_string()),
                    other => {
                        return Err(type_error(format!(
                            "sequence item {i}: expected str instance, {} found",
                            other.type_name()
                        )));
                    }
                }
            }
            let len = parts.iter().fold(
                s.len().saturating_mul(parts.len().saturating_sub(1)),
                |n, p| n.saturating_add(p.len()),
            );
            if len > MAX_STR_LEN {
                return Err(too_large());
            }
            Ok(Value::str(&parts.join(s)))
        },
    },
    BuiltinMethod {
        name: "lower",
        sig: no_args("str.lower"),
        call: |_, s, _| Ok(Value::str(&s.to_lowercase())),
    },
    BuiltinMethod {
        name: "lstrip",
        sig: Signature::builtin("str.lstrip", &["chars=", "/"], ArgStyle::Expected),
        call: |_, s, b| strip(s, &b, "lstrip"),
    },
    BuiltinMethod {
        name: "replace",
        sig: Signature::builtin(
            "str.replace",
            &["old", "new", "count=", "/"],
            ArgStyle::Expected,
        ),
        call: |_, s, b| {
            let old = str_arg(&b, "old", "replace() argument 1 must be str, not {}")?;
            let new = str_arg(&b, "new", "replace() argument 2 must be str, not {}")?;
            let count = match b.given("count") {
                Some(n) => usize::try_from(super::index_arg(n)?).ok(),
                None => None,
            };
            if replaced_len(s, &old, &new, count) > MAX_STR_LEN {
                return Err(too_large());
            }
            Ok(Value::str(&match count {
                Some(n) => s.replacen(old.as_str(), &new, n),
                None => s.replace(old.as_str(), &new),
            }))
        },
    },
    BuiltinMethod {
        name: "rstrip",
        sig: Signature::builtin("str.rstrip", &["chars=", "/"], ArgStyle::Expected),
        call: |_, s, b| strip(s, &b, "rstrip"),
    },
    BuiltinMethod {
        name: "split",
        sig: Signature::builtin("str.split", &["sep=", "maxsplit="], ArgStyle::Takes),
        call: |_, s, b| split(s, &b),
    },
    BuiltinMethod {
        name: "startswith",
        sig: Signature::builtin("str.startswith", PREFIX_START_END, ArgStyle::Takes),
        call: |_, s, b| {
            let s = slice(s, &b)?;
            affixes(&b, "startswith").map(|a| Value::Bool(a.iter().any(|x| s.starts_with(x))))
        },
    },
    BuiltinMethod {
        name: "strip",
        sig: Signature::builtin("str.strip", &["chars=", "/"], ArgStyle::Expected),
        call: |_, s, b| strip(s, &b, "strip"),
    },
    BuiltinMethod {
        name: "title",
        sig: no_args("str.title"),
        call: |_, s, _| Ok(Value::str(&title(s))),
    },
    BuiltinMethod {
        name: "casefold",
        sig: no_args("str.casefold"),
        call: |_, s, _| Ok(Value::str(&s.to_lowercase().replace('ß', "ss"))),
    },
    BuiltinMethod {
        name: "center",
        sig: Signature::builtin(
            "str.center",
            &["width", "fillchar=", "/"],
            ArgStyle::Expected,
        ),
        call: |_, s, b| justify(s, &b, '^'),
    },
    BuiltinMethod {
        name: "expandtabs",
        sig: Signature::builtin("str.expandtabs", &["tabsize="], ArgStyle::Takes),
        call: |_, s, b| {
            let size = match b.given("tabsize") {
                Some(v) => super::index_arg(v)?,
                None => 8,
            };
            let mut out = String::new();
            let mut col = 0i64;
            for c in s.chars() {
                match c {
                    '\t' => {
                        if size > 0 {
                            let n = size - col % size;
                            if out.len() as u64 + n as u64 > MAX_STR_LEN as u64 {
                                return Err(too_large());
                            }
                            out.push_str(&" ".repeat(n as usize));
                            col += n;
                        }
                    }
                    '\n' | '\r' => {
                        out.push(c);
                        col = 0;
                    }
                    c => {
                        out.push(c);
                        col += 1;
                    }
                }
            }
            Ok(Value::str(&out))
        },
    },
    BuiltinMethod {
        name: "isdecimal",
        sig: no_args("str.isdecimal"),
        call: |_, s, _| {
            Ok(Value::Bool(
                !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()),
            ))
        },
    },
    BuiltinMethod {
        name: "isnumeric",
        sig: no_args("str.isnumeric"),
        call: |_, s, _| {
            Ok(Value::Bool(
                !s.is_empty() && s.chars().all(char::is_numeric),
            ))
        },
    },
    BuiltinMethod {
        name: "isspace",
        sig: no_args("str.isspace"),
        call: |_, s, _| {
            Ok(Value::Bool(
                !s.is_empty() && s.chars().all(char::is_whitespace),
            ))
        },
    },
    BuiltinMethod {
        name: "istitle",
        sig: no_args("str.istitle"),
        call: |_, s, _| {
            let mut cased = false;
            let mut prev_cased = false;
            for c in s.chars() {
                if c.is_uppercase() {
                    if prev_cased {
                        return Ok(Value::Bool(false));
                    }
                    prev_cased = true;
                    cased = true;
                } else if c.is_lowercase() {
                    if !prev_cased {
                        return Ok(Value::Bool(false));
                    }
                    prev_cased = true;
                    cased = true;
                } else {
                    prev_cased = false;
                }
            }
            Ok(Value::Bool(cased))
        },
    },
    BuiltinMethod {
        name: "ljust",
        sig: Signature::builtin(
            "str.ljust",
            &["width", "fillchar=", "/"],
            ArgStyle::Expected,
        ),
        call: |_, s, b| justify(s, &b, '<'),
    },
    BuiltinMethod {
        name: "partition",
        sig: Signature::builtin("str.partition", &["sep", "/"], ArgStyle::Exact),
        call: |_, s, b| partition(s, &b, false),
    },
    BuiltinMethod {
        name: "removeprefix",
        sig: Signature::builtin("str.removeprefix", &["prefix", "/"], ArgStyle::Exact),
        call: |_, s, b| {
            let p = str_arg(&b, "prefix", "removeprefix() argument must be str, not {}")?;
            Ok(Value::str(s.strip_prefix(p.as_str()).unwrap_or(s)))
        },
    },
    BuiltinMethod {
        name: "removesuffix",
        sig: Signature::builtin("str.removesuffix", &["suffix", "/"], ArgStyle::Exact),
        call: |_, s, b| {
            let p = str_arg(&b, "suffix", "removesuffix() argument must be str, not {}")?;
            Ok(Value::str(s.strip_suffix(p.as_str()).unwrap_or(s)))
        },
    },
    BuiltinMethod {
        name: "rfind",
        sig: Signature::builtin("str.rfind", SUB_START_END, ArgStyle::Takes),
        call: |_, s, b| Ok(Value::Int(rfind(s, &b)?.unwrap_or(-1))),
    },
    BuiltinMethod {
        name: "rindex",
        sig: Signature::builtin("str.rindex", SUB_START_END, ArgStyle::Takes),
        call: |_, s, b| match rfind(s, &b)? {
            Some(i) => Ok(Value::Int(i)),
            None => Err(value_error("substring not found")),
        },
    },
    BuiltinMethod {
        name: "rjust",
        sig: Signature::builtin(
            "str.rjust",
            &["width", "fillchar=", "/"],
            ArgStyle::Expected,
        ),
        call: |_, s, b| justify(s, &b, '>'),
    },
    BuiltinMethod {
        name: "rpartition",
        sig: Signature::builtin("str.rpartition", &["sep", "/"], ArgStyle::Exact),
        call: |_, s, b| partition(s, &b, true),
    },
    BuiltinMethod {
        name: "rsplit",
        sig: Signature::builtin("str.rsplit", &["sep=", "maxsplit="], ArgStyle::Takes),
        call: |_, s, b| rsplit(s, &b),
    },
    BuiltinMethod {
        name: "splitlines",
        sig: Signature::builtin("str.splitlines", &["keepends="], ArgStyle::Takes),
        call: |_, s, b| {
            let keep = b.given("keepends").is_some_and(Value::truthy);
            let mut out = Vec::new();
            let chars: Vec<(usize, char)> = s.char_indices().collect();
            let mut start = 0;
            let mut k = 0;
            while k < chars.len() {
                let (pos, c) = chars[k];
                let is_break = matches!(
                    c,
                    '\n' | '\r'
                        | '\u{0b}'
                        | '\u{0c}'
                        | '\u{1c}'
                        | '\u{1d}'
                        | '\u{1e}'
                        | '\u{85}'
                        | '\u{2028}'
                        | '\u{2029}'
                );
                if is_break {
                    let mut end = pos + c.len_utf8();
                    if c == '\r' && chars.get(k + 1).is_some_and(|(_, n)| *n == '\n') {
                        end += 1;
                        k += 1;
                    }
                    out.push(Value::str(if keep {
                        &s[start..end]
                    } else {
                        &s[start..pos]
                    }));
                    start = end;
                }
                k += 1;
            }
            if start < s.len() {
                out.push(Value::str(&s[start..]));
            }
            Ok(Value::list(out))
        },
    },
    BuiltinMethod {
        name: "swapcase",
        sig: no_args("str.swapcase"),
        call: |_, s, _| {
            Ok(Value::str(
                &s.chars()
                    .flat_map(|c| -> Vec<char> {
                        if c.is_uppercase() {
                            c.to_lowercase().collect()
                        } else if c.is_lowercase() {
                            c.to_uppercase().collect()
                        } else {
                            vec![c]
                        }
                    })
                    .collect::<String>(),
            ))
        },
    },
    BuiltinMethod {
        name: "upper",
        sig: no_args("str.upper"),
        call: |_, s, _| Ok(Value::str(&s.to_uppercase())),
    },
    BuiltinMethod {
        name: "zfill",
        sig: Signature::builtin("str.zfill", &["width", "/"], ArgStyle::Exact),
        call: |_, s, b| {
            let width = super::index_arg(&b.value("width"))?;
            let n = s.chars().count() as i64;
            if width <= n {
                return Ok(Value::str(s));
            }
            if width as u64 > MAX_STR_LEN as u64 {
                return Err(too_large());
            }
            let zeros = "0".repeat((width - n) as usize);
            Ok(Value::str(&match s.strip_prefix(['+', '-']) {
                Some(rest) => format!("{}{zeros}{rest}", &s[..1]),
                None => format!("{zeros}{s}"),
            }))
        },
    },
];

/// A `str` argument, or `TypeError` worded by `message` (`{}` is the type).
fn str_arg(b: &Bound, name: &str, message: &str) -> PyResult<String> {
    match b.get(name) {
        Some(Value::Str(x)) => Ok(x.to_string()),
        Some(other) => Err(type_error(message.replace("{}", &other.type_name()))),
        None => Ok(String::new()),
    }
}

/// `s[start:end]` for the `start`/`end` arguments (counted in characters).
fn slice<'a>(s: &'a str, b: &Bound) -> PyResult<&'a str> {
    let n = s.chars().count() as i64;
    let clamp = |v: Option<&Value>, default: i64| -> PyResult<usize> {
        let i = match v {
            Some(v) => super::index_arg(v)?,
            None => default,
        };
        let i = if i < 0 { (i + n).max(0) } else { i.min(n) };
        Ok(i as usize)
    };
    let start = clamp(b.given("start"), 0)?;
    let end = clamp(b.given("end"), n)?;
    let byte = |c: usize| s.char_indices().nth(c).map_or(s.len(), |(i, _)| i);
    Ok(if start >= end {
        ""
    } else {
        &s[byte(start)..byte(end)]
    })
}

/// `str.find`'s answer in characters, `None` when not found.
fn find(s: &str, b: &Bound) -> PyResult<Option<i64>> {
    let sub = str_arg(b, "sub", "must be str, not {}")?;
    let part = slice(s, b)?;
    let offset = s[..s.len() - part.len()].chars().count() as i64;
    Ok(part
        .find(sub.as_str())
        .map(|i| offset + part[..i].chars().count() as i64))
}

/// `startswith`'s prefix: a `str` or a tuple of them.
fn affixes(b: &Bound, method: &str) -> PyResult<Vec<String>> {
    let bad = |v: &Value| {
        type_error(format!(
            "{method} first arg must be str or a tuple of str, not {}",
            v.type_name()
        ))
    };
    match b.value("prefix") {
        Value::Str(x) => Ok(vec![x.to_string()]),
        Value::Tuple(t) => t
            .iter()
            .map(|v| match v {
                Value::Str(x) => Ok(x.to_string()),
                other => Err(type_error(format!(
                    "tuple for {method} must only contain str, not {}",
                    other.type_name()
                ))),
            })
            .collect(),
        other => Err(bad(&other)),
    }
}

fn strip(s: &str, b: &Bound, which: &str) -> PyResult<Value> {
    let chars: Option<Vec<char>> = match b.given("chars") {
        None => None,
        Some(Value::Str(c)) => Some(c.chars().collect()),
        Some(_) => return Err(type_error(format!("{which} arg must be None or str"))),
    };
    let test = |c: char| match &chars {
        Some(set) => set.contains(&c),
        None => c.is_whitespace(),
    };
    Ok(Value::str(match which {
        "lstrip" => s.trim_start_matches(test),
        "rstrip" => s.trim_end_matches(test),
        _ => s.trim_matches(test),
    }))
}

fn split(s: &str, b: &Bound) -> PyResult<Value> {
    let max = match b.given("maxsplit") {
        Some(v) => usize::try_from(super::index_arg(v)?).ok(),
        None => None,
    };
    let parts: Vec<Value> = match b.given("sep") {
        None | Some(Value::None) => {
            let mut out: Vec<Value> = Vec::new();
            let mut rest = s.trim_start();
            while !rest.is_empty() {
                if max.is_some_and(|m| out.len() >= m) {
                    out.push(Value::str(rest));
                    break;
                }
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                out.push(Value::str(&rest[..end]));
                rest = rest[end..].trim_start();
            }
            out
        }
        Some(Value::Str(sep)) if sep.is_empty() => return Err(value_error("empty separator")),
        Some(Value::Str(sep)) => match max {
            Some(m) => s.splitn(m + 1, &**sep).map(Value::str).collect(),
            None => s.split(&**sep).map(Value::str).collect(),
        },
        Some(other) => {
            return Err(type_error(format!(
                "must be str or None, not {}",
                other.type_name()
            )));
        }
    };
    Ok(Value::list(parts))
}

/// `str.center`/`ljust`/`rjust`: `s` padded to `width` with `fillchar`,
/// CPython's split of an odd margin for `center`.
fn justify(s: &str, b: &Bound, align: char) -> PyResult<Value> {
    let width = super::index_arg(&b.value("width"))?;
    let fill = match b.given("fillchar") {
        None => ' ',
        Some(Value::Str(f)) if f.chars().count() == 1 => f.chars().next().unwrap_or(' '),
        Some(Value::Str(_)) => {
            return Err(type_error(
                "The fill character must be exactly one character long",
            ));
        }
        Some(other) => {
            return Err(type_error(format!(
                "The fill character must be a unicode character, not {}",
                other.type_name()
            )));
        }
    };
    let n = s.chars().count() as i64;
    if width <= n {
        return Ok(Value::str(s));
    }
    if width as u64 > MAX_STR_LEN as u64 {
        return Err(too_large());
    }
    let marg = width - n;
    let left = match align {
        '<' => 0,
        '>' => marg,
        _ => marg / 2 + (marg & width & 1),
    };
    let f = |k: i64| fill.to_string().repeat(k as usize);
    Ok(Value::str(&format!("{}{s}{}", f(left), f(marg - left))))
}

/// `str.partition`/`rpartition`.
fn partition(s: &str, b: &Bound, from_right: bool) -> PyResult<Value> {
    let sep = str_arg(b, "sep", "must be str, not {}")?;
    if sep.is_empty() {
        return Err(value_error("empty separator"));
    }
    let found = if from_right {
        s.rfind(sep.as_str())
    } else {
        s.find(sep.as_str())
    };
    Ok(Value::tuple(match found {
        Some(i) => vec![
            Value::str(&s[..i]),
            Value::str(&sep),
            Value::str(&s[i + sep.len()..]),
        ],
        None if from_right => vec![Value::str(""), Value::str(""), Value::str(s)],
        None => vec![Value::str(s), Value::str(""), Value::str("")],
    }))
}

/// `str.rfind`'s answer in characters, `None` when not found.
fn rfind(s: &str, b: &Bound) -> PyResult<Option<i64>> {
    let sub = str_arg(b, "sub", "must be str, not {}")?;
    let part = slice(s, b)?;
    let start_byte = part.as_ptr() as usize - s.as_ptr() as usize;
    let offset = s[..start_byte].chars().count() as i64;
    Ok(part
        .rfind(sub.as_str())
        .map(|i| offset + part[..i].chars().count() as i64))
}

/// `str.rsplit`: as `split`, counting `maxsplit` from the right.
fn rsplit(s: &str, b: &Bound) -> PyResult<Value> {
    let max = match b.given("maxsplit") {
        Some(v) => usize::try_from(super::index_arg(v)?).ok(),
        None => None,
    };
    let mut parts: Vec<Value> = match b.given("sep") {
        None | Some(Value::None) => {
            let mut out: Vec<Value> = Vec::new();
            let mut rest = s.trim_end();
            while !rest.is_empty() {
                if max.is_some_and(|m| out.len() >= m) {
                    out.push(Value::str(rest));
                    break;
                }
                let start = rest.rfind(char::is_whitespace).map_or(0, |i| {
                    i + rest[i..].chars().next().map_or(1, char::len_utf8)
                });
                out.push(Value::str(&rest[start..]));
                rest = rest[..start].trim_end();
            }
            out
        }
        Some(Value::Str(sep)) if sep.is_empty() => return Err(value_error("empty separator")),
        Some(Value::Str(sep)) => match max {
            Some(m) => s.rsplitn(m + 1, &**sep).map(Value::str).collect(),
            None => s.rsplit(&**sep).map(Value::str).collect(),
        },
        Some(other) => {
            return Err(type_error(format!(
                "must be str or None, not {}",
                other.type_name()
            )));
        }
    };
    parts.reverse();
    Ok(Value::list(parts))
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + &c.as_str().to_lowercase(),
        None => String::new(),
    }
}

/// `str.title()`: each run of letters starts upper case, as CPython's.
fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_cased = false;
    for c in s.chars() {
        if prev_cased {
            out.extend(c.to_lowercase());
        } else {
            out.extend(c.to_uppercase());
        }
        prev_cased = c.is_alphabetic();
    }
    out
}

/// `template.format(*args, **kwargs)`: `{}`, `{0}`, `{name}`, `{x:>10}`,
/// `{{`/`}}`, conversions `{!r}`/`{!s}`/`{!a}`, field access `{0[0]}`,
/// `{p.name}`, nested fields in the spec (`{:{width}}`), with CPython's
/// `ValueError`s.
pub fn format(
    vm: &mut dyn Vm,
    template: &str,
    args: &[Value],
    kwargs: &[(String, Value)],
) -> PyResult<String> {
    let mut auto = AutoNumber::default();
    format_with(vm, template, args, kwargs, &mut auto, 0)
}

/// Automatic (`{}`) or manual (`{0}`) field numbering: one template may
/// not mix them.
#[derive(Default)]
struct AutoNumber {
    next: usize,
    auto: bool,
    manual: bool,
}

fn format_with(
    vm: &mut dyn Vm,
    template: &str,
    args: &[Value],
    kwargs: &[(String, Value)],
    auto: &mut AutoNumber,
    depth: usize,
) -> PyResult<String> {
    if depth > 2 {
        return Err(value_error("Max string recursion exceeded"));
    }
    let chars: Vec<char> = template.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c == '}' {
            if chars.get(i) == Some(&'}') {
                i += 1;
                out.push('}');
                continue;
            }
            return Err(value_error("Single '}' encountered in format string"));
        }
        if c != '{' {
            out.push(c);
            continue;
        }
        if chars.get(i) == Some(&'{') {
            i += 1;
            out.push('{');
            continue;
        }
        // the field up to its matching '}', brackets and nested braces kept
        let start = i;
        let mut level = 1;
        let mut in_bracket = false;
        while i < chars.len() {
            match chars[i] {
                '[' => in_bracket = true,
                ']' => in_bracket = false,
                '{' if !in_bracket => level += 1,
                '}' if !in_bracket => {
                    level -= 1;
                    if level == 0 {
                        break;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        if i >= chars.len() {
            return Err(value_error(if level > 1 {
                "expected '}' before end of string"
            } else {
                "Single '{' encountered in format string"
            }));
        }
        let field: String = chars[start..i].iter().collect();
        i += 1;
        // name, then `!conv`, then `:spec` (a ':' or '!' inside [] is the key's)
        let mut name_end = field.len();
        let mut bracket = false;
        for (k, ch) in field.char_indices() {
            match ch {
                '[' => bracket = true,
                ']' => bracket = false,
                '!' | ':' if !bracket => {
                    name_end = k;
                    break;
                }
                _ => {}
            }
        }
        let name = &field[..name_end];
        let rest = &field[name_end..];
        let (conversion, spec) = if let Some(r) = rest.strip_prefix('!') {
            let mut it = r.chars();
            let conv = it.next();
            let after = it.as_str();
            let spec = match after.strip_prefix(':') {
                Some(sp) => Some(sp),
                None if after.is_empty() => None,
                None => {
                    return Err(value_error("expected ':' after conversion specifier"));
                }
            };
            match conv {
                Some(c @ ('r' | 's' | 'a')) => (Some(c), spec),
                Some(c) => {
                    return Err(value_error(format!("Unknown conversion specifier {c}")));
                }
                None => {
                    return Err(value_error(
                        "end of string while looking for conversion specifier",
                    ));
                }
            }
        } else {
            (None, rest.strip_prefix(':'))
        };
        let v = field_value(vm, name, args, kwargs, auto)?;
        let v = match conversion {
            Some('r') => Value::str(&vm.repr_value(&v)?),
            Some('a') => Value::str(&crate::python::printf::ascii(&vm.repr_value(&v)?)),
            Some(_) => Value::str(&vm.str_value(&v)?),
            None => v,
        };
        let spec = match spec {
            Some(sp) if sp.contains('{') => {
                Some(format_with(vm, sp, args, kwargs, auto, depth + 1)?)
            }
            Some(sp) => Some(sp.to_string()),
            None => None,
        };
        let text = match spec {
            Some(sp) => crate::python::builtins::format_spec(vm, &v, &sp)?,
            // `format(obj, "")`: a learner's `__format__`
            None if matches!(v, Value::Native(_)) => {
                crate::python::builtins::format_spec(vm, &v, "")?
            }
            None => vm.str_value(&v)?,
        };
        out.push_str(&text);
    }
    Ok(out)
}

/// The value a replacement field names: an argument by position or
/// keyword, then each `.attr` and `[key]` after it.
fn field_value(
    vm: &mut dyn Vm,
    name: &str,
    args: &[Value],
    kwargs: &[(String, Value)],
    auto: &mut AutoNumber,
) -> PyResult<Value> {
    let first_end = name.find(['.', '[']).unwrap_or(name.len());
    let first = &name[..first_end];
    let mut v = if first.is_empty() || first.chars().all(|c| c.is_ascii_digit()) {
        let i = if first.is_empty() {
            if auto.manual {
                return Err(value_error(
                    "cannot switch from manual field specification to automatic field numbering",
                ));
            }
            auto.auto = true;
            auto.next += 1;
            auto.next - 1
        } else {
            if auto.auto {
                return Err(value_error(
                    "cannot switch from automatic field numbering to manual field specification",
                ));
            }
            auto.manual = true;
            first.parse::<usize>().unwrap_or(usize::MAX)
        };
        args.get(i).cloned().ok_or_else(|| {
            PyErr::new(
                ExcType::IndexError,
                format!("Replacement index {i} out of range for positional args tuple"),
            )
        })?
    } else {
        kwargs
            .iter()
            .find(|(k, _)| k == first)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| PyErr::new(ExcType::KeyError, format!("'{first}'")))?
    };
    let mut rest = &name[first_end..];
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            let attr = &r[..end];
            if attr.is_empty() {
                return Err(value_error("Empty attribute in format string"));
            }
            v = vm.get_attr(&v, attr)?;
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let Some(end) = r.find(']') else {
                return Err(value_error("Missing ']' in format string"));
            };
            let key = &r[..end];
            if key.is_empty() {
                return Err(value_error("Empty attribute in format string"));
            }
            let key = match key.parse::<i64>() {
                Ok(n) if key.chars().all(|c| c.is_ascii_digit()) => Value::Int(n),
                _ => Value::str(key),
            };
            v = get_item(vm, &v, &key)?;
            rest = &r[end + 1..];
            if !rest.is_empty() && !rest.starts_with(['.', '[']) {
                return Err(value_error(
                    "Only '.' or '[' may follow ']' in format field specifier",
                ));
            }
        } else {
            return Err(value_error(
                "Only '.' or '[' may follow ']' in format field specifier",
            ));
        }
    }
    Ok(v)
}

/// `v[key]` for a format field (`{0[1]}`, `{d[name]}`).
fn get_item(vm: &mut dyn Vm, v: &Value, key: &Value) -> PyResult<Value> {
    let index = |len: usize, what: &str| -> PyResult<usize> {
        match key {
            Value::Int(i) if (*i as usize) < len => Ok(*i as usize),
            Value::Int(_) => Err(PyErr::new(
                ExcType::IndexError,
                format!("{what} index out of range"),
            )),
            other => Err(type_error(format!(
                "{what} indices must be integers or slices, not {}",
                other.type_name()
            ))),
        }
    };
    match v {
        Value::List(l) => {
            let items = l.items.borrow();
            Ok(items[index(items.len(), "list")?].clone())
        }
        Value::Tuple(t) => Ok(t[index(t.len(), "tuple")?].clone()),
        Value::Row(r) => Ok(r.values[index(r.values.len(), "tuple")?].clone()),
        Value::Str(s) => {
            let n = s.chars().count();
            let i = index(n, "string")?;
            Ok(Value::str(
                &s.chars().nth(i).map(String::from).unwrap_or_default(),
            ))
        }
        Value::Dict(d) => {
            d.borrow().lookup(key).cloned().ok_or_else(|| {
                PyErr::new(ExcType::KeyError, crate::python::format::repr_plain(key))
            })
        }
        other => match vm.call_dunder(other, "__getitem__", vec![key.clone()])? {
            Some(x) => Ok(x),
            None => Err(type_error(format!(
                "'{}' object is not subscriptable",
                other.type_name()
            ))),
        },
    }
}

/// The `MemoryError` of a string past [`MAX_STR_LEN`], as `s + s` raises it.
fn too_large() -> PyErr {
    PyErr::new(ExcType::MemoryError, "string too large for the tutor")
}

/// The length in bytes of `s.replace(old, new[, count])`, without building
/// it (saturating): a chain of growing `.replace()` calls raises
/// `MemoryError` at the cap instead of exhausting memory.
fn replaced_len(s: &str, old: &str, new: &str, count: Option<usize>) -> usize {
    if new.len() <= old.len() {
        return s.len();
    }
    let found = if old.is_empty() {
        // Python inserts `new` before every character and at the end.
        s.chars().count() + 1
    } else {
        s.matches(old).count()
    };
    let n = count.map_or(found, |c| c.min(found));
    s.len()
        .saturating_add(n.saturating_mul(new.len() - old.len()))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{FakeVm, call};
    use crate::python::value::Value;

    fn s(x: &str) -> Value {
        Value::str(x)
    }

    #[test]
    fn methods_behave_as_python() {
        let vm = &mut FakeVm::default();
        assert_eq!(
            call(vm, &s("a,b,,c"), "split", vec![s(",")], vec![]),
            "['a', 'b', '', 'c']"
        );
        assert_eq!(
            call(vm, &s("  a b  c "), "split", vec![], vec![]),
            "['a', 'b', 'c']"
        );
        assert_eq!(
            call(
                vm,
                &s("a b c"),
                "split",
                vec![],
                vec![("maxsplit".into(), Value::Int(1))]
            ),
            "['a', 'b c']"
        );
        assert_eq!(
            call(vm, &s("hello world"), "title", vec![], vec![]),
            "'Hello World'"
        );
        assert_eq!(
            call(vm, &s("xxhixx"), "strip", vec![s("x")], vec![]),
            "'hi'"
        );
        assert_eq!(call(vm, &s("héllo"), "find", vec![s("l")], vec![]), "2");
        assert_eq!(
            call(vm, &s("hello"), "find", vec![s("l"), Value::Int(3)], vec![]),
            "3"
        );
        assert_eq!(
            call(
                vm,
                &s("abc"),
                "startswith",
                vec![Value::tuple(vec![s("x"), s("a")])],
                vec![]
            ),
            "True"
        );
        assert_eq!(
            call(
                vm,
                &s("aaa"),
                "replace",
                vec![s("a"), s("b"), Value::Int(2)],
                vec![]
            ),
            "'bba'"
        );
        assert_eq!(
            call(
                vm,
                &s("{} is {age:>3}"),
                "format",
                vec![s("Al")],
                vec![("age".into(), Value::Int(7))]
            ),
            "'Al is   7'"
        );
        assert_eq!(
            call(
                vm,
                &s("-"),
                "join",
                vec![Value::list(vec![s("a"), s("b")])],
                vec![]
            ),
            "'a-b'"
        );
    }

    #[test]
    fn argument_errors_are_cpythons() {
        // Each text is what Python 3.11 printed.
        let vm = &mut FakeVm::default();
        let cases: &[(&str, Vec<Value>, &str)] = &[
            (
                "upper",
                vec![Value::Int(1)],
                "TypeError: str.upper() takes no arguments (1 given)",
            ),
            (
                "split",
                vec![Value::Int(1); 3],
                "TypeError: split() takes at most 2 arguments (3 given)",
            ),
            (
                "startswith",
                vec![],
                "TypeError: startswith() takes at least 1 argument (0 given)",
            ),
            (
                "startswith",
                vec![Value::Int(1)],
                "TypeError: startswith first arg must be str or a tuple of str, not int",
            ),
            (
                "replace",
                vec![s("a")],
                "TypeError: replace expected at least 2 arguments, got 1",
            ),
            (
                "join",
                vec![],
                "TypeError: str.join() takes exactly one argument (0 given)",
            ),
            (
                "join",
                vec![Value::list(vec![Value::Int(1)])],
                "TypeError: sequence item 0: expected str instance, int found",
            ),
            (
                "strip",
                vec![Value::Int(1)],
                "TypeError: strip arg must be None or str",
            ),
            (
                "strip",
                vec![s("a"), s("b")],
                "TypeError: strip expected at most 1 argument, got 2",
            ),
            (
                "count",
                vec![Value::Int(1)],
                "TypeError: must be str, not int",
            ),
            (
                "split",
                vec![Value::Int(1)],
                "TypeError: must be str or None, not int",
            ),
            ("index", vec![s("z")], "ValueError: substring not found"),
            (
                "format",
                vec![],
                "IndexError: Replacement index 0 out of range for positional args tuple",
            ),
            (
                "uper",
                vec![],
                "AttributeError: 'str' object has no attribute 'uper'",
            ),
        ];
        for (name, args, want) in cases {
            let recv = if *name == "format" { s("{}") } else { s("a") };
            assert_eq!(call(vm, &recv, name, args.clone(), vec![]), *want, "{name}");
        }
        assert_eq!(
            call(
                vm,
                &s("a"),
                "split",
                vec![],
                vec![("foo".into(), Value::Int(1))]
            ),
            "TypeError: 'foo' is an invalid keyword argument for split()"
        );
        assert_eq!(
            call(
                vm,
                &s("a"),
                "lower",
                vec![],
                vec![("x".into(), Value::Int(1))]
            ),
            "TypeError: str.lower() takes no keyword arguments"
        );
        let e = super::super::no_attribute(&s("a"), "uper");
        assert_eq!(e.hint.as_deref(), Some("did you mean 'upper'?"));
    }
}
