//! String literals: decoding backslash escapes, and splitting an f-string's
//! text into literal pieces and `{expr!r:spec}` fields (with CPython
//! 3.11's rules: a field may hold quotes of the other kind, but no
//! backslash and no `#`). The parser parses each field's expression.

use super::ast::Span;
use super::error::SyntaxError;

/// Decodes the escapes of a string literal's text (`raw` strings keep
/// them). `at` is the text's offset in the source, for error spans.
/// `\r\n` inside the text becomes `\n`, as Python reads source.
pub(crate) fn decode_escapes(text: &str, raw: bool, at: usize) -> Result<String, SyntaxError> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    while let Some((k, c)) = chars.next() {
        if c == '\r' {
            chars.next_if(|&(_, c)| c == '\n');
            out.push('\n');
            continue;
        }
        if c != '\\' || raw {
            out.push(c);
            if c == '\\' {
                // In a raw string a backslash still keeps the next quote or
                // backslash from ending the string; both stay in the text.
                if let Some((_, next)) = chars.next_if(|&(_, n)| n != '\r' && n != '\n') {
                    out.push(next);
                }
            }
            continue;
        }
        let Some((_, e)) = chars.next() else {
            out.push('\\');
            break;
        };
        let bad = |what: &str, len: usize| {
            SyntaxError::new(
                format!("(unicode error) 'unicodeescape' codec can't decode bytes: {what}"),
                Span::new(at + k, at + k + len),
            )
        };
        match e {
            '\n' => {}
            '\r' => {
                chars.next_if(|&(_, c)| c == '\n');
            }
            '\\' => out.push('\\'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'f' => out.push('\x0c'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\x0b'),
            '0'..='7' => {
                let mut value = e.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.next_if(|&(_, d)| d.is_digit(8)) {
                        Some((_, d)) => value = value * 8 + d.to_digit(8).unwrap_or(0),
                        None => break,
                    }
                }
                out.push(char::from_u32(value).unwrap_or('\u{fffd}'));
            }
            'x' | 'u' | 'U' => {
                let (n, name) = match e {
                    'x' => (2, "truncated \\xXX escape"),
                    'u' => (4, "truncated \\uXXXX escape"),
                    _ => (8, "truncated \\UXXXXXXXX escape"),
                };
                let mut value: u32 = 0;
                for _ in 0..n {
                    match chars.next_if(|&(_, d)| d.is_ascii_hexdigit()) {
                        Some((_, d)) => value = value * 16 + d.to_digit(16).unwrap_or(0),
                        None => return Err(bad(name, 2)),
                    }
                }
                match char::from_u32(value) {
                    Some(ch) => out.push(ch),
                    None => return Err(bad("illegal Unicode character", 2 + n)),
                }
            }
            'N' => {
                return Err(SyntaxError::unsupported(
                    "\\N{...} escapes",
                    Span::new(at + k, at + k + 2),
                ));
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    Ok(out)
}

/// Decodes the escapes of a `bytes` literal's text (ASCII, checked by the
/// lexer): `\xhh`, octal and the one-letter escapes; `\u`, `\N` and any
/// other escape stay as written, as CPython's `_PyBytes_DecodeEscape`.
/// `span` is the literal's, for CPython's `(value error) invalid \x escape`.
pub(crate) fn decode_bytes_escapes(
    text: &str,
    raw: bool,
    span: Span,
) -> Result<Vec<u8>, SyntaxError> {
    let src = text.as_bytes();
    let mut out = Vec::with_capacity(src.len());
    let mut k = 0;
    while let Some(&c) = src.get(k) {
        k += 1;
        if c == b'\r' {
            if src.get(k) == Some(&b'\n') {
                k += 1;
            }
            out.push(b'\n');
            continue;
        }
        if c != b'\\' || raw {
            out.push(c);
            if c == b'\\'
                && let Some(&next) = src.get(k).filter(|&&n| n != b'\r' && n != b'\n')
            {
                out.push(next);
                k += 1;
            }
            continue;
        }
        let Some(&e) = src.get(k) else {
            out.push(b'\\');
            break;
        };
        k += 1;
        match e {
            b'\n' => {}
            b'\r' => {
                if src.get(k) == Some(&b'\n') {
                    k += 1;
                }
            }
            b'\\' | b'\'' | b'"' => out.push(e),
            b'a' => out.push(0x07),
            b'b' => out.push(0x08),
            b'f' => out.push(0x0c),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(0x0b),
            b'0'..=b'7' => {
                let mut value = u32::from(e - b'0');
                for _ in 0..2 {
                    match src.get(k) {
                        Some(&d @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(d - b'0');
                            k += 1;
                        }
                        _ => break,
                    }
                }
                out.push((value & 0xff) as u8);
            }
            b'x' => {
                let hex = |i: usize| src.get(i).and_then(|&d| char::from(d).to_digit(16));
                match (hex(k), hex(k + 1)) {
                    (Some(hi), Some(lo)) => {
                        out.push((hi * 16 + lo) as u8);
                        k += 2;
                    }
                    _ => {
                        return Err(SyntaxError::new(
                            format!("(value error) invalid \\x escape at position {}", k - 2),
                            span,
                        ));
                    }
                }
            }
            other => {
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    Ok(out)
}

/// One piece of an f-string, as offsets into the source.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FPiece {
    /// Literal text, already decoded (`{{` is `{`).
    Literal(String),
    /// A replacement field.
    Field {
        /// Where the expression's text lies.
        expr_start: usize,
        expr_end: usize,
        /// `{x=}`: the text `x=` to print before the value.
        debug_text: Option<String>,
        conversion: Option<char>,
        format_spec: Option<String>,
        /// Where the format spec's text starts (after `:`), for its own
        /// nested fields (`{x:{width}}`).
        spec_start: usize,
        /// The whole field, braces included.
        span: Span,
    },
}

/// Splits the text of an f-string (`src[start..end]`, between the quotes)
/// into pieces.
pub(crate) fn split_fstring(
    src: &str,
    start: usize,
    end: usize,
    raw: bool,
) -> Result<Vec<FPiece>, SyntaxError> {
    let text = src.get(start..end).unwrap_or("");
    let bytes = text.as_bytes();
    let at = |k: usize| Span::new(start + k, start + k + 1);
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut literal_from = 0;
    let mut k = 0;
    let flush = |literal: &mut String, pieces: &mut Vec<FPiece>, upto: usize, from: usize| {
        let chunk = text.get(from..upto).unwrap_or("");
        literal.push_str(chunk);
        if !literal.is_empty() {
            let decoded = decode_escapes(literal, raw, start + from)?;
            pieces.push(FPiece::Literal(decoded));
            literal.clear();
        }
        Ok::<(), SyntaxError>(())
    };
    while k < bytes.len() {
        match bytes.get(k) {
            Some(b'{') if bytes.get(k + 1) == Some(&b'{') => {
                literal.push_str(text.get(literal_from..=k).unwrap_or(""));
                k += 2;
                literal_from = k;
            }
            Some(b'}') if bytes.get(k + 1) == Some(&b'}') => {
                literal.push_str(text.get(literal_from..=k).unwrap_or(""));
                k += 2;
                literal_from = k;
            }
            Some(b'}') => {
                return Err(SyntaxError::new(
                    "f-string: single '}' is not allowed",
                    at(k),
                ));
            }
            Some(b'{') => {
                flush(&mut literal, &mut pieces, k, literal_from)?;
                let (piece, next) = split_field(text, start, k)?;
                pieces.push(piece);
                k = next;
                literal_from = k;
            }
            _ => k += 1,
        }
    }
    flush(
        &mut literal,
        &mut pieces,
        bytes.len(),
        literal_from.min(bytes.len()),
    )?;
    Ok(pieces)
}

/// Reads the field whose `{` is at `text[open]`; returns it and the offset
/// just past its `}`.
fn split_field(text: &str, start: usize, open: usize) -> Result<(FPiece, usize), SyntaxError> {
    let bytes = text.as_bytes();
    let expecting = || {
        SyntaxError::new(
            "f-string: expecting '}'",
            Span::new(start + open, start + open + 1),
        )
    };
    let expr_start = open + 1;
    let mut depth = 0usize;
    let mut quote: Option<(u8, bool)> = None;
    let mut k = expr_start;
    let mut debug = false;
    // Find where the expression ends: at `}`, `!`, `:` or `=` outside
    // brackets and strings.
    let expr_end = loop {
        let Some(&b) = bytes.get(k) else {
            return Err(expecting());
        };
        if let Some((q, triple)) = quote {
            if b == q {
                if !triple {
                    quote = None;
                } else if bytes.get(k + 1) == Some(&q) && bytes.get(k + 2) == Some(&q) {
                    quote = None;
                    k += 2;
                }
            } else if b == b'\\' {
                return Err(SyntaxError::new(
                    "f-string expression part cannot include a backslash",
                    Span::new(start + k, start + k + 1),
                ));
            }
            k += 1;
            continue;
        }
        match b {
            b'\\' => {
                return Err(SyntaxError::new(
                    "f-string expression part cannot include a backslash",
                    Span::new(start + k, start + k + 1),
                ));
            }
            b'#' => {
                return Err(SyntaxError::new(
                    "f-string expression part cannot include '#'",
                    Span::new(start + k, start + k + 1),
                ));
            }
            b'\'' | b'"' => {
                let triple = bytes.get(k + 1) == Some(&b) && bytes.get(k + 2) == Some(&b);
                quote = Some((b, triple));
                if triple {
                    k += 2;
                }
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' if depth == 0 => {
                return Err(SyntaxError::new(
                    format!("f-string: unmatched '{}'", b as char),
                    Span::new(start + k, start + k + 1),
                ));
            }
            b'}' if depth == 0 => break k,
            b')' | b']' | b'}' => depth -= 1,
            b'!' if depth == 0 && bytes.get(k + 1) != Some(&b'=') => break k,
            b':' if depth == 0 => break k,
            b'=' if depth == 0
                && bytes.get(k + 1) != Some(&b'=')
                && !matches!(
                    k.checked_sub(1).and_then(|p| bytes.get(p)),
                    Some(b'=' | b'!' | b'<' | b'>')
                ) =>
            {
                debug = true;
                break k;
            }
            _ => {}
        }
        k += 1;
    };
    let expr_text = text.get(expr_start..expr_end).unwrap_or("");
    if expr_text.trim().is_empty() {
        return Err(SyntaxError::new(
            "f-string: empty expression not allowed",
            Span::new(start + open, start + expr_end + 1),
        ));
    }
    let mut debug_text = None;
    if debug {
        k += 1;
        // Whitespace after `=` is kept in the printed text, as in Python.
        while matches!(bytes.get(k), Some(b' ' | b'\t')) {
            k += 1;
        }
        debug_text = Some(text.get(expr_start..k).unwrap_or("").to_string());
    }
    let mut conversion = None;
    if bytes.get(k) == Some(&b'!') {
        let c = text.get(k + 1..).and_then(|t| t.chars().next());
        match c {
            Some(c @ ('r' | 's' | 'a')) => conversion = Some(c),
            _ => {
                return Err(SyntaxError::new(
                    "f-string: invalid conversion character: expected 's', 'r', or 'a'",
                    Span::new(start + k, start + k + 1 + c.map_or(0, char::len_utf8)),
                ));
            }
        }
        k += 2;
    }
    let mut format_spec = None;
    let mut spec_offset = 0;
    if bytes.get(k) == Some(&b':') {
        let spec_start = k + 1;
        spec_offset = start + spec_start;
        k = spec_start;
        // a nested field (`{x:{width}.{precision}f}`) is kept in the
        // spec's text, split by the parser
        let mut nested = 0usize;
        loop {
            match bytes.get(k) {
                None => return Err(expecting()),
                Some(b'}') if nested == 0 => break,
                Some(b'}') => {
                    nested -= 1;
                    k += 1;
                }
                Some(b'{') => {
                    if nested > 0 {
                        return Err(SyntaxError::new(
                            "f-string: expressions nested too deeply",
                            Span::new(start + k, start + k + 1),
                        ));
                    }
                    nested += 1;
                    k += 1;
                }
                Some(_) => k += 1,
            }
        }
        format_spec = Some(text.get(spec_start..k).unwrap_or("").to_string());
    }
    if bytes.get(k) != Some(&b'}') {
        return Err(expecting());
    }
    let piece = FPiece::Field {
        expr_start: start + expr_start,
        expr_end: start + expr_end,
        debug_text,
        conversion,
        format_spec,
        spec_start: spec_offset,
        span: Span::new(start + open, start + k + 1),
    };
    Ok((piece, k + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        let d = |s: &str| decode_escapes(s, false, 0).unwrap();
        assert_eq!(d(r"a\nb\t\\\'\x41\u00e9\101\0"), "a\nb\t\\'A\u{e9}A\0");
        assert_eq!(d("a\\\nb"), "ab");
        assert_eq!(d(r"\d"), r"\d");
        assert_eq!(d("x\r\ny"), "x\ny");
        assert_eq!(decode_escapes(r"\n\'", true, 0).unwrap(), r"\n\'");
        let e = decode_escapes(r"ab\x4", false, 10).unwrap_err();
        assert!(e.message.contains("truncated \\xXX escape"));
        assert_eq!(e.span.start, 12);
        assert!(decode_escapes(r"\U00110000", false, 0).is_err());
    }

    fn pieces(src: &str) -> Result<Vec<FPiece>, SyntaxError> {
        split_fstring(src, 0, src.len(), false)
    }

    #[test]
    fn fstring_pieces() {
        let p = pieces("a{{b}}{x!r:>10}c").unwrap();
        assert_eq!(p.len(), 3);
        assert_eq!(p[0], FPiece::Literal("a{b}".into()));
        let FPiece::Field {
            expr_start,
            expr_end,
            conversion,
            format_spec,
            ..
        } = &p[1]
        else {
            panic!()
        };
        assert_eq!((*expr_start, *expr_end), (7, 8));
        assert_eq!(*conversion, Some('r'));
        assert_eq!(format_spec.as_deref(), Some(">10"));
        assert_eq!(p[2], FPiece::Literal("c".into()));
        let p = pieces("{d['k']}{a != b}{x = }").unwrap();
        let FPiece::Field { expr_end, .. } = &p[0] else {
            panic!()
        };
        assert_eq!(*expr_end, 7);
        let FPiece::Field {
            expr_end,
            debug_text,
            ..
        } = &p[1]
        else {
            panic!()
        };
        assert_eq!((*expr_end, debug_text.clone()), (15, None));
        let FPiece::Field { debug_text, .. } = &p[2] else {
            panic!()
        };
        assert_eq!(debug_text.as_deref(), Some("x = "));
    }

    #[test]
    fn fstring_errors() {
        let e = pieces("ab{x").unwrap_err();
        assert_eq!(e.message, "f-string: expecting '}'");
        assert_eq!(e.span.start, 2);
        assert_eq!(
            pieces("a}b").unwrap_err().message,
            "f-string: single '}' is not allowed"
        );
        assert_eq!(
            pieces("{}").unwrap_err().message,
            "f-string: empty expression not allowed"
        );
        assert!(
            pieces("{x!z}")
                .unwrap_err()
                .message
                .contains("invalid conversion")
        );
        assert!(pieces("{a\\n}").unwrap_err().message.contains("backslash"));
        assert!(pieces("{a#}").unwrap_err().message.contains("'#'"));
        // a field inside the format spec is parsed, as CPython's
        assert!(pieces("{x:{w}}").is_ok_and(|p| p.len() == 1));
    }
}
