//! The REPL: reads entries (one line, or several while the input is
//! incomplete, Python-style with `>>> ` and `... ` prompts), runs meta
//! commands (`.help`, `.schema`, …) and code, and draws each step.
//!
//! The loop is generic over where lines come from ([`LineSource`]: the
//! rustyline editor, or any iterator of lines such as piped stdin or a
//! test's `Vec<String>`) and where output goes (`W: Write`).

pub mod complete;

use std::borrow::Cow;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::Hinter;
use rustyline::history::FileHistory;
use rustyline::validate::Validator;
use rustyline::{CompletionType, Config, Context, Editor, Helper};

use crate::language::is_incomplete;
use crate::render::{self, Palette, RenderOptions};
use crate::tutor::{DbTarget, Tutor};

pub use complete::Completions;

/// A command for the tutor itself, written with a leading dot (which
/// Python would reject, so it cannot be mistaken for code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Meta {
    /// `.help`: the commands and a few lines to try.
    Help,
    /// `.models`: the fixture's `models.py`.
    Models,
    /// `.schema`: the CREATE TABLE statements; `.schema TABLE`: one of them.
    Schema,
    /// `.schema TABLE`.
    SchemaOf(String),
    /// `.tables`: the tables' names.
    Tables,
    /// `.sql`: the full SQL of the last entry, every statement.
    Sql,
    /// `.rows`: every row of the last result (`_`).
    Rows,
    /// `.timing`: how long each statement of the last entry took.
    Timing,
    /// `.reset`: a fresh database and session.
    Reset,
    /// `.session`: what the session holds (its transaction, identity map,
    /// new, dirty and deleted objects).
    Session,
    /// `.autogenerate [-m MESSAGE] [--rev-id ID]`: the migration Alembic's
    /// `revision --autogenerate` writes for the models in scope, added as
    /// the head revision.
    Autogenerate {
        message: Option<String>,
        rev_id: Option<String>,
    },
    /// `.revision [-m MESSAGE] [--rev-id ID]`: the learner's `upgrade()` and
    /// `downgrade()` as a new head revision; `--edit`: as the head's own.
    Revision {
        message: Option<String>,
        rev_id: Option<String>,
        edit: bool,
    },
    /// `.upgrade [TARGET]` (`head` when not given), as `alembic upgrade`.
    Upgrade(String),
    /// `.downgrade [TARGET]` (`-1` when not given), as `alembic downgrade`.
    Downgrade(String),
    /// `.stamp TARGET`, as `alembic stamp`.
    Stamp(String),
    /// `.current`, as `alembic current`.
    Current,
    /// `.history`, as `alembic history`.
    History,
    /// `.quit` or `.exit`.
    Quit,
    /// A known command given arguments it does not take.
    Arguments { command: String, given: String },
    /// `.foo`: no such command.
    Unknown(String),
}

/// The commands, with what they do, for `.help` and suggestions.
pub const META_COMMANDS: &[(&str, &str)] = &[
    (".help", "this help"),
    (".models", "the fixture's models (its models.py)"),
    (".tables", "the tables' names"),
    (
        ".schema",
        "the tables as CREATE TABLE statements (.schema users: one)",
    ),
    (".sql", "the full SQL of the last entry, every statement"),
    (
        ".rows",
        "every row of the last result (`_`), not just the first 20",
    ),
    (".timing", "how long each statement of the last entry took"),
    (".reset", "a fresh database and session"),
    (
        ".session",
        "what the session holds: its transaction, identity map, changes",
    ),
    (
        ".autogenerate",
        "Alembic's migration for models vs database, as a revision",
    ),
    (
        ".revision",
        "your upgrade()/downgrade() as a revision (-m MSG; --edit)",
    ),
    (
        ".upgrade",
        "run revisions up to head (or +N, an id): alembic upgrade",
    ),
    (".downgrade", "undo the last revision (or -N, base, an id)"),
    (".stamp", "set the database's revision without running it"),
    (".current", "the database's revision, as alembic current"),
    (
        ".history",
        "the revisions, newest first, as alembic history",
    ),
    (".quit", "leave (also .exit or Ctrl-D)"),
];

impl Meta {
    /// The meta command on `line`, or `None` when the line is code.
    pub fn parse(line: &str) -> Option<Meta> {
        let line = line.trim();
        let rest = line.strip_prefix('.')?;
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        let (word, args) = match rest.split_once(char::is_whitespace) {
            Some((w, a)) => (w, a.trim()),
            None => (rest, ""),
        };
        if word == "schema" && !args.is_empty() && !args.contains(char::is_whitespace) {
            return Some(Meta::SchemaOf(args.to_string()));
        }
        match word {
            "autogenerate" | "revision" => return Some(revision_args(word, args)),
            "upgrade" | "downgrade" | "stamp" if !args.contains(char::is_whitespace) => {
                let target = args.to_string();
                return Some(match word {
                    "upgrade" => Meta::Upgrade(if target.is_empty() {
                        "head".into()
                    } else {
                        target
                    }),
                    "downgrade" => Meta::Downgrade(if target.is_empty() {
                        "-1".into()
                    } else {
                        target
                    }),
                    _ if target.is_empty() => Meta::Arguments {
                        command: ".stamp".into(),
                        given: String::new(),
                    },
                    _ => Meta::Stamp(target),
                });
            }
            "upgrade" | "downgrade" | "stamp" => {
                return Some(Meta::Arguments {
                    command: format!(".{word}"),
                    given: args.to_string(),
                });
            }
            _ => {}
        }
        let meta = match word {
            "help" => Meta::Help,
            "models" => Meta::Models,
            "schema" => Meta::Schema,
            "reset" => Meta::Reset,
            "session" => Meta::Session,
            "quit" | "exit" => Meta::Quit,
            "tables" => Meta::Tables,
            "sql" => Meta::Sql,
            "rows" => Meta::Rows,
            "timing" => Meta::Timing,
            "current" => Meta::Current,
            "history" => Meta::History,
            _ => return Some(Meta::Unknown(format!(".{word}"))),
        };
        if args.is_empty() {
            Some(meta)
        } else {
            Some(Meta::Arguments {
                command: format!(".{word}"),
                given: args.to_string(),
            })
        }
    }
}

/// Splits a command's arguments as a shell would: on whitespace, with
/// `"…"` or `'…'` keeping a message's spaces. `None` for an unclosed quote.
fn shell_words(args: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quote: Option<char> = None;
    for c in args.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => word.get_or_insert_with(String::new).push(c),
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                word.get_or_insert_with(String::new);
            }
            None if c.is_whitespace() => words.extend(word.take()),
            None => word.get_or_insert_with(String::new).push(c),
        }
    }
    if quote.is_some() {
        return None;
    }
    words.extend(word);
    Some(words)
}

