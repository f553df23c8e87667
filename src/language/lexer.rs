//! The tokenizer: turns source text into Python tokens (names, keywords,
//! numbers, strings, operators) and the layout tokens `NEWLINE`, `INDENT`
//! and `DEDENT`, the way CPython's tokenizer does.
//!
//! Small nom parsers on `&str` recognise the tokens themselves (names,
//! numbers, comments, blanks); the loop around them keeps the state nom has
//! no place for: open brackets (inside which line breaks and indentation do
//! not count), `\` line continuations, and the stack of indentation levels.
//! Offsets are computed from the length of the input nom leaves over.
//!
//! Errors that CPython's tokenizer reports (unterminated strings, unmatched
//! or unclosed brackets, inconsistent indentation, stray characters) come
//! from here, with a [`LexErrorKind`] that tells the REPL whether more input
//! could fix them.

use nom::branch::alt;
use nom::bytes::complete::{take_till, take_while, take_while1};
use nom::character::complete::{char, one_of, satisfy};
use nom::combinator::{opt, recognize};
use nom::{IResult, Parser};

use super::ast::Span;
use super::error::SyntaxError;

/// Longest source the tutor parses, in bytes.
pub(crate) const MAX_SOURCE_LEN: usize = 1 << 20;

/// Deepest nesting of brackets, indented blocks, and unary operators.
pub(crate) const MAX_NESTING: usize = 100;

/// The keyword spelled `text`, if it is one of Python's keywords.
fn keyword(text: &str) -> Option<&'static str> {
    Some(match text {
        "False" => "False",
        "None" => "None",
        "True" => "True",
        "and" => "and",
        "as" => "as",
        "assert" => "assert",
        "async" => "async",
        "await" => "await",
        "break" => "break",
        "class" => "class",
        "continue" => "continue",
        "def" => "def",
        "del" => "del",
        "elif" => "elif",
        "else" => "else",
        "except" => "except",
        "finally" => "finally",
        "for" => "for",
        "from" => "from",
        "global" => "global",
        "if" => "if",
        "import" => "import",
        "in" => "in",
        "is" => "is",
        "lambda" => "lambda",
        "nonlocal" => "nonlocal",
        "not" => "not",
        "or" => "or",
        "pass" => "pass",
        "raise" => "raise",
        "return" => "return",
        "try" => "try",
        "while" => "while",
        "with" => "with",
        "yield" => "yield",
        _ => return None,
    })
}

/// The operator or delimiter spelled `text`.
fn operator(text: &str) -> Option<&'static str> {
    Some(match text {
        "**=" => "**=",
        "//=" => "//=",
        ">>=" => ">>=",
        "<<=" => "<<=",
        "..." => "...",
        "**" => "**",
        "//" => "//",
        "==" => "==",
        "!=" => "!=",
        "<=" => "<=",
        ">=" => ">=",
        "+=" => "+=",
        "-=" => "-=",
        "*=" => "*=",
        "/=" => "/=",
        "%=" => "%=",
        "&=" => "&=",
        "|=" => "|=",
        "^=" => "^=",
        "@=" => "@=",
        "->" => "->",
        ":=" => ":=",
        "<<" => "<<",
        ">>" => ">>",
        "+" => "+",
        "-" => "-",
        "*" => "*",
        "/" => "/",
        "%" => "%",
        "<" => "<",
        ">" => ">",
        "=" => "=",
        "." => ".",
        "," => ",",
        ":" => ":",
        ";" => ";",
        "(" => "(",
        ")" => ")",
        "[" => "[",
        "]" => "]",
        "{" => "{",
        "}" => "}",
        "&" => "&",
        "|" => "|",
        "^" => "^",
        "~" => "~",
        "@" => "@",
        _ => return None,
    })
}

