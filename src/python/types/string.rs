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
        name: "upper",
        sig: no_args("str.upper"),
        call: |_, s, _| Ok(Value::str(&s.to_uppercase())),
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
        None => {
            let mut out: Vec<Value> = Vec::new();
            let mut rest = s.trim_start();
            while !rest.is_empty() {
                if max.is_some_and(|m| out.len() >= m) {
                    out.push(Value::str(rest.trim_end()));
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
/// `{{`/`}}`.
pub fn format(
    vm: &mut dyn Vm,
    template: &str,
    args: &[Value],
    kwargs: &[(String, Value)],
) -> PyResult<String> {
    let mut out = String::new();
    let mut next = 0;
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '}' && chars.peek() == Some(&'}') {
            chars.next();
            out.push('}');
            continue;
        }
        if c != '{' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'{') {
            chars.next();
            out.push('{');
            continue;
        }
        let field: String = chars.by_ref().take_while(|c| *c != '}').collect();
        let (idx, spec) = match field.split_once(':') {
            Some((a, b)) => (a, Some(b)),
            None => (field.as_str(), None),
        };
        let v = if idx.is_empty() || idx.chars().all(|c| c.is_ascii_digit()) {
            let i = if idx.is_empty() {
                next += 1;
                next - 1
            } else {
                idx.parse::<usize>().unwrap_or(usize::MAX)
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
                .find(|(k, _)| k == idx)
                .map(|(_, v)| v.clone())
                .ok_or_else(|| PyErr::new(ExcType::KeyError, format!("'{idx}'")))?
        };
        let text = match spec {
            Some(sp) => crate::python::builtins::format_spec(vm, &v, sp)?,
            None => vm.str_value(&v)?,
        };
        out.push_str(&text);
    }
    Ok(out)
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