/// `.autogenerate`'s and `.revision`'s arguments: `-m MESSAGE` /
/// `--message MESSAGE`, `--rev-id ID` (Alembic's options), and for
/// `.revision` `--edit`.
fn revision_args(word: &str, args: &str) -> Meta {
    let wrong = || Meta::Arguments {
        command: format!(".{word}"),
        given: args.to_string(),
    };
    let Some(words) = shell_words(args) else {
        return wrong();
    };
    let (mut message, mut rev_id, mut edit) = (None, None, false);
    let mut it = words.into_iter();
    while let Some(w) = it.next() {
        match w.as_str() {
            "-m" | "--message" => match it.next() {
                Some(m) if !m.is_empty() => message = Some(m),
                _ => return wrong(),
            },
            "--rev-id" => match it.next() {
                Some(id) if !id.is_empty() => rev_id = Some(id),
                _ => return wrong(),
            },
            "--edit" if word == "revision" => edit = true,
            _ => return wrong(),
        }
    }
    if word == "autogenerate" {
        Meta::Autogenerate { message, rev_id }
    } else if edit && (message.is_some() || rev_id.is_some()) {
        wrong()
    } else {
        Meta::Revision {
            message,
            rev_id,
            edit,
        }
    }
}

/// What reading a line gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadLine {
    Line(String),
    /// Ctrl-C: drop the entry being typed.
    Interrupted,
    /// Ctrl-D or the end of the input.
    Eof,
}

/// Where the REPL's lines come from.
pub trait LineSource {
    /// Reads a line, showing `prompt` and starting the line with `indent`
    /// where that makes sense (an interactive editor).
    fn read_line(&mut self, prompt: &str, indent: &str) -> ReadLine;
    /// Records a finished entry in the history.
    fn add_history(&mut self, _entry: &str) {}
    /// Learns the names in scope after an entry ran, for completion.
    fn update(&mut self, _tutor: &Tutor) {}
}

/// Lines from an iterator: piped stdin, a test's `Vec<String>`.
#[derive(Debug)]
pub struct ScriptLines<I> {
    lines: I,
}

impl<I: Iterator<Item = String>> ScriptLines<I> {
    pub fn new(lines: I) -> ScriptLines<I> {
        ScriptLines { lines }
    }
}

impl ScriptLines<std::vec::IntoIter<String>> {
    /// Lines of a text, as if typed one after the other.
    pub fn from_text(text: &str) -> Self {
        ScriptLines::new(
            text.lines()
                .map(str::to_string)
                .collect::<Vec<_>>()
                .into_iter(),
        )
    }
}

impl<I: Iterator<Item = String>> LineSource for ScriptLines<I> {
    fn read_line(&mut self, _prompt: &str, _indent: &str) -> ReadLine {
        match self.lines.next() {
            Some(l) => ReadLine::Line(l.trim_end_matches(['\r', '\n']).to_string()),
            None => ReadLine::Eof,
        }
    }
}

/// The rustyline helper: completion from a snapshot of the tutor's names.
/// Multi-line entries are read a line at a time by the loop (so the `... `
/// prompt shows, which rustyline's own multi-line editing cannot do), so
/// the validator accepts every line.
#[derive(Debug, Default)]
pub struct ReplHelper {
    pub completions: Completions,
    /// Colors for the line being typed (plain without a color terminal).
    pub palette: Palette,
}

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let (start, names) = self.completions.complete(line, pos);
        Ok((
            start,
            names
                .into_iter()
                .map(|n| Pair {
                    display: n.clone(),
                    replacement: n,
                })
                .collect(),
        ))
    }
}

impl Hinter for ReplHelper {
    type Hint = String;
}

impl Highlighter for ReplHelper {
    /// The typed line with Python's keywords, calls, numbers, strings and
    /// comments colored ([`crate::render::highlight::highlight_python`]).
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if !self.palette.color {
            return Cow::Borrowed(line);
        }
        Cow::Owned(crate::render::highlight::highlight_python(
            line,
            self.palette,
        ))
    }

    /// Every keystroke may change a token's kind (`fo` → `for`).
    fn highlight_char(&self, _line: &str, _pos: usize, _kind: CmdKind) -> bool {
        self.palette.color
    }

    fn highlight_prompt<'b, 's: 'b, 'p: 'b>(
        &'s self,
        prompt: &'p str,
        default: bool,
    ) -> Cow<'b, str> {
        let _ = default;
        Cow::Borrowed(prompt)
    }
}

impl Validator for ReplHelper {}

impl Helper for ReplHelper {}

/// The interactive line source: a rustyline editor with completion and a
/// history file.
pub struct EditorLines {
    editor: Editor<ReplHelper, FileHistory>,
    history: Option<PathBuf>,
    warned: bool,
    palette: Palette,
}

impl EditorLines {
    /// An editor whose history lives in `history` (loaded now, saved after
    /// each entry; problems are reported once on stderr, never fatal).
    pub fn new(history: Option<PathBuf>, palette: Palette) -> Result<EditorLines, String> {
        let config = Config::builder()
            .auto_add_history(false)
            .completion_type(CompletionType::List)
            .max_history_size(5000)
            .map_err(|e| e.to_string())?
            .history_ignore_dups(true)
            .map_err(|e| e.to_string())?
            .indent_size(INDENT as u8)
            .build();
        let mut editor: Editor<ReplHelper, FileHistory> = Editor::with_config(config)
            .map_err(|e| format!("cannot start the line editor: {e}"))?;
        editor.bind_sequence(
            rustyline::KeyEvent(rustyline::KeyCode::Backspace, rustyline::Modifiers::NONE),
            rustyline::EventHandler::Conditional(Box::new(DedentOnBackspace)),
        );
        editor.set_helper(Some(ReplHelper {
            palette,
            ..ReplHelper::default()
        }));
        let mut lines = EditorLines {
            editor,
            history,
            warned: false,
            palette,
        };
        if let Some(path) = lines.history.clone()
            && path.exists()
            && let Err(e) = lines.editor.load_history(&path)
        {
            lines.warn(&format!(
                "cannot read the history file {}: {e}",
                path.display()
            ));
        }
        Ok(lines)
    }

    fn warn(&mut self, message: &str) {
        if !self.warned {
            self.warned = true;
            eprintln!("orm-tutor: warning: {message} (history will not be kept)");
        }
    }
}

/// One indentation level, in columns: what auto-indent inserts and what a
/// Backspace in leading spaces removes.
const INDENT: usize = 4;

/// Backspace in a line's leading spaces, at a whole indentation level,
/// removes one level (four spaces), as IPython's does; elsewhere it deletes
/// one character.
struct DedentOnBackspace;

