//! printf-style string formatting, `"%-6s|%05.1f" % (name, x)` and
//! `"%(name)s" % mapping`, as CPython 3.11's `PyUnicode_Format`: flags
//! `-`, `+`, space, `#`, `0`, `*` widths and precisions, the conversions
//! `d i u o x X e E f F g G c s r a %`, with CPython's errors.

use super::ExcType;
use super::exceptions::{PyErr, PyResult, type_error};
use super::format_spec::{self as fs, IntDigits, Spec};
use super::value::Value;

/// `fmt % args`.
pub fn percent_format(fmt: &str, args: &Value) -> PyResult<Value> {
    percent_format_with(fmt, args, &mut |v, repr| {
        Ok(if repr {
            super::format::repr_plain(v)
        } else {
            super::format::str_plain(v)
        })
    })
}

/// [`percent_format`] with `text(v, repr)` giving `%s`'s `str(v)` (`repr`
/// false) and `%r`/`%a`'s `repr(v)`: the interpreter's, which call a
/// learner's `__str__`/`__repr__`.
pub fn percent_format_with(
    fmt: &str,
    args: &Value,
    text: &mut dyn FnMut(&Value, bool) -> PyResult<String>,
) -> PyResult<Value> {
    let (items, mapping): (Vec<Value>, Option<&Value>) = match args {
        Value::Tuple(t) => (t.to_vec(), None),
        Value::Dict(_) => (vec![args.clone()], Some(args)),
        other => (vec![other.clone()], None),
    };
    let mut next = 0usize;
    let mut used_mapping = false;
    let chars: Vec<char> = fmt.chars().collect();
    let mut out = String::with_capacity(fmt.len());
    let mut i = 0;
    let take = |next: &mut usize| -> PyResult<Value> {
        let v = items
            .get(*next)
            .cloned()
            .ok_or_else(|| type_error("not enough arguments for format string"))?;
        *next += 1;
        Ok(v)
    };
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c != '%' {
            out.push(c);
            continue;
        }
        let start = i - 1;
        // `%(key)s`
        let mut keyed: Option<Value> = None;
        if chars.get(i) == Some(&'(') {
            let Some(map) = mapping else {
                return Err(type_error("format requires a mapping"));
            };
            let mut depth = 1;
            let key_start = i + 1;
            i += 1;
            while i < chars.len() && depth > 0 {
                match chars[i] {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                i += 1;
            }
            if depth > 0 {
                return Err(PyErr::new(ExcType::ValueError, "incomplete format key"));
            }
            let key: String = chars[key_start..i - 1].iter().collect();
            let Value::Dict(d) = map else {
                return Err(type_error("format requires a mapping"));
            };
            let found = d.borrow().lookup(&Value::str(&key)).cloned();
            keyed = Some(
                found.ok_or_else(|| PyErr::new(ExcType::KeyError, super::value::str_repr(&key)))?,
            );
            used_mapping = true;
        }
        let mut sp = Spec {
            fill: ' ',
            align: None,
            sign: None,
            no_neg_zero: false,
            alternate: false,
            width: 0,
            grouping: None,
            precision: None,
            ty: None,
        };
        let mut left = false;
        let mut zero = false;
        while let Some(&f) = chars.get(i) {
            match f {
                '-' => left = true,
                '+' => sp.sign = Some('+'),
                ' ' if sp.sign != Some('+') => sp.sign = Some(' '),
                ' ' => {}
                '#' => sp.alternate = true,
                '0' => zero = true,
                _ => break,
            }
            i += 1;
        }
        // width
        if chars.get(i) == Some(&'*') {
            i += 1;
            let w = star(take(&mut next)?)?;
            if w < 0 {
                left = true;
            }
            sp.width = (w.unsigned_abs() as usize).min(100_000);
        } else {
            while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
                sp.width = (sp.width * 10 + d as usize).min(100_000);
                i += 1;
            }
        }
        if chars.get(i) == Some(&'.') {
            i += 1;
            if chars.get(i) == Some(&'*') {
                i += 1;
                sp.precision = Some(star(take(&mut next)?)?.max(0) as usize);
            } else {
                let mut p = 0usize;
                while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
                    p = (p * 10 + d as usize).min(100_000);
                    i += 1;
                }
                sp.precision = Some(p);
            }
        }
        while matches!(chars.get(i), Some('h' | 'l' | 'L')) {
            i += 1;
        }
        let Some(&conv) = chars.get(i) else {
            return Err(PyErr::new(ExcType::ValueError, "incomplete format"));
        };
        i += 1;
        if conv == '%' {
            out.push('%');
            continue;
        }
        if !"diuoxXeEfFgGcsra".contains(conv) {
            return Err(PyErr::new(
                ExcType::ValueError,
                format!(
                    "unsupported format character '{conv}' ({:#x}) at index {}",
                    conv as u32,
                    i - 1
                ),
            ));
        }
        let _ = start;
        let v = match keyed {
            Some(v) => v,
            None => take(&mut next)?,
        };
        let numeric = !matches!(conv, 's' | 'r' | 'a' | 'c');
        sp.align = Some(if left {
            '<'
        } else if zero && numeric {
            sp.fill = '0';
            '0'
        } else {
            '>'
        });
        out.push_str(&convert(conv, &v, &mut sp, text)?);
    }
    if next < items.len() && !used_mapping && mapping.is_none() {
        return Err(type_error(
            "not all arguments converted during string formatting",
        ));
    }
    Ok(Value::str(&out))
}

