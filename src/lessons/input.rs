//! Where the learner's lines come from: the terminal, or a script (tests).

use std::collections::VecDeque;
use std::io::{BufRead, Write};

pub use crate::repl::ReadLine;
use crate::tutor::Tutor;

/// What the learner chose at a pause between steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// Enter or Space (or any other key): the next step.
    Next,
    /// `b`: the step before.
    Back,
    /// `?`: the keys.
    Keys,
    /// `r`: the step again (a demo re-runs on the session as it was).
    Replay,
    /// `q` (or `.quit`, Ctrl-D, a second Ctrl-C): leave the lesson.
    Quit,
}

impl Key {
    /// The key a line typed at a pause stands for (`""`: [`Key::Next`]).
    pub fn of_line(line: &str) -> Key {
        match line.trim() {
            "q" | "quit" | ".quit" | "exit" | ".exit" => Key::Quit,
            "b" | "back" | ".back" => Key::Back,
            "?" | "help" | ".help" | "h" => Key::Keys,
            "r" | "replay" | ".replay" => Key::Replay,
            _ => Key::Next,
        }
    }
}

/// A source of input lines.
pub trait LineSource {
    /// Shows `prompt` and reads one line, without its line end; `None` at
    /// the end of the input.
    fn read_line(&mut self, prompt: &str) -> Option<String>;

    /// Reads one line of code at `prompt`; an editor starts it with
    /// `indent`. [`ReadLine::Interrupted`] when Ctrl-C cancelled it.
    fn read_code_line(&mut self, prompt: &str, indent: &str) -> ReadLine {
        let _ = indent;
        match self.read_line(prompt) {
            Some(l) => ReadLine::Line(l),
            None => ReadLine::Eof,
        }
    }

    /// Reads the key of a pause: one key press on a terminal, a line
    /// otherwise (see [`Key::of_line`]); `None` at the end of the input.
    fn read_key(&mut self, prompt: &str) -> Option<Key> {
        self.read_line(prompt).map(|l| Key::of_line(&l))
    }

    /// True when the editor indents continuation lines itself (a person
    /// types; a script's lines carry their own indentation).
    fn auto_indent(&self) -> bool {
        false
    }

    /// Records a finished entry in the history.
    fn add_history(&mut self, _entry: &str) {}

    /// Learns the names in scope of the session the code runs in, for Tab
    /// completion.
    fn update(&mut self, _tutor: &Tutor) {}
}

/// Lines from standard input, the prompt written to standard output.
pub struct StdinLines;

impl LineSource for StdinLines {
    fn read_line(&mut self, prompt: &str) -> Option<String> {
        let mut stdout = std::io::stdout();
        let _ = write!(stdout, "{prompt}");
        let _ = stdout.flush();
        let mut line = String::new();
        match std::io::stdin().lock().read_line(&mut line) {
            Ok(0) | Err(_) => None,
            Ok(_) => Some(line.trim_end_matches(['\n', '\r']).to_string()),
        }
    }
}

/// Lines given in advance; the prompts are recorded (for tests).
#[derive(Debug, Default, Clone)]
pub struct ScriptedLines {
    pub lines: VecDeque<String>,
    pub prompts: Vec<String>,
}

impl ScriptedLines {
    pub fn new<I, S>(lines: I) -> ScriptedLines
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        ScriptedLines {
            lines: lines.into_iter().map(Into::into).collect(),
            prompts: Vec::new(),
        }
    }
}

impl LineSource for ScriptedLines {
    fn read_line(&mut self, prompt: &str) -> Option<String> {
        self.prompts.push(prompt.to_string());
        self.lines.pop_front()
    }
}

/// Reads one entry of code: a line, and more lines (`... `) while the code
/// is incomplete (an open block, bracket or string), like Python's prompt
/// and the REPL: continuation lines start indented when the source
/// [auto-indents](LineSource::auto_indent) (an untouched indent ends the
/// block), pasted `>>> `/`... ` prompts are stripped, Ctrl-C drops the
/// entry and starts over. `None` at the end of the input.
pub fn read_code(input: &mut dyn LineSource, prompt: &str) -> Option<String> {
    'entry: loop {
        let first = match input.read_code_line(prompt, "") {
            ReadLine::Line(l) => l,
            ReadLine::Interrupted => continue 'entry,
            ReadLine::Eof => return None,
        };
        let mut src = crate::repl::strip_prompt(&first, false).to_string();
        while crate::language::is_incomplete(&src) {
            let indent = if input.auto_indent() {
                crate::repl::next_indent(&src)
            } else {
                String::new()
            };
            match input.read_code_line("... ", &indent) {
                ReadLine::Line(more) => {
                    let more = if input.auto_indent() && more.trim().is_empty() {
                        ""
                    } else {
                        crate::repl::strip_prompt(&more, true)
                    };
                    src.push('\n');
                    src.push_str(more);
                }
                ReadLine::Interrupted => continue 'entry,
                ReadLine::Eof => break,
            }
        }
        let src = src.trim_end().to_string();
        if !src.trim().is_empty() {
            input.add_history(&src);
        }
        return Some(src);
    }
}
