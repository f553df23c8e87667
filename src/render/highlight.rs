//! SQL keyword highlighting, one line at a time (a line of SQL as
//! SQLAlchemy renders it: keywords upper case, names lower case or quoted).

use super::style::Palette;

/// Words highlighted as keywords when written in upper case.
pub const SQL_KEYWORDS: &[&str] = &[
    "ALL",
    "AND",
    "AS",
    "ASC",
    "AUTOINCREMENT",
    "BEGIN",
    "BETWEEN",
    "BY",
    "CASE",
    "CAST",
    "COMMIT",
    "CONSTRAINT",
    "COUNT",
    "CREATE",
    "CROSS",
    "DEFAULT",
    "DELETE",
    "DESC",
    "DISTINCT",
    "ELSE",
    "END",
    "ESCAPE",
    "EXCEPT",
    "EXISTS",
    "FOREIGN",
    "FROM",
    "FULL",
    "GROUP",
    "HAVING",
    "IN",
    "INNER",
    "INSERT",
    "INTERSECT",
    "INTO",
    "IS",
    "JOIN",
    "KEY",
    "LEFT",
    "LIKE",
    "LIMIT",
    "NOT",
    "NULL",
    "OFFSET",
    "ON",
    "OR",
    "ORDER",
    "OUTER",
    "PRIMARY",
    "REFERENCES",
    "RETURNING",
    "RIGHT",
    "ROLLBACK",
    "SELECT",
    "SET",
    "TABLE",
    "THEN",
    "UNION",
    "UNIQUE",
    "UPDATE",
    "VALUES",
    "WHEN",
    "WHERE",
    "WITH",
];

/// One line of SQL with keywords, function names, string literals and `?`
/// placeholders colored; unchanged when the palette has no colors.
pub fn highlight_sql(line: &str, palette: Palette) -> String {
    if !palette.color {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len() * 2);
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c.is_alphabetic() || c == '_' {
            let mut j = i;
            while j < chars.len() && (chars[j].1.is_alphanumeric() || chars[j].1 == '_') {
                j += 1;
            }
            let end = chars.get(j).map(|(b, _)| *b).unwrap_or(line.len());
            let word = &line[start..end];
            let next = chars.get(j).map(|(_, c)| *c);
            // `users.name`: a name after a dot is never a keyword
            let after_dot = i > 0 && chars[i - 1].1 == '.';
            if !after_dot && SQL_KEYWORDS.contains(&word) {
                out.push_str(&palette.keyword(word));
            } else if !after_dot && next == Some('(') {
                out.push_str(&palette.function(word));
            } else {
                out.push_str(word);
            }
            i = j;
        } else if c == '\'' {
            // a string literal, '' escapes a quote
            let mut j = i + 1;
            while j < chars.len() {
                if chars[j].1 == '\'' {
                    if chars.get(j + 1).map(|(_, c)| *c) == Some('\'') {
                        j += 2;
                        continue;
                    }
                    j += 1;
                    break;
                }
                j += 1;
            }
            let end = chars.get(j).map(|(b, _)| *b).unwrap_or(line.len());
            out.push_str(&palette.literal(&line[start..end]));
            i = j;
        } else if c == '"' {
            // a quoted name: left alone
            let mut j = i + 1;
            while j < chars.len() && chars[j].1 != '"' {
                j += 1;
            }
            j = (j + 1).min(chars.len());
            let end = chars.get(j).map(|(b, _)| *b).unwrap_or(line.len());
            out.push_str(&line[start..end]);
            i = j;
        } else if c == '?' {
            out.push_str(&palette.placeholder("?"));
            i += 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// One line of Python as the learner types it, colored as
/// [`highlight_sql`] colors SQL: keywords, called names, numbers, strings
/// and comments ([`crate::language::highlight::classes`]); unchanged when
/// the palette has no colors or the line cannot be read yet.
pub fn highlight_python(line: &str, palette: Palette) -> String {
    use crate::language::highlight::{TokenClass, classes};
    if !palette.color {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len() * 2);
    let mut at = 0;
    for (range, class) in classes(line) {
        let (Some(before), Some(text)) = (line.get(at..range.start), line.get(range.clone()))
        else {
            return line.to_string();
        };
        out.push_str(before);
        out.push_str(&match class {
            TokenClass::Keyword => palette.keyword(text),
            TokenClass::Call => palette.function(text),
            TokenClass::Number => palette.placeholder(text),
            TokenClass::Str => palette.literal(text),
            TokenClass::Comment => palette.dim(text),
        });
        at = range.end;
    }
    out.push_str(line.get(at..).unwrap_or(""));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::style::strip_ansi;

    #[test]
    fn python_input_is_colored_and_keeps_its_text() {
        colored::control::set_override(true);
        let s = "for u in session.query(User): print(u.name, 'x', 3)  # all";
        let h = highlight_python(s, Palette::COLOR);
        assert_eq!(strip_ansi(&h), s);
        assert!(h.contains(&Palette::COLOR.keyword("for")), "{h:?}");
        assert!(h.contains(&Palette::COLOR.function("query")), "{h:?}");
        assert!(h.contains(&Palette::COLOR.literal("'x'")), "{h:?}");
        assert!(h.contains(&Palette::COLOR.dim("# all")), "{h:?}");
        assert!(!h.contains(&Palette::COLOR.keyword("session")), "{h:?}");
        // an unfinished string: plain, never an error
        assert_eq!(highlight_python("print('abc", Palette::COLOR), "print('abc");
        assert_eq!(highlight_python(s, Palette::PLAIN), s);
    }

    #[test]
    fn plain_is_unchanged() {
        let s = "SELECT users.id AS users_id FROM users WHERE users.name = ?";
        assert_eq!(highlight_sql(s, Palette::PLAIN), s);
    }

    #[test]
    fn colors_keywords_but_not_names() {
        colored::control::set_override(true);
        let s = "SELECT count(users.id) AS count_1 FROM users LEFT OUTER JOIN messages ON users.id = messages.user_id WHERE users.name = 'a''b' AND users.\"order\" IS NOT NULL LIMIT ?";
        let h = highlight_sql(s, Palette::COLOR);
        assert_eq!(strip_ansi(&h), s);
        assert!(h.contains(&Palette::COLOR.keyword("SELECT")));
        assert!(h.contains(&Palette::COLOR.keyword("LEFT")));
        assert!(h.contains(&Palette::COLOR.keyword("OUTER")));
        assert!(h.contains(&Palette::COLOR.keyword("JOIN")));
        assert!(h.contains(&Palette::COLOR.keyword("IS")));
        assert!(h.contains(&Palette::COLOR.function("count")));
        assert!(h.contains(&Palette::COLOR.literal("'a''b'")));
        // a lower-case name is left alone
        assert!(h.contains(" users.name "));
    }
}