/// A `*` width or precision: an `int`.
fn star(v: Value) -> PyResult<i64> {
    match v {
        Value::Int(i) => Ok(i),
        Value::Bool(b) => Ok(i64::from(b)),
        _ => Err(type_error("* wants int")),
    }
}

fn convert(
    conv: char,
    v: &Value,
    sp: &mut Spec,
    hook: &mut dyn FnMut(&Value, bool) -> PyResult<String>,
) -> PyResult<String> {
    match conv {
        's' | 'r' | 'a' => {
            let text = match conv {
                's' => hook(v, false)?,
                'r' => hook(v, true)?,
                _ => ascii(&hook(v, true)?),
            };
            let text: String = match sp.precision {
                Some(p) => text.chars().take(p).collect(),
                None => text,
            };
            sp.sign = None;
            sp.alternate = false;
            sp.precision = None;
            fs::format_str(&text, &spec_text(sp, None))
        }
        'c' => {
            let ch = match v {
                Value::Str(s) if s.chars().count() == 1 => s.to_string(),
                Value::Int(i) => match u32::try_from(*i).ok().and_then(char::from_u32) {
                    Some(c) => c.to_string(),
                    None => {
                        return Err(PyErr::new(
                            ExcType::OverflowError,
                            "%c arg not in range(0x110000)",
                        ));
                    }
                },
                Value::Str(_) => return Err(type_error("%c requires int or char")),
                _ => return Err(type_error("%c requires int or char")),
            };
            sp.sign = None;
            sp.alternate = false;
            sp.precision = None;
            fs::format_str(&ch, &spec_text(sp, None))
        }
        'd' | 'i' | 'u' | 'o' | 'x' | 'X' => {
            let n = match v {
                Value::Int(i) => IntDigits::small(*i),
                Value::BigInt(n) => IntDigits::big(n),
                Value::Bool(b) => IntDigits::small(i64::from(*b)),
                Value::Float(f) if matches!(conv, 'd' | 'i' | 'u') => {
                    if !f.is_finite() {
                        return Err(PyErr::new(
                            if f.is_nan() {
                                ExcType::ValueError
                            } else {
                                ExcType::OverflowError
                            },
                            if f.is_nan() {
                                "cannot convert float NaN to integer"
                            } else {
                                "cannot convert float infinity to integer"
                            },
                        ));
                    }
                    match super::bigint::from_f64(*f) {
                        Value::BigInt(n) => IntDigits::big(&n),
                        v => IntDigits::small(super::types::index_arg(&v).unwrap_or(0)),
                    }
                }
                Value::Decimal(d) if matches!(conv, 'd' | 'i' | 'u') => IntDigits::small(
                    super::types::decimal::to_str(&d.trunc())
                        .parse()
                        .unwrap_or(0),
                ),
                other if matches!(conv, 'd' | 'i' | 'u') => {
                    return Err(type_error(format!(
                        "%{conv} format: a real number is required, not {}",
                        other.type_name()
                    )));
                }
                other => {
                    return Err(type_error(format!(
                        "%{conv} format: an integer is required, not {}",
                        other.type_name()
                    )));
                }
            };
            let ty = match conv {
                'o' | 'x' | 'X' => conv,
                _ => 'd',
            };
            // `%.3d`: at least that many digits
            let min_digits = sp.precision.take();
            let mut spec = sp.clone();
            spec.ty = Some(ty);
            let text = fs::format_int(&n, &spec_text(&spec, Some(ty)), "int")?;
            Ok(match min_digits {
                Some(p) if p > 0 => widen_digits(&text, p, sp),
                _ => text,
            })
        }
        _ => {
            let f = match v {
                Value::Float(f) => *f,
                Value::Int(i) => *i as f64,
                Value::BigInt(n) => super::bigint::to_f64(n)?,
                Value::Bool(b) => f64::from(u8::from(*b)),
                Value::Decimal(d) => super::types::decimal::to_str(d).parse().unwrap_or(0.0),
                other => {
                    return Err(type_error(format!(
                        "must be real number, not {}",
                        other.type_name()
                    )));
                }
            };
            if sp.precision.is_none() {
                sp.precision = Some(6);
            }
            sp.ty = Some(conv);
            fs::format_float(f, &spec_text(sp, Some(conv)), "float")
        }
    }
}

