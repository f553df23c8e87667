//! What the learner sees for a step: the result panel (printed output, then
//! the value or the error), the SQL panel (every statement with its
//! parameters and cause, transaction events, the query count) and the
//! teaching notes. Side by side on a wide terminal, one above the other
//! otherwise.
//!
//! Everything here writes plain text, with ANSI colors (through `colored`)
//! only when [`RenderOptions::palette`] asks for them.

pub mod error;
pub mod highlight;
pub mod layout;
pub mod result;
pub mod sql_panel;
pub mod style;

use std::io::{self, Write};

use crate::outcome::StepOutcome;

pub use style::Palette;

/// How to draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderOptions {
    pub palette: Palette,
    /// The terminal's width; `None` for a pipe or a file (panels one above
    /// the other, nothing wrapped).
    pub width: Option<usize>,
    /// The name errors give the code's source: `<stdin>` in the REPL, the
    /// script's path for `run`.
    pub file_name: String,
    /// Collapse runs of the same statement in the SQL panel, with this hint
    /// after the line that counts them (see
    /// [`sql_panel::sql_panel_with`]); `None`: every statement.
    pub collapse_sql: Option<&'static str>,
}

impl RenderOptions {
    /// Plain text, no width: what pipes and tests get.
    pub fn plain() -> RenderOptions {
        RenderOptions {
            palette: Palette::PLAIN,
            width: None,
            file_name: "<stdin>".into(),
            collapse_sql: None,
        }
    }

    /// Runs of the same statement collapsed, `hint` after the count of
    /// the others (`""`: none).
    pub fn with_collapsed_sql(mut self, hint: &'static str) -> RenderOptions {
        self.collapse_sql = Some(hint);
        self
    }

    pub fn with_width(mut self, width: Option<usize>) -> RenderOptions {
        self.width = width;
        self
    }

    pub fn with_color(mut self, color: bool) -> RenderOptions {
        self.palette = Palette { color };
        self
    }

    pub fn with_file_name(mut self, name: impl Into<String>) -> RenderOptions {
        self.file_name = name.into();
        self
    }
}

/// The lines of one step's display.
pub fn step_lines(step: &StepOutcome, opts: &RenderOptions) -> Vec<String> {
    let palette = opts.palette;
    let natural = result::result_panel(step, palette, None, &opts.file_name);
    let left_width = layout::panel_width(&natural);
    let mut lines = match layout::side_by_side_room(opts.width, left_width) {
        Some(room) if !natural.is_empty() => {
            let sql =
                sql_panel::sql_panel_with(&step.events, palette, Some(room), opts.collapse_sql);
            layout::side_by_side(&natural, &sql, left_width, palette)
        }
        _ => {
            let left = if opts.width.is_some() {
                result::result_panel(step, palette, opts.width, &opts.file_name)
            } else {
                natural
            };
            let sql =
                sql_panel::sql_panel_with(&step.events, palette, opts.width, opts.collapse_sql);
            // Ctrl-C: the interrupt is the last thing on screen, below the
            // work it stopped
            let interrupted = step
                .error
                .as_ref()
                .is_some_and(|e| e.type_name == "KeyboardInterrupt");
            if interrupted {
                layout::stacked(sql, left)
            } else {
                layout::stacked(left, sql)
            }
        }
    };
    if !step.notes.is_empty() && !lines.is_empty() {
        lines.push(String::new());
    }
    lines.extend(note_lines(&step.notes, palette, opts.width));
    lines
}

/// Teaching notes: `note: …`, wrapped to the width.
pub fn note_lines(notes: &[String], palette: Palette, width: Option<usize>) -> Vec<String> {
    let mut out = Vec::new();
    for note in notes {
        for (i, para) in note.split('\n').enumerate() {
            let prefix = if i == 0 { "note: " } else { "      " };
            let pieces = match width {
                Some(w) => style::wrap(para, w.saturating_sub(prefix.len()), ""),
                None => vec![para.to_string()],
            };
            for (j, piece) in pieces.iter().enumerate() {
                let head = if i == 0 && j == 0 {
                    palette.note("note:") + " "
                } else {
                    "      ".to_string()
                };
                out.push(format!("{head}{piece}"));
            }
        }
    }
    out
}

/// Writes one step's display.
pub fn render_step<W: Write>(
    w: &mut W,
    step: &StepOutcome,
    opts: &RenderOptions,
) -> io::Result<()> {
    for line in step_lines(step, opts) {
        w.write_all(line.trim_end().as_bytes())?;
        w.write_all(b"\n")?;
    }
    Ok(())
}

