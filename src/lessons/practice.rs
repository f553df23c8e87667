//! Exercises for the learner: the list with progress, the REPL-like prompt
//! (`.check`, `.hint`, `.solution`, `.quit`), and checking a script file.

use std::io::Write;
use std::path::Path;

use colored::Colorize;

use super::exercise::{Sandbox, Verdict};
use super::grade::{self, Grading};
use super::input::{LineSource, read_code};
use super::load::Course;
use super::model::{Exercise, Step};
use super::progress::Store;
use super::text::{self, Style};
use crate::fixture::Fixture;
use crate::tutor::Tutor;

/// How an exercise prompt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    Passed,
    /// `.skip`: in a lesson, on to the next step.
    Left,
    /// `.quit`, or the end of the input (Ctrl-D, Ctrl-C twice): in a
    /// lesson, the lesson stops too.
    Stopped,
}

/// `text` wrapped on word boundaries to `width` columns (at least 20).
fn wrap(text: &str, width: usize) -> Vec<String> {
    crate::render::style::wrap(text, width.max(20), "")
}

/// Writes PASS or FAIL with every reason.
pub fn write_verdict(out: &mut dyn Write, v: &Verdict, style: Style) {
    if v.passed {
        let head = "PASS";
        let _ = writeln!(
            out,
            "{}",
            if style.color {
                head.green().bold().to_string()
            } else {
                head.into()
            }
        );
    } else {
        let head = "FAIL";
        let _ = writeln!(
            out,
            "{}",
            if style.color {
                head.red().bold().to_string()
            } else {
                head.into()
            }
        );
        for r in &v.reasons {
            for (i, piece) in wrap(r, style.width.saturating_sub(4)).iter().enumerate() {
                let _ = writeln!(out, "{}{piece}", if i == 0 { "  - " } else { "    " });
            }
        }
    }
}

/// The lessons that use an exercise, by id.
fn used_in(course: &Course, id: &str) -> Vec<String> {
    course
        .lessons
        .iter()
        .filter(|l| {
            l.lesson
                .steps
                .iter()
                .any(|s| matches!(s, Step::Exercise(e) if e == id))
        })
        .map(|l| l.lesson.id.clone())
        .collect()
}

/// `orm-tutor exercises`: every exercise with the learner's progress.
pub fn list(course: &Course, store: Option<&Store>, out: &mut dyn Write, style: Style) -> i32 {
    let (progress, warnings) = store.map(Store::load).unwrap_or_default();
    for w in warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    for p in course
        .problems
        .iter()
        .filter(|p| !course.broken_exercises.contains(&p.path))
    {
        let _ = writeln!(out, "warning: {p}");
    }
    let width = course.exercises.keys().map(|k| k.len()).max().unwrap_or(0);
    // files that did not load, with their errors
    for path in &course.broken_exercises {
        let name = super::load::file_stem(path);
        for (i, p) in course.problems_of(path).enumerate() {
            let status = if i == 0 { "broken" } else { "" };
            let name = if i == 0 { name.as_str() } else { "" };
            let _ = writeln!(out, "{status:<8} {name:<width$}  {p}");
        }
    }
    for (id, loaded) in &course.exercises {
        let ex = &loaded.exercise;
        let status = match progress.exercises.get(id) {
            Some(p) if p.passed => "passed".to_string(),
            Some(p) if p.attempts > 0 => format!("tried {}×", p.attempts),
            _ => "new".to_string(),
        };
        let status_shown = if style.color {
            match status.as_str() {
                "passed" => format!("{:<8}", status).green().to_string(),
                "new" => format!("{:<8}", status).dimmed().to_string(),
                _ => format!("{:<8}", status).yellow().to_string(),
            }
        } else {
            format!("{status:<8}")
        };
        let lessons = used_in(course, id);
        let lessons = if lessons.is_empty() {
            String::new()
        } else {
            format!("  (lesson {})", lessons.join(", "))
        };
        // the title and lessons wrap in their column, on word boundaries
        let column = 8 + 1 + width + 2;
        let text = format!("{}{lessons}", ex.title);
        for (i, piece) in wrap(&text, style.width.saturating_sub(column))
            .iter()
            .enumerate()
        {
            if i == 0 {
                let _ = writeln!(out, "{status_shown} {id:<width$}  {piece}");
            } else {
                let _ = writeln!(out, "{:column$}{piece}", "");
            }
        }
    }
    let passed = course
        .exercises
        .keys()
        .filter(|id| progress.exercises.get(*id).is_some_and(|p| p.passed))
        .count();
    let _ = writeln!(
        out,
        "\n{passed} of {} passed. Open one with: orm-tutor exercise ID",
        course.exercises.len()
    );
    0
}

