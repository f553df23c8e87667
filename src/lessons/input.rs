//! Where the learner's lines come from: the terminal, or a script (tests).

use std::collections::VecDeque;
use std::io::{BufRead, Write};

/// A source of input lines.
pub trait LineSource {
    /// Shows `prompt` and reads one line, without its line end; `None` at
    /// the end of the input.
    fn read_line(&mut self, prompt: &str) -> Option<String>;
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
/// is incomplete (an open block, bracket or string), like Python's prompt.
pub fn read_code(input: &mut dyn LineSource, prompt: &str) -> Option<String> {
    let mut src = input.read_line(prompt)?;
    while crate::language::is_incomplete(&src) {
        match input.read_line("... ") {
            Some(more) => {
                src.push('\n');
                src.push_str(&more);
            }
            None => break,
        }
    }
    Some(src.trim_end().to_string())
}