/// One step's display as a string.
pub fn render_step_string(step: &StepOutcome, opts: &RenderOptions) -> String {
    let mut out = String::new();
    for line in step_lines(step, opts) {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The code of a step as `run --format text` echoes it: `>>> ` before the
/// first line, `... ` before the others.
pub fn echo_code(code: &str, palette: Palette) -> String {
    let mut out = String::new();
    for (i, line) in code.trim_end().split('\n').enumerate() {
        let prompt = if i == 0 { ">>> " } else { "... " };
        out.push_str(&palette.heading(prompt.trim_end()));
        out.push(' ');
        out.push_str(line.trim_end_matches('\r'));
        out.push('\n');
    }
    out
}

/// The display of a whole script for `run --format text`: each step's
/// code, then what the REPL shows for it, then a blank line.
pub fn render_script<W: Write>(
    w: &mut W,
    steps: &[StepOutcome],
    opts: &RenderOptions,
) -> io::Result<()> {
    for step in steps {
        render_script_step(w, step, opts)?;
    }
    Ok(())
}

/// One step of [`render_script`]: its code, what the REPL shows for it,
/// a blank line — what `run --format text` prints as each step finishes.
pub fn render_script_step<W: Write>(
    w: &mut W,
    step: &StepOutcome,
    opts: &RenderOptions,
) -> io::Result<()> {
    write!(w, "{}", echo_code(&step.code, opts.palette))?;
    render_step(w, step, opts)?;
    writeln!(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::{Cause, ErrorReport, Event, Location, SentStatement, Shown, TxEvent};
    use crate::sql::schema::SqlValue;

    fn users_step() -> StepOutcome {
        let sql = "SELECT users.id AS users_id, users.name AS users_name, users.email AS users_email \nFROM users";
        StepOutcome {
            line: 1,
            code: "session.query(User).all()".into(),
            events: vec![
                Event::Tx(TxEvent::Begin),
                Event::Statement(SentStatement {
                    sql: sql.into(),
                    params: vec![],
                    many: None,
                    names: None,
                    server: None,
                    cause: Cause::Query,
                    elapsed: Default::default(),
                }),
            ],
            stdout: String::new(),
            value_json: None,
            shown: Some(Shown::Table {
                title: "2 × User".into(),
                columns: vec!["id".into(), "name".into()],
                rows: vec![
                    vec!["1".into(), "Alice".into()],
                    vec!["2".into(), "Bob".into()],
                ],
                omitted: 0,
            }),
            error: None,
            notes: vec![],
            warnings: vec![],
        }
    }

    #[test]
    fn pipes_get_panels_one_above_the_other() {
        let text = render_step_string(&users_step(), &RenderOptions::plain());
        assert_eq!(
            text,
            "2 × User
╭────┬───────╮
│ id ┆ name  │
╞════╪═══════╡
│ 1  ┆ Alice │
│ 2  ┆ Bob   │
╰────┴───────╯

BEGIN (implicit)
SELECT users.id AS users_id, users.name AS users_name, users.email AS users_email
FROM users
[parameters: ()]
1 query
"
        );
    }

    #[test]
    fn wide_terminals_get_panels_side_by_side() {
        let opts = RenderOptions::plain().with_width(Some(120));
        let text = render_step_string(&users_step(), &opts);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "2 × User       │ BEGIN (implicit)");
        assert_eq!(
            lines[1],
            "╭────┬───────╮ │ SELECT users.id AS users_id, users.name AS users_name, users.email AS users_email"
        );
        assert_eq!(lines[2], "│ id ┆ name  │ │ FROM users");
        assert_eq!(lines[3], "╞════╪═══════╡ │ [parameters: ()]");
        assert_eq!(lines[4], "│ 1  ┆ Alice │ │ 1 query");
        assert_eq!(lines[5], "│ 2  ┆ Bob   │ │");
        for l in &lines {
            assert!(style::display_width(l) <= 120);
        }
    }

    #[test]
    fn side_by_side_wraps_the_sql() {
        let mut step = users_step();
        if let Some(Event::Statement(s)) = step.events.get_mut(1) {
            s.sql = s.sql.replace(
                "users_email",
                "users_email, users.is_active AS users_is_active",
            );
        }
        let opts = RenderOptions::plain().with_width(Some(110));
        let text = render_step_string(&step, &opts);
        assert!(
            text.lines().all(|l| style::display_width(l) <= 110),
            "{text}"
        );
        assert!(
            text.lines()
                .nth(2)
                .is_some_and(|l| l.ends_with("│     users.is_active AS users_is_active")),
            "{text}"
        );
    }

    #[test]
    fn narrow_terminals_stack_and_wrap() {
        let opts = RenderOptions::plain().with_width(Some(60));
        let text = render_step_string(&users_step(), &opts);
        assert!(text.starts_with("2 × User\n╭"), "{text}");
        assert!(
            text.lines().all(|l| style::display_width(l) <= 60),
            "{text}"
        );
        assert!(text.contains("\n\nBEGIN (implicit)\nSELECT users.id AS users_id, users.name AS users_name,\n    users.email AS users_email\nFROM users\n"), "{text}");
    }

    #[test]
    fn a_wide_result_falls_back_to_stacking() {
        let mut step = users_step();
        step.shown = Some(Shown::Repr("x".repeat(100)));
        let opts = RenderOptions::plain().with_width(Some(120));
        let text = render_step_string(&step, &opts);
        assert!(!text.contains('│'), "{text}");
        assert!(
            text.starts_with(&format!("{}\n\nBEGIN", "x".repeat(100))),
            "{text}"
        );
    }

    #[test]
    fn a_keyboard_interrupt_comes_below_the_sql_it_stopped() {
        let mut step = users_step();
        step.error = Some(ErrorReport {
            type_name: "KeyboardInterrupt".into(),
            message: String::new(),
            location: None,
            hint: None,
            traceback: Vec::new(),
            chained: None,
            group: Vec::new(),
        });
        let text = render_step_string(&step, &RenderOptions::plain());
        let sql = text.find("SELECT").unwrap_or(usize::MAX);
        let interrupt = text.find("KeyboardInterrupt").unwrap_or(0);
        assert!(sql < interrupt, "{text}");
        if let Some(e) = step.error.as_mut() {
            e.type_name = "ValueError".into();
        }
        let text = render_step_string(&step, &RenderOptions::plain());
        assert!(
            text.find("ValueError").unwrap_or(usize::MAX) < text.find("SELECT").unwrap_or(0),
            "{text}"
        );
    }

    #[test]
    fn errors_notes_and_no_colors() {
        let step = StepOutcome {
            line: 1,
            code: "session.query(Usr).all()".into(),
            events: vec![],
            stdout: String::new(),
            value_json: None,
            shown: None,
            error: Some(ErrorReport {
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
            }),
            notes: vec!["this is a note".into()],
            warnings: vec![],
        };
        let text = render_step_string(&step, &RenderOptions::plain());
        assert_eq!(
            text,
            "  File \"<stdin>\", line 1
    session.query(Usr).all()
                  ^^^
NameError: name 'Usr' is not defined. Did you mean: 'User'?

0 queries

note: this is a note
"
        );
        assert!(!text.contains('\u{1b}'));
    }

    #[test]
    fn colors_when_asked() {
        colored::control::set_override(true);
        let mut step = users_step();
        step.notes = vec!["N+1".into()];
        let opts = RenderOptions::plain().with_color(true);
        let text = render_step_string(&step, &opts);
        assert!(text.contains('\u{1b}'));
        assert!(text.contains(&Palette::COLOR.keyword("SELECT")));
        assert!(text.contains(&Palette::COLOR.dim("BEGIN (implicit)")));
        assert!(text.contains(&Palette::COLOR.note("note:")));
        // the same text under the colors
        let plain = render_step_string(&step, &RenderOptions::plain());
        assert_eq!(style::strip_ansi(&text), plain);
    }

    #[test]
    fn executemany_and_script_echo() {
        let step = StepOutcome {
            line: 3,
            code: "for n in names:\n    session.add(User(name=n))".into(),
            events: vec![Event::Statement(SentStatement {
                sql: "INSERT INTO users (name) VALUES (?)".into(),
                params: vec![],
                many: Some(vec![
                    vec![SqlValue::Text("a".into())],
                    vec![SqlValue::Text("b".into())],
                ]),
                names: None,
                server: None,
                cause: Cause::Flush,
                elapsed: Default::default(),
            })],
            stdout: String::new(),
            value_json: None,
            shown: None,
            error: None,
            notes: vec![],
            warnings: vec![],
        };
        let mut out = Vec::new();
        let r = render_script(&mut out, &[step], &RenderOptions::plain());
        assert!(r.is_ok());
        assert_eq!(
            String::from_utf8_lossy(&out),
            ">>> for n in names:
...     session.add(User(name=n))
INSERT INTO users (name) VALUES (?)
[parameters: [('a',), ('b',)]]
1 query

"
        );
    }
}
