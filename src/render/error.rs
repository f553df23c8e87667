//! Errors as Python shows them: the file and line, the code with carets
//! under the culprit, and `Type: message` (with 3.11's `Did you mean`).

use unicode_width::UnicodeWidthStr;

use crate::outcome::{ErrorReport, Location};

use super::style::Palette;

/// The name suggested by a hint like "did you mean 'User'?", if it is one.
fn suggestion(hint: &str) -> Option<&str> {
    let rest = hint.trim();
    let prefix = "did you mean";
    if !rest.get(..prefix.len())?.eq_ignore_ascii_case(prefix) {
        return None;
    }
    let s = rest
        .get(prefix.len()..)?
        .trim_start_matches(':')
        .trim()
        .trim_end_matches('?')
        .trim();
    (!s.is_empty()).then_some(s)
}

/// CPython's `traceback._RECURSIVE_CUTOFF`: a frame repeated more often
/// than this is shown this many times, then `[Previous line repeated …]`.
const RECURSIVE_CUTOFF: usize = 3;

/// The lines of an error report; `file_name` is `<stdin>` in the REPL or
/// the script's name for `run`. An error that left learner-defined
/// functions is a CPython 3.11 traceback (`Traceback (most recent call
/// last):`, a `File "…", line N, in f` frame each); one raised at top level
/// keeps the compact form: its `File` line, the code and carets.
///
/// An exception chained to another (`raise X from Y`, or raised while
/// handling `Y`) shows `Y` first, CPython's separator line, then itself,
/// each as a full traceback.
///
/// An exception group (Python 3.11's `ExceptionGroup`) is boxed as
/// CPython's `Exception Group Traceback`, each member numbered below it.
pub fn error_lines(err: &ErrorReport, file_name: &str, palette: Palette) -> Vec<String> {
    let mut out = Vec::new();
    if err.group.is_empty() {
        report_lines(err, file_name, palette, false, &mut out);
    } else {
        group_lines(err, file_name, palette, 0, &mut out);
    }
    out
}

/// CPython 3.11's `traceback.TracebackException.format` without a group
/// width limit: at most this many members are shown, then "and N more
/// exceptions" (`max_group_width`).
const MAX_GROUP_WIDTH: usize = 15;

/// An exception group's lines as CPython 3.11 boxes them: its own
/// traceback under `+ Exception Group Traceback (most recent call
/// last):` (`+` at top level, `|` nested), each line behind a `| `
/// margin indented two spaces a nesting level (`depth`, 0 at top), then
/// each member under `+---------------- N ----------------`, the last
/// closed by `+------------------------------------`.
fn group_lines(
    err: &ErrorReport,
    file_name: &str,
    palette: Palette,
    depth: usize,
    out: &mut Vec<String>,
) {
    let top = depth == 0;
    let depth = depth.max(1);
    let indent = " ".repeat(2 * depth);
    let mut own = Vec::new();
    report_lines(err, file_name, palette, true, &mut own);
    if let Some(i) = own
        .iter()
        .rposition(|l| l == "Traceback (most recent call last):")
    {
        own[i] = "Exception Group Traceback (most recent call last):".into();
    }
    for (i, line) in own.iter().enumerate() {
        let margin = if i == 0 && top { '+' } else { '|' };
        out.push(format!("{indent}{margin} {line}"));
    }
    let inner = " ".repeat(2 * (depth + 1));
    let shown = err.group.len().min(MAX_GROUP_WIDTH + 1);
    for (i, member) in err.group.iter().take(shown).enumerate() {
        let last = i + 1 == shown;
        let truncated = i >= MAX_GROUP_WIDTH;
        let title = if truncated {
            "...".to_string()
        } else {
            (i + 1).to_string()
        };
        let corner = if i == 0 { "+-" } else { "  " };
        out.push(format!(
            "{indent}{corner}+---------------- {title} ----------------"
        ));
        if truncated {
            let remaining = err.group.len() - MAX_GROUP_WIDTH;
            let s = if remaining > 1 { "s" } else { "" };
            out.push(format!("{inner}| and {remaining} more exception{s}"));
        } else if !member.group.is_empty() {
            // A nested group closes its own box (CPython's `need_close`).
            group_lines(member, file_name, palette, depth + 1, out);
            continue;
        } else {
            let mut lines = Vec::new();
            report_lines(member, file_name, palette, true, &mut lines);
            out.extend(lines.iter().map(|l| format!("{inner}| {l}")));
        }
        if last {
            out.push(format!("{inner}+------------------------------------"));
        }
    }
}

