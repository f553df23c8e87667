//! `orm-tutor lessons --check`: loads the whole course, runs every demo and
//! prediction, holds every recorded prediction and claimed count to the
//! real run, runs every reference solution (it must pass) and every known
//! wrong answer (it must fail, for the reasons recorded).

use std::io::Write;
use std::path::Path;

use super::exercise::{Sandbox, judge};
use super::load::{Course, LoadedExercise, LoadedLesson};
use super::model::{Answer, Demo, Predict, Step, Try};
use super::runner::Notebook;
use crate::outcome::StepOutcome;

/// What the check found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub problems: Vec<String>,
    pub lessons: usize,
    pub steps: usize,
    pub demos: usize,
    pub predictions: usize,
    pub tries: usize,
    pub exercises: usize,
    pub wrong_answers: usize,
}

impl Report {
    pub fn summary(&self) -> String {
        format!(
            "{} lessons ({} steps: {} demos, {} predictions, {} tries), {} exercises ({} known wrong answers): {}",
            self.lessons,
            self.steps,
            self.demos,
            self.predictions,
            self.tries,
            self.exercises,
            self.wrong_answers,
            match self.problems.len() {
                0 => "all good".to_string(),
                1 => "1 problem".to_string(),
                n => format!("{n} problems"),
            }
        )
    }
}

/// The line of `source` (the text of `path`) where `needle` first appears,
/// as `path:line`.
fn at(path: &Path, source: &str, needle: &str) -> String {
    match source.find(needle) {
        Some(p) => format!(
            "{}:{}",
            path.display(),
            crate::fixture::line_col(source, p).0
        ),
        None => path.display().to_string(),
    }
}

/// Errors that are not the one expected.
fn error_problems(steps: &[StepOutcome], raises: Option<&str>) -> Vec<String> {
    let mut problems = Vec::new();
    let mut raised = false;
    for s in steps {
        if let Some(e) = &s.error {
            if Some(e.type_name.as_str()) == raises {
                raised = true;
            } else {
                problems.push(format!(
                    "line {} of its code raised {}: {}",
                    s.line,
                    e.type_name,
                    super::exercise::first_line(&e.message)
                ));
            }
        }
    }
    if let (Some(t), false) = (raises, raised) {
        problems.push(format!("should raise {t} but did not"));
    }
    problems
}

/// Checks the whole course; writes each problem and a summary.
pub fn check(course: &Course, out: &mut dyn Write) -> Report {
    let mut report = Report::default();
    for p in &course.problems {
        report.problems.push(p.to_string());
    }
    let mut sandbox = match Sandbox::new() {
        Ok(s) => Some(s),
        Err(e) => {
            report.problems.push(e);
            None
        }
    };
    for loaded in &course.lessons {
        check_lesson(&mut report, sandbox.as_mut(), loaded);
    }
    for (id, loaded) in &course.exercises {
        report.exercises += 1;
        let Some(sb) = sandbox.as_mut() else { continue };
        check_exercise(&mut report, sb, id, loaded);
    }
    for p in &report.problems {
        let _ = writeln!(out, "problem: {p}");
    }
    let _ = writeln!(out, "{}", report.summary());
    report
}

/// Runs a lesson's steps in order in one notebook: its demos, predictions
/// and tries.
fn check_lesson(report: &mut Report, mut sandbox: Option<&mut Sandbox>, loaded: &LoadedLesson) {
    let lesson = &loaded.lesson;
    report.lessons += 1;
    let mut nb = Notebook::new(&lesson.fixture);
    for (i, step) in lesson.steps.iter().enumerate() {
        report.steps += 1;
        let n = i + 1;
        match step {
            Step::Text(_) | Step::Exercise(_) => {}
            Step::Demo(d) => {
                report.demos += 1;
                let whence = format!(
                    "{}: lesson {} step {n} (Demo)",
                    at(&loaded.path, &loaded.source, &d.code),
                    lesson.id
                );
                check_demo(report, &mut nb, d, &whence);
            }
            Step::Predict(p) => {
                report.predictions += 1;
                let whence = format!(
                    "{}: lesson {} step {n} (Predict)",
                    at(&loaded.path, &loaded.source, &p.code),
                    lesson.id
                );
                check_predict(report, &mut nb, p, &whence);
            }
            Step::Try(t) => {
                report.tries += 1;
                let whence = format!(
                    "{}: lesson {} step {n} (Try)",
                    at(&loaded.path, &loaded.source, &t.solution),
                    lesson.id
                );
                let Some(sb) = sandbox.as_deref_mut() else {
                    continue;
                };
                check_try(report, sb, &lesson.fixture, t, &whence);
            }
        }
    }
}

