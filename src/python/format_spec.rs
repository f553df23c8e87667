//! Python's format specification mini-language (`format(v, spec)`,
//! `"{:>10}".format(v)`, `f"{v:,.2f}"`), as CPython 3.11's
//! `Python/formatter_unicode.c`:
//! `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`
//! for `int`, `float`, `bool` and `str`, with CPython's `ValueError`s.

use super::exceptions::{PyResult, type_error, value_error};
use super::value::{Value, float_repr};

/// A parsed format spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    pub fill: char,
    pub align: Option<char>,
    /// `'+'`, `'-'` (the default) or `' '`.
    pub sign: Option<char>,
    /// `z`: negative zero shown as zero (3.11).
    pub no_neg_zero: bool,
    /// `#`: the alternate form (`0x` prefixes, a kept decimal point).
    pub alternate: bool,
    pub width: usize,
    /// `,` or `_`.
    pub grouping: Option<char>,
    pub precision: Option<usize>,
    pub ty: Option<char>,
}

/// The widest field the tutor pads to (a larger width is a `MemoryError`
/// risk, not a learner's intent).
const MAX_WIDTH: usize = 100_000;

/// Parses `spec` for a value of type `type_name` (named in the errors).
pub fn parse(spec: &str, type_name: &str) -> PyResult<Spec> {
    let chars: Vec<char> = spec.chars().collect();
    let invalid = || {
        value_error(format!(
            "Invalid format specifier '{spec}' for object of type '{type_name}'"
        ))
    };
    let mut i = 0;
    let mut out = Spec {
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
    let is_align = |c: char| matches!(c, '<' | '>' | '^' | '=');
    if chars.len() >= 2 && is_align(chars[1]) {
        out.fill = chars[0];
        out.align = Some(chars[1]);
        i = 2;
    } else if chars.first().copied().is_some_and(is_align) {
        out.align = Some(chars[0]);
        i = 1;
    }
    if let Some(&c) = chars.get(i)
        && matches!(c, '+' | '-' | ' ')
    {
        out.sign = Some(c);
        i += 1;
    }
    if chars.get(i) == Some(&'z') {
        out.no_neg_zero = true;
        i += 1;
    }
    if chars.get(i) == Some(&'#') {
        out.alternate = true;
        i += 1;
    }
    if chars.get(i) == Some(&'0') {
        if out.align.is_none() {
            out.fill = '0';
            out.align = Some('0');
        }
        i += 1;
    }
    let mut width = 0usize;
    while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
        width = width.saturating_mul(10).saturating_add(d as usize);
        i += 1;
    }
    if width > MAX_WIDTH {
        return Err(value_error("Too many decimal digits in format string"));
    }
    out.width = width;
    if let Some(&c) = chars.get(i)
        && (c == ',' || c == '_')
    {
        out.grouping = Some(c);
        i += 1;
        if matches!(chars.get(i), Some(',' | '_')) {
            return Err(value_error("Cannot specify both ',' and '_'."));
        }
    }
    if chars.get(i) == Some(&'.') {
        i += 1;
        let start = i;
        let mut p = 0usize;
        while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
            p = p.saturating_mul(10).saturating_add(d as usize);
            i += 1;
        }
        if i == start {
            return Err(value_error("Format specifier missing precision"));
        }
        if p > MAX_WIDTH {
            return Err(value_error("Too many decimal digits in format string"));
        }
        out.precision = Some(p);
    }
    if chars.len() > i + 1 {
        return Err(invalid());
    }
    out.ty = chars.get(i).copied();
    if let (Some(g), Some(t)) = (out.grouping, out.ty) {
        let ok = match t {
            'd' | 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => true,
            'b' | 'o' | 'x' | 'X' => g == '_',
            _ => false,
        };
        if !ok {
            return Err(value_error(format!("Cannot specify '{g}' with '{t}'.")));
        }
    }
    Ok(out)
}

/// `format(v, spec)` for the built-in types this module knows; `None` for
/// other values (the caller decides: `str(v)` or `TypeError`).
pub fn format_value(v: &Value, spec: &str) -> Option<PyResult<String>> {
    Some(match v {
        Value::Str(s) => format_str(s, spec),
        Value::Int(i) => format_int(&IntDigits::small(*i), spec, "int"),
        Value::BigInt(n) => format_int(&IntDigits::big(n), spec, "int"),
        Value::Bool(b) if spec.is_empty() => Ok(if *b { "True" } else { "False" }.into()),
        Value::Bool(b) => format_int(&IntDigits::small(i64::from(*b)), spec, "bool"),
        Value::Float(f) => format_float(*f, spec, "float"),
        _ => return None,
    })
}

