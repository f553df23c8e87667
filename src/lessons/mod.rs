//! The course: lessons (`lessons/*.ron`) and practice exercises
//! (`lessons/exercises/*.ron`), their loading and checking, the learner's
//! progress, and the commands that run them.
//!
//! Entry points for the command line (each returns the exit code):
//!
//! | command | function |
//! | --- | --- |
//! | `orm-tutor lesson ID [--restart] [--step N] [--print]` | [`run_lesson`] |
//! | `orm-tutor lessons` | [`list_lessons`] |
//! | `orm-tutor lessons --check` | [`check_all`] |
//! | `orm-tutor exercises` | [`list_exercises`] |
//! | `orm-tutor exercise ID` | [`open_exercise`] |
//! | `orm-tutor exercise ID --answer FILE [--format F] [--gradescope P]` | [`check_answer`] |
//! | `orm-tutor exercises --check-all DIR [--format F]` | [`check_folder`] |
//! | `orm-tutor watch ID FILE` | [`watch_answer`] |
//!
//! Each takes `lessons`, the folder given with `--lessons DIR` (`None`: the
//! course built into the binary, see [`Course::load`]). The `*_with`
//! variants take the course, the input, the output and the progress store
//! explicitly (tests drive them with [`ScriptedLines`]).

pub mod batch;
pub mod check;
pub mod exercise;
pub mod grade;
pub mod input;
pub mod load;
pub mod model;
pub mod practice;
pub mod progress;
pub mod render;
pub mod runner;
pub mod terminal;
pub mod text;
pub mod watch;

use std::io::{IsTerminal, Write};
use std::path::Path;

pub use input::{LineSource, ScriptedLines, StdinLines};
pub use load::{Course, LoadError};
pub use progress::{Progress, Store};
pub use runner::Options;
pub use text::Style;

fn warn_problems(course: &Course, out: &mut dyn Write) {
    for p in &course.problems {
        let _ = writeln!(out, "warning: {p}");
    }
}

/// `orm-tutor lesson ID [--restart] [--step N] [--print]`: runs a lesson in
/// the terminal (from step `step`, 1-based, when given), resuming where the
/// learner left off unless `restart`; with
/// `print`, or when standard input is not a terminal, writes the whole
/// lesson (demos run) without colors.
pub fn run_lesson(
    lessons: Option<&Path>,
    id: &str,
    restart: bool,
    step: Option<usize>,
    print: bool,
    out: &mut dyn Write,
) -> i32 {
    let course = Course::load(lessons);
    let print = print || !std::io::stdin().is_terminal();
    if !print {
        warn_problems(&course, out);
    }
    let store = Store::default_store();
    let style = Style::terminal();
    let opts = Options {
        restart,
        print,
        style,
        step,
    };
    if print {
        return runner::run(&course, id, opts, &mut StdinLines, out, store.as_ref());
    }
    catch_interrupts();
    render::set_on_terminal(std::io::stdout().is_terminal());
    match terminal::TerminalLines::start(crate::render::Palette { color: style.color }) {
        Ok(mut input) => runner::run(&course, id, opts, &mut input, out, store.as_ref()),
        Err(e) => {
            let _ = writeln!(out, "orm-tutor: {e}");
            runner::run(&course, id, opts, &mut StdinLines, out, store.as_ref())
        }
    }
}

/// Ctrl-C while code runs raises `KeyboardInterrupt` in it, as in the
/// REPL; at a prompt the line editor reads it as a key.
fn catch_interrupts() {
    let _ = ctrlc::set_handler(crate::engine::interrupt);
}

/// [`run_lesson`] with everything given.
pub fn run_lesson_with(
    course: &Course,
    id: &str,
    opts: Options,
    input: &mut dyn LineSource,
    out: &mut dyn Write,
    store: Option<&Store>,
) -> i32 {
    runner::run(course, id, opts, input, out, store)
}

/// `orm-tutor lessons`: the lessons with the learner's progress; a lesson
/// file that did not load is listed as `broken`, with its errors.
pub fn list_lessons(lessons: Option<&Path>, out: &mut dyn Write) -> i32 {
    list_lessons_with(&Course::load(lessons), Store::default_store().as_ref(), out)
}

/// [`list_lessons`] with everything given.
pub fn list_lessons_with(course: &Course, store: Option<&Store>, out: &mut dyn Write) -> i32 {
    let (progress, warnings) = store.map(Store::load).unwrap_or_default();
    for w in warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    for p in course
        .problems
        .iter()
        .filter(|p| !course.broken_lessons.contains(&p.path))
    {
        let _ = writeln!(out, "warning: {p}");
    }
    // loaded and broken lessons, in course order
    let mut rows: Vec<(String, Vec<String>)> = course
        .lessons
        .iter()
        .map(|l| {
            let status = match progress.lessons.get(&l.lesson.id) {
                Some(p) if p.finished => "done".to_string(),
                Some(p) => format!("{}/{}", p.step + 1, l.lesson.steps.len()),
                None => "new".to_string(),
            };
            let line = format!("{status:>6}  {:<8} {}", l.lesson.id, l.lesson.title);
            (l.lesson.id.clone(), vec![line])
        })
        .collect();
    for path in &course.broken_lessons {
        let id = load::file_stem(path);
        let mut lines: Vec<String> = course
            .problems_of(path)
            .map(|p| format!("{:>6}  {:<8} {p}", "", ""))
            .collect();
        if let Some(first) = lines.first_mut() {
            *first = format!("broken  {id:<8} {}", first.trim_start());
        }
        rows.push((id, lines));
    }
    rows.sort_by(|a, b| load::lesson_order(&a.0, &b.0));
    for line in rows.iter().flat_map(|(_, lines)| lines) {
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out, "\nStart one with: orm-tutor lesson ID");
    0
}