/// A demo runs, raises only what it says, and runs the queries it claims.
fn check_demo(report: &mut Report, nb: &mut Notebook, d: &Demo, whence: &str) {
    match nb.run(&d.code, d.fresh) {
        Ok(steps) => {
            for p in error_problems(&steps, d.raises.as_deref()) {
                report.problems.push(format!("{whence}: {p}"));
            }
            let real: usize = steps.iter().map(|s| s.statements().count()).sum();
            if let Some(q) = d.queries
                && q != real
            {
                report
                    .problems
                    .push(format!("{whence}: claims {q} queries, the code ran {real}"));
            }
        }
        Err(e) => report.problems.push(format!("{whence}: cannot run: {e}")),
    }
}

/// A prediction runs, raises only what it says, and a recorded count
/// answer matches the queries it ran.
fn check_predict(report: &mut Report, nb: &mut Notebook, p: &Predict, whence: &str) {
    match nb.run(&p.code, p.fresh) {
        Ok(steps) => {
            for e in error_problems(&steps, p.raises.as_deref()) {
                report.problems.push(format!("{whence}: {e}"));
            }
            let real: usize = steps.iter().map(|s| s.statements().count()).sum();
            if let Answer::Count(c) = p.answer
                && c != real
            {
                report.problems.push(format!(
                    "{whence}: the recorded answer is Count({c}) but the code ran {real} queries"
                ));
            }
        }
        Err(e) => report.problems.push(format!("{whence}: cannot run: {e}")),
    }
}

/// A try's reference solution passes its own check.
fn check_try(report: &mut Report, sb: &mut Sandbox, fixture: &str, t: &Try, whence: &str) {
    match sb.reference(fixture, t.setup.as_deref(), &t.solution, &t.check) {
        Ok(run) => {
            let v = judge(&t.check, &run, &run);
            for r in v.reasons {
                report
                    .problems
                    .push(format!("{whence}: the solution fails: {r}"));
            }
        }
        Err(e) => report.problems.push(format!("{whence}: cannot run: {e}")),
    }
}

/// An exercise's reference solution passes, its setup parses, and each
/// known wrong answer fails for the reasons recorded.
fn check_exercise(report: &mut Report, sb: &mut Sandbox, id: &str, loaded: &LoadedExercise) {
    let ex = &loaded.exercise;
    let whence = |needle: &str| {
        format!(
            "{}: exercise {id}",
            at(&loaded.path, &loaded.source, needle)
        )
    };
    match sb.check_exercise(ex, &ex.solution) {
        Ok((v, run)) => {
            for r in v.reasons {
                report.problems.push(format!(
                    "{}: the reference solution fails: {r}",
                    whence(&ex.solution)
                ));
            }
            for s in &run.setup {
                if let Some(e) = &s.error
                    && e.type_name == "SyntaxError"
                {
                    report.problems.push(format!(
                        "{}: the setup has a syntax error: {}",
                        whence("setup"),
                        e.message
                    ));
                }
            }
        }
        Err(e) => report
            .problems
            .push(format!("{}: cannot run: {e}", whence(&ex.solution))),
    }
    for w in &ex.wrong {
        report.wrong_answers += 1;
        match sb.check_exercise(ex, &w.code) {
            Ok((v, _)) => {
                if v.passed {
                    report.problems.push(format!(
                        "{}: a known wrong answer passes (it must fail: {})",
                        whence(&w.code),
                        w.reason
                    ));
                } else {
                    if v.mistake.as_deref() != Some(w.reason.as_str()) {
                        report.problems.push(format!(
                            "{}: a known wrong answer fails, but its verdict does not name its mistake ({}); it names: {}",
                            whence(&w.code),
                            w.reason,
                            v.mistake.as_deref().unwrap_or("none")
                        ));
                    }
                    let all = v.reasons.join("\n");
                    for e in &w.expect {
                        if !all.contains(e.as_str()) {
                            report.problems.push(format!(
                                "{}: a known wrong answer fails, but no reason mentions '{e}'; the reasons: {}",
                                whence(&w.code),
                                v.reasons.join(" | ")
                            ));
                        }
                    }
                }
            }
            Err(e) => report
                .problems
                .push(format!("{}: cannot run: {e}", whence(&w.code))),
        }
    }
}