/// An integer as the formatter needs it: its sign, its magnitude in a
/// radix, and its value as a float (for `e`/`f`/`g`/`%`).
pub struct IntDigits {
    pub negative: bool,
    radix: Box<dyn Fn(u32) -> String>,
    pub float: Option<f64>,
}

impl IntDigits {
    pub fn small(i: i64) -> IntDigits {
        let m = i.unsigned_abs();
        IntDigits {
            negative: i < 0,
            radix: Box::new(move |r| radix_str(m, r)),
            float: Some(i as f64),
        }
    }

    /// An int past 64 bits (`float` is `None` when it is too large for one).
    pub fn big(n: &num_bigint::BigInt) -> IntDigits {
        let m = n.clone();
        IntDigits {
            negative: super::bigint::is_negative(n),
            radix: Box::new(move |r| super::bigint::magnitude_str(&m, r)),
            float: super::bigint::to_f64(n).ok(),
        }
    }
}

fn radix_str(mut m: u64, radix: u32) -> String {
    if m == 0 {
        return "0".into();
    }
    let mut digits = Vec::new();
    while m > 0 {
        let d = (m % radix as u64) as u32;
        digits.push(std::char::from_digit(d, radix).unwrap_or('0'));
        m /= radix as u64;
    }
    digits.iter().rev().collect()
}

/// `str.__format__`.
pub fn format_str(s: &str, spec: &str) -> PyResult<String> {
    if spec.is_empty() {
        return Ok(s.to_string());
    }
    let sp = parse(spec, "str")?;
    match sp.ty {
        None | Some('s') => {}
        Some(t) => {
            return Err(value_error(format!(
                "Unknown format code '{t}' for object of type 'str'"
            )));
        }
    }
    if sp.sign.is_some() {
        return Err(value_error("Sign not allowed in string format specifier"));
    }
    if sp.alternate {
        return Err(value_error(
            "Alternate form (#) not allowed in string format specifier",
        ));
    }
    if sp.align == Some('=') {
        return Err(value_error(
            "'=' alignment not allowed in string format specifier",
        ));
    }
    if let Some(g) = sp.grouping {
        return Err(value_error(format!("Cannot specify '{g}' with 's'.")));
    }
    let body: String = match sp.precision {
        Some(p) => s.chars().take(p).collect(),
        None => s.to_string(),
    };
    let align = match sp.align {
        Some('0') | None => '<',
        Some(a) => a,
    };
    Ok(pad("", &body, &sp, align))
}

/// Pads `prefix + body` (a sign and `0x`, then digits) to the spec's width.
fn pad(prefix: &str, body: &str, sp: &Spec, align: char) -> String {
    let len = prefix.chars().count() + body.chars().count();
    if len >= sp.width {
        return format!("{prefix}{body}");
    }
    let n = sp.width - len;
    let fill = |k: usize| sp.fill.to_string().repeat(k);
    match align {
        '<' => format!("{prefix}{body}{}", fill(n)),
        '^' => format!("{}{prefix}{body}{}", fill(n / 2), fill(n - n / 2)),
        '=' | '0' => format!("{prefix}{}{body}", fill(n)),
        _ => format!("{}{prefix}{body}", fill(n)),
    }
}

/// `digits` with a separator every `every` digits from the right; with
/// zero padding (`0` flag) first widened with zeros to `min_len`, as
/// CPython pads inside the grouping (`format(1234, '010,')` is
/// `00,001,234`).
fn group(digits: &str, sep: Option<char>, every: usize, min_len: usize) -> String {
    let Some(sep) = sep else {
        let n = digits.chars().count();
        return if n < min_len {
            format!("{}{digits}", "0".repeat(min_len - n))
        } else {
            digits.to_string()
        };
    };
    let grouped = |d: &str| {
        let chars: Vec<char> = d.chars().collect();
        let mut out = String::with_capacity(chars.len() + chars.len() / every);
        for (k, c) in chars.iter().enumerate() {
            if k > 0 && (chars.len() - k).is_multiple_of(every) {
                out.push(sep);
            }
            out.push(*c);
        }
        out
    };
    let mut d = digits.to_string();
    let mut out = grouped(&d);
    while out.chars().count() < min_len {
        d.insert(0, '0');
        out = grouped(&d);
    }
    out
}

