//! Colors (through `colored`, only when enabled), display widths of text
//! that may hold ANSI escapes, and word wrapping.

use colored::Colorize;
use unicode_width::UnicodeWidthStr;

/// Which colors to use: none at all, or the tutor's palette.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Palette {
    pub color: bool,
}

impl Palette {
    pub const PLAIN: Palette = Palette { color: false };
    pub const COLOR: Palette = Palette { color: true };

    fn paint(self, s: &str, f: impl FnOnce(&str) -> colored::ColoredString) -> String {
        if self.color && !s.is_empty() {
            f(s).to_string()
        } else {
            s.to_string()
        }
    }

    /// Transaction events, continuation markers, less important text.
    pub fn dim(self, s: &str) -> String {
        self.paint(s, |s| s.dimmed())
    }
    pub fn bold(self, s: &str) -> String {
        self.paint(s, |s| s.bold())
    }
    /// SQL keywords.
    pub fn keyword(self, s: &str) -> String {
        self.paint(s, |s| s.blue().bold())
    }
    /// SQL function names (`count`, `lower`).
    pub fn function(self, s: &str) -> String {
        self.paint(s, |s| s.cyan())
    }
    /// String literals and bound parameter values.
    pub fn literal(self, s: &str) -> String {
        self.paint(s, |s| s.green())
    }
    /// `?` placeholders and numbers.
    pub fn placeholder(self, s: &str) -> String {
        self.paint(s, |s| s.yellow())
    }
    /// Why a statement was sent ("lazy load of User.messages").
    pub fn cause(self, s: &str) -> String {
        self.paint(s, |s| s.magenta())
    }
    /// The exception type of an error and its carets.
    pub fn error(self, s: &str) -> String {
        self.paint(s, |s| s.red().bold())
    }
    /// The `note:` prefix of teaching notes.
    pub fn note(self, s: &str) -> String {
        self.paint(s, |s| s.yellow().bold())
    }
    /// Prompts and headings.
    pub fn heading(self, s: &str) -> String {
        self.paint(s, |s| s.green().bold())
    }
}

/// `text` without ANSI escape sequences.
pub fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.peek() == Some(&'[') {
                chars.next();
                // parameters and intermediates, then one final byte @..~
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// How many terminal columns `text` takes (escapes excluded).
pub fn display_width(text: &str) -> usize {
    if text.contains('\u{1b}') {
        strip_ansi(text).width()
    } else {
        text.width()
    }
}

/// `text` followed by spaces up to `width` columns.
pub fn pad(text: &str, width: usize) -> String {
    let w = display_width(text);
    let mut s = text.to_string();
    s.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    s
}

/// Wraps one line of plain text at spaces so no piece is wider than
/// `width`; pieces after the first start with `indent`. A word longer than
/// the width is cut.
pub fn wrap(line: &str, width: usize, indent: &str) -> Vec<String> {
    let width = width.max(indent.width() + 8);
    if line.width() <= width {
        return vec![line.to_string()];
    }
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    // split keeping the leading whitespace of the line
    let lead_len = line.len() - line.trim_start().len();
    current.push_str(&line[..lead_len]);
    let mut first_word = true;
    for word in line[lead_len..].split(' ') {
        let prefix_empty = current.trim().is_empty();
        let candidate_width =
            current.width() + usize::from(!first_word && !prefix_empty) + word.width();
        if candidate_width > width && !prefix_empty {
            out.push(current.trim_end().to_string());
            current = indent.to_string();
        } else if !first_word && !prefix_empty {
            current.push(' ');
        }
        first_word = false;
        // a word wider than a whole line is cut into pieces
        let mut rest = word;
        while current.width() + rest.width() > width {
            let room = width.saturating_sub(current.width()).max(1);
            let cut = char_boundary_for_width(rest, room);
            current.push_str(&rest[..cut]);
            out.push(current);
            current = indent.to_string();
            rest = &rest[cut..];
        }
        current.push_str(rest);
    }
    if !current.trim().is_empty() {
        out.push(current);
    }
    out
}

/// The byte index where `s`'s first `width` columns end (at least one char).
fn char_boundary_for_width(s: &str, width: usize) -> usize {
    let mut w = 0;
    for (i, c) in s.char_indices() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw > width && i > 0 {
            return i;
        }
        w += cw;
    }
    s.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_ignore_escapes() {
        let s = "\u{1b}[1;34mSELECT\u{1b}[0m ×";
        assert_eq!(strip_ansi(s), "SELECT ×");
        assert_eq!(display_width(s), 8);
        assert_eq!(display_width(&pad(s, 10)), 10);
    }

    #[test]
    fn wraps_at_spaces_with_indent() {
        let lines = wrap(
            "SELECT users.id AS users_id, users.name AS users_name FROM users",
            30,
            "  ",
        );
        assert_eq!(
            lines,
            vec![
                "SELECT users.id AS users_id,",
                "  users.name AS users_name",
                "  FROM users"
            ]
        );
        for l in &lines {
            assert!(l.width() <= 30);
        }
    }

    #[test]
    fn wraps_long_words_by_cutting() {
        let lines = wrap(&"x".repeat(25), 10, "");
        assert_eq!(lines, vec!["x".repeat(10), "x".repeat(10), "x".repeat(5)]);
    }

    #[test]
    fn plain_palette_adds_nothing() {
        assert_eq!(Palette::PLAIN.keyword("SELECT"), "SELECT");
        assert_eq!(Palette::PLAIN.dim("BEGIN (implicit)"), "BEGIN (implicit)");
    }
}