impl rustyline::ConditionalEventHandler for DedentOnBackspace {
    fn handle(
        &self,
        _evt: &rustyline::Event,
        n: rustyline::RepeatCount,
        _positive: bool,
        ctx: &rustyline::EventContext,
    ) -> Option<rustyline::Cmd> {
        // rustyline replays a returned count-bearing command with the
        // key's repeat count, so a `Kill(BackwardChar(4))` would delete one
        // character: `Dedent` removes `indent_size` leading spaces instead.
        if n != 1 || !at_indent_level(ctx.line(), ctx.pos()) {
            return None;
        }
        Some(rustyline::Cmd::Dedent(rustyline::Movement::WholeLine))
    }
}

/// Whether byte `pos` of `line` ends a run of leading spaces that is a
/// whole, non-zero number of indentation levels.
fn at_indent_level(line: &str, pos: usize) -> bool {
    line.get(..pos)
        .is_some_and(|before| !before.is_empty() && before.bytes().all(|b| b == b' '))
        && pos.is_multiple_of(INDENT)
}

/// A line the editor returns sooner than this after it was asked for was
/// typed ahead or pasted (no person types a line and Enter that fast).
const TYPEAHEAD: std::time::Duration = std::time::Duration::from_millis(25);

/// The line as it was typed ahead or pasted: the editor put `indent` before
/// the keys that were already waiting, and a pasted line carries its own
/// indentation, so the auto-indent comes off again (as IPython's paste
/// detection). A line typed by hand keeps it.
fn without_stacked_indent(line: String, indent: &str, typed_ahead: bool) -> String {
    match line.strip_prefix(indent) {
        Some(rest) if typed_ahead && !indent.is_empty() => rest.to_string(),
        _ => line,
    }
}

impl EditorLines {
    /// Reads a line at `prompt` as given (`styled`: the same text with
    /// colors), the line started with `indent`: typeahead and pasted lines
    /// keep their own indentation, Ctrl-C is [`ReadLine::Interrupted`],
    /// Ctrl-D on an empty line [`ReadLine::Eof`], Ctrl-L clears the screen.
    pub fn read_styled(&mut self, prompt: &str, styled: &str, indent: &str) -> ReadLine {
        let _ = io::stdout().flush();
        let asked = std::time::Instant::now();
        let result = self
            .editor
            .readline_with_initial(&(prompt, styled), (indent, ""));
        let typed_ahead = asked.elapsed() < TYPEAHEAD;
        match result {
            Ok(line) => ReadLine::Line(without_stacked_indent(line, indent, typed_ahead)),
            Err(ReadlineError::Interrupted) => ReadLine::Interrupted,
            Err(ReadlineError::Eof) => ReadLine::Eof,
            Err(e) => {
                eprintln!("orm-tutor: {e}");
                ReadLine::Eof
            }
        }
    }
}

impl LineSource for EditorLines {
    fn read_line(&mut self, prompt: &str, indent: &str) -> ReadLine {
        let styled = self.palette.heading(prompt.trim_end()) + " ";
        self.read_styled(prompt, &styled, indent)
    }

    fn add_history(&mut self, entry: &str) {
        let _ = self.editor.add_history_entry(entry);
        if let Some(path) = self.history.clone() {
            if self.warned {
                return;
            }
            let saved = if path.exists() {
                self.editor.append_history(&path)
            } else {
                self.editor.save_history(&path)
            };
            if let Err(e) = saved {
                self.warn(&format!(
                    "cannot write the history file {}: {e}",
                    path.display()
                ));
            }
        }
    }

    fn update(&mut self, tutor: &Tutor) {
        if let Some(h) = self.editor.helper_mut() {
            h.completions = Completions::from_tutor(tutor);
        }
    }
}

/// The folder for orm-tutor's own files: `$ORM_TUTOR_HOME`, else the
/// platform's data folder + `orm-tutor`.
pub fn home_dir() -> Option<PathBuf> {
    match std::env::var_os("ORM_TUTOR_HOME") {
        Some(v) if !v.is_empty() => Some(PathBuf::from(v)),
        _ => dirs::data_dir().map(|d| d.join("orm-tutor")),
    }
}

/// The history file in `home` (the folder is created), or why not.
pub fn history_file(home: Option<&Path>) -> Result<PathBuf, String> {
    let home = home.ok_or("no data folder found (set ORM_TUTOR_HOME)")?;
    std::fs::create_dir_all(home).map_err(|e| format!("cannot create {}: {e}", home.display()))?;
    Ok(home.join("history.txt"))
}

/// How wide the output may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// This width, or none (a pipe).
    Fixed(Option<usize>),
    /// The terminal's width, read again before each entry.
    Terminal,
}

impl Width {
    pub fn get(self) -> Option<usize> {
        match self {
            Width::Fixed(w) => w,
            Width::Terminal => terminal_width(),
        }
    }
}

/// The width of the terminal on stdout, if it is one.
pub fn terminal_width() -> Option<usize> {
    terminal_size::terminal_size()
        .map(|(w, _)| usize::from(w.0))
        .filter(|w| *w > 0)
}

/// How the REPL talks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplOptions {
    /// A person is typing: a banner, prompts, indentation.
    pub interactive: bool,
    pub palette: Palette,
    pub width: Width,
}

/// What to do after a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Continue,
    Quit,
}

/// `.timing`: each statement of the last entry with the time the driver
/// took (milliseconds), then the totals: in the database, and the whole
/// entry (Python, ORM and database).
fn timing_lines(tutor: &Tutor, width: Option<usize>) -> Vec<String> {
    let width = width.unwrap_or(100).max(40);
    let mut lines = Vec::new();
    let mut in_db = std::time::Duration::ZERO;
    for e in &tutor.last_events {
        if let crate::outcome::Event::Statement(s) = e {
            let took = s.elapsed.0.unwrap_or_default();
            in_db += took;
            let sql = s.sql.lines().next().unwrap_or("");
            let line = format!("{:>9.3} ms  {sql}", took.as_secs_f64() * 1000.0);
            let line = if line.chars().count() > width {
                let cut: String = line.chars().take(width.saturating_sub(1)).collect();
                format!("{cut}…")
            } else {
                line
            };
            lines.push(line);
        }
    }
    let n = lines.len();
    lines.push(format!(
        "{n} {}: {:.3} ms in the database, {:.3} ms for the whole entry",
        if n == 1 { "statement" } else { "statements" },
        in_db.as_secs_f64() * 1000.0,
        tutor.last_entry_time.as_secs_f64() * 1000.0
    ));
    lines
}

/// The leading whitespace of a line.
fn indent_of(line: &str) -> &str {
    &line[..line.len() - line.trim_start().len()]
}

/// A line pasted with Python's REPL prompt (`>>> x = 1`, and `...     y` on
/// a continuation line), without it, as IPython strips them; other lines as
/// they are. On a continuation line the editor's own indent before a pasted
/// `... ` is dropped too, so indentation does not stack.
pub(crate) fn strip_prompt(line: &str, continuing: bool) -> &str {
    let text = if continuing { line.trim_start() } else { line };
    let prompts: &[&str] = if continuing {
        &["...", ">>>"]
    } else {
        &[">>>"]
    };
    for p in prompts {
        if text.trim_end() == *p {
            return "";
        }
        if let Some(rest) = text.strip_prefix(p).and_then(|r| r.strip_prefix(' ')) {
            return rest;
        }
    }
    line
}

