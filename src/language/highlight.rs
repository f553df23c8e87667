//! What each stretch of a line of code is, for coloring the line being
//! typed: keywords, names called, numbers, strings and comments, found by
//! the tutor's own tokenizer (so the colors agree with what the parser will
//! read).

use std::ops::Range;

use super::lexer::{LexErrorKind, Tok, tokenize_fragment};

/// The kind of a colored stretch of source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenClass {
    /// `def`, `for`, `None`, `True`…
    Keyword,
    /// A name right before `(`: a call or a definition's name.
    Call,
    /// An int or float literal.
    Number,
    /// A string literal, prefix and quotes included.
    Str,
    /// `# …` to the end of the line.
    Comment,
}

/// The colored stretches of `line` and their kinds (byte ranges, in order,
/// not overlapping); the rest is left plain. A line the tokenizer cannot
/// read yet (an unterminated string, a stray character) gives nothing:
/// typing never fails.
pub fn classes(line: &str) -> Vec<(Range<usize>, TokenClass)> {
    // Read as if inside brackets: one line, no indentation tokens. A line
    // still inside brackets (`print(`) is read with them closed.
    let closed;
    let tokens = match tokenize_fragment(line, 0, line.len()) {
        Ok(t) => t,
        Err(e) if e.kind == LexErrorKind::NeverClosed => {
            closed = format!("{line}{}", closers(line));
            match tokenize_fragment(&closed, 0, closed.len()) {
                Ok(t) => t,
                Err(_) => return Vec::new(),
            }
        }
        Err(_) => return Vec::new(),
    };
    let tokens: Vec<_> = tokens
        .into_iter()
        .filter(|t| t.span.end <= line.len())
        .collect();
    let mut out = Vec::new();
    let mut covered = 0;
    for (i, t) in tokens.iter().enumerate() {
        let span = t.span.start..t.span.end;
        // a comment lies in the gap before a token (or before the end)
        comment_in(line, covered, span.start, &mut out);
        let class = match t.tok {
            Tok::Keyword(_) => Some(TokenClass::Keyword),
            Tok::Int(_) | Tok::BigInt(_) | Tok::Float(_) => Some(TokenClass::Number),
            Tok::Str(_) => Some(TokenClass::Str),
            Tok::Name => match tokens.get(i + 1).map(|n| n.tok) {
                Some(Tok::Op("(")) => Some(TokenClass::Call),
                _ => None,
            },
            _ => None,
        };
        if let Some(c) = class
            && span.start < span.end
        {
            out.push((span.clone(), c));
        }
        covered = covered.max(span.end);
    }
    comment_in(line, covered, line.len(), &mut out);
    out
}

/// The brackets that close those `line` leaves open, innermost first
/// (quotes skipped roughly: this only helps coloring).
fn closers(line: &str) -> String {
    let mut open = Vec::new();
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => open.push(')'),
            (None, '[') => open.push(']'),
            (None, '{') => open.push('}'),
            (None, ')' | ']' | '}') => {
                open.pop();
            }
            (None, '#') => break,
            _ => {}
        }
    }
    open.iter().rev().collect()
}

/// A `#` comment in `line[from..to]` (a gap between tokens), to the end of
/// that gap.
fn comment_in(line: &str, from: usize, to: usize, out: &mut Vec<(Range<usize>, TokenClass)>) {
    if let Some(gap) = line.get(from..to)
        && let Some(hash) = gap.find('#')
    {
        let end = gap[hash..].find('\n').map_or(to, |n| from + hash + n);
        out.push((from + hash..end, TokenClass::Comment));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(line: &str) -> Vec<(&str, TokenClass)> {
        classes(line)
            .into_iter()
            .map(|(r, c)| (&line[r], c))
            .collect()
    }

    #[test]
    fn keywords_calls_numbers_strings_and_comments() {
        assert_eq!(
            shown("for u in session.query(User).limit(3): print(u.name, 'x')  # names"),
            vec![
                ("for", TokenClass::Keyword),
                ("in", TokenClass::Keyword),
                ("query", TokenClass::Call),
                ("limit", TokenClass::Call),
                ("3", TokenClass::Number),
                ("print", TokenClass::Call),
                ("'x'", TokenClass::Str),
                ("# names", TokenClass::Comment),
            ]
        );
        assert_eq!(shown("x = None"), vec![("None", TokenClass::Keyword)]);
        assert_eq!(
            shown("f'{a}' + r\"z\""),
            vec![("f'{a}'", TokenClass::Str), ("r\"z\"", TokenClass::Str)]
        );
    }

    #[test]
    fn an_unfinished_line_stays_plain() {
        assert!(classes("print('unterminated").is_empty());
        assert!(classes("").is_empty());
        assert!(classes("x = $").is_empty());
        // an open bracket is fine: the tokenizer reads the line as a fragment
        assert_eq!(shown("print("), vec![("print", TokenClass::Call)]);
        assert_eq!(
            shown("print([1, 'a'"),
            vec![
                ("print", TokenClass::Call),
                ("1", TokenClass::Number),
                ("'a'", TokenClass::Str)
            ]
        );
    }
}