/// `%.5d`'s zero-extended digits, then the width again.
fn widen_digits(text: &str, p: usize, sp: &Spec) -> String {
    let trimmed = text.trim();
    let (sign, digits) = match trimmed.chars().next() {
        Some(c @ ('-' | '+' | ' ')) => (c.to_string(), &trimmed[1..]),
        _ => (String::new(), trimmed),
    };
    let (prefix, digits) = if digits.len() > 1
        && digits.starts_with('0')
        && digits[1..].starts_with(['x', 'X', 'o'])
    {
        (&digits[..2], &digits[2..])
    } else {
        ("", digits)
    };
    let digits = format!("{}{digits}", "0".repeat(p.saturating_sub(digits.len())));
    let body = format!("{sign}{prefix}{digits}");
    let n = body.chars().count();
    if n >= sp.width {
        body
    } else if sp.align == Some('<') {
        format!("{body}{}", " ".repeat(sp.width - n))
    } else {
        format!("{}{body}", " ".repeat(sp.width - n))
    }
}

/// The format-spec text for `sp` (fill, align, sign, `#`, width,
/// precision, type).
fn spec_text(sp: &Spec, ty: Option<char>) -> String {
    let mut s = String::new();
    match sp.align {
        Some('0') => {
            if let Some(c) = sp.sign {
                s.push(c);
            }
            if sp.alternate {
                s.push('#');
            }
            s.push('0');
        }
        Some(a) => {
            s.push(sp.fill);
            s.push(a);
            if let Some(c) = sp.sign {
                s.push(c);
            }
            if sp.alternate {
                s.push('#');
            }
        }
        None => {}
    }
    if sp.width > 0 {
        s.push_str(&sp.width.to_string());
    }
    if let Some(p) = sp.precision {
        s.push('.');
        s.push_str(&p.to_string());
    }
    if let Some(t) = ty {
        s.push(t);
    }
    s
}

