//! The learner's terminal as a [`LineSource`] for lessons and exercises:
//! the REPL's own line editor (rustyline: the history file, Tab
//! completion from the session the code runs in, auto-indent, typeahead,
//! Ctrl-L) for every prompt, and a single key press at a pause (crossterm's
//! raw mode).
//!
//! Ctrl-C cancels the line being typed and says how to leave; a second
//! Ctrl-C straight after (at the now empty prompt) leaves, as Ctrl-D does.

use std::io::{IsTerminal, Write};

use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::input::{Key, LineSource, ReadLine};
use crate::render::Palette;
use crate::render::style::strip_ansi;
use crate::repl::EditorLines;
use crate::tutor::Tutor;

/// A key press at a pause.
enum Pressed {
    Key(Key),
    /// Ctrl-C.
    Interrupt,
    /// Ctrl-L: clear the screen.
    Redraw,
    /// Ctrl-D.
    Eof,
}

/// The terminal: the line editor, and whether the last thing read was a
/// Ctrl-C.
pub struct TerminalLines {
    editor: EditorLines,
    palette: Palette,
    interrupted: bool,
    /// What a first Ctrl-C says (see [`TerminalLines::for_exercise`]).
    note: &'static str,
}

/// What a first Ctrl-C says in a lesson.
pub const LESSON_INTERRUPT: &str =
    "KeyboardInterrupt — Ctrl-C again or .quit leaves the lesson (it resumes here)";
/// What a first Ctrl-C says at an exercise's own prompt.
pub const EXERCISE_INTERRUPT: &str =
    "KeyboardInterrupt — Ctrl-C again or .quit leaves the exercise";

impl TerminalLines {
    /// The editor with the REPL's history file (`history`: `None` keeps
    /// none); an error when the terminal cannot be set up.
    pub fn new(history: Option<std::path::PathBuf>, palette: Palette) -> Result<Self, String> {
        Ok(TerminalLines {
            editor: EditorLines::new(history, palette)?,
            palette,
            interrupted: false,
            note: LESSON_INTERRUPT,
        })
    }

    /// The same, for `orm-tutor exercise ID` (Ctrl-C leaves the exercise).
    pub fn for_exercise(mut self) -> Self {
        self.note = EXERCISE_INTERRUPT;
        self
    }

    /// The REPL's history file, when it can be kept (a warning otherwise).
    pub fn start(palette: Palette) -> Result<Self, String> {
        let history = match crate::repl::history_file(crate::repl::home_dir().as_deref()) {
            Ok(p) => Some(p),
            Err(e) => {
                eprintln!("orm-tutor: warning: {e} (history will not be kept)");
                None
            }
        };
        TerminalLines::new(history, palette)
    }

    /// A Ctrl-C: the first drops the line and says how to leave, a second
    /// in a row leaves (`true`).
    fn interrupt(&mut self) -> bool {
        if self.interrupted {
            return true;
        }
        self.interrupted = true;
        println!("{}", self.palette.dim(self.note));
        false
    }

    /// One key press in raw mode; `None` when the terminal cannot do it.
    fn raw_key(&mut self) -> Option<Pressed> {
        crossterm::terminal::enable_raw_mode().ok()?;
        let key = loop {
            match event::read() {
                Ok(Event::Key(KeyEvent {
                    code,
                    modifiers,
                    kind: KeyEventKind::Press,
                    ..
                })) => break Some((code, modifiers)),
                Ok(_) => continue,
                Err(_) => break None,
            }
        };
        let _ = crossterm::terminal::disable_raw_mode();
        let (code, modifiers) = key?;
        let ctrl = modifiers.contains(KeyModifiers::CONTROL);
        Some(match code {
            KeyCode::Char('c') if ctrl => Pressed::Interrupt,
            KeyCode::Char('d') if ctrl => Pressed::Eof,
            KeyCode::Char('l') if ctrl => Pressed::Redraw,
            KeyCode::Char('q') | KeyCode::Esc => Pressed::Key(Key::Quit),
            KeyCode::Char('b') | KeyCode::Left | KeyCode::PageUp => Pressed::Key(Key::Back),
            KeyCode::Char('?') | KeyCode::Char('h') => Pressed::Key(Key::Keys),
            KeyCode::Char('r') => Pressed::Key(Key::Replay),
            _ => Pressed::Key(Key::Next),
        })
    }
}

impl LineSource for TerminalLines {
    fn read_line(&mut self, prompt: &str) -> Option<String> {
        loop {
            match self.read_code_line(prompt, "") {
                ReadLine::Line(l) => return Some(l),
                ReadLine::Interrupted => continue,
                ReadLine::Eof => return None,
            }
        }
    }

    fn read_code_line(&mut self, prompt: &str, indent: &str) -> ReadLine {
        let plain = strip_ansi(prompt);
        let styled = if prompt.contains('\x1b') {
            prompt.to_string()
        } else if plain.trim_end().ends_with(">>>") || plain.trim_end() == "..." {
            self.palette.heading(plain.trim_end()) + " "
        } else {
            plain.clone()
        };
        match self.editor.read_styled(&plain, &styled, indent) {
            ReadLine::Line(l) => {
                self.interrupted = false;
                ReadLine::Line(l)
            }
            ReadLine::Interrupted if self.interrupt() => ReadLine::Eof,
            ReadLine::Interrupted => ReadLine::Interrupted,
            // Ctrl-D: the editor has ended the line
            ReadLine::Eof => ReadLine::Eof,
        }
    }

    fn read_key(&mut self, prompt: &str) -> Option<Key> {
        if !std::io::stdin().is_terminal() {
            return self.read_line(prompt).map(|l| Key::of_line(&l));
        }
        loop {
            print!("{prompt}");
            let _ = std::io::stdout().flush();
            let key = match self.raw_key() {
                Some(k) => k,
                // no raw mode: a line, as on a pipe
                None => {
                    println!();
                    return self.read_line(prompt).map(|l| Key::of_line(&l));
                }
            };
            // the key's own line ends here, the prompt stays on screen
            println!();
            match key {
                Pressed::Interrupt if self.interrupt() => return None,
                Pressed::Interrupt => continue,
                Pressed::Redraw => {
                    print!("\x1b[2J\x1b[H");
                    continue;
                }
                Pressed::Key(k) => {
                    self.interrupted = false;
                    return Some(k);
                }
                Pressed::Eof => return None,
            }
        }
    }

    fn auto_indent(&self) -> bool {
        true
    }

    fn add_history(&mut self, entry: &str) {
        crate::repl::LineSource::add_history(&mut self.editor, entry);
    }

    fn update(&mut self, tutor: &Tutor) {
        crate::repl::LineSource::update(&mut self.editor, tutor);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colors_come_off_a_prompt() {
        assert_eq!(strip_ansi("\x1b[2m[Enter]\x1b[0m "), "[Enter] ");
        assert_eq!(strip_ansi(">>> "), ">>> ");
    }
}