/// The indentation to start the next line of an incomplete entry with.
pub(crate) fn next_indent(buffer: &str) -> String {
    let last = buffer.rsplit('\n').next().unwrap_or("");
    let base = indent_of(last).to_string();
    if last.trim_end().ends_with(':') {
        base + &" ".repeat(INDENT)
    } else {
        base
    }
}

/// True when `line` starts a new statement (unindented, not `else:` and
/// the like).
fn starts_statement(line: &str) -> bool {
    if line.trim().is_empty() || !indent_of(line).is_empty() {
        return false;
    }
    let t = line.trim_start();
    !["else", "elif", "except", "finally"].iter().any(|k| {
        t.strip_prefix(k)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', ' ', '(', '*']))
    })
}

/// The models' names, in declaration order.
fn model_names(tutor: &Tutor) -> Vec<String> {
    tutor
        .interp
        .registry
        .mappers
        .borrow()
        .iter()
        .map(|m| m.class_name.clone())
        .collect()
}

/// The banner: the version, the fixture and the database in use, where the
/// lessons and exercises are, and `.help`; each line wrapped to fit an
/// 80-column terminal.
pub fn banner(tutor: &Tutor, palette: Palette) -> String {
    let first = format!(
        "orm-tutor {} — fixture '{}' on {}; `session` is ready.",
        env!("CARGO_PKG_VERSION"),
        tutor.fixture.name,
        tutor.target.describe()
    );
    let mut lines = render::style::wrap(&first, 80, "  ");
    if let Some(head) = lines.first_mut() {
        *head = head.replacen("orm-tutor", &palette.heading("orm-tutor"), 1);
    }
    lines.push("Lessons: `orm-tutor lesson 4.18`; practice: `orm-tutor exercises`.".into());
    lines.push(format!("Type {} for help.", palette.bold(".help")));
    lines.join("\n")
}

/// The text of `.help`.
pub fn help_text(tutor: &Tutor, palette: Palette) -> String {
    let mut s = String::new();
    s.push_str("Type SQLAlchemy ORM code as in Python; each entry shows its result, the SQL\n");
    s.push_str("SQLAlchemy 2.0 sends for it, and how many queries that was.\n");
    let ready = format!(
        "Ready to use: session, engine, select, func, and the models {}.",
        model_names(tutor).join(", ")
    );
    for line in render::style::wrap(&ready, 80, "") {
        s.push_str(&line);
        s.push('\n');
    }
    s.push('\n');
    s.push_str(&palette.bold("Commands"));
    s.push('\n');
    for (cmd, what) in META_COMMANDS {
        s.push_str(&format!(
            "  {} {what}\n",
            render::style::pad(&palette.bold(cmd), 10)
        ));
    }
    s.push('\n');
    s.push_str(&palette.bold("Try"));
    s.push('\n');
    for example in [
        "session.query(User).all()",
        "session.query(User).filter(User.name == 'Alice').first()",
        "session.execute(select(User).where(User.is_active == True)).scalars().all()",
        "for u in session.query(User).all(): print(u.name, len(u.messages))",
        "session.query(User).options(selectinload(User.messages)).all()",
    ] {
        s.push_str(&format!("  {example}\n"));
    }
    s.push('\n');
    s.push_str("A line ending in ':' or with an open bracket continues on the next (`... `);\n");
    s.push_str("an empty line ends a block. Tab completes names and attributes,\n");
    s.push_str("Ctrl-C cancels the entry, Ctrl-D leaves. `obj?` or help(obj) describes an\n");
    s.push_str("object, dir(obj) lists its names, and `_` is the last value shown.\n\n");
    s.push_str("Lessons: `orm-tutor lessons`, then `orm-tutor lesson 4.18`; practice:\n");
    s.push_str("`orm-tutor exercises`.\n");
    s
}

/// Runs `line` when it is one of the meta commands that look at or change
/// a live tutor (`.sql`, `.rows`, `.timing`, `.session`, `.schema`,
/// `.tables`, `.models`, and Alembic's `.autogenerate`, `.revision`,
/// `.upgrade`, `.downgrade`, `.stamp`, `.current`, `.history`), for the
/// prompts of a lesson's `Try` step and of an exercise, which keep their own
/// `.help`, `.reset` and `.quit`. `None` when `line` is code, one of those
/// three, or no command at all (the prompt decides what to say).
///
/// Errors: only the writer's.
pub fn run_shared_meta(
    line: &str,
    tutor: &mut Tutor,
    out: &mut dyn Write,
    palette: Palette,
    width: Option<usize>,
) -> Option<io::Result<()>> {
    let meta = Meta::parse(line)?;
    if matches!(
        meta,
        Meta::Help | Meta::Reset | Meta::Quit | Meta::Unknown(_)
    ) {
        return None;
    }
    Some(run_meta(&meta, tutor, &mut &mut *out, palette, width).map(|_| ()))
}

/// Runs one meta command.
fn run_meta<W: Write>(
    meta: &Meta,
    tutor: &mut Tutor,
    out: &mut W,
    palette: Palette,
    width: Option<usize>,
) -> io::Result<Flow> {
    match meta {
        Meta::Help => write!(out, "{}", help_text(tutor, palette))?,
        Meta::Models => {
            writeln!(
                out,
                "{}",
                palette.dim(&format!("# {}/models.py", tutor.fixture.origin))
            )?;
            writeln!(out, "{}", tutor.fixture.models.trim_end())?;
        }
        Meta::Schema => {
            for line in render::sql_panel::sql_lines(&tutor.schema(), palette, None) {
                writeln!(out, "{line}")?;
            }
        }
        Meta::SchemaOf(name) => match tutor.table_schema(name) {
            Some(ddl) => {
                for line in render::sql_panel::sql_lines(&ddl, palette, None) {
                    writeln!(out, "{line}")?;
                }
            }
            None => writeln!(
                out,
                "No table '{name}'. The tables: {}.",
                tutor.table_names().join(", ")
            )?,
        },
        Meta::Tables => writeln!(out, "{}", tutor.table_names().join("  "))?,
        Meta::Sql => {
            if tutor.last_events.is_empty() {
                writeln!(out, "The last entry sent no SQL.")?;
            }
            for line in render::sql_panel::sql_panel(&tutor.last_events, palette, None) {
                writeln!(out, "{line}")?;
            }
        }
        Meta::Timing => {
            for line in timing_lines(tutor, width) {
                writeln!(out, "{line}")?;
            }
        }
        Meta::Rows => match tutor.show_all_rows() {
            Some(shown) => {
                for line in render::result::shown_lines(&shown, palette, None) {
                    writeln!(out, "{line}")?;
                }
            }
            None => writeln!(out, "No result yet: `_` holds the last value shown.")?,
        },
        Meta::Reset => match tutor.reset() {
            Ok(()) => {
                let what = match tutor.target {
                    DbTarget::Memory => "the fixture's rows are back",
                    DbTarget::File(_) => "the database file keeps what was committed",
                    DbTarget::Server { .. } => {
                        "the server's tables were dropped and the fixture loaded again"
                    }
                };
                writeln!(
                    out,
                    "Reset: a fresh database connection and session; {what}; your variables are gone."
                )?;
            }
            Err(e) => writeln!(out, "{}: {e}", palette.error("cannot reset"))?,
        },
        Meta::Session => {
            let view = tutor.session_view_at(width);
            for line in view.trim_end().split('\n') {
                for piece in fit(line, width) {
                    writeln!(out, "{piece}")?;
                }
            }
        }
        Meta::Autogenerate { message, rev_id } => {
            match crate::sqlalchemy::alembic::migration::autogenerate_revision(
                &mut tutor.interp,
                message.as_deref(),
                rev_id.as_deref(),
            ) {
                Ok(Ok(text)) => {
                    write!(out, "{text}")?;
                    if let Some(w) = tutor.save_revisions() {
                        writeln!(out, "{}: {w}", palette.error("note"))?;
                    }
                }
                Ok(Err(failed)) => writeln!(out, "{failed}")?,
                Err(e) => writeln!(
                    out,
                    "{}: {}: {}",
                    palette.error("cannot autogenerate"),
                    e.exc.name(),
                    e.message
                )?,
            }
        }
        Meta::Revision {
            message,
            rev_id,
            edit,
        } => {
            use crate::sqlalchemy::alembic::revision;
            let interp = &mut tutor.interp;
            let made = if *edit {
                match revision::applied_position(interp) {
                    Ok(applied) => revision::edit_head(interp, applied),
                    Err(failed) => {
                        writeln!(out, "{failed}")?;
                        return Ok(Flow::Continue);
                    }
                }
            } else {
                revision::add_own(
                    interp,
                    message.as_deref().unwrap_or("empty message"),
                    rev_id.as_deref(),
                )
            };
            match made {
                Ok(line) => {
                    for piece in fit(&line, width) {
                        writeln!(out, "{piece}")?;
                    }
                    if let Some(w) = tutor.save_revisions() {
                        for piece in fit(&format!("note: {w}"), width) {
                            writeln!(out, "{piece}")?;
                        }
                    }
                }
                Err(e) => writeln!(
                    out,
                    "{}: {}: {}",
                    palette.error("no revision made"),
                    e.exc.name(),
                    e.message
                )?,
            }
        }
        Meta::History => {
            let text = crate::sqlalchemy::alembic::revision::history(&tutor.interp.revisions);
            if text.is_empty() {
                writeln!(
                    out,
                    "No revisions yet: `.autogenerate -m MESSAGE` or `.revision -m MESSAGE` makes one."
                )?;
            }
            write!(out, "{text}")?;
        }
        Meta::Upgrade(_) | Meta::Downgrade(_) | Meta::Stamp(_) | Meta::Current => {
            use crate::sqlalchemy::alembic::revision::{self, Command};
            let (code, command) = match meta {
                Meta::Upgrade(t) => (format!(".upgrade {t}"), Command::Upgrade(t.clone())),
                Meta::Downgrade(t) => (format!(".downgrade {t}"), Command::Downgrade(t.clone())),
                Meta::Stamp(t) => (format!(".stamp {t}"), Command::Stamp(t.clone())),
                _ => (".current".to_string(), Command::Current),
            };
            let step = tutor.run_command(&code, |interp| {
                if let Err(failed) = revision::run(interp, &command)? {
                    interp.stdout.push_str(&format!("{failed}\n"));
                }
                Ok(())
            });
            draw_step(out, &step, palette, width)?;
        }
        Meta::Quit => return Ok(Flow::Quit),
        Meta::Arguments { command, given } if command == ".autogenerate" => writeln!(
            out,
            ".autogenerate takes -m MESSAGE and --rev-id ID (got '{given}'). Type .help for the commands."
        )?,
        Meta::Arguments { command, given } if command == ".revision" => writeln!(
            out,
            ".revision takes -m MESSAGE and --rev-id ID, or --edit alone (got '{given}'). Type .help for the commands."
        )?,
        Meta::Arguments { command, given }
            if matches!(command.as_str(), ".upgrade" | ".downgrade" | ".stamp") =>
        {
            writeln!(
                out,
                "{command} takes one revision: head, base, +N/-N or an id (got '{given}'). Type .help for the commands."
            )?
        }
        Meta::Arguments { command, given } => {
            writeln!(
                out,
                "{command} takes no arguments (got '{given}'). Type .help for the commands."
            )?;
        }
        Meta::Unknown(name) => {
            let best = META_COMMANDS
                .iter()
                .map(|(c, _)| (strsim::damerau_levenshtein(c, name), *c))
                .filter(|(d, _)| *d <= 2)
                .min();
            match best {
                Some((_, c)) => writeln!(
                    out,
                    "Unknown command '{name}'. Did you mean '{c}'? Type .help for the commands."
                )?,
                None => writeln!(
                    out,
                    "Unknown command '{name}'. Type .help for the commands."
                )?,
            }
        }
    }
    Ok(Flow::Continue)
}

/// Draws a step a meta command ran, as an entry's steps are drawn.
fn draw_step<W: Write>(
    out: &mut W,
    step: &crate::outcome::StepOutcome,
    palette: Palette,
    width: Option<usize>,
) -> io::Result<()> {
    let render_opts = RenderOptions::plain()
        .with_color(palette.color)
        .with_width(width)
        .with_collapsed_sql("; .sql lists them all");
    render::render_step(out, step, &render_opts)
}

/// `line` wrapped on word boundaries to `width` (continuations indented
/// two spaces); as it is without a width.
fn fit(line: &str, width: Option<usize>) -> Vec<String> {
    match width {
        Some(w) => render::style::wrap(line, w, "  "),
        None => vec![line.to_string()],
    }
}

/// IPython's `obj?` (and `obj??`): the object's help, as `help(obj)`; other
/// lines as they are.
fn ipython_help(line: &str) -> std::borrow::Cow<'_, str> {
    let t = line.trim();
    let target = t.trim_end_matches('?');
    let marks = t.len() - target.len();
    if (1..=2).contains(&marks) && !target.is_empty() && !target.contains(['#', '\'', '"']) {
        std::borrow::Cow::Owned(format!("help({target})"))
    } else {
        std::borrow::Cow::Borrowed(line)
    }
}