/// `ascii()` of a repr: non-ASCII characters as `\xNN`, `\uNNNN`,
/// `\UNNNNNNNN`.
pub fn ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let n = c as u32;
        if n < 0x80 {
            out.push(c);
        } else if n < 0x100 {
            out.push_str(&format!("\\x{n:02x}"));
        } else if n < 0x10000 {
            out.push_str(&format!("\\u{n:04x}"));
        } else {
            out.push_str(&format!("\\U{n:08x}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::value::DictObj;

    fn pf(fmt: &str, args: Value) -> String {
        match percent_format(fmt, &args) {
            Ok(v) => super::super::format::str_plain(&v),
            Err(e) => format!("{}: {}", e.type_name(), e.message),
        }
    }

    #[test]
    fn percent_formats_as_cpython() {
        // Each expected text is what CPython 3.11 printed.
        let t = |v: Vec<Value>| Value::tuple(v);
        let cases: Vec<(&str, Value, &str)> = vec![
            (
                "%5.1f|%-4s|%03d",
                t(vec![Value::Float(1.23456), Value::str("ab"), Value::Int(7)]),
                "  1.2|ab  |007",
            ),
            ("%+d % d", t(vec![Value::Int(5), Value::Int(5)]), "+5  5"),
            ("%-5d|", Value::Int(-3), "-3   |"),
            ("%05d", Value::Int(-3), "-0003"),
            (
                "%#x %#o %X",
                t(vec![Value::Int(255), Value::Int(8), Value::Int(255)]),
                "0xff 0o10 FF",
            ),
            (
                "%*d|%-*s|",
                t(vec![
                    Value::Int(4),
                    Value::Int(7),
                    Value::Int(3),
                    Value::str("a"),
                ]),
                "   7|a  |",
            ),
            (
                "%.*f",
                t(vec![Value::Int(2), Value::Float(1.23456)]),
                "1.23",
            ),
            ("%.3d", Value::Int(5), "005"),
            ("%e", Value::Float(12345.678), "1.234568e+04"),
            (
                "%g %G",
                t(vec![Value::Float(0.00001), Value::Float(1e20)]),
                "1e-05 1E+20",
            ),
            ("%.2s", Value::str("abc"), "ab"),
            ("%05s", Value::str("ab"), "   ab"),
            ("%c%c", t(vec![Value::Int(97), Value::str("b")]), "ab"),
            ("%r", Value::str("x"), "'x'"),
            ("%a", Value::str("é"), "'\\xe9'"),
            ("%d%%", Value::Float(99.9), "99%"),
            (
                "%(a)s-%(b)d",
                DictObj::value(vec![
                    (Value::str("a"), Value::Int(1)),
                    (Value::str("b"), Value::Int(2)),
                ]),
                "1-2",
            ),
            ("%(c)s", DictObj::value(vec![]), "KeyError: 'c'"),
            (
                "%(a)s",
                Value::Int(1),
                "TypeError: format requires a mapping",
            ),
            (
                "%d",
                Value::str("x"),
                "TypeError: %d format: a real number is required, not str",
            ),
            (
                "%x",
                Value::Float(1.5),
                "TypeError: %x format: an integer is required, not float",
            ),
            (
                "%f",
                Value::str("x"),
                "TypeError: must be real number, not str",
            ),
            (
                "%q",
                Value::Int(1),
                "ValueError: unsupported format character 'q' (0x71) at index 1",
            ),
            (
                "%s %s",
                Value::Int(1),
                "TypeError: not enough arguments for format string",
            ),
            (
                "%s",
                t(vec![Value::Int(1), Value::Int(2)]),
                "TypeError: not all arguments converted during string formatting",
            ),
            ("abc", DictObj::value(vec![]), "abc"),
            ("abc%", Value::Int(1), "ValueError: incomplete format"),
        ];
        for (fmt, args, want) in cases {
            assert_eq!(pf(fmt, args), want, "{fmt:?}");
        }
    }
}
