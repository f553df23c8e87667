//! Command-line arguments (clap) and the commands they run.

use std::ffi::OsStr;
use std::io::{self, BufRead, IsTerminal, Read, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::fixture::Fixture;
use crate::render::{self, Palette, RenderOptions};
use crate::repl::{self, EditorLines, ReplOptions, ScriptLines, Width};
use crate::tutor::{DbTarget, Tutor};

/// orm-tutor: learn the SQLAlchemy ORM by seeing the SQL it sends.
///
/// Without a command, starts the REPL: type SQLAlchemy code and see the
/// result rows, the SQL SQLAlchemy 2.0 would send, and the query count.
#[derive(Debug, Parser)]
#[command(name = "orm-tutor", version, about)]
pub struct Cli {
    /// The fixture to load (the models and rows to play with): a built-in
    /// one (`chat`), or one in a `--fixtures` folder.
    #[arg(long, global = true, default_value = "chat", value_name = "NAME")]
    pub fixture: String,
    /// Also look for fixtures in DIR (each a folder DIR/NAME with models.py
    /// and data.ron), before the built-in ones; may be repeated. Lessons
    /// and exercises find their fixtures there too.
    #[arg(long, global = true, value_name = "DIR")]
    pub fixtures: Vec<PathBuf>,
    /// Read the course from DIR (its *.ron lessons and exercises/*.ron)
    /// instead of the one built into orm-tutor; for `lesson`, `lessons`
    /// (and `lessons --check`), `exercises` and `exercise`.
    #[arg(long, global = true, value_name = "DIR")]
    pub lessons: Option<PathBuf>,
    /// Work on this SQLite file instead of a fresh in-memory database, or
    /// on a PostgreSQL server: `postgresql://user[:password]@host[:port]/dbname`
    /// (the fixture is loaded there, and its tables dropped at the end).
    #[arg(long, global = true, value_name = "FILE|URL")]
    pub db: Option<PathBuf>,
    /// With `--db postgresql://…`: load the fixture even though the
    /// database already holds tables (orm-tutor never drops tables it did
    /// not create).
    #[arg(long, global = true)]
    pub reset: bool,
    /// Never use colors (colors are also off when NO_COLOR is set, or when
    /// the output is not a terminal unless CLICOLOR_FORCE is set).
    #[arg(long, global = true)]
    pub no_color: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Output format of `run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Each statement, then what the REPL shows for it.
    Text,
    /// The JSON trace: statements, parameters, transaction events, values.
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a script as the REPL would run its lines (FILE `-` reads stdin).
    Run {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        file: PathBuf,
    },
    /// Follow a lesson, e.g. `orm-tutor lesson 4.18`.
    Lesson {
        id: String,
        /// Start the lesson over.
        #[arg(long)]
        restart: bool,
        /// Start at step N (1-based), e.g. `--step 12`.
        #[arg(long, value_name = "N")]
        step: Option<usize>,
        /// Print the lesson instead of running it.
        #[arg(long)]
        print: bool,
    },
    /// List the lessons; `--check` runs every lesson and exercise as written.
    Lessons {
        /// Check that every lesson runs as written.
        #[arg(long)]
        check: bool,
    },
    /// List the practice exercises with your progress; `--check-all DIR`
    /// grades a folder of answers named ID.py (exit 0 only if all pass).
    Exercises {
        /// Grade DIR/ID.py for every exercise: a line per exercise (PASS,
        /// FAIL and why, or missing).
        #[arg(long, value_name = "DIR")]
        check_all: Option<PathBuf>,
        /// How `--check-all` prints: text (a line per exercise) or json.
        #[arg(long, value_enum, default_value = "text", requires = "check_all")]
        format: crate::lessons::batch::Format,
        /// Do not record the checks in the learner's progress (also when
        /// the environment sets CI=true).
        #[arg(long, requires = "check_all")]
        no_progress: bool,
    },
    /// Check FILE against exercise ID every time it is saved (Ctrl-C stops).
    Watch {
        id: String,
        file: PathBuf,
        /// Do not record the checks in the learner's progress (also when
        /// the environment sets CI=true).
        #[arg(long)]
        no_progress: bool,
    },
    /// Do an exercise; `--answer FILE` checks a script (exit 0 PASS, 1 FAIL, 2 error).
    Exercise {
        id: String,
        /// Check this file as the answer (`-` reads it from stdin).
        #[arg(long, value_name = "FILE")]
        answer: Option<PathBuf>,
        /// Do not record this check in the learner's progress (for
        /// autograders; also when the environment sets CI=true).
        #[arg(long)]
        no_progress: bool,
        /// How `--answer` prints its verdict: text (PASS/FAIL), json (one
        /// object, an entry per check) or junit (JUnit XML for CI).
        #[arg(long, value_enum, default_value = "text", requires = "answer")]
        format: crate::lessons::grade::Format,
        /// Also write Gradescope's results.json for `--answer` to this path.
        #[arg(long, value_name = "PATH", requires = "answer")]
        gradescope: Option<PathBuf>,
    },
}

/// The stack the tutor runs on: the interpreter recurses for each nested
/// call of the learner's code (up to its `RecursionError` limit), which
/// takes more than a main thread's default stack in a debug build.
const STACK_SIZE: usize = 256 * 1024 * 1024;

/// Runs the command line; returns the process exit code.
///
/// The arguments are parsed on the tutor's thread, as everything else:
/// the process's main thread allocates next to nothing, so its allocator
/// heap stays unused (fewer fresh pages touched at start).
pub fn main() -> i32 {
    // a bug shows as one `InternalError` for its step, never as panic text
    crate::tutor::quiet_panics();
    let worker = std::thread::Builder::new()
        .name("orm-tutor".into())
        .stack_size(STACK_SIZE)
        .spawn(|| {
            crate::language::parser::parse_on_this_thread(STACK_SIZE);
            exit_code(run(Cli::parse()))
        });
    match worker {
        Ok(handle) => handle.join().unwrap_or_else(|payload| {
            eprintln!(
                "orm-tutor: internal error: {}",
                crate::tutor::panic_message(&*payload)
            );
            101
        }),
        // no thread (a very constrained system): run here
        Err(_) => exit_code(run(Cli::parse())),
    }
}

/// The exit code for a command's result, reporting a failure on stderr.
fn exit_code(result: Result<i32, Failure>) -> i32 {
    match result {
        Ok(code) => code,
        Err(Failure::Message(message)) => {
            eprintln!("orm-tutor: {message}");
            2
        }
        // the reader went away (`orm-tutor run x | head`): not an error
        Err(Failure::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        Err(Failure::Io(e)) => {
            eprintln!("orm-tutor: {e}");
            1
        }
    }
}

/// Why a command failed.
#[derive(Debug)]
pub enum Failure {
    /// A message for the user (unknown fixture, unreadable file…): exit 2.
    Message(String),
    /// Writing the output failed.
    Io(io::Error),
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Failure {
        Failure::Io(e)
    }
}

impl From<String> for Failure {
    fn from(m: String) -> Failure {
        Failure::Message(m)
    }
}

/// Whether to color: never with `--no-color` or a non-empty `NO_COLOR`;
/// else when stdout is a terminal, or when `CLICOLOR_FORCE` is set (and
/// not `0`) for a pipe.
pub fn use_color(
    no_color_flag: bool,
    no_color_env: Option<&OsStr>,
    force_env: Option<&OsStr>,
    terminal: bool,
) -> bool {
    let no_color = no_color_env.is_some_and(|v| !v.is_empty());
    let forced = force_env.is_some_and(|v| !v.is_empty() && v != "0");
    !no_color_flag && !no_color && (terminal || forced)
}

/// Whether a check counts in the learner's progress: not with
/// `--no-progress`, nor when the environment sets CI=true (a grader).
fn records_progress(no_progress: bool) -> bool {
    !no_progress && std::env::var("CI").map_or(true, |v| v != "true")
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<i32, Failure> {
    let stdout_terminal = io::stdout().is_terminal();
    let color = use_color(
        cli.no_color,
        std::env::var_os("NO_COLOR").as_deref(),
        std::env::var_os("CLICOLOR_FORCE").as_deref(),
        stdout_terminal,
    );
    colored::control::set_override(color);
    let palette = Palette { color };
    for dir in cli.fixtures.iter().chain(&cli.lessons) {
        if !dir.is_dir() {
            return Err(Failure::Message(format!(
                "{}: no such folder",
                dir.display()
            )));
        }
    }
    crate::fixture::set_search_dirs(cli.fixtures.clone());
    let lessons = cli.lessons.as_deref();
    // `lesson` and `exercise` run the learner's session on a server too
    if let Some(p) = &cli.db
        && let target @ DbTarget::Server { .. } = DbTarget::from_arg(p, cli.reset)
    {
        crate::tutor::set_live_target(Some(target));
    }
    let start = || -> Result<Tutor, Failure> {
        let fixture = Fixture::find(&cli.fixture).map_err(|e| e.to_string())?;
        let target = match &cli.db {
            Some(p) => DbTarget::from_arg(p, cli.reset),
            None => DbTarget::Memory,
        };
        Ok(Tutor::start(fixture, target).map_err(|e| e.to_string())?)
    };
    match &cli.command {
        Some(Command::Run { format, file }) => {
            let (source, name) = if file.as_os_str() == "-" {
                let mut s = String::new();
                io::stdin()
                    .read_to_string(&mut s)
                    .map_err(|e| format!("reading stdin: {e}"))?;
                (s, "<stdin>".to_string())
            } else {
                let s = std::fs::read_to_string(file)
                    .map_err(|e| format!("{}: {e}", file.display()))?;
                (s, file.display().to_string())
            };
            let mut tutor = start()?;
            // Ctrl-C raises KeyboardInterrupt in the script (cancelling a
            // statement running on a server) and ends it, as Python's
            let _ = ctrlc::set_handler(crate::engine::interrupt);
            let stdout = io::stdout();
            // One buffer (stdout alone is written a line at a time),
            // flushed after each step: text output streams step by step.
            let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
            let mut steps = Vec::new();
            match *format {
                Format::Json => {
                    tutor.run_script_each(&source, |step| steps.push(step));
                    write!(
                        out,
                        "{}",
                        crate::trace::trace_json(&tutor.fixture.name, &steps)
                    )?;
                }
                Format::Text => {
                    let width = if stdout_terminal {
                        repl::terminal_width()
                    } else {
                        None
                    };
                    let opts = RenderOptions::plain()
                        .with_color(color)
                        .with_width(width)
                        .with_file_name(name);
                    let mut failed = None;
                    tutor.run_script_each(&source, |step| {
                        if failed.is_none()
                            && let Err(e) = render::render_script_step(&mut out, &step, &opts)
                                .and_then(|()| out.flush())
                        {
                            failed = Some(e);
                        }
                        steps.push(step);
                    });
                    if let Some(e) = failed {
                        return Err(e.into());
                    }
                }
            }
            let interrupted = steps.last().is_some_and(|s| {
                s.error
                    .as_ref()
                    .is_some_and(|e| e.type_name == "KeyboardInterrupt")
            });
            out.flush()?;
            std::mem::forget(steps);
            tutor.end_at_exit();
            // Python's status for a script ended by Ctrl-C (128 + SIGINT)
            Ok(if interrupted { 130 } else { 0 })
        }
        Some(Command::Lesson {
            id,
            restart,
            step,
            print,
        }) => {
            let mut out = io::stdout();
            Ok(crate::lessons::run_lesson(
                lessons, id, *restart, *step, *print, &mut out,
            ))
        }
        Some(Command::Lessons { check }) => {
            let mut out = io::stdout();
            Ok(if *check {
                crate::lessons::check_all(lessons, &mut out)
            } else {
                crate::lessons::list_lessons(lessons, &mut out)
            })
        }
        Some(Command::Exercises {
            check_all: None, ..
        }) => Ok(crate::lessons::list_exercises(lessons, &mut io::stdout())),
        Some(Command::Exercises {
            check_all: Some(dir),
            format,
            no_progress,
        }) => Ok(crate::lessons::check_folder(
            lessons,
            dir,
            *format,
            records_progress(*no_progress),
            &mut io::stdout(),
            &mut io::stderr(),
        )),
        Some(Command::Watch {
            id,
            file,
            no_progress,
        }) => Ok(crate::lessons::watch_answer(
            lessons,
            id,
            file,
            records_progress(*no_progress),
            &mut io::stdout(),
            &mut io::stderr(),
        )),
        Some(Command::Exercise {
            id,
            answer,
            no_progress,
            format,
            gradescope,
        }) => {
            let mut out = io::stdout();
            Ok(match answer {
                Some(file) => {
                    let record = records_progress(*no_progress);
                    let grading = crate::lessons::grade::Grading {
                        format: *format,
                        gradescope: gradescope.clone(),
                    };
                    crate::lessons::check_answer(
                        lessons,
                        id,
                        file,
                        record,
                        &grading,
                        &mut out,
                        &mut io::stderr(),
                    )
                }
                None => crate::lessons::open_exercise(lessons, id, &mut out),
            })
        }
        None => {
            let mut tutor = start()?;
            let interactive = io::stdin().is_terminal();
            let opts = ReplOptions {
                interactive,
                palette,
                width: if stdout_terminal {
                    Width::Terminal
                } else {
                    Width::Fixed(None)
                },
            };
            let stdout = io::stdout();
            let mut out = stdout.lock();
            if interactive {
                // Ctrl-C while code runs raises KeyboardInterrupt in it; at the
                // prompt the line editor cancels the line.
                let _ = ctrlc::set_handler(crate::engine::interrupt);
                let history = match repl::history_file(repl::home_dir().as_deref()) {
                    Ok(p) => Some(p),
                    Err(e) => {
                        eprintln!("orm-tutor: warning: {e} (history will not be kept)");
                        None
                    }
                };
                let mut source = EditorLines::new(history, palette)?;
                repl::run_repl(&mut tutor, &mut source, &mut out, &opts)?;
            } else {
                let stdin = io::stdin();
                let lines = stdin.lock().lines().map_while(Result::ok);
                let mut source = ScriptLines::new(lines);
                repl::run_repl(&mut tutor, &mut source, &mut out, &opts)?;
            }
            Ok(0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn arguments_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn colors_only_on_terminals_without_no_color() {
        let on = Some(OsStr::new("1"));
        assert!(use_color(false, None, None, true));
        assert!(!use_color(false, None, None, false));
        assert!(!use_color(true, None, None, true));
        assert!(!use_color(false, on, None, true));
        assert!(use_color(false, Some(OsStr::new("")), None, true));
        assert!(use_color(false, None, on, false));
        assert!(!use_color(false, None, Some(OsStr::new("0")), false));
        assert!(!use_color(false, on, on, false));
        assert!(!use_color(true, None, on, false));
    }

    #[test]
    fn parses_commands() {
        let cli = Cli::try_parse_from([
            "orm-tutor",
            "run",
            "--format",
            "json",
            "x.py",
            "--fixture",
            "chat",
        ]);
        assert!(matches!(
            cli,
            Ok(Cli { command: Some(Command::Run { format: Format::Json, .. }), ref fixture, .. }) if fixture == "chat"
        ));
        let cli = Cli::try_parse_from(["orm-tutor", "--no-color"]);
        assert!(matches!(
            cli,
            Ok(Cli {
                command: None,
                no_color: true,
                ..
            })
        ));
        let cli = Cli::try_parse_from(["orm-tutor", "lesson", "1", "--restart"]);
        assert!(matches!(
            cli,
            Ok(Cli {
                command: Some(Command::Lesson { restart: true, .. }),
                ..
            })
        ));
    }
}
