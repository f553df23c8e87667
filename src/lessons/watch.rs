//! `orm-tutor watch ID FILE`: checks an answer file again each time it is
//! saved, as rustlings' watch mode, printing the verdict every time, until
//! Ctrl-C. The file's folder is watched (editors often save by writing a
//! new file and renaming it over the old one), with events debounced by
//! `notify-debouncer-mini` so that one save gives one check.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify_debouncer_mini::{DebounceEventResult, new_debouncer, notify::RecursiveMode};

use super::exercise::Sandbox;
use super::load::Course;
use super::practice::{record, unknown_exercise, write_statement, write_verdict};
use super::progress::Store;
use super::text::Style;

/// How long a burst of file events is gathered into one save.
const DEBOUNCE: Duration = Duration::from_millis(200);

/// Watches `file` and checks it against exercise `id` at start (when it
/// exists) and after each save that changed it, writing `checking FILE…`
/// and the verdict (PASS, or FAIL with every reason) each time; each check counts in the
/// learner's progress when `store` is given. Returns only on an error
/// (unknown exercise, unwatchable folder): exit code 2, said on `err`.
pub fn watch(
    course: &Course,
    id: &str,
    file: &Path,
    store: Option<&Store>,
    style: Style,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let Some(ex) = course.exercise(id) else {
        let _ = writeln!(err, "{}", unknown_exercise(course, id));
        return 2;
    };
    let file: PathBuf = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    let folder = match file.parent() {
        Some(p) if p.is_dir() => p.to_path_buf(),
        _ => {
            let _ = writeln!(err, "{}: no such folder", file.display());
            return 2;
        }
    };
    let mut sandbox = match Sandbox::new() {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(err, "{e}");
            return 2;
        }
    };
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = match new_debouncer(DEBOUNCE, tx) {
        Ok(d) => d,
        Err(e) => {
            let _ = writeln!(err, "cannot watch files: {e}");
            return 2;
        }
    };
    if let Err(e) = debouncer
        .watcher()
        .watch(&folder, RecursiveMode::NonRecursive)
    {
        let _ = writeln!(err, "cannot watch {}: {e}", folder.display());
        return 2;
    }
    write_statement(ex, out, style);
    let _ = writeln!(
        out,
        "Watching {} for exercise {id}: save it to check it again; Ctrl-C stops.\n",
        file.display()
    );
    // one save can come as several events: the same text is not checked twice
    let mut last: Option<String> = None;
    let mut check = |out: &mut dyn Write| {
        let code = match std::fs::read_to_string(&file) {
            Ok(c) => c,
            Err(e) => {
                let _ = writeln!(out, "cannot read {}: {e}", file.display());
                return;
            }
        };
        if last.as_deref() == Some(code.as_str()) {
            return;
        }
        last = Some(code.clone());
        let _ = writeln!(out, "checking {}…", file.display());
        match sandbox.check_exercise(ex, &code) {
            Ok((v, _)) => {
                write_verdict(out, &v, style);
                for w in record(store, id, v.passed) {
                    let _ = writeln!(out, "warning: {w}");
                }
            }
            Err(e) => {
                let _ = writeln!(out, "cannot check: {e}");
            }
        }
        let _ = writeln!(out);
        let _ = out.flush();
    };
    if file.exists() {
        check(out);
    } else {
        let _ = writeln!(out, "(no {} yet: create it)", file.display());
        let _ = out.flush();
    }
    for events in rx {
        let touched = match events {
            Ok(events) => events.iter().any(|e| same_file(&e.path, &file)),
            Err(e) => {
                let _ = writeln!(err, "watching: {e}");
                false
            }
        };
        if touched && file.exists() {
            check(out);
        }
    }
    0
}

/// Whether an event's path is the watched file (the watcher may report a
/// canonical path, e.g. through a symlinked temporary folder).
fn same_file(event: &Path, file: &Path) -> bool {
    if event == file {
        return true;
    }
    match (event.file_name(), file.file_name()) {
        (Some(a), Some(b)) if a == b => {
            let canon = |p: &Path| p.parent().and_then(|d| d.canonicalize().ok());
            canon(event) == canon(file)
        }
        _ => false,
    }
}