/// Python's `exit()`/`quit()` and `help()`, when the learner has not bound
/// those names themselves.
fn python_shortcut(line: &str, tutor: &Tutor) -> Option<Meta> {
    let t = line.trim();
    let name = t.strip_suffix("()").unwrap_or(t);
    let meta = match name {
        "exit" | "quit" => Meta::Quit,
        "help" => Meta::Help,
        _ => return None,
    };
    (!tutor.interp.globals.contains_key(name)).then_some(meta)
}

/// Runs an entry and draws its steps.
fn run_code<W: Write>(
    entry: &str,
    tutor: &mut Tutor,
    out: &mut W,
    opts: &ReplOptions,
) -> io::Result<()> {
    let steps = tutor.run_entry(entry);
    let render_opts = RenderOptions::plain()
        .with_color(opts.palette.color)
        .with_width(opts.width.get())
        .with_collapsed_sql("; .sql lists them all");
    let echo = steps.len() > 1;
    for step in &steps {
        if echo {
            write!(out, "{}", render::echo_code(&step.code, opts.palette))?;
        }
        // a bug in drawing spoils this step only, never the session
        let drawn = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            render::render_step(out, step, &render_opts)
        }));
        match drawn {
            Ok(r) => r?,
            Err(payload) => writeln!(
                out,
                "InternalError: orm-tutor itself failed to show this step ({}); the session goes on, but please report the line",
                crate::tutor::panic_message(&*payload)
            )?,
        }
        writeln!(out)?;
    }
    out.flush()
}