/// Records an attempt (and a pass) in the progress.
pub fn record(store: Option<&Store>, id: &str, passed: bool) -> Vec<String> {
    match store {
        Some(s) => s.update(|p| {
            let e = p.exercises.entry(id.to_string()).or_default();
            e.attempts += 1;
            e.passed |= passed;
        }),
        None => Vec::new(),
    }
}

/// `orm-tutor exercise ID --answer FILE`: the verdict on `out` in
/// `grading.format` (and Gradescope's `results.json` when asked); 0 on
/// PASS, 1 on FAIL, 2 for an unknown id, an unreadable file or an
/// unwritable `results.json` (said on `err`). Progress warnings go to `err`
/// too, so that `out` holds only the verdict.
pub fn check_file(
    course: &Course,
    id: &str,
    file: &Path,
    store: Option<&Store>,
    grading: &Grading,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let (verdict, queries) = match check_code(course, id, file) {
        Ok(v) => v,
        Err(e) => {
            let _ = writeln!(err, "{e}");
            if let Some(path) = &grading.gradescope
                && let Err(e) = grade::write_gradescope_error(path, &e)
            {
                let _ = writeln!(err, "{e}");
            }
            return 2;
        }
    };
    if let Err(e) = grade::write(out, grading.format, id, &verdict, queries) {
        let _ = writeln!(err, "cannot write the verdict: {e}");
        return 2;
    }
    if let Some(path) = &grading.gradescope
        && let Err(e) = grade::write_gradescope(path, id, &verdict)
    {
        let _ = writeln!(err, "{e}");
        return 2;
    }
    for w in record(store, id, verdict.passed) {
        let _ = writeln!(err, "warning: {w}");
    }
    if verdict.passed { 0 } else { 1 }
}

/// Reads the answer in `file` (`-`: stdin) and checks it: the verdict and
/// the statements the answer sent, or why it could not be checked.
fn check_code(course: &Course, id: &str, file: &Path) -> Result<(Verdict, usize), String> {
    let ex = course
        .exercise(id)
        .ok_or_else(|| unknown_exercise(course, id))?;
    let read = if file == Path::new("-") {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(file)
    };
    let code = read.map_err(|e| {
        let name = if file == Path::new("-") {
            "stdin".to_string()
        } else {
            file.display().to_string()
        };
        format!("cannot read {name}: {e}")
    })?;
    let mut sandbox = Sandbox::new()?;
    let (verdict, run) = sandbox
        .check_exercise(ex, &code)
        .map_err(|e| format!("cannot check the answer: {e}"))?;
    Ok((verdict, run.query_count()))
}

/// The message for an exercise id that does not exist.
pub fn unknown_exercise(course: &Course, id: &str) -> String {
    let known: Vec<&str> = course.exercises.keys().map(String::as_str).collect();
    let mut m = format!("no exercise '{id}'");
    if let Some(best) = known
        .iter()
        .copied()
        .max_by(|a, b| strsim::jaro(id, a).total_cmp(&strsim::jaro(id, b)))
        .filter(|b| strsim::jaro(id, b) > 0.75)
    {
        m.push_str(&format!("; did you mean '{best}'?"));
    } else if !known.is_empty() {
        m.push_str(&format!("; the exercises are: {}", known.join(", ")));
    }
    m
}

/// The exercise's statement: title, prompt, setup.
pub fn write_statement(ex: &Exercise, out: &mut dyn Write, style: Style) {
    let title = format!("Exercise {}: {}", ex.id, ex.title);
    let _ = writeln!(
        out,
        "{}\n",
        if style.color {
            title.bold().to_string()
        } else {
            title
        }
    );
    let _ = write!(out, "{}", text::render(&ex.prompt, style));
    if let (Some(setup), true) = (&ex.setup, ex.show_setup) {
        let _ = writeln!(out, "This set-up runs first, every time:");
        let _ = writeln!(out, "{}", text::code_block(setup, style));
    }
}

const HELP: &str = "Type code as in the REPL; it runs at once and is kept.\n  .check     run the set-up and your lines on a fresh database, and judge them\n  .hint      the next hint\n  .solution  a solution\n  .lines     the lines kept so far\n  .undo      forget the last entry\n  .reset     forget everything, fresh database\n  .quit      leave (progress is kept)\n  and the REPL's .sql .rows .timing .session .schema .tables .models,\n  .autogenerate .revision .upgrade .downgrade .stamp .current .history";

