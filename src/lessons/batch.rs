//! `orm-tutor exercises --check-all DIR`: grades a folder of answers, one
//! file `ID.py` per exercise, as rustlings' `check-all` does: a line per
//! exercise of the course (`PASS`, `FAIL` with its first reason, or
//! `missing`), or one JSON object with `--format json`.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use super::exercise::{CheckResult, Sandbox, Verdict};
use super::load::Course;
use super::practice::record;
use super::progress::Store;

/// How `--check-all` prints its results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// A line per exercise: `PASS  ID`, `FAIL  ID  reason`, `missing  ID`.
    #[default]
    Text,
    /// One object: `{"passed", "total", "passed_count", "exercises":
    /// [{"exercise", "status", "reasons", "mistake"?, "queries"?,
    /// "checks"}]}`, `status` one of `pass`, `fail`, `missing`, `error`.
    Json,
}

/// One exercise's result.
#[derive(Debug, Serialize)]
pub struct Graded {
    pub exercise: String,
    /// `pass`, `fail`, `missing` (no `ID.py`), or `error` (unreadable, or
    /// the check could not run).
    pub status: &'static str,
    /// Why it failed, or the error; empty on a pass.
    pub reasons: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mistake: Option<String>,
    /// Statements the answer's own code sent (when it ran).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queries: Option<usize>,
    pub checks: Vec<CheckResult>,
}

#[derive(Serialize)]
struct Summary<'a> {
    /// Every exercise passed.
    passed: bool,
    total: usize,
    passed_count: usize,
    exercises: &'a [Graded],
}

/// Grades every exercise of `course` against `DIR/ID.py`, in course order
/// (the order the lessons use them, then the others by id); files of the
/// folder that name no exercise are warned about on `err`. Exit code: 0 when
/// every exercise passes, 1 otherwise, 2 when the folder cannot be read.
/// Each graded answer counts in the learner's progress when `store` is
/// given.
pub fn check_all(
    course: &Course,
    dir: &Path,
    format: Format,
    store: Option<&Store>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            let _ = writeln!(err, "cannot read {}: {e}", dir.display());
            return 2;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "py")
            && let Some(stem) = path.file_stem().and_then(|s| s.to_str())
            && course.exercise(stem).is_none()
        {
            let _ = writeln!(
                err,
                "warning: {} is not graded: {}",
                path.display(),
                super::practice::unknown_exercise(course, stem)
            );
        }
    }
    let mut sandbox = match Sandbox::new() {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(err, "{e}");
            return 2;
        }
    };
    let width = course.exercises.keys().map(|k| k.len()).max().unwrap_or(0);
    let mut results = Vec::new();
    for id in course_order(course) {
        let g = grade_one(course, &id, &dir.join(format!("{id}.py")), &mut sandbox);
        if matches!(g.status, "pass" | "fail") {
            for w in record(store, &id, g.status == "pass") {
                let _ = writeln!(err, "warning: {w}");
            }
        }
        if format == Format::Text {
            let why = g.reasons.first().map(String::as_str).unwrap_or_default();
            let head = match g.status {
                "pass" => "PASS",
                "fail" => "FAIL",
                "missing" => "missing",
                _ => "error",
            };
            let line = format!("{head:<8} {id:<width$}  {why}");
            let _ = writeln!(out, "{}", line.trim_end());
        }
        results.push(g);
    }
    let passed_count = results.iter().filter(|g| g.status == "pass").count();
    let all = passed_count == results.len();
    match format {
        Format::Text => {
            let _ = writeln!(
                out,
                "\n{passed_count} of {} exercises pass ({} answers in {}).",
                results.len(),
                results.iter().filter(|g| g.status != "missing").count(),
                dir.display()
            );
        }
        Format::Json => {
            let s = Summary {
                passed: all,
                total: results.len(),
                passed_count,
                exercises: &results,
            };
            if serde_json::to_writer_pretty(&mut *out, &s).is_err() {
                return 2;
            }
            let _ = writeln!(out);
        }
    }
    if all { 0 } else { 1 }
}

/// One answer file graded.
fn grade_one(course: &Course, id: &str, file: &Path, sandbox: &mut Sandbox) -> Graded {
    let result = |status, reasons: Vec<String>| Graded {
        exercise: id.to_string(),
        status,
        reasons,
        mistake: None,
        queries: None,
        checks: Vec::new(),
    };
    let Some(ex) = course.exercise(id) else {
        return result("error", vec![format!("no exercise '{id}'")]);
    };
    let code = match std::fs::read_to_string(file) {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return result("missing", vec![format!("no {}", file.display())]);
        }
        Err(e) => {
            return result(
                "error",
                vec![format!("cannot read {}: {e}", file.display())],
            );
        }
    };
    match sandbox.check_exercise(ex, &code) {
        Ok((v, run)) => graded(id, v, run.query_count()),
        Err(e) => result("error", vec![format!("cannot check the answer: {e}")]),
    }
}

fn graded(id: &str, v: Verdict, queries: usize) -> Graded {
    Graded {
        exercise: id.to_string(),
        status: if v.passed { "pass" } else { "fail" },
        reasons: v.reasons,
        mistake: v.mistake,
        queries: Some(queries),
        checks: v.checks,
    }
}

/// The exercises in course order: as the lessons use them (lessons in
/// course order), then the ones no lesson uses, by id.
pub fn course_order(course: &Course) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for l in &course.lessons {
        for s in &l.lesson.steps {
            if let super::model::Step::Exercise(e) = s
                && course.exercises.contains_key(e)
                && !ids.contains(e)
            {
                ids.push(e.clone());
            }
        }
    }
    for id in course.exercises.keys() {
        if !ids.contains(id) {
            ids.push(id.clone());
        }
    }
    ids
}