/// The REPL loop: reads until `.quit` or the end of input.
pub fn run_repl<S: LineSource, W: Write>(
    tutor: &mut Tutor,
    source: &mut S,
    out: &mut W,
    opts: &ReplOptions,
) -> io::Result<()> {
    if opts.interactive {
        writeln!(out, "{}", banner(tutor, opts.palette))?;
        out.flush()?;
    }
    source.update(tutor);
    let mut buffer: Option<String> = None;
    loop {
        let (prompt, indent) = match &buffer {
            None => (">>> ", String::new()),
            Some(b) => (
                "... ",
                if opts.interactive {
                    next_indent(b)
                } else {
                    String::new()
                },
            ),
        };
        let line = match source.read_line(prompt, &indent) {
            // the editor starts continuation lines indented, so a line left
            // at just that indent is the empty line that ends a block
            ReadLine::Line(l) if opts.interactive && l.trim().is_empty() => String::new(),
            ReadLine::Line(l) => l,
            ReadLine::Interrupted => {
                buffer = None;
                continue;
            }
            ReadLine::Eof => {
                if let Some(b) = buffer.take() {
                    run_code(&b, tutor, out, opts)?;
                }
                break;
            }
        };
        let line = strip_prompt(&line, buffer.is_some()).to_string();
        if let Some(b) = &buffer {
            // a block already complete but for its blank line, followed by
            // a new statement: run the block, then the new line
            if starts_statement(&line) && !is_incomplete(&format!("{b}\n")) {
                let b = buffer.take().unwrap_or_default();
                source.add_history(&b);
                run_code(&b, tutor, out, opts)?;
                source.update(tutor);
            }
        }
        let entry = match buffer.take() {
            Some(mut b) => {
                b.push('\n');
                b.push_str(&line);
                b
            }
            None => {
                if line.trim().is_empty() {
                    continue;
                }
                let line = ipython_help(&line).into_owned();
                let meta = Meta::parse(&line).or_else(|| python_shortcut(&line, tutor));
                if let Some(meta) = meta {
                    source.add_history(line.trim());
                    let flow = run_meta(&meta, tutor, out, opts.palette, opts.width.get())?;
                    if flow == Flow::Quit {
                        break;
                    }
                    writeln!(out)?;
                    out.flush()?;
                    source.update(tutor);
                    continue;
                }
                line
            }
        };
        if is_incomplete(&entry) {
            buffer = Some(entry);
            continue;
        }
        source.add_history(entry.trim_end());
        run_code(&entry, tutor, out, opts)?;
        source.update(tutor);
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::Fixture;

    #[test]
    fn backspace_in_leading_spaces_goes_back_one_level() {
        assert!(at_indent_level("        ", 8));
        assert!(at_indent_level("    x", 4));
        assert!(!at_indent_level("      ", 6));
        assert!(!at_indent_level("    x = 1", 8));
        assert!(!at_indent_level("", 0));
    }

    #[test]
    fn typed_ahead_lines_lose_the_auto_indent_typed_ones_keep_it() {
        // pasted "    print(u)" after the editor's "    ": one indent, not two
        assert_eq!(
            without_stacked_indent("        print(u)".into(), "    ", true),
            "    print(u)"
        );
        // pasted "print(1)" at the margin ends the block, as in the paste
        assert_eq!(
            without_stacked_indent("    print(1)".into(), "    ", true),
            "print(1)"
        );
        // typed by hand, the auto-indent is the learner's
        assert_eq!(
            without_stacked_indent("    print(1)".into(), "    ", false),
            "    print(1)"
        );
        // a line edited back past its indent is left as it is
        assert_eq!(without_stacked_indent("x".into(), "    ", true), "x");
    }

    #[test]
    fn parses_meta_commands() {
        assert_eq!(Meta::parse(".help"), Some(Meta::Help));
        assert_eq!(Meta::parse("  .models  "), Some(Meta::Models));
        assert_eq!(Meta::parse(".schema"), Some(Meta::Schema));
        assert_eq!(Meta::parse(".reset"), Some(Meta::Reset));
        assert_eq!(
            Meta::parse(".autogenerate"),
            Some(Meta::Autogenerate {
                message: None,
                rev_id: None
            })
        );
        assert_eq!(
            Meta::parse(".autogenerate -m \"add age\" --rev-id 1a2b"),
            Some(Meta::Autogenerate {
                message: Some("add age".into()),
                rev_id: Some("1a2b".into())
            })
        );
        assert_eq!(
            Meta::parse(".autogenerate --message 'add tags'"),
            Some(Meta::Autogenerate {
                message: Some("add tags".into()),
                rev_id: None
            })
        );
        for wrong in [
            ".autogenerate now",
            ".autogenerate -m",
            ".autogenerate -m \"open",
            ".autogenerate --edit",
            ".revision --edit -m x",
            ".upgrade head now",
            ".stamp",
        ] {
            assert!(
                matches!(Meta::parse(wrong), Some(Meta::Arguments { .. })),
                "{wrong}"
            );
        }
        assert_eq!(
            Meta::parse(".revision -m \"add age\""),
            Some(Meta::Revision {
                message: Some("add age".into()),
                rev_id: None,
                edit: false
            })
        );
        assert_eq!(
            Meta::parse(".revision --edit"),
            Some(Meta::Revision {
                message: None,
                rev_id: None,
                edit: true
            })
        );
        assert_eq!(Meta::parse(".upgrade"), Some(Meta::Upgrade("head".into())));
        assert_eq!(Meta::parse(".upgrade +1"), Some(Meta::Upgrade("+1".into())));
        assert_eq!(
            Meta::parse(".downgrade"),
            Some(Meta::Downgrade("-1".into()))
        );
        assert_eq!(
            Meta::parse(".downgrade base"),
            Some(Meta::Downgrade("base".into()))
        );
        assert_eq!(Meta::parse(".stamp head"), Some(Meta::Stamp("head".into())));
        assert_eq!(Meta::parse(".current"), Some(Meta::Current));
        assert_eq!(Meta::parse(".history"), Some(Meta::History));
        assert_eq!(Meta::parse(".session"), Some(Meta::Session));
        assert_eq!(Meta::parse(".quit"), Some(Meta::Quit));
        assert_eq!(Meta::parse(".exit"), Some(Meta::Quit));
        assert_eq!(Meta::parse(".foo"), Some(Meta::Unknown(".foo".into())));
        assert_eq!(
            Meta::parse(".reset now"),
            Some(Meta::Arguments {
                command: ".reset".into(),
                given: "now".into()
            })
        );
        assert_eq!(Meta::parse("session.query(User)"), None);
        assert_eq!(Meta::parse(".5 + 1"), None);
        assert_eq!(Meta::parse("."), None);
    }

    #[test]
    fn history_goes_in_the_home_folder_or_says_why_not() {
        let dir = match tempfile::tempdir() {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        let home = dir.path().join("a").join("b");
        assert_eq!(history_file(Some(&home)), Ok(home.join("history.txt")));
        assert!(home.is_dir());
        let file = dir.path().join("file");
        if let Err(e) = std::fs::write(&file, "x") {
            panic!("{e}");
        }
        assert!(history_file(Some(&file)).is_err());
        assert!(history_file(None).is_err());
    }

    #[test]
    fn the_editor_keeps_history_and_survives_an_unwritable_file() {
        let dir = match tempfile::tempdir() {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        let path = dir.path().join("history.txt");
        let Ok(mut editor) = EditorLines::new(Some(path.clone()), Palette::PLAIN) else {
            panic!("the editor should start");
        };
        editor.add_history("x = 1");
        editor.add_history("for u in users:\n    print(u)");
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(text.contains("x = 1"), "{text}");
        // a folder where the file should be: a warning, no crash
        let Ok(mut editor) = EditorLines::new(Some(dir.path().to_path_buf()), Palette::PLAIN)
        else {
            panic!("the editor should start");
        };
        editor.add_history("y = 2");
        editor.add_history("z = 3");
        assert!(editor.warned);
    }

    #[test]
    fn pasted_prompts_are_stripped() {
        assert_eq!(strip_prompt(">>> x = 1", false), "x = 1");
        assert_eq!(strip_prompt("x = 1", false), "x = 1");
        assert_eq!(strip_prompt("...     print(u)", true), "    print(u)");
        assert_eq!(strip_prompt("    ...     print(u)", true), "    print(u)");
        assert_eq!(strip_prompt("...", true), "");
        assert_eq!(strip_prompt("... x", false), "... x");
        let out = run_lines(&[
            ">>> for i in range(2):",
            "...     print(i)",
            "...",
            ">>> print('done')",
        ]);
        assert!(out.contains("0\n1\n") || out.contains("0\n1"), "{out}");
        assert!(out.contains("done"), "{out}");
        assert!(!out.contains("Error"), "{out}");
    }

    #[test]
    fn indents_continuation_lines() {
        assert_eq!(next_indent("for u in users:"), "    ");
        assert_eq!(next_indent("for u in users:\n    if u.name:"), "        ");
        assert_eq!(next_indent("for u in users:\n    print(u)"), "    ");
        assert_eq!(next_indent("x = ("), "");
        assert!(starts_statement("print(1)"));
        assert!(!starts_statement("    print(1)"));
        assert!(!starts_statement("else:"));
        assert!(!starts_statement("except ValueError:"));
        assert!(starts_statement("elsewhere = 1"));
    }

    fn run_lines(lines: &[&str]) -> String {
        let mut tutor = match Tutor::start(Fixture::chat(), DbTarget::Memory) {
            Ok(t) => t,
            Err(e) => panic!("the chat fixture should start: {e}"),
        };
        let mut source = ScriptLines::new(lines.iter().map(|s| s.to_string()));
        let mut out = Vec::new();
        let opts = ReplOptions {
            interactive: false,
            palette: Palette::PLAIN,
            width: Width::Fixed(None),
        };
        if let Err(e) = run_repl(&mut tutor, &mut source, &mut out, &opts) {
            panic!("writing to a Vec failed: {e}");
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    /// A person at the editor: each line starts with the indent offered.
    struct Typist {
        lines: Vec<&'static str>,
        prompts: Vec<String>,
    }

    impl LineSource for Typist {
        fn read_line(&mut self, prompt: &str, indent: &str) -> ReadLine {
            if self.lines.is_empty() {
                return ReadLine::Eof;
            }
            self.prompts.push(format!("{prompt}{indent}"));
            let typed = self.lines.remove(0);
            if typed == "^C" {
                return ReadLine::Interrupted;
            }
            ReadLine::Line(format!("{indent}{typed}"))
        }
    }

    #[test]
    fn interactive_blocks_are_indented_and_end_on_an_untouched_indent() {
        let mut tutor = match Tutor::start(Fixture::chat(), DbTarget::Memory) {
            Ok(t) => t,
            Err(e) => panic!("the chat fixture should start: {e}"),
        };
        let mut typist = Typist {
            lines: vec![
                "for i in range(2):",
                "if i:",
                "print(i)",
                "",
                "",
                "for x in y:",
                "^C",
                "7",
            ],
            prompts: Vec::new(),
        };
        let mut out = Vec::new();
        let opts = ReplOptions {
            interactive: true,
            palette: Palette::PLAIN,
            width: Width::Fixed(None),
        };
        if let Err(e) = run_repl(&mut tutor, &mut typist, &mut out, &opts) {
            panic!("{e}");
        }
        assert_eq!(
            typist.prompts,
            vec![
                ">>> ",
                "...     ",
                "...         ",
                "...         ",
                ">>> ",
                ">>> ",
                "...     ",
                ">>> "
            ]
        );
        let out = String::from_utf8_lossy(&out);
        assert!(out.starts_with("orm-tutor "), "{out}");
        assert!(
            out.starts_with(&format!(
                "orm-tutor {} — fixture 'chat' on SQLite (in memory); `session` is ready.\nLessons: `orm-tutor lesson 4.18`; practice: `orm-tutor exercises`.\nType .help for help.\n",
                env!("CARGO_PKG_VERSION")
            )),
            "{out}"
        );
        assert!(out.contains("\n1\n\n0 queries\n\n7\n"), "{out}");
    }

    #[test]
    fn autogenerate_prints_the_revision_alembic_writes() {
        let out = run_lines(&[".autogenerate"]);
        assert!(
            out.contains("\"\"\"empty message\n\nRevision ID: "),
            "{out}"
        );
        assert!(
            out.contains("def upgrade() -> None:\n    \"\"\"Upgrade schema.\"\"\"\n    # ### commands auto generated by Alembic - please adjust! ###\n    pass\n"),
            "{out}"
        );
        assert!(out.contains("# No changes detected"), "{out}");
        let out = run_lines(&[
            "class Tag(Base):",
            "    __tablename__ = 'tags'",
            "    id = Column(Integer, primary_key=True)",
            "    label = Column(String(30), nullable=False, index=True)",
            "",
            "session.execute(text('ALTER TABLE users ADD COLUMN age INTEGER'))",
            ".autogenerate -m \"add tags\"",
        ]);
        assert!(out.contains("\"\"\"add tags\n"), "{out}");
        assert!(
            out.contains("    op.create_table('tags',\n    sa.Column('id', sa.Integer(), nullable=False),\n    sa.Column('label', sa.String(length=30), nullable=False),\n    sa.PrimaryKeyConstraint('id')\n    )\n    op.create_index(op.f('ix_tags_label'), 'tags', ['label'], unique=False)\n    op.drop_column('users', 'age')\n"),
            "{out}"
        );
        assert!(
            out.contains("    op.add_column('users', sa.Column('age', sa.INTEGER(), nullable=True))\n    op.drop_index(op.f('ix_tags_label'), table_name='tags')\n    op.drop_table('tags')\n"),
            "{out}"
        );
        let out = run_lines(&[".autogenerate -x"]);
        assert!(out.contains(".autogenerate takes -m MESSAGE"), "{out}");
    }

    #[test]
    fn meta_commands_answer() {
        let out = run_lines(&[".help"]);
        assert!(out.contains(".schema"), "{out}");
        assert!(out.contains("session.query(User).all()"), "{out}");
        assert!(out.contains("`orm-tutor lesson 4.18`"), "{out}");
        assert!(out.contains("`obj?` or help(obj)"), "{out}");
        // every line of .help fits an 80-column terminal
        let wide: Vec<&str> = out.lines().filter(|l| l.chars().count() > 80).collect();
        assert!(wide.is_empty(), "{wide:?}");
        let out = run_lines(&["u = session.get(User, 1)", ".session"]);
        assert!(out.contains("identity map: 1 object"), "{out}");
        let out = run_lines(&[".sceham"]);
        assert!(
            out.contains("Unknown command '.sceham'. Did you mean '.schema'?"),
            "{out}"
        );
        let out = run_lines(&[".models"]);
        assert!(out.contains("class User(Base):"), "{out}");
        let out = run_lines(&[".reset"]);
        assert!(out.contains("fresh database"), "{out}");
        let out = run_lines(&[".quit", ".help"]);
        assert!(out.is_empty(), "{out}");
    }

    #[test]
    fn tables_and_the_schema_of_one_table() {
        let out = run_lines(&[".tables"]);
        assert_eq!(
            out.trim_end(),
            "roles  groups  users  user_groups  profiles  messages"
        );
        let out = run_lines(&[".schema users"]);
        assert!(
            out.trim_start().starts_with("CREATE TABLE users ("),
            "{out}"
        );
        assert!(!out.contains("CREATE TABLE messages"), "{out}");
        let out = run_lines(&[".schema nope"]);
        assert!(
            out.starts_with("No table 'nope'. The tables: roles, groups, users"),
            "{out}"
        );
        assert_eq!(
            Meta::parse(".schema users"),
            Some(Meta::SchemaOf("users".into()))
        );
        assert_eq!(Meta::parse(".tables"), Some(Meta::Tables));
    }

    #[test]
    fn underscore_is_the_last_value_shown() {
        let out = run_lines(&["1 + 1", "x = 5", "_ * 10"]);
        assert!(out.contains("20"), "{out}");
        // a value of None leaves `_` alone, as sys.displayhook
        let out = run_lines(&["'a'", "None", "_ + 'b'"]);
        assert!(out.contains("'ab'"), "{out}");
    }

    #[test]
    fn sql_shows_every_statement_of_the_last_entry() {
        let out = run_lines(&[
            "for u in session.query(User).all(): n = len(u.messages)",
            "",
            ".sql",
        ]);
        // the entry's own panel shows the first lazy load and counts the
        // other 7; `.sql` then lists all 8
        assert_eq!(out.matches("FROM messages").count(), 9, "{out}");
        assert!(
            out.contains("… 7 more lazy loads of User.messages like the one above, with other parameters; .sql lists them all"),
            "{out}"
        );
        assert!(
            out.contains("9 queries: 1 query, 8 lazy loads of User.messages"),
            "{out}"
        );
        assert_eq!(out.matches("BEGIN (implicit)").count(), 2, "{out}");
        let out = run_lines(&["x = 1", ".sql"]);
        assert!(out.contains("The last entry sent no SQL."), "{out}");
    }

    #[test]
    fn timing_gives_each_statement_its_time_and_the_totals() {
        let out = run_lines(&[
            "users = session.query(User).all(); n = session.query(Message).count()",
            ".timing",
        ]);
        let lines: Vec<&str> = out.lines().filter(|l| l.contains(" ms")).collect();
        assert_eq!(lines.len(), 3, "{out}");
        assert!(
            lines[0].trim_start().contains(" ms  SELECT users.id"),
            "{out}"
        );
        assert!(
            lines[1].contains(" ms  SELECT count(*) AS count_1"),
            "{out}"
        );
        assert!(
            lines[2].starts_with("2 statements: ") && lines[2].ends_with("ms for the whole entry"),
            "{out}"
        );
        assert_eq!(Meta::parse(".timing"), Some(Meta::Timing));
    }

    #[test]
    fn rows_shows_every_row_of_the_last_result() {
        // 20 messages × 8 users: 160 rows, 20 shown
        let stmt = "session.execute(select(Message.id, User.name)).all()";
        let out = run_lines(&[stmt]);
        assert!(out.contains("… 140 more rows not shown"), "{out}");
        let out = run_lines(&[stmt, ".rows"]);
        let rows_view = out.rsplit("more rows not shown").next().unwrap_or("");
        assert!(!rows_view.contains("not shown"), "{out}");
        assert_eq!(rows_view.matches("Heidi").count(), 20, "{out}");
        let out = run_lines(&[".rows"]);
        assert!(out.contains("No result yet"), "{out}");
    }

    #[test]
    fn a_question_mark_asks_for_help_as_ipython() {
        assert_eq!(ipython_help("User?"), "help(User)");
        assert_eq!(ipython_help("session.query??"), "help(session.query)");
        assert_eq!(ipython_help("x = 'a?'"), "x = 'a?'");
        assert_eq!(ipython_help("?"), "?");
        let out = run_lines(&["User?"]);
        assert!(out.contains("class User — mapped to table users"), "{out}");
    }
}