/// What a token is. A name's text is the source under its span.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Tok {
    Name,
    Keyword(&'static str),
    Int(i64),
    /// An int literal past 64 bits, in this radix: its digits are the
    /// source under its span.
    BigInt(u32),
    Float(f64),
    Str(StrToken),
    Op(&'static str),
    /// End of a logical line.
    Newline,
    /// The next line is indented one level deeper.
    Indent,
    /// The next line closes one indentation level.
    Dedent,
    EndMarker,
}

/// A string literal: its prefix flags and where its text (between the
/// quotes, escapes not yet decoded) lies in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StrToken {
    pub raw: bool,
    pub fstring: bool,
    /// `b"…"`: a `bytes` literal.
    pub bytes: bool,
    pub body_start: usize,
    pub body_end: usize,
}

/// A token and the bytes of source it covers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Token {
    pub tok: Tok,
    pub span: Span,
}

/// Whether more input could turn a tokenizer error into valid code: the
/// REPL keeps reading lines for all kinds but [`LexErrorKind::Other`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LexErrorKind {
    /// End of input inside `(`, `[` or `{`.
    NeverClosed,
    /// End of input inside `'''` or `"""`.
    UnterminatedTriple,
    /// End of input right after a `\` line continuation.
    EofAfterContinuation,
    /// Any other error.
    Other,
}

/// A tokenizer error: the `SyntaxError` to show, and its kind.
#[derive(Debug, Clone)]
pub(crate) struct LexError {
    pub kind: LexErrorKind,
    pub error: SyntaxError,
}

/// Tokenizes a whole module: the tokens always end with `NEWLINE` (when
/// the last line had any), the `DEDENT`s closing open blocks, and
/// `ENDMARKER`.
pub(crate) fn tokenize(src: &str) -> Result<Vec<Token>, LexError> {
    Lexer::new(src, 0, src.len(), false).run()
}

/// Tokenizes `src[start..end]` (an f-string field) as if it stood inside
/// brackets: no layout tokens, only the final `ENDMARKER`. Spans are
/// offsets into the whole `src`.
pub(crate) fn tokenize_fragment(
    src: &str,
    start: usize,
    end: usize,
) -> Result<Vec<Token>, LexError> {
    Lexer::new(src, start, end, true).run()
}

/// The 1-based line number of byte `offset`.
pub(crate) fn line_of(src: &str, offset: usize) -> usize {
    let upto = src.get(..offset.min(src.len())).unwrap_or(src);
    upto.bytes().filter(|&b| b == b'\n').count() + 1
}

/// The span of the character at `offset` (empty at the end of input).
pub(crate) fn char_span(src: &str, offset: usize) -> Span {
    let len = src
        .get(offset..)
        .and_then(|rest| rest.chars().next())
        .map_or(0, char::len_utf8);
    Span::new(offset, offset + len)
}

