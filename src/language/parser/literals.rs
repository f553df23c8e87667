//! String literals: adjacent literals concatenated (`STRING+`), and
//! f-strings, whose fields are parsed by a nested parser over the field's
//! own tokens.

use crate::language::ast::{ExprKind, FStringPart, Span};
use crate::language::error::{SyntaxError, SyntaxErrorKind};
use crate::language::lexer::{self, Tok};
use crate::language::strings::{self, FPiece};

use super::*;

/// Appends literal text to f-string parts, merging adjacent literals.
fn push_literal(parts: &mut Vec<FStringPart>, text: String) {
    if text.is_empty() {
        return;
    }
    match parts.last_mut() {
        Some(FStringPart::Literal(last)) => last.push_str(&text),
        _ => parts.push(FStringPart::Literal(text)),
    }
}

/// Prefixes an error inside an f-string field with `f-string: `.
fn in_fstring(mut e: SyntaxError) -> SyntaxError {
    if e.kind == SyntaxErrorKind::Syntax && !e.message.starts_with("f-string") {
        e.message = format!("f-string: {}", e.message);
    }
    e
}

impl<'s> Parser<'s> {
    /// `STRING+`: adjacent literals concatenate; any f-string among them
    /// makes the whole an `FString`.
    pub(super) fn parse_strings(&mut self) -> PResult<Node> {
        let start = self.start();
        let mut parts = Vec::new();
        let mut is_fstring = false;
        let mut depth = 1;
        let mut bytes: Option<Vec<u8>> = None;
        let mut first = true;
        while let Tok::Str(s) = self.peek() {
            if !first && s.bytes != bytes.is_some() {
                return Err(self.mixed_bytes());
            }
            first = false;
            let token = self.advance().span;
            if s.bytes {
                let text = self.text(Span::new(s.body_start, s.body_end));
                let decoded = strings::decode_bytes_escapes(text, s.raw, token)?;
                bytes.get_or_insert_with(Vec::new).extend(decoded);
                continue;
            }
            if !s.fstring {
                let text = self.text(Span::new(s.body_start, s.body_end));
                push_literal(
                    &mut parts,
                    strings::decode_escapes(text, s.raw, s.body_start)?,
                );
                continue;
            }
            is_fstring = true;
            for piece in strings::split_fstring(self.src, s.body_start, s.body_end, s.raw)? {
                match piece {
                    FPiece::Literal(text) => push_literal(&mut parts, text),
                    FPiece::Field {
                        expr_start,
                        expr_end,
                        debug_text,
                        conversion,
                        format_spec,
                        spec_start,
                        ..
                    } => {
                        let expr = self.parse_fstring_field(expr_start, expr_end)?;
                        let mut nested_spec = Vec::new();
                        if let Some(spec) = format_spec.as_deref().filter(|s| s.contains('{')) {
                            let spec_end = spec_start + spec.len();
                            for inner in
                                strings::split_fstring(self.src, spec_start, spec_end, s.raw)?
                            {
                                match inner {
                                    FPiece::Literal(text) => {
                                        nested_spec.push(FStringPart::Literal(text))
                                    }
                                    FPiece::Field {
                                        expr_start,
                                        expr_end,
                                        conversion,
                                        format_spec,
                                        ..
                                    } => {
                                        let e = self.parse_fstring_field(expr_start, expr_end)?;
                                        depth = depth.max(e.depth + 1);
                                        nested_spec.push(FStringPart::Field {
                                            expr: e.expr,
                                            conversion,
                                            format_spec,
                                            nested_spec: Vec::new(),
                                        });
                                    }
                                }
                            }
                        }
                        depth = depth.max(expr.depth + 1);
                        // `{x=}` shows `x=` and then the value's repr,
                        // unless a conversion or format spec is given.
                        let conversion = match (&debug_text, conversion, &format_spec) {
                            (Some(_), None, None) => Some('r'),
                            _ => conversion,
                        };
                        if let Some(text) = debug_text {
                            push_literal(&mut parts, text);
                        }
                        parts.push(FStringPart::Field {
                            expr: expr.expr,
                            conversion,
                            format_spec,
                            nested_spec,
                        });
                    }
                }
            }
        }
        let kind = if let Some(b) = bytes {
            ExprKind::Bytes(b)
        } else if is_fstring {
            ExprKind::FString(parts)
        } else {
            match parts.pop() {
                Some(FStringPart::Literal(text)) => ExprKind::Str(text),
                _ => ExprKind::Str(String::new()),
            }
        };
        self.node(kind, self.span_from(start), depth)
    }

    /// CPython 3.11's error for `b"a" "b"`, at the token after the literals.
    fn mixed_bytes(&mut self) -> SyntaxError {
        while let Tok::Str(_) = self.peek() {
            self.advance();
        }
        let at = self.tok().span;
        SyntaxError::new(
            "cannot mix bytes and nonbytes literals",
            Span::new(at.start, at.start + 1),
        )
    }

    /// Parses the expression of an f-string field, `src[start..end]`.
    pub(super) fn parse_fstring_field(&mut self, start: usize, end: usize) -> PResult<Node> {
        let tokens =
            lexer::tokenize_fragment(self.src, start, end).map_err(|e| in_fstring(e.error))?;
        let mut sub = Parser::new(self.src, tokens, start);
        sub.nesting = self.nesting;
        sub.nested(true, |p| {
            let node = p.parse_testlist()?;
            let node = p.no_lone_star(node)?;
            if p.peek() != Tok::EndMarker {
                return Err(p.missing_comma(start));
            }
            Ok(node)
        })
        .map_err(in_fstring)
    }
}