/// The exercise prompt. `inline` when it runs inside a lesson (then
/// `.skip` also leaves).
pub fn prompt(
    ex: &Exercise,
    input: &mut dyn LineSource,
    out: &mut dyn Write,
    style: Style,
    store: Option<&Store>,
    sandbox: &mut Sandbox,
) -> Ended {
    write_statement(ex, out, style);
    let _ = writeln!(
        out,
        "Commands: .check  .hint  .solution  .lines  .undo  .reset  .quit  (.help)\n"
    );
    let mut live = start_live(ex, out, style);
    let mut lines: Vec<String> = Vec::new();
    let mut hints = 0;
    loop {
        if let Some(t) = &live {
            input.update(t);
        }
        let Some(entry) = read_code(input, ">>> ") else {
            return Ended::Stopped;
        };
        let cmd = entry.trim();
        match cmd {
            "" => continue,
            ".skip" | "skip" => return Ended::Left,
            ".quit" | ".exit" | "quit" => return Ended::Stopped,
            ".help" | "help" => {
                let _ = writeln!(out, "{HELP}");
            }
            ".hint" | "hint" => match ex.hints.get(hints) {
                Some(h) => {
                    let hint = format!("Hint {}/{}: {h}", hints + 1, ex.hints.len());
                    let _ = write!(out, "{}", text::render(&hint, style));
                    hints += 1;
                }
                None if ex.hints.is_empty() => {
                    let _ = writeln!(out, "No hints for this one: try .solution.");
                }
                None => {
                    let _ = writeln!(out, "No more hints: .solution shows a solution.");
                }
            },
            ".solution" | "solution" => {
                let _ = writeln!(
                    out,
                    "A solution:\n{}",
                    text::code_block(&ex.solution, style)
                );
            }
            ".lines" => {
                if lines.is_empty() {
                    let _ = writeln!(out, "(no lines yet)");
                } else {
                    let _ = writeln!(out, "{}", text::code_block(&lines.join("\n"), style));
                }
            }
            ".undo" => match lines.pop() {
                Some(l) => {
                    let _ = writeln!(out, "Forgot: {}", l.lines().next().unwrap_or(""));
                    let _ = writeln!(
                        out,
                        "(the live session still has its effect; .check starts afresh)"
                    );
                }
                None => {
                    let _ = writeln!(out, "(no lines to forget)");
                }
            },
            ".reset" => {
                lines.clear();
                hints = 0;
                live = start_live(ex, out, style);
                let _ = writeln!(out, "Fresh database; no lines kept.");
            }
            ".check" | "check" => {
                let code = lines.join("\n");
                match sandbox.check_exercise(ex, &code) {
                    Ok((verdict, _)) => {
                        write_verdict(out, &verdict, style);
                        for w in record(store, &ex.id, verdict.passed) {
                            let _ = writeln!(out, "warning: {w}");
                        }
                        if verdict.passed {
                            let _ = writeln!(out, "Well done.");
                            return Ended::Passed;
                        }
                    }
                    Err(e) => {
                        let _ = writeln!(out, "cannot check: {e}");
                    }
                }
            }
            c if c.starts_with('.') => {
                let palette = crate::render::Palette { color: style.color };
                let shared = live.as_mut().and_then(|t| {
                    crate::repl::run_shared_meta(c, t, out, palette, Some(style.width))
                });
                if shared.is_none() {
                    let _ = writeln!(out, "unknown command {c}; .help lists them");
                }
            }
            _ => {
                let steps = match live.as_mut() {
                    Some(t) => t.run_entry(&entry),
                    None => Vec::new(),
                };
                let syntax = steps.iter().any(|s| {
                    s.error
                        .as_ref()
                        .is_some_and(|e| e.type_name == "SyntaxError")
                });
                for s in &steps {
                    let _ = write!(out, "{}", super::render::results(s, style.color));
                }
                if syntax {
                    let _ = writeln!(out, "(not kept: fix the syntax and type it again)");
                } else {
                    lines.push(entry);
                }
            }
        }
    }
}

/// A live tutor with the setup run, its steps shown when the setup is.
fn start_live(ex: &Exercise, out: &mut dyn Write, style: Style) -> Option<Tutor> {
    let fx = match Fixture::find(&ex.fixture) {
        Ok(f) => f,
        Err(e) => {
            let _ = writeln!(out, "cannot load fixture: {e}");
            return None;
        }
    };
    let mut t = match Tutor::start(fx, crate::tutor::live_target()) {
        Ok(t) => t,
        Err(e) => {
            let _ = writeln!(out, "cannot start: {e}");
            return None;
        }
    };
    if let Some(setup) = &ex.setup {
        let steps = t.run_script(setup);
        if ex.show_setup {
            for s in &steps {
                let _ = write!(out, "{}", super::render::step(s, style.color));
            }
            let _ = writeln!(out);
        }
    }
    Some(t)
}