fn is_id_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn is_id_continue(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// `[ \t\f]*`
fn lex_blanks(i: &str) -> IResult<&str, &str> {
    take_while(|c| c == ' ' || c == '\t' || c == '\x0c')(i)
}

/// `'#' [^\r\n]*`
fn lex_comment(i: &str) -> IResult<&str, &str> {
    recognize((char('#'), take_till(|c| c == '\n' || c == '\r'))).parse(i)
}

/// `\r\n | \n | \r`
fn lex_line_break(i: &str) -> IResult<&str, &str> {
    alt((
        recognize((char('\r'), opt(char('\n')))),
        recognize(char('\n')),
    ))
    .parse(i)
}

/// An identifier (or keyword, or string prefix).
fn lex_name(i: &str) -> IResult<&str, &str> {
    recognize((satisfy(is_id_start), take_while(is_id_continue))).parse(i)
}

/// `[0-9] [0-9_]*`
fn lex_digit_part(i: &str) -> IResult<&str, &str> {
    recognize((
        satisfy(|c| c.is_ascii_digit()),
        take_while(|c: char| c.is_ascii_digit() || c == '_'),
    ))
    .parse(i)
}

/// `[eE] [+-]? digits`
fn lex_exponent(i: &str) -> IResult<&str, &str> {
    recognize((one_of("eE"), opt(one_of("+-")), lex_digit_part)).parse(i)
}

/// A number literal's text: `0x…`/`0o…`/`0b…`, `1_000`, `2.5`, `.5`, `1e3`.
fn lex_number(i: &str) -> IResult<&str, &str> {
    alt((
        recognize((
            char('0'),
            one_of("xXoObB"),
            take_while1(|c: char| c.is_ascii_alphanumeric() || c == '_'),
        )),
        recognize((
            lex_digit_part,
            opt((char('.'), opt(lex_digit_part))),
            opt(lex_exponent),
        )),
        recognize((char('.'), lex_digit_part, opt(lex_exponent))),
    ))
    .parse(i)
}

/// An operator or delimiter, the longest that matches.
fn lex_operator(i: &str) -> IResult<&str, &'static str> {
    for len in [3, 2, 1] {
        if let Some(op) = i.get(..len).and_then(operator) {
            return Ok((i.get(len..).unwrap_or(""), op));
        }
    }
    Err(nom::Err::Error(nom::error::Error::new(
        i,
        nom::error::ErrorKind::Tag,
    )))
}

/// True when every `_` in a number stands between two digits (or right
/// after a `0x`-style prefix).
fn underscores_ok(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().all(|(k, &b)| {
        if b != b'_' {
            return true;
        }
        let before = k.checked_sub(1).and_then(|p| bytes.get(p));
        let after = bytes.get(k + 1);
        matches!(before, Some(c) if c.is_ascii_alphanumeric())
            && matches!(after, Some(c) if c.is_ascii_hexdigit())
    })
}

struct Lexer<'s> {
    src: &'s str,
    /// Where the lexed text ends (the whole source, or an f-string field).
    end: usize,
    pos: usize,
    toks: Vec<Token>,
    /// Open brackets and their offsets.
    brackets: Vec<(char, usize)>,
    /// Indentation levels: columns with tabs to multiples of 8 and with
    /// tabs as 1, to catch inconsistent mixes of tabs and spaces.
    indents: Vec<(usize, usize)>,
    /// Lexing an f-string field: no layout tokens.
    fragment: bool,
}

impl<'s> Lexer<'s> {
    fn new(src: &'s str, start: usize, end: usize, fragment: bool) -> Lexer<'s> {
        Lexer {
            src,
            end: end.min(src.len()),
            pos: start,
            toks: Vec::new(),
            brackets: Vec::new(),
            indents: vec![(0, 0)],
            fragment,
        }
    }

    /// The input not lexed yet.
    fn rest(&self) -> &'s str {
        self.src.get(self.pos..self.end).unwrap_or("")
    }

    /// The offset of what a nom parser left over.
    fn offset_of(&self, rest: &str) -> usize {
        self.end - rest.len()
    }