/// The lines of `err` and, above them, of the exceptions it is chained
/// to; `in_chain` asks for the full traceback form even at top level.
fn report_lines(
    err: &ErrorReport,
    file_name: &str,
    palette: Palette,
    in_chain: bool,
    out: &mut Vec<String>,
) {
    if let Some(chained) = &err.chained {
        let (above, separator) = &**chained;
        report_lines(above, file_name, palette, true, out);
        out.extend([String::new(), separator.clone(), String::new()]);
    }
    let full_form = in_chain || err.chained.is_some();
    if !err.traceback.is_empty() || (full_form && err.location.is_some()) {
        traceback_lines(err, file_name, palette, out);
    } else if let Some(loc) = &err.location {
        out.push(format!("  File \"{file_name}\", line {}", loc.line));
        let text = loc.text.trim_end();
        let trimmed = text.trim_start();
        if !trimmed.is_empty() {
            let dropped = text.chars().count() - trimmed.chars().count();
            out.push(format!("    {trimmed}"));
            let col = loc.column.saturating_sub(dropped);
            let before: String = trimmed.chars().take(col).collect();
            let under: String = trimmed.chars().skip(col).take(loc.width.max(1)).collect();
            let carets = "^".repeat(under.width().max(1));
            out.push(format!(
                "    {}{}",
                " ".repeat(before.width()),
                palette.error(&carets)
            ));
        }
    }
    let mut message = err.message.clone();
    let mut other_hint = None;
    if let Some(hint) = &err.hint {
        match suggestion(hint) {
            Some(s) => message.push_str(&format!(". Did you mean: {s}?")),
            None => other_hint = Some(hint.clone()),
        }
    }
    if message.is_empty() {
        // CPython's `format_exception_only`: `KeyError`, no colon.
        out.push(palette.error(&err.type_name));
    }
    for (i, line) in message
        .split('\n')
        .enumerate()
        .filter(|_| !message.is_empty())
    {
        if i == 0 {
            out.push(format!("{}: {line}", palette.error(&err.type_name)));
        } else {
            out.push(line.to_string());
        }
    }
    if let Some(h) = other_hint {
        out.push(palette.dim(&format!("hint: {h}")));
    }
}

/// `Traceback (most recent call last):` and the frames, `<module>` first,
/// as CPython 3.11's `StackSummary.format` (repeats cut after three).
fn traceback_lines(err: &ErrorReport, file_name: &str, palette: Palette, out: &mut Vec<String>) {
    out.push("Traceback (most recent call last):".into());
    // An exception caught inside a function has no `<module>` frame.
    let module = match (&err.location, err.traceback.is_empty()) {
        (None, false) => None,
        (location, _) => Some(("<module>", location.as_ref())),
    };
    let frames = module.into_iter().chain(
        err.traceback
            .iter()
            .map(|f| (f.function.as_str(), f.location.as_ref())),
    );
    let mut last: Option<(&str, Option<usize>)> = None;
    let mut count = 0;
    let repeated = |count: usize, out: &mut Vec<String>| {
        if count > RECURSIVE_CUTOFF {
            let n = count - RECURSIVE_CUTOFF;
            let s = if n > 1 { "s" } else { "" };
            out.push(format!("  [Previous line repeated {n} more time{s}]"));
        }
    };
    for (function, loc) in frames {
        let key = (function, loc.map(|l| l.line));
        if last != Some(key) {
            repeated(count, out);
            last = Some(key);
            count = 0;
        }
        count += 1;
        if count > RECURSIVE_CUTOFF {
            continue;
        }
        frame_lines(function, loc, file_name, palette, out);
    }
    repeated(count, out);
}

/// One frame: `File "…", line N, in f`, the stripped line, and carets
/// unless they would underline the whole line (CPython 3.11's rule), `~`
/// around the `^` of a binary operator or subscript.
fn frame_lines(
    function: &str,
    loc: Option<&Location>,
    file_name: &str,
    palette: Palette,
    out: &mut Vec<String>,
) {
    let Some(loc) = loc else {
        out.push(format!("  File \"{file_name}\", in {function}"));
        return;
    };
    out.push(format!(
        "  File \"{file_name}\", line {}, in {function}",
        loc.line
    ));
    let text = loc.text.trim_end();
    let stripped = text.trim_start();
    if stripped.is_empty() {
        return;
    }
    out.push(format!("    {stripped}"));
    let dropped = text.chars().count() - stripped.chars().count();
    let width = loc.width.max(1);
    let operator = loc
        .operator
        .map(|(s, e)| (s.saturating_sub(loc.column), e.saturating_sub(loc.column)))
        .filter(|(s, e)| s < e && *e <= width);
    if width >= stripped.chars().count() && operator.is_none() {
        return;
    }
    let carets = match operator {
        Some((s, e)) => format!(
            "{}{}{}",
            "~".repeat(s),
            "^".repeat(e - s),
            "~".repeat(width - e)
        ),
        None => "^".repeat(width),
    };
    out.push(format!(
        "    {}{}",
        " ".repeat(loc.column.saturating_sub(dropped)),
        palette.error(&carets)
    ));
}

