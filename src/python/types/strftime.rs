//! `datetime.strftime(format)` as CPython on Linux (glibc's `strftime`)
//! formats a naive datetime. Each directive is checked before chrono
//! formats it, since chrono fails (and its `Display` panics) on a directive
//! it does not know, where glibc prints it as it stands: `strftime("%")` is
//! `'%'`, `strftime("%Q")` is `'%Q'`.

use std::fmt::Write;

use chrono::{NaiveDateTime, Timelike};

/// Directives chrono formats as glibc does in the C locale.
const DIRECTIVES: &str = "aAbBcCdDeFgGhHIjklmMnpPrRsStTuUVwWxXyY";

/// Numeric directives, which take glibc's `-` (no padding), `_` (spaces)
/// and `0` (zeros) flags, as chrono does.
const NUMERIC: &str = "CdeGgHIjklmMSsUuVWwYy";

/// `dt.strftime(format)` as Python 3.11 on Linux: `%f` is microseconds,
/// `%z` and `%Z` are empty for a naive datetime, `%%` is `%`, `E` and `O`
/// modifiers are ignored, and anything glibc does not know (an unknown
/// letter, a `%` at the end) stands as written.
pub fn strftime(dt: &NaiveDateTime, format: &str) -> String {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = String::from("%");
        let flag = chars.next_if(|c| matches!(c, '-' | '_' | '0'));
        if let Some(f) = flag {
            spec.push(f);
        }
        let modifier = chars.next_if(|c| matches!(c, 'E' | 'O'));
        let Some(letter) = chars.next() else {
            // a `%` (and flags) at the end
            out.push_str(&spec);
            if let Some(m) = modifier {
                out.push(m);
            }
            break;
        };
        let known = match letter {
            '%' if flag.is_none() && modifier.is_none() => {
                out.push('%');
                true
            }
            'f' => write!(out, "{:06}", dt.nanosecond() / 1000 % 1_000_000).is_ok(),
            'z' | 'Z' => true,
            l if DIRECTIVES.contains(l) && (flag.is_none() || NUMERIC.contains(l)) => {
                spec.push(l);
                let items = chrono::format::StrftimeItems::new(&spec);
                write!(out, "{}", dt.format_with_items(items)).is_ok()
            }
            _ => false,
        };
        if !known {
            out.push_str(&spec);
            if let Some(m) = modifier {
                out.push(m);
            }
            out.push(letter);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2024, 1, 15)
            .and_then(|d| d.and_hms_micro_opt(9, 5, 7, 123_456))
            .expect("a valid datetime")
    }

    #[test]
    fn formats_as_python_on_linux() {
        // each expected text printed by python3.11 on Linux (glibc)
        let cases = [
            ("%", "%"),
            ("a%", "a%"),
            ("%%", "%"),
            ("%Y-%m-%d %H:%M:%S.%f", "2024-01-15 09:05:07.123456"),
            ("%Q %i %.", "%Q %i %."),
            ("%z%Z", ""),
            ("%-d %_m %Ey %Oy", "15  1 24 24"),
            ("%c", "Mon Jan 15 09:05:07 2024"),
            ("%a %A %b %B %p %P %j", "Mon Monday Jan January AM am 015"),
            ("%é café", "%é café"),
            ("%-", "%-"),
        ];
        for (format, expected) in cases {
            assert_eq!(strftime(&dt(), format), expected, "format {format:?}");
        }
    }
}