fn sign_str(negative: bool, sp: &Spec) -> &'static str {
    match (negative, sp.sign) {
        (true, _) => "-",
        (false, Some('+')) => "+",
        (false, Some(' ')) => " ",
        _ => "",
    }
}

/// `int.__format__` (also `bool`'s with a non-empty spec).
pub fn format_int(n: &IntDigits, spec: &str, type_name: &str) -> PyResult<String> {
    if spec.is_empty() {
        return Ok(format!(
            "{}{}",
            if n.negative { "-" } else { "" },
            (n.radix)(10)
        ));
    }
    let sp = parse(spec, type_name)?;
    let ty = sp.ty.unwrap_or('d');
    if matches!(ty, 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%') {
        let Some(f) = n.float else {
            return Err(super::exceptions::PyErr::new(
                super::ExcType::OverflowError,
                "int too large to convert to float",
            ));
        };
        let f = if n.negative { -f.abs() } else { f.abs() };
        return format_float_parsed(f, &sp);
    }
    if sp.precision.is_some() {
        return Err(value_error(
            "Precision not allowed in integer format specifier",
        ));
    }
    let (radix, prefix) = match ty {
        'd' | 'n' => (10, ""),
        'x' => (16, "0x"),
        'X' => (16, "0X"),
        'o' => (8, "0o"),
        'b' => (2, "0b"),
        'c' => {
            if sp.sign.is_some() {
                return Err(value_error(
                    "Sign not allowed with integer format specifier 'c'",
                ));
            }
            let digits = (n.radix)(10);
            let code = digits
                .parse::<u32>()
                .ok()
                .filter(|_| !n.negative)
                .and_then(char::from_u32)
                .ok_or_else(|| {
                    super::exceptions::PyErr::new(
                        super::ExcType::OverflowError,
                        "%c arg not in range(0x110000)",
                    )
                })?;
            let align = sp.align.unwrap_or('<');
            return Ok(pad("", &code.to_string(), &sp, align));
        }
        t => {
            return Err(value_error(format!(
                "Unknown format code '{t}' for object of type '{type_name}'"
            )));
        }
    };
    let mut digits = (n.radix)(radix);
    if ty == 'X' {
        digits = digits.to_uppercase();
    }
    let prefix = format!(
        "{}{}",
        sign_str(n.negative, &sp),
        if sp.alternate { prefix } else { "" }
    );
    let every = if radix == 10 { 3 } else { 4 };
    finish_number(&prefix, &digits, "", &sp, every)
}

/// Groups the integer part, then pads: `0` padding goes inside the
/// grouping, after the sign.
fn finish_number(
    prefix: &str,
    int_part: &str,
    rest: &str,
    sp: &Spec,
    every: usize,
) -> PyResult<String> {
    let align = sp.align.unwrap_or('>');
    let min_len = if sp.align == Some('0') {
        sp.width
            .saturating_sub(prefix.chars().count() + rest.chars().count())
    } else {
        0
    };
    let body = format!("{}{rest}", group(int_part, sp.grouping, every, min_len));
    Ok(pad(prefix, &body, sp, align))
}

/// A number already written as `text` (digits, maybe a point and
/// decimals, no sign), signed, grouped and padded by `sp`
/// (`Decimal.__format__`).
pub fn finish_signed(negative: bool, text: &str, sp: &Spec) -> PyResult<String> {
    let mut body = text.to_string();
    let split_at = body
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(body.len());
    let rest = body.split_off(split_at);
    finish_number(sign_str(negative, sp), &body, &rest, sp, 3)
}

/// `float.__format__`.
pub fn format_float(f: f64, spec: &str, type_name: &str) -> PyResult<String> {
    if spec.is_empty() {
        return Ok(float_repr(f));
    }
    let sp = parse(spec, type_name)?;
    format_float_parsed(f, &sp)
}