/// Whether `line` (escapes allowed) is a caret line: spaces, then `^`
/// and `~` marks only.
pub fn is_caret_line(line: &str) -> bool {
    let plain = super::style::strip_ansi(line);
    let marks = plain.trim();
    !marks.is_empty() && marks.chars().all(|c| c == '^' || c == '~')
}

/// A code line of an error (`"    "` then the code) and the caret line
/// under it, cut into pieces no wider than `width` columns: each piece of
/// code keeps the four-space indent and is followed by the carets under
/// that piece, if any. Pieces break after a space when one falls in the
/// second half of the room, else at the width. CPython never wraps (the
/// terminal does, tearing code from its carets); this keeps them paired.
pub fn fit_code_and_carets(
    code: &str,
    carets: Option<&str>,
    width: usize,
    palette: Palette,
) -> Vec<String> {
    const INDENT: &str = "    ";
    let room = width.saturating_sub(INDENT.len()).max(8);
    let body = code.strip_prefix(INDENT).unwrap_or(code);
    let marks: Vec<char> = carets
        .map(super::style::strip_ansi)
        .map(|c| c.strip_prefix(INDENT).map(str::to_string).unwrap_or(c))
        .unwrap_or_default()
        .chars()
        .collect();
    let chars: Vec<(char, usize)> = body
        .chars()
        .map(|c| (c, unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)))
        .collect();
    let mut out = Vec::new();
    let (mut start, mut column) = (0, 0);
    while start < chars.len() || column < marks.len() {
        // the piece: as many characters as fit in `room` columns
        let (mut end, mut w) = (start, 0);
        while end < chars.len() && w + chars[end].1 <= room {
            w += chars[end].1;
            end += 1;
        }
        if end == start && end < chars.len() {
            end += 1; // a character wider than the room
        }
        if end < chars.len()
            && let Some(space) = (start..end).rev().find(|&i| chars[i].0 == ' ')
            && space + 1 - start > (end - start) / 2
        {
            end = space + 1;
        }
        let piece: String = chars[start..end].iter().map(|(c, _)| c).collect();
        let piece_width: usize = chars[start..end].iter().map(|(_, w)| w).sum();
        let span_end = if end < chars.len() {
            column + piece_width
        } else {
            marks.len().max(column + piece_width)
        };
        out.push(format!("{INDENT}{}", piece.trim_end()));
        let under: String = marks
            .iter()
            .skip(column)
            .take(span_end.saturating_sub(column))
            .collect();
        let under = under.trim_end();
        let lead = under.len() - under.trim_start().len();
        if !under.trim().is_empty() {
            out.push(format!(
                "{INDENT}{}{}",
                &under[..lead],
                palette.error(&under[lead..])
            ));
        }
        if end == start {
            break;
        }
        start = end;
        column = span_end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::TracebackFrame;

    fn name_error() -> ErrorReport {
        ErrorReport {
            type_name: "NameError".into(),
            message: "name 'Usr' is not defined".into(),
            location: Some(Location {
                line: 1,
                text: "session.query(Usr).all()".into(),
                column: 14,
                width: 3,
                operator: None,
            }),
            hint: Some("did you mean 'User'?".into()),
            traceback: vec![],
            chained: None,
            group: Vec::new(),
        }
    }

    #[test]
    fn long_code_lines_wrap_with_their_carets() {
        let code = format!("    x = '{}' + 1", "a".repeat(30));
        let carets = format!("    {}", "^".repeat(36));
        let lines = fit_code_and_carets(&code, Some(&carets), 24, Palette::PLAIN);
        assert!(lines.iter().all(|l| l.len() <= 24), "{lines:?}");
        assert_eq!(lines[0], format!("    x = '{}", "a".repeat(15)));
        assert_eq!(lines[1], format!("    {}", "^".repeat(20)));
        let code_again: String = lines
            .iter()
            .step_by(2)
            .map(|l| l.trim_start_matches("    "))
            .collect();
        assert_eq!(code_again, code.trim_start());
        assert_eq!(
            lines.last().map(String::as_str),
            Some("    ^^^^^^^^^^^^^^^^")
        );
        // carets only under the culprit, not under `x = `
        let carets = format!("    {}^^^", " ".repeat(33));
        let lines = fit_code_and_carets(&code, Some(&carets), 24, Palette::PLAIN);
        assert_eq!(
            lines.iter().filter(|l| is_caret_line(l)).count(),
            1,
            "{lines:?}"
        );
    }

    #[test]
    fn caret_and_did_you_mean_like_python() {
        assert_eq!(
            error_lines(&name_error(), "<stdin>", Palette::PLAIN).join("\n"),
            "  File \"<stdin>\", line 1\n    session.query(Usr).all()\n                  ^^^\nNameError: name 'Usr' is not defined. Did you mean: 'User'?"
        );
    }

    #[test]
    fn indented_code_is_dedented_with_its_caret() {
        let mut e = name_error();
        e.location = Some(Location {
            line: 2,
            text: "    print(usr.name)".into(),
            column: 10,
            width: 3,
            operator: None,
        });
        e.hint = None;
        let lines = error_lines(&e, "script.py", Palette::PLAIN);
        assert_eq!(lines[0], "  File \"script.py\", line 2");
        assert_eq!(lines[1], "    print(usr.name)");
        assert_eq!(lines[2], "          ^^^");
    }

    #[test]
    fn other_hints_get_their_own_line() {
        let mut e = name_error();
        e.hint = Some("combine SQL conditions with and_()".into());
        let lines = error_lines(&e, "<stdin>", Palette::PLAIN);
        assert_eq!(lines[3], "NameError: name 'Usr' is not defined");
        assert_eq!(lines[4], "hint: combine SQL conditions with and_()");
    }

    #[test]
    fn an_empty_message_is_the_bare_type_as_cpython() {
        let e = ErrorReport {
            type_name: "StopIteration".into(),
            message: String::new(),
            location: None,
            hint: None,
            traceback: vec![],
            chained: None,
            group: Vec::new(),
        };
        assert_eq!(
            error_lines(&e, "<stdin>", Palette::PLAIN),
            vec!["StopIteration"]
        );
    }

    #[test]
    fn no_location_is_just_type_and_message() {
        let e = ErrorReport {
            type_name: "IntegrityError".into(),
            message: "(sqlite3.IntegrityError) UNIQUE constraint failed: users.email".into(),
            location: None,
            hint: None,
            traceback: vec![],
            chained: None,
            group: Vec::new(),
        };
        assert_eq!(
            error_lines(&e, "<stdin>", Palette::PLAIN),
            vec!["IntegrityError: (sqlite3.IntegrityError) UNIQUE constraint failed: users.email"]
        );
    }

    fn frame(function: &str, line: usize, text: &str, span: (usize, usize)) -> TracebackFrame {
        TracebackFrame {
            function: function.into(),
            location: Some(Location {
                line,
                text: text.into(),
                column: span.0,
                width: span.1,
                operator: None,
            }),
        }
    }

    #[test]
    fn inner_frames_make_a_cpython_traceback() {
        let mut inner = frame("f", 3, "    return y / 0", (11, 5));
        if let Some(l) = &mut inner.location {
            l.operator = Some((13, 14));
        }
        let e = ErrorReport {
            type_name: "ZeroDivisionError".into(),
            message: "division by zero".into(),
            location: frame("<module>", 8, "g()", (0, 3)).location,
            hint: None,
            traceback: vec![frame("g", 6, "    return f(1)", (11, 4)), inner],
            chained: None,
            group: Vec::new(),
        };
        assert_eq!(
            error_lines(&e, "tb.py", Palette::PLAIN).join("\n"),
            "Traceback (most recent call last):\n  File \"tb.py\", line 8, in <module>\n    g()\n  File \"tb.py\", line 6, in g\n    return f(1)\n           ^^^^\n  File \"tb.py\", line 3, in f\n    return y / 0\n           ~~^~~\nZeroDivisionError: division by zero"
        );
    }

    #[test]
    fn repeated_frames_are_cut_after_three() {
        let e = ErrorReport {
            type_name: "RecursionError".into(),
            message: "maximum recursion depth exceeded".into(),
            location: frame("<module>", 3, "r(0)", (0, 4)).location,
            hint: None,
            traceback: vec![frame("r", 2, "    return r(n + 1)", (11, 8)); 5],
            chained: None,
            group: Vec::new(),
        };
        let lines = error_lines(&e, "rec.py", Palette::PLAIN);
        assert_eq!(lines.iter().filter(|l| l.contains("in r")).count(), 3);
        assert_eq!(
            lines[lines.len() - 2],
            "  [Previous line repeated 2 more times]"
        );
    }
}
