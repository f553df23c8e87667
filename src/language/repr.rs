//! Python's `repr()` of literal values: the source text that reads back
//! as the same `str`, `bytes`, `float`, `datetime` or `date` (the inverse
//! of [`super::strings`]' decoding). One home for the `python` room's
//! values and the `engine` room's log lines (SQLAlchemy's logged
//! parameters and rows are these reprs).

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

/// Python's `repr(float)`: the shortest text that reads back the same, in
/// fixed notation for exponents -4..16 and `1e+16` form outside.
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    // `{:e}` gives the shortest round-trip digits: "1.8571428571428572e0".
    let sci = format!("{:e}", f);
    let (mantissa, exp) = match sci.split_once('e') {
        Some((m, e)) => (m.to_string(), e.parse::<i32>().unwrap_or(0)),
        None => (sci.clone(), 0),
    };
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let sign = if negative { "-" } else { "" };
    if (-4..16).contains(&exp) {
        let point = exp + 1; // digits before the decimal point
        let body = if point <= 0 {
            format!("0.{}{}", "0".repeat((-point) as usize), digits)
        } else if (point as usize) >= digits.len() {
            format!("{}{}.0", digits, "0".repeat(point as usize - digits.len()))
        } else {
            let (a, b) = digits.split_at(point as usize);
            format!("{a}.{b}")
        };
        format!("{sign}{body}")
    } else {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        let mant = if rest.is_empty() {
            first.to_string()
        } else {
            format!("{first}.{rest}")
        };
        let esign = if exp < 0 { "-" } else { "+" };
        format!("{sign}{mant}e{esign}{:02}", exp.abs())
    }
}

/// Python's `repr(str)`: single quotes unless the text has a `'` and no `"`.
pub fn str_repr(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_str_repr(&mut out, s);
    out
}

/// [`str_repr`] written onto the end of `out`: text with nothing to escape
/// (no single quote, backslash or control character) is copied whole.
pub fn push_str_repr(out: &mut String, s: &str) {
    let plain = s
        .bytes()
        .all(|b| b >= 0x20 && b != 0x7f && b != b'\\' && b != b'\'');
    if plain {
        out.reserve(s.len() + 2);
        out.push('\'');
        out.push_str(s);
        out.push('\'');
        return;
    }
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.reserve(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push(quote);
}

/// Python's `repr(bytes)`: `b'...'`, printable ASCII as itself.
pub fn bytes_repr(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut out = format!("b{quote}");
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            c if c as char == quote => {
                out.push('\\');
                out.push(c as char);
            }
            0x20..=0x7e => out.push(c as char),
            c => out.push_str(&format!("\\x{c:02x}")),
        }
    }
    out.push(quote);
    out
}

/// `repr(datetime)`: `datetime.datetime(2024, 1, 15, 9, 0)`, dropping
/// trailing zero seconds and microseconds as Python does.
pub fn datetime_repr(dt: &NaiveDateTime) -> String {
    let micros = dt.nanosecond() / 1000;
    let mut parts = vec![
        dt.year().to_string(),
        dt.month().to_string(),
        dt.day().to_string(),
        dt.hour().to_string(),
        dt.minute().to_string(),
    ];
    if dt.second() != 0 || micros != 0 {
        parts.push(dt.second().to_string());
    }
    if micros != 0 {
        parts.push(micros.to_string());
    }
    format!("datetime.datetime({})", parts.join(", "))
}

/// `repr(date)`: `datetime.date(2024, 1, 15)`.
pub fn date_repr(d: &NaiveDate) -> String {
    format!("datetime.date({}, {}, {})", d.year(), d.month(), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_repr_matches_python() {
        assert_eq!(float_repr(2.5), "2.5");
        assert_eq!(float_repr(2.0), "2.0");
        assert_eq!(float_repr(1.8571428571428572), "1.8571428571428572");
        assert_eq!(float_repr(0.1), "0.1");
        assert_eq!(float_repr(1e16), "1e+16");
        assert_eq!(float_repr(1e-5), "1e-05");
        assert_eq!(float_repr(0.0001), "0.0001");
        assert_eq!(float_repr(-3.25), "-3.25");
        assert_eq!(float_repr(123456789012345.0), "123456789012345.0");
    }

    #[test]
    fn str_repr_matches_python() {
        assert_eq!(str_repr("Alice"), "'Alice'");
        assert_eq!(str_repr("it's"), "\"it's\"");
        assert_eq!(str_repr("a'b\"c"), "'a\\'b\"c'");
        assert_eq!(str_repr("a\nb"), "'a\\nb'");
    }

    #[test]
    fn bytes_and_datetime_reprs_match_python() {
        assert_eq!(bytes_repr(b"a'\x00"), "b\"a'\\x00\"");
        assert_eq!(bytes_repr(b"ab"), "b'ab'");
        let dt = NaiveDate::from_ymd_opt(2024, 1, 15)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .unwrap();
        assert_eq!(datetime_repr(&dt), "datetime.datetime(2024, 1, 15, 9, 0)");
        assert_eq!(date_repr(&dt.date()), "datetime.date(2024, 1, 15)");
    }
}
