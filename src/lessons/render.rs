//! How a lesson draws a step it ran: exactly as the REPL does (the
//! renderer of `src/render`): the code, then the result panel (printed
//! output, value or error) and the SQL panel (statements with parameters
//! and causes, transaction events, the query count), and teaching notes.

use crate::outcome::StepOutcome;
use crate::render::{Palette, RenderOptions};

/// The options for a lesson's output: colors and the terminal's width when
/// `color` (an interactive terminal), plain and unwrapped otherwise (a
/// handout, a pipe, a test).
pub fn options(color: bool) -> RenderOptions {
    let width = if color {
        terminal_size::terminal_size().map(|(w, _)| usize::from(w.0))
    } else {
        None
    };
    RenderOptions::plain().with_color(color).with_width(width)
}

/// One step as the REPL shows it, code first.
pub fn step(outcome: &StepOutcome, color: bool) -> String {
    format!("{}{}", code(&outcome.code, color), results(outcome, color))
}

/// The code, with `>>> ` and `... ` prompts.
pub fn code(code: &str, color: bool) -> String {
    crate::render::echo_code(code, Palette { color })
}

/// Everything the REPL shows below the code.
pub fn results(o: &StepOutcome, color: bool) -> String {
    crate::render::render_step_string(o, &options(color))
}