fn format_float_parsed(f: f64, sp: &Spec) -> PyResult<String> {
    let ty = sp.ty;
    if let Some(t) = ty
        && !matches!(t, 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'n' | '%')
    {
        return Err(value_error(format!(
            "Unknown format code '{t}' for object of type 'float'"
        )));
    }
    let mut x = f;
    if sp.no_neg_zero && x == 0.0 {
        x = 0.0;
    }
    let negative = x.is_sign_negative() && !x.is_nan();
    let a = x.abs();
    let upper = matches!(ty, Some('E' | 'F' | 'G'));
    let mut body = if !a.is_finite() {
        let s = if a.is_nan() { "nan" } else { "inf" };
        let s = if upper {
            s.to_uppercase()
        } else {
            s.to_string()
        };
        if ty == Some('%') { format!("{s}%") } else { s }
    } else {
        match ty {
            Some('f' | 'F') => fixed(a, sp.precision.unwrap_or(6), sp.alternate),
            Some('e' | 'E') => sci(a, sp.precision.unwrap_or(6), sp.alternate, upper),
            Some('%') => format!(
                "{}%",
                fixed(a * 100.0, sp.precision.unwrap_or(6), sp.alternate)
            ),
            Some('g' | 'G' | 'n') => {
                general(a, sp.precision.unwrap_or(6), sp.alternate, upper, false)
            }
            None => match sp.precision {
                None => {
                    // repr's digits, grouped if asked
                    float_repr(a)
                }
                Some(p) => general(a, p, sp.alternate, false, true),
            },
            Some(_) => String::new(),
        }
    };
    // `z`: a negative value that rounds to zero loses its sign
    let negative = negative
        && !(sp.no_neg_zero
            && body
                .chars()
                .all(|c| matches!(c, '0' | '.' | '%' | 'e' | 'E' | '+' | '-')));
    let prefix = sign_str(negative, sp).to_string();
    // split the integer part from the rest for grouping and zero padding
    let split_at = body
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(body.len());
    let rest = body.split_off(split_at);
    finish_number(&prefix, &body, &rest, sp, 3)
}

/// `a` (finite, non-negative) with `p` decimals.
fn fixed(a: f64, p: usize, alternate: bool) -> String {
    let s = format!("{a:.p$}");
    if alternate && p == 0 {
        format!("{s}.")
    } else {
        s
    }
}

/// `a` in scientific notation with `p` decimals, CPython's two-digit signed
/// exponent (`1.235e+04`).
fn sci(a: f64, p: usize, alternate: bool, upper: bool) -> String {
    let s = format!("{a:.p$e}");
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = e.parse().unwrap_or(0);
    let m = if alternate && p == 0 {
        format!("{m}.")
    } else {
        m.to_string()
    };
    let sign = if e < 0 { '-' } else { '+' };
    format!(
        "{m}{}{sign}{:02}",
        if upper { 'E' } else { 'e' },
        e.unsigned_abs()
    )
}

/// `g`: `p` significant digits, fixed or scientific by the exponent,
/// trailing zeros dropped unless `#`. `repr_like` is the no-type form with a
/// precision: a fixed result keeps at least one decimal (`1.0`).
fn general(a: f64, p: usize, alternate: bool, upper: bool, repr_like: bool) -> String {
    let p = p.max(1);
    let probe = format!("{a:.prec$e}", prec = p - 1);
    let exp: i32 = probe
        .split_once('e')
        .and_then(|(_, e)| e.parse().ok())
        .unwrap_or(0);
    let mut s = if -4 <= exp && exp < p as i32 {
        let decimals = (p as i32 - 1 - exp).max(0) as usize;
        let mut s = format!("{a:.decimals$}");
        if !alternate && s.contains('.') {
            s = s.trim_end_matches('0').trim_end_matches('.').to_string();
        }
        if alternate && !s.contains('.') {
            s.push('.');
        }
        if repr_like && !s.contains('.') {
            s.push_str(".0");
        }
        s
    } else {
        let s = sci(a, p - 1, alternate, upper);
        if alternate {
            s
        } else {
            let (m, e) = s.split_once(['e', 'E']).unwrap_or((&s, ""));
            let m = if m.contains('.') {
                m.trim_end_matches('0').trim_end_matches('.')
            } else {
                m
            };
            format!("{m}{}{e}", if upper { 'E' } else { 'e' })
        }
    };
    if upper {
        s = s.to_uppercase();
    }
    s
}

