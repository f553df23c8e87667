//! Splitting a script into its top-level statements, as Python's
//! interactive prompt sees them when a script is pasted into it: one
//! statement (a simple statement, or a compound one with its whole
//! indented block and its `else`/`elif`/`except`/`finally` clauses) at a
//! time. The tutor runs a script statement by statement, so that each is
//! a step with its own output and SQL.
//!
//! The split is lexical (brackets, strings, indentation and `\`
//! continuations); it does not parse, so that a statement with a syntax
//! error is still a statement of its own.

/// Byte ranges of the top-level statements of `source`, each from the
/// start of its first line to the end of its last non-blank line (blank
/// lines and comment lines between statements belong to none): a new
/// statement starts at an unindented line outside brackets and strings that
/// does not continue a block (`else`, `elif`, `except`, `finally`), and
/// does not follow a `\` continuation. The ranges may then be parsed one
/// by one, so that a syntax error spoils only its own statement.
pub fn split_top_level(source: &str) -> Vec<(usize, usize)> {
    let mut chunks = Vec::new();
    let mut start: Option<usize> = None;
    let mut depth: i32 = 0;
    let mut in_triple: Option<&str> = None;
    let mut continued = false;
    let mut offset = 0;
    let mut last_content_end = 0;
    let mut decorating = false;
    for raw in source.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        let line_start = offset;
        offset += raw.len();
        let trimmed = line.trim_start();
        let blank = trimmed.is_empty() || trimmed.starts_with('#');
        let indented = line.len() != trimmed.len();
        let continues_block = ["else", "elif", "except", "finally"].iter().any(|k| {
            trimmed.starts_with(k)
                && trimmed[k.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| c == ':' || c == ' ' || c == '(' || c == '*')
        });
        let fresh = in_triple.is_none()
            && depth <= 0
            && !continued
            && !blank
            && !indented
            && !continues_block;
        // The line after a decorator line (`@property`) continues it.
        let decorated = fresh && std::mem::replace(&mut decorating, trimmed.starts_with('@'));
        if fresh && !decorated {
            if let Some(s) = start.take() {
                chunks.push((s, last_content_end));
            }
            start = Some(line_start);
            depth = 0;
        } else if start.is_none() && !blank {
            start = Some(line_start);
        }
        // scan the line for brackets and strings
        let bytes = line.as_bytes();
        let mut i = 0;
        let mut in_str: Option<u8> = None;
        while i < bytes.len() {
            let c = bytes[i];
            if let Some(q) = in_triple {
                if bytes[i..].starts_with(q.as_bytes()) {
                    in_triple = None;
                    i += 3;
                    continue;
                }
                if c == b'\\' {
                    i += 2;
                    continue;
                }
                i += 1;
                continue;
            }
            if let Some(q) = in_str {
                if c == b'\\' {
                    i += 2;
                    continue;
                }
                if c == q {
                    in_str = None;
                }
                i += 1;
                continue;
            }
            match c {
                b'#' => break,
                b'"' | b'\'' => {
                    if bytes[i..].starts_with(b"\"\"\"") {
                        in_triple = Some("\"\"\"");
                        i += 3;
                        continue;
                    }
                    if bytes[i..].starts_with(b"'''") {
                        in_triple = Some("'''");
                        i += 3;
                        continue;
                    }
                    in_str = Some(c);
                }
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth -= 1,
                _ => {}
            }
            i += 1;
        }
        continued = in_triple.is_none() && line.trim_end().ends_with('\\');
        if !blank || in_triple.is_some() || depth > 0 {
            last_content_end = line_start + line.len();
        }
    }
    if let Some(s) = start {
        chunks.push((s, last_content_end.max(s)));
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_scripts_into_top_level_statements() {
        let src = "# c\na = 1\nfor u in x:\n    print(u)\n\nb = (1,\n2)\ntry:\n    f()\nexcept E:\n    pass\ns = '''x\ny'''\n";
        let parts: Vec<&str> = split_top_level(src)
            .into_iter()
            .map(|(s, e)| &src[s..e])
            .collect();
        assert_eq!(
            parts,
            vec![
                "a = 1",
                "for u in x:\n    print(u)",
                "b = (1,\n2)",
                "try:\n    f()\nexcept E:\n    pass",
                "s = '''x\ny'''"
            ]
        );
    }

    #[test]
    fn a_decorator_line_starts_the_statement_it_decorates() {
        let src = "@dec\n@other(1)\ndef f():\n    pass\nx = 1\n@d\nclass A:\n    pass\n";
        let parts: Vec<&str> = split_top_level(src)
            .into_iter()
            .map(|(s, e)| &src[s..e])
            .collect();
        assert_eq!(
            parts,
            vec![
                "@dec\n@other(1)\ndef f():\n    pass",
                "x = 1",
                "@d\nclass A:\n    pass"
            ]
        );
    }

    #[test]
    fn non_ascii_text_inside_strings_splits_without_panicking() {
        let src = "x = \"\"\"café\"\"\"\ny = '''naïve\nœuvre'''\nz = \"é\" # ü\n";
        let parts: Vec<&str> = split_top_level(src)
            .into_iter()
            .map(|(s, e)| &src[s..e])
            .collect();
        assert_eq!(
            parts,
            vec![
                "x = \"\"\"café\"\"\"",
                "y = '''naïve\nœuvre'''",
                "z = \"é\" # ü"
            ]
        );
    }
}