/// `orm-tutor lessons --check`: checks the whole course (see [`check`]);
/// 0 when everything holds, 1 otherwise (a file that does not load is a
/// problem).
pub fn check_all(lessons: Option<&Path>, out: &mut dyn Write) -> i32 {
    check_course(&Course::load(lessons), out)
}

/// [`check_all`] on a given course.
pub fn check_course(course: &Course, out: &mut dyn Write) -> i32 {
    let report = check::check(course, out);
    if report.problems.is_empty() { 0 } else { 1 }
}

/// `orm-tutor exercises`: every exercise with the learner's progress.
pub fn list_exercises(lessons: Option<&Path>, out: &mut dyn Write) -> i32 {
    let style = Style::terminal();
    practice::list(
        &Course::load(lessons),
        Store::default_store().as_ref(),
        out,
        style,
    )
}

/// `orm-tutor exercise ID`: the exercise's prompt, reading lines from
/// standard input (`.check`, `.hint`, `.solution`, `.quit`). 0 when the
/// learner passed or left, 2 for an unknown id.
pub fn open_exercise(lessons: Option<&Path>, id: &str, out: &mut dyn Write) -> i32 {
    let course = Course::load(lessons);
    warn_problems(&course, out);
    let store = Store::default_store();
    let style = Style::terminal();
    let mut terminal = if std::io::stdin().is_terminal() {
        catch_interrupts();
        render::set_on_terminal(std::io::stdout().is_terminal());
        terminal::TerminalLines::start(crate::render::Palette { color: style.color })
            .ok()
            .map(terminal::TerminalLines::for_exercise)
    } else {
        None
    };
    let input: &mut dyn LineSource = match terminal {
        Some(ref mut t) => t,
        None => &mut StdinLines,
    };
    open_exercise_with(&course, id, input, out, store.as_ref(), style)
}

/// [`open_exercise`] with everything given.
pub fn open_exercise_with(
    course: &Course,
    id: &str,
    input: &mut dyn LineSource,
    out: &mut dyn Write,
    store: Option<&Store>,
    style: Style,
) -> i32 {
    let Some(ex) = course.exercise(id) else {
        let _ = writeln!(out, "{}", practice::unknown_exercise(course, id));
        return 2;
    };
    let mut sandbox = match exercise::Sandbox::new() {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(out, "{e}");
            return 2;
        }
    };
    practice::prompt(ex, input, out, style, store, &mut sandbox);
    0
}

/// `orm-tutor exercise ID --answer FILE` (`-`: stdin): prints the verdict
/// on `out` in `grading`'s format (text: PASS, or FAIL with every reason)
/// and writes Gradescope's `results.json` when asked; 0 on PASS, 1 on FAIL,
/// 2 for an unknown id or unreadable file (said on `err`). The check counts
/// in the learner's progress when `record`.
pub fn check_answer(
    lessons: Option<&Path>,
    id: &str,
    file: &Path,
    record: bool,
    grading: &grade::Grading,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let course = Course::load(lessons);
    let store = if record { Store::default_store() } else { None };
    practice::check_file(&course, id, file, store.as_ref(), grading, out, err)
}

/// [`check_answer`] with everything given.
pub fn check_answer_with(
    course: &Course,
    id: &str,
    file: &Path,
    store: Option<&Store>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    practice::check_file(
        course,
        id,
        file,
        store,
        &grade::Grading::default(),
        out,
        err,
    )
}

/// `orm-tutor exercises --check-all DIR [--format text|json]`: grades
/// `DIR/ID.py` for every exercise (see [`batch::check_all`]); 0 when all
/// pass, 1 otherwise, 2 when DIR cannot be read. Counts in the learner's
/// progress when `record`.
pub fn check_folder(
    lessons: Option<&Path>,
    dir: &Path,
    format: batch::Format,
    record: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let course = Course::load(lessons);
    let store = if record { Store::default_store() } else { None };
    batch::check_all(&course, dir, format, store.as_ref(), out, err)
}

/// `orm-tutor watch ID FILE`: checks FILE against exercise ID on every save
/// until Ctrl-C (see [`watch::watch`]); 2 for an unknown exercise or a
/// folder that cannot be watched. Counts in the learner's progress when
/// `record`.
pub fn watch_answer(
    lessons: Option<&Path>,
    id: &str,
    file: &Path,
    record: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let course = Course::load(lessons);
    let store = if record { Store::default_store() } else { None };
    watch::watch(
        &course,
        id,
        file,
        store.as_ref(),
        Style::terminal(),
        out,
        err,
    )
}