/// `format(v, spec)` for a value without `__format__` of its own:
/// `object.__format__`, which takes only an empty spec.
pub fn object_format_error(type_name: &str) -> super::exceptions::PyErr {
    type_error(format!(
        "unsupported format string passed to {type_name}.__format__"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(v: Value, spec: &str) -> String {
        match format_value(&v, spec) {
            Some(Ok(s)) => s,
            Some(Err(e)) => format!("{}: {}", e.type_name(), e.message),
            None => "none".into(),
        }
    }

    #[test]
    fn specs_format_as_cpython() {
        // Each expected text is what CPython 3.11 printed.
        let cases: Vec<(Value, &str, &str)> = vec![
            (Value::Float(12345.678), ".3e", "1.235e+04"),
            (Value::Float(0.0001), "e", "1.000000e-04"),
            (Value::Float(0.0001), "g", "0.0001"),
            (Value::Float(1e20), "g", "1e+20"),
            (Value::Float(1e20), ".3", "1e+20"),
            (Value::Float(1.0), ".3", "1.0"),
            (Value::Float(1234.5), ".3", "1.23e+03"),
            (Value::Float(3.5), ".0f", "4"),
            (Value::Float(2.5), ".0f", "2"),
            (Value::Float(-1234.5), "012,.1f", "-0,001,234.5"),
            (Value::Float(0.25), ".1%", "25.0%"),
            (Value::Float(1.5), "G", "1.5"),
            (Value::Float(1e-7), "G", "1E-07"),
            (Value::Float(f64::INFINITY), "F", "INF"),
            (Value::Float(-0.0), "z.1f", "0.0"),
            (Value::Float(2.0), "#g", "2.00000"),
            (Value::Float(3.0), "n", "3"),
            (
                Value::Float(1.5),
                "d",
                "ValueError: Unknown format code 'd' for object of type 'float'",
            ),
            (Value::Int(1234), "_", "1_234"),
            (Value::Int(1234567), ",", "1,234,567"),
            (Value::Int(1234), "010,", "00,001,234"),
            (Value::Int(255), "#x", "0xff"),
            (Value::Int(255), "#010x", "0x000000ff"),
            (Value::Int(255), "X", "FF"),
            (Value::Int(-5), "b", "-101"),
            (Value::Int(65535), "_x", "ffff"),
            (Value::Int(1048575), "_b", "1111_1111_1111_1111_1111"),
            (Value::Int(8), "#o", "0o10"),
            (Value::Int(97), "c", "a"),
            (Value::Int(7), "03d", "007"),
            (Value::Int(-7), "04", "-007"),
            (Value::Int(7), "+", "+7"),
            (Value::Int(7), " ", " 7"),
            (Value::Int(7), "e", "7.000000e+00"),
            (Value::Int(1), "%", "100.000000%"),
            (Value::Int(42), "=+6", "+   42"),
            (Value::Int(42), "*^7", "**42***"),
            (
                Value::Int(1),
                ".2d",
                "ValueError: Precision not allowed in integer format specifier",
            ),
            (
                Value::Int(1),
                "abc",
                "ValueError: Invalid format specifier 'abc' for object of type 'int'",
            ),
            (
                Value::Int(1),
                "q",
                "ValueError: Unknown format code 'q' for object of type 'int'",
            ),
            (
                Value::Int(1),
                ",x",
                "ValueError: Cannot specify ',' with 'x'.",
            ),
            (Value::Bool(true), ">5", "    1"),
            (Value::Bool(true), "", "True"),
            (Value::str("ab"), "05", "ab000"),
            (Value::str("ab"), "^6", "  ab  "),
            (Value::str("abcdef"), ".3", "abc"),
            (
                Value::str("a"),
                "+",
                "ValueError: Sign not allowed in string format specifier",
            ),
            (
                Value::str("a"),
                "=",
                "ValueError: '=' alignment not allowed in string format specifier",
            ),
            (
                Value::str("a"),
                "#",
                "ValueError: Alternate form (#) not allowed in string format specifier",
            ),
            (
                Value::str("a"),
                ",",
                "ValueError: Cannot specify ',' with 's'.",
            ),
            (
                Value::str("a"),
                "d",
                "ValueError: Unknown format code 'd' for object of type 'str'",
            ),
        ];
        for (v, spec, want) in cases {
            assert_eq!(f(v.clone(), spec), want, "format({v:?}, {spec:?})");
        }
    }
}
