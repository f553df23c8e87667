//! How a lesson draws a step it ran: exactly as the REPL does (the
//! renderer of `src/render`): the code, then the result panel (printed
//! output, value or error) and the SQL panel (statements with parameters
//! and causes, transaction events, the query count), and teaching notes.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::outcome::StepOutcome;
use crate::render::{Palette, RenderOptions};

/// Set when a lesson or exercise runs in a terminal (colors or not, as
/// `NO_COLOR` says): its output is then fitted to the terminal's width.
static ON_TERMINAL: AtomicBool = AtomicBool::new(false);

/// Says that the learner reads the output in a terminal (see [`options`]).
pub fn set_on_terminal(on: bool) {
    ON_TERMINAL.store(on, Ordering::Relaxed);
}

/// The options for a lesson's output: colors when `color`, the terminal's
/// width when `color` or [on a terminal](set_on_terminal), plain and
/// unwrapped otherwise (a handout, a pipe, a test); runs of the same
/// statement in the SQL panel collapsed.
pub fn options(color: bool) -> RenderOptions {
    let width = if color || ON_TERMINAL.load(Ordering::Relaxed) {
        crate::repl::terminal_width()
    } else {
        None
    };
    RenderOptions::plain()
        .with_color(color)
        .with_width(width)
        .with_collapsed_sql("")
}

/// One step as the REPL shows it, code first.
pub fn step(outcome: &StepOutcome, color: bool) -> String {
    format!("{}{}", code(&outcome.code, color), results(outcome, color))
}

/// The code, with `>>> ` and `... ` prompts: `>>> ` on the first line, at
/// the start of each top-level statement (so a `def` followed by a call
/// reads as two entries, as the REPL takes them) and on a comment between
/// statements; `... ` on the lines that continue a statement.
pub fn code(code: &str, color: bool) -> String {
    let palette = Palette { color };
    // The statements' byte ranges, in order and apart: one cursor walks them
    // beside the lines.
    let chunks = crate::language::split_top_level(code);
    let mut next = chunks.iter().peekable();
    let mut out = String::new();
    let mut offset = 0;
    for (i, line) in code.trim_end().split('\n').enumerate() {
        while next.next_if(|&&(_, end)| end <= offset).is_some() {}
        let (starts, inside) = match next.peek() {
            Some(&&(start, end)) => (start == offset, start < offset && offset < end),
            None => (false, false),
        };
        let comment = !inside && line.trim_start().starts_with('#');
        let prompt = if i == 0 || starts || comment {
            ">>>"
        } else {
            "..."
        };
        out.push_str(&palette.heading(prompt));
        out.push(' ');
        out.push_str(line.trim_end_matches('\r'));
        out.push('\n');
        offset += line.len() + 1;
    }
    out
}

/// Everything the REPL shows below the code.
pub fn results(o: &StepOutcome, color: bool) -> String {
    crate::render::render_step_string(o, &options(color))
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_top_level_statement_gets_its_own_prompt() {
        let code = "def f(x):\n    return x\n# then\nuser = f(1)\nprint(\n    user)";
        assert_eq!(
            super::code(code, false),
            ">>> def f(x):\n...     return x\n>>> # then\n>>> user = f(1)\n>>> print(\n...     user)\n"
        );
    }
}