    fn peek_char(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn peek_char_at(&self, n: usize) -> Option<char> {
        self.rest().chars().nth(n)
    }

    fn push(&mut self, tok: Tok, start: usize, end: usize) {
        self.toks.push(Token {
            tok,
            span: Span::new(start, end),
        });
    }

    /// Valid Python the tutor lacks, as `NotImplementedError` at `span`.
    fn unsupported(&self, what: &str, span: Span) -> LexError {
        LexError {
            kind: LexErrorKind::Other,
            error: SyntaxError::unsupported(what, span),
        }
    }

    fn error(&self, message: impl Into<String>, span: Span) -> LexError {
        LexError {
            kind: LexErrorKind::Other,
            error: SyntaxError::new(message, span),
        }
    }

    /// Runs a nom parser at the current position; on success moves past
    /// what it matched and returns it with its start offset.
    fn take<O>(&mut self, mut parser: impl Parser<&'s str, Output = O>) -> Option<(O, usize)> {
        let start = self.pos;
        match parser.parse(self.rest()) {
            Ok((rest, out)) => {
                self.pos = self.offset_of(rest);
                Some((out, start))
            }
            Err(_) => None,
        }
    }

    /// True when the last token ends a line's worth of real tokens.
    fn line_has_tokens(&self) -> bool {
        matches!(self.toks.last(), Some(t) if !matches!(t.tok, Tok::Newline | Tok::Indent | Tok::Dedent))
    }

    fn run(mut self) -> Result<Vec<Token>, LexError> {
        let mut at_line_start = !self.fragment;
        loop {
            if at_line_start && self.brackets.is_empty() {
                if !self.start_line()? {
                    continue;
                }
                at_line_start = false;
            }
            self.take(lex_blanks);
            let Some(c) = self.peek_char() else {
                break;
            };
            match c {
                '#' => {
                    self.take(lex_comment);
                }
                '\n' | '\r' => {
                    self.take(lex_line_break);
                    if self.brackets.is_empty() && !self.fragment {
                        if self.line_has_tokens() {
                            self.push_newline();
                        }
                        at_line_start = true;
                    }
                }
                '\\' => self.continuation()?,
                '\'' | '"' => self.string(self.pos, self.pos, (false, false, false))?,
                c if is_id_start(c) => self.name()?,
                c if c.is_ascii_digit() => self.number()?,
                '.' if self.peek_char_at(1).is_some_and(|d| d.is_ascii_digit()) => self.number()?,
                _ => self.operator()?,
            }
        }
        if let Some(&(open, at)) = self.brackets.last() {
            return Err(LexError {
                kind: LexErrorKind::NeverClosed,
                error: SyntaxError::new(
                    format!("'{open}' was never closed"),
                    char_span(self.src, at),
                ),
            });
        }
        let end = self.end;
        if !self.fragment {
            if self.line_has_tokens() {
                self.push_newline();
            }
            for _ in 1..self.indents.len() {
                self.push(Tok::Dedent, end, end);
            }
        }
        self.push(Tok::EndMarker, end, end);
        Ok(self.toks)
    }

    /// Pushes a `NEWLINE` token. It is drawn right after the line's last
    /// token (not after a trailing comment), where CPython puts its caret.
    fn push_newline(&mut self) {
        let after = self.toks.last().map_or(self.pos, |t| t.span.end);
        let span = char_span(self.src, after);
        self.push(Tok::Newline, span.start, span.end);
    }

    /// At the start of a line outside brackets: skips a blank or
    /// comment-only line (returns false), or measures the indentation and
    /// emits `INDENT`/`DEDENT` tokens (returns true).
    fn start_line(&mut self) -> Result<bool, LexError> {
        let mut col = 0;
        let mut alt_col = 0;
        for c in self.rest().chars() {
            match c {
                ' ' => {
                    col += 1;
                    alt_col += 1;
                }
                '\t' => {
                    col = (col / 8 + 1) * 8;
                    alt_col += 1;
                }
                '\x0c' => {
                    col = 0;
                    alt_col = 0;
                }
                _ => break,
            }
        }
        self.take(lex_blanks);
        match self.peek_char() {
            None => return Ok(true),
            Some('#') => {
                self.take(lex_comment);
                self.take(lex_line_break);
                return Ok(false);
            }
            Some('\n' | '\r') => {
                self.take(lex_line_break);
                return Ok(false);
            }
            Some(_) => {}
        }
        let here = char_span(self.src, self.pos);
        let inconsistent =
            || self.error("inconsistent use of tabs and spaces in indentation", here);
        let (top, alt_top) = self.indents.last().copied().unwrap_or((0, 0));
        if col == top {
            if alt_col != alt_top {
                return Err(inconsistent());
            }
        } else if col > top {
            if alt_col <= alt_top {
                return Err(inconsistent());
            }
            if self.indents.len() > MAX_NESTING {
                return Err(self.error(
                    "too many nested blocks (over 100 levels of indentation)",
                    here,
                ));
            }
            self.indents.push((col, alt_col));
            self.push(Tok::Indent, here.start, here.end);
        } else {
            while self.indents.last().is_some_and(|&(level, _)| col < level) {
                self.indents.pop();
                self.push(Tok::Dedent, here.start, here.end);
            }
            let (top, alt_top) = self.indents.last().copied().unwrap_or((0, 0));
            if col != top {
                return Err(self.error("unindent does not match any outer indentation level", here));
            }
            if alt_col != alt_top {
                return Err(self.error("inconsistent use of tabs and spaces in indentation", here));
            }
        }
        Ok(true)
    }

    /// `\` followed by a line break joins the next line to this one.
    fn continuation(&mut self) -> Result<(), LexError> {
        let at = self.pos;
        self.pos += 1;
        if self.take(lex_line_break).is_none() {
            if self.peek_char().is_none() {
                return Err(LexError {
                    kind: LexErrorKind::EofAfterContinuation,
                    error: SyntaxError::new("unexpected EOF while parsing", Span::new(at, at + 1)),
                });
            }
            return Err(self.error(
                "unexpected character after line continuation character",
                Span::new(at, at + 1),
            ));
        }
        if self
            .rest()
            .trim_start_matches([' ', '\t', '\x0c'])
            .is_empty()
        {
            return Err(LexError {
                kind: LexErrorKind::EofAfterContinuation,
                error: SyntaxError::new("unexpected EOF while parsing", Span::new(at, at + 1)),
            });
        }
        Ok(())
    }

    /// A name or keyword, or the prefix of a string literal (`f"…"`).
    fn name(&mut self) -> Result<(), LexError> {
        let Some((text, start)) = self.take(lex_name) else {
            return self.operator();
        };
        if let Some('\'' | '"') = self.peek_char() {
            let prefix = text.to_ascii_lowercase();
            let known = ["r", "u", "f", "b", "rf", "fr", "br", "rb"];
            if text.len() <= 2 && known.contains(&prefix.as_str()) {
                let quote = self.pos;
                let flags = (
                    prefix.contains('r'),
                    prefix.contains('f'),
                    prefix.contains('b'),
                );
                return self.string(start, quote, flags);
            }
        }
        let tok = match keyword(text) {
            Some(k) => Tok::Keyword(k),
            None => Tok::Name,
        };
        self.push(tok, start, self.pos);
        Ok(())
    }

    /// A string literal starting at `start` (its prefix) whose opening
    /// quote is at `quote`; `(raw, fstring, bytes)` from its prefix.
    fn string(
        &mut self,
        start: usize,
        quote: usize,
        (raw, fstring, bytes): (bool, bool, bool),
    ) -> Result<(), LexError> {
        let rest = self.src.get(quote..self.end).unwrap_or("");
        let Some(q) = rest.chars().next() else {
            return Err(self.error("invalid syntax", Span::new(start, quote)));
        };
        let triple = rest.starts_with(if q == '"' { "\"\"\"" } else { "'''" });
        let body_start = quote + if triple { 3 } else { 1 };
        let body = self.src.get(body_start..self.end).unwrap_or("");
        let mut chars = body.char_indices().peekable();
        while let Some((k, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, '\r')) = chars.next() {
                        chars.next_if(|&(_, c)| c == '\n');
                    }
                }
                '\n' | '\r' if !triple => {
                    return Err(self.error(
                        format!(
                            "unterminated string literal (detected at line {})",
                            line_of(self.src, start)
                        ),
                        Span::new(start, body_start + k),
                    ));
                }
                c if c == q => {
                    let closes = !triple
                        || body.get(k..).is_some_and(|tail| {
                            tail.starts_with(if q == '"' { "\"\"\"" } else { "'''" })
                        });
                    if closes {
                        let body_end = body_start + k;
                        self.pos = body_end + if triple { 3 } else { 1 };
                        if bytes && body.get(..k).is_some_and(|t| !t.is_ascii()) {
                            // CPython 3.11's `parsestr`, on the whole literal
                            return Err(self.error(
                                "bytes can only contain ASCII literal characters",
                                Span::new(start, self.pos),
                            ));
                        }
                        let tok = StrToken {
                            raw,
                            fstring,
                            bytes,
                            body_start,
                            body_end,
                        };
                        self.push(Tok::Str(tok), start, self.pos);
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
        if triple {
            let last = self.src.get(..self.end).unwrap_or("").trim_end();
            Err(LexError {
                kind: LexErrorKind::UnterminatedTriple,
                error: SyntaxError::new(
                    format!(
                        "unterminated triple-quoted string literal (detected at line {})",
                        line_of(self.src, last.len())
                    ),
                    Span::new(start, body_start),
                ),
            })
        } else {
            Err(self.error(
                format!(
                    "unterminated string literal (detected at line {})",
                    line_of(self.src, start)
                ),
                Span::new(start, self.end),
            ))
        }
    }

    /// An int or float literal.
    fn number(&mut self) -> Result<(), LexError> {
        let Some((text, start)) = self.take(lex_number) else {
            return self.operator();
        };
        let radix = match text.get(..2).map(str::to_ascii_lowercase).as_deref() {
            Some("0x") => 16,
            Some("0o") => 8,
            Some("0b") => 2,
            _ => 10,
        };
        let kind = match radix {
            16 => "hexadecimal",
            8 => "octal",
            2 => "binary",
            _ => "decimal",
        };
        let span = Span::new(start, self.pos);
        if let Some(c) = self.peek_char().filter(|&c| is_id_continue(c)) {
            let bad = Span::new(start, self.pos + c.len_utf8());
            let after = self.peek_char_at(1);
            if matches!(c, 'j' | 'J') && !after.is_some_and(is_id_continue) {
                return Err(self.unsupported("complex numbers", bad));
            }
            return Err(self.error(format!("invalid {kind} literal"), bad));
        }
        if !underscores_ok(text) {
            return Err(self.error(format!("invalid {kind} literal"), span));
        }
        let clean: String = text.chars().filter(|&c| c != '_').collect();
        let tok = if radix != 10 {
            let digits = clean.get(2..).unwrap_or("");
            match i64::from_str_radix(digits, radix) {
                Ok(n) => Tok::Int(n),
                Err(e) if matches!(e.kind(), std::num::IntErrorKind::PosOverflow) => {
                    Tok::BigInt(radix)
                }
                Err(_) => return Err(self.error(format!("invalid {kind} literal"), span)),
            }
        } else if clean.contains(['.', 'e', 'E']) {
            match clean.parse::<f64>() {
                Ok(x) => Tok::Float(x),
                Err(_) => return Err(self.error("invalid decimal literal", span)),
            }
        } else {
            if clean.len() > 1 && clean.starts_with('0') && clean.bytes().any(|b| b != b'0') {
                return Err(self.error(
                    "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers",
                    span,
                ));
            }
            match clean.parse::<i64>() {
                Ok(n) => Tok::Int(n),
                Err(_) if clean.len() > 4300 => {
                    return Err(self.error(
                        format!(
                            "Exceeds the limit (4300 digits) for integer string conversion: value has {} digits; use sys.set_int_max_str_digits() to increase the limit - Consider hexadecimal for huge integer literals to avoid decimal conversion limits.",
                            clean.len()
                        ),
                        span,
                    ));
                }
                Err(_) => Tok::BigInt(10),
            }
        };
        self.push(tok, start, self.pos);
        Ok(())
    }

    /// An operator or delimiter; brackets are matched here.
    fn operator(&mut self) -> Result<(), LexError> {
        let here = char_span(self.src, self.pos);
        let Some((op, start)) = self.take(lex_operator) else {
            let c = self.peek_char().unwrap_or(' ');
            if c.is_ascii() {
                return Err(self.error("invalid syntax", here));
            }
            return Err(self.error(
                format!("invalid character '{c}' (U+{:04X})", u32::from(c)),
                here,
            ));
        };
        match op {
            "(" | "[" | "{" => {
                if self.brackets.len() >= MAX_NESTING {
                    return Err(self.error("too many nested parentheses", here));
                }
                self.brackets
                    .push((op.chars().next().unwrap_or('('), start));
            }
            ")" | "]" | "}" => {
                let close = op.chars().next().unwrap_or(')');
                let Some((open, at)) = self.brackets.pop() else {
                    return Err(self.error(format!("unmatched '{close}'"), here));
                };
                let expected = match open {
                    '(' => ')',
                    '[' => ']',
                    _ => '}',
                };
                if close != expected {
                    let (line, open_line) = (line_of(self.src, start), line_of(self.src, at));
                    let mut message = format!(
                        "closing parenthesis '{close}' does not match opening parenthesis '{open}'"
                    );
                    if line != open_line {
                        message.push_str(&format!(" on line {open_line}"));
                    }
                    return Err(self.error(message, here));
                }
            }
            _ => {}
        }
        self.push(Tok::Op(op), start, self.pos);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<Tok> {
        tokenize(src).unwrap().into_iter().map(|t| t.tok).collect()
    }

    fn err(src: &str) -> LexError {
        tokenize(src).unwrap_err()
    }

    #[test]
    fn layout_tokens() {
        use Tok::*;
        assert_eq!(
            kinds("for x in y:\n    f(x)\n\n# c\nz\n"),
            vec![
                Keyword("for"),
                Name,
                Keyword("in"),
                Name,
                Op(":"),
                Newline,
                Indent,
                Name,
                Op("("),
                Name,
                Op(")"),
                Newline,
                Dedent,
                Name,
                Newline,
                EndMarker
            ]
        );
        assert_eq!(
            kinds("f(1,\n  2)"),
            vec![
                Name,
                Op("("),
                Int(1),
                Op(","),
                Int(2),
                Op(")"),
                Newline,
                EndMarker
            ]
        );
        assert_eq!(
            kinds("x = 1 + \\\n  2"),
            vec![Name, Op("="), Int(1), Op("+"), Int(2), Newline, EndMarker]
        );
        assert_eq!(kinds(""), vec![EndMarker]);
        assert_eq!(kinds("  # only a comment\n\n"), vec![EndMarker]);
        assert_eq!(
            kinds("if x:\n\tif y:\n\t\tz"),
            vec![
                Keyword("if"),
                Name,
                Op(":"),
                Newline,
                Indent,
                Keyword("if"),
                Name,
                Op(":"),
                Newline,
                Indent,
                Name,
                Newline,
                Dedent,
                Dedent,
                EndMarker
            ]
        );
    }

    #[test]
    fn numbers() {
        use Tok::*;
        assert_eq!(
            kinds("1_000 2.5 1e3 .5 0x1f 0o17 0b101 2. 1.5e-3"),
            vec![
                Int(1000),
                Float(2.5),
                Float(1000.0),
                Float(0.5),
                Int(31),
                Int(15),
                Int(5),
                Float(2.0),
                Float(0.0015),
                Newline,
                EndMarker
            ]
        );
        assert_eq!(err("1abc").error.message, "invalid decimal literal");
        assert_eq!(err("1__0").error.message, "invalid decimal literal");
        assert_eq!(err("1_").error.message, "invalid decimal literal");
        assert_eq!(err("0x").error.message, "invalid decimal literal");
        assert!(err("007").error.message.starts_with("leading zeros"));
        // past 64 bits: a big int, its digits read by the parser
        assert_eq!(
            kinds("99999999999999999999 0x1_0000_0000_0000_0000"),
            vec![BigInt(10), BigInt(16), Newline, EndMarker]
        );
        assert!(err(&"1".repeat(4301)).error.message.starts_with(
            "Exceeds the limit (4300 digits) for integer string conversion: value has 4301 digits"
        ));
        assert!(
            err("3j").error.to_string()
                == "NotImplementedError: orm-tutor does not support complex numbers yet"
        );
    }

    #[test]
    fn bracket_and_string_errors() {
        let e = err("f(a, [1, 2)");
        assert_eq!(
            e.error.message,
            "closing parenthesis ')' does not match opening parenthesis '['"
        );
        assert_eq!((e.error.span.start, e.error.span.end), (10, 11));
        let e = err("x = (1,\n2]");
        assert_eq!(
            e.error.message,
            "closing parenthesis ']' does not match opening parenthesis '(' on line 1"
        );
        let e = err("x = (1,\n2");
        assert_eq!(e.kind, LexErrorKind::NeverClosed);
        assert_eq!(e.error.message, "'(' was never closed");
        assert_eq!((e.error.span.start, e.error.span.end), (4, 5));
        let e = err("x = 1)");
        assert_eq!(e.error.message, "unmatched ')'");
        assert_eq!(e.error.span.start, 5);
        let e = err("x = 'abc\ny = 2");
        assert_eq!(
            e.error.message,
            "unterminated string literal (detected at line 1)"
        );
        assert_eq!(e.error.span.start, 4);
        let e = err("x = 1\ny = \"\"\"abc\n\ndef\n");
        assert_eq!(e.kind, LexErrorKind::UnterminatedTriple);
        assert_eq!(
            e.error.message,
            "unterminated triple-quoted string literal (detected at line 4)"
        );
        assert_eq!(e.error.span.start, 10);
        let e = err("x = 1 \\");
        assert_eq!(e.kind, LexErrorKind::EofAfterContinuation);
        let e = err("x = 1 \\ y");
        assert_eq!(
            e.error.message,
            "unexpected character after line continuation character"
        );
        let e = err("x = “hi”");
        assert_eq!(e.error.message, "invalid character '“' (U+201C)");
        assert_eq!(err("x = $").error.message, "invalid syntax");
        assert_eq!(
            err("b'caf\u{e9}'").error.message,
            "bytes can only contain ASCII literal characters"
        );
        assert!(matches!(kinds("b'x'").first(), Some(Tok::Str(s)) if s.bytes));
    }

    #[test]
    fn indentation_errors() {
        let e = err("if x:\n    a\n  b\n");
        assert_eq!(
            e.error.message,
            "unindent does not match any outer indentation level"
        );
        assert_eq!(e.error.span.start, 14);
        let e = err("if x:\n        a\n\tb\n");
        assert_eq!(
            e.error.message,
            "inconsistent use of tabs and spaces in indentation"
        );
    }

    #[test]
    fn strings() {
        let toks = tokenize("rf'a\\'b' \"\"\"x\ny\"\"\"").unwrap();
        let Tok::Str(s) = toks[0].tok else { panic!() };
        assert!(s.raw && s.fstring);
        assert_eq!((s.body_start, s.body_end), (3, 7));
        let Tok::Str(s) = toks[1].tok else { panic!() };
        assert!(!s.raw && !s.fstring);
        assert_eq!((s.body_start, s.body_end), (12, 15));
        assert_eq!(kinds("rb"), vec![Tok::Name, Tok::Newline, Tok::EndMarker]);
    }

    #[test]
    fn fragments_have_no_layout() {
        let src = "f'{a +\n b}'";
        let toks = tokenize_fragment(src, 3, 9).unwrap();
        let kinds: Vec<Tok> = toks.into_iter().map(|t| t.tok).collect();
        assert_eq!(
            kinds,
            vec![Tok::Name, Tok::Op("+"), Tok::Name, Tok::EndMarker]
        );
    }
}
