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

/// The code, with `>>> ` and `... ` prompts.
pub fn code(code: &str, color: bool) -> String {
    crate::render::echo_code(code, Palette { color })
}

/// Everything the REPL shows below the code.
pub fn results(o: &StepOutcome, color: bool) -> String {
    crate::render::render_step_string(o, &options(color))
}
