//! Checking an answer: the setup and the answer run on a fresh database of
//! their own (a SQLite file in a scratch folder, so that what was committed
//! can be told from what was not), the state probes run afterwards in a new
//! session on what was committed, and the result is held against the
//! reference solution's run. Reasons are given in the learner's terms.

use std::collections::HashMap;
use std::path::PathBuf;

use super::model::{Check, Exercise, Probe, Try, WrongAnswer};
use crate::fixture::Fixture;
use crate::outcome::{Cause, StepOutcome};
use crate::tutor::{DbTarget, Tutor};

/// A scratch folder for the databases of answers; reference runs are
/// remembered so that checking again is quick.
pub struct Sandbox {
    dir: tempfile::TempDir,
    /// A seeded database file per fixture, copied for each run.
    templates: HashMap<String, PathBuf>,
    runs: usize,
    references: HashMap<String, Run>,
}

/// What one run of setup + code did.
#[derive(Debug, Clone)]
pub struct Run {
    pub setup: Vec<StepOutcome>,
    pub steps: Vec<StepOutcome>,
    /// Each probe's output afterwards (errors included, as text).
    pub state: Vec<(String, String)>,
    /// When a `SessionUsable` check asked and `session` was not usable
    /// after the code: the error a query in it raised.
    pub session_error: Option<crate::outcome::ErrorReport>,
}

impl Run {
    /// What the answer's own steps printed.
    pub fn stdout(&self) -> String {
        self.steps.iter().map(|s| s.stdout.as_str()).collect()
    }

    /// The answer's own statements (not the setup's).
    pub fn query_count(&self) -> usize {
        self.steps.iter().map(|s| s.statements().count()).sum()
    }
}

/// PASS or FAIL, with every reason.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub passed: bool,
    /// Every check's reasons, in check order, each once.
    pub reasons: Vec<String>,
    /// One result per check (one per probe for a `SameState`), in order:
    /// what the autograder formats report (`lessons::grade`).
    pub checks: Vec<CheckResult>,
    /// The known wrong answer (`WrongAnswer::reason`) this failing answer
    /// matches, if any: see [`known_mistake`].
    pub mistake: Option<String>,
}

/// How an answer did on one check.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CheckResult {
    /// `no error`, `at most 2 queries`, `same output`, `same state: the users`.
    pub name: String,
    pub passed: bool,
    /// Why it failed (its reasons joined by newlines); empty when it passed.
    pub message: String,
    /// Statements the answer's own code sent (known for a query limit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queries_used: Option<usize>,
    /// The most the check allows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queries_allowed: Option<usize>,
    /// The reasons, while [`judge`] gathers them into the verdict's.
    #[serde(skip)]
    reasons: Vec<String>,
}

impl CheckResult {
    fn new(name: String, reasons: Vec<String>) -> CheckResult {
        CheckResult {
            name,
            passed: reasons.is_empty(),
            message: reasons.join("\n"),
            queries_used: None,
            queries_allowed: None,
            reasons,
        }
    }
}

impl Sandbox {
    pub fn new() -> Result<Sandbox, String> {
        let dir = tempfile::Builder::new()
            .prefix("orm-tutor-")
            .tempdir()
            .map_err(|e| format!("cannot make a scratch folder: {e}"))?;
        Ok(Sandbox {
            dir,
            templates: HashMap::new(),
            runs: 0,
            references: HashMap::new(),
        })
    }

    /// A new database file for `fx`, seeded; `key` names its template
    /// (the fixture, and which dataset).
    fn fresh_db(&mut self, fx: &Fixture, key: &str) -> Result<PathBuf, String> {
        let template = match self.templates.get(key) {
            Some(t) => t.clone(),
            None => {
                let n = self.templates.len();
                let t = self.dir.path().join(format!("template-{n}.sqlite"));
                drop(
                    Tutor::start(fx.clone(), DbTarget::File(t.clone()))
                        .map_err(|e| e.to_string())?,
                );
                self.templates.insert(key.to_string(), t.clone());
                t
            }
        };
        self.runs += 1;
        let path = self.dir.path().join(format!("run-{}.sqlite", self.runs));
        std::fs::copy(&template, &path).map_err(|e| format!("cannot copy the database: {e}"))?;
        Ok(path)
    }

    /// Runs `setup` then `code` on a fresh database of `fixture`'s first
    /// dataset, then the probes in a new session on what was committed.
    pub fn run(
        &mut self,
        fixture: &str,
        setup: Option<&str>,
        code: &str,
        probes: &[Probe],
    ) -> Result<Run, String> {
        let fx = Fixture::find(fixture).map_err(|e| e.to_string())?;
        let looks = Looks {
            probes: probes.to_vec(),
            session_usable: false,
        };
        self.run_on(&fx, Dataset::First, setup, code, &looks)
    }

    /// [`Sandbox::run`] on one dataset of `fx`. The run has a thread of its
    /// own: the ORM keeps its live sessions per thread, and a tutor running
    /// beside another one in the same thread would find the other's
    /// sessions.
    fn run_on(
        &mut self,
        fx: &Fixture,
        dataset: Dataset,
        setup: Option<&str>,
        code: &str,
        looks: &Looks,
    ) -> Result<Run, String> {
        let path = self.fresh_db(fx, &dataset.key(&fx.name))?;
        let fx = fx.clone();
        let result = std::thread::scope(|scope| {
            let handle = std::thread::Builder::new()
                .name("orm-tutor-check".into())
                .stack_size(64 * 1024 * 1024)
                .spawn_scoped(scope, || run_isolated(fx, &path, setup, code, looks));
            match handle {
                Ok(h) => h
                    .join()
                    .unwrap_or_else(|_| Err("the check stopped unexpectedly".into())),
                Err(e) => Err(format!("cannot start the check: {e}")),
            }
        });
        let _ = std::fs::remove_file(&path);
        result
    }

    /// The reference run of an exercise or a Try step (remembered).
    pub fn reference(
        &mut self,
        fixture: &str,
        setup: Option<&str>,
        solution: &str,
        checks: &[Check],
    ) -> Result<Run, String> {
        let fx = Fixture::find(fixture).map_err(|e| e.to_string())?;
        self.reference_on(&fx, Dataset::First, setup, solution, checks)
    }

    fn reference_on(
        &mut self,
        fx: &Fixture,
        dataset: Dataset,
        setup: Option<&str>,
        solution: &str,
        checks: &[Check],
    ) -> Result<Run, String> {
        let key = format!(
            "{}\u{0}{}\u{0}{solution}",
            dataset.key(&fx.name),
            setup.unwrap_or("")
        );
        if let Some(r) = self.references.get(&key) {
            return Ok(r.clone());
        }
        let run = self.run_on(fx, dataset, setup, solution, &Looks::of(checks))?;
        self.references.insert(key, run.clone());
        Ok(run)
    }

    /// Checks an answer to an exercise. A failing answer that matches one
    /// of the exercise's known wrong answers ([`known_mistake`]) has that
    /// answer's reason as its first reason: `a known mistake: …`.
    pub fn check_exercise(&mut self, ex: &Exercise, code: &str) -> Result<(Verdict, Run), String> {
        let (mut verdict, run) = self.check(
            &ex.fixture,
            ex.setup.as_deref(),
            &ex.solution,
            &ex.checks,
            code,
        )?;
        if let Some(w) = known_mistake(&ex.wrong, &verdict) {
            verdict
                .reasons
                .insert(0, format!("{KNOWN_MISTAKE}{}", w.reason));
            verdict.mistake = Some(w.reason.clone());
        }
        Ok((verdict, run))
    }

    /// Checks an answer to a lesson's Try step.
    pub fn check_try(
        &mut self,
        fixture: &str,
        t: &Try,
        code: &str,
    ) -> Result<(Verdict, Run), String> {
        self.check(fixture, t.setup.as_deref(), &t.solution, &t.check, code)
    }

    /// Holds `code` to `checks` against the reference `solution`, on the
    /// fixture's first dataset and then, when it passed there and the
    /// fixture has one, on its second dataset ([`Fixture::perturbed`]): an
    /// answer that prints or saves what it copied from the first dataset
    /// fails there. The run returned is the first dataset's.
    fn check(
        &mut self,
        fixture: &str,
        setup: Option<&str>,
        solution: &str,
        checks: &[Check],
        code: &str,
    ) -> Result<(Verdict, Run), String> {
        let fx = Fixture::find(fixture).map_err(|e| e.to_string())?;
        let reference = self.reference_on(&fx, Dataset::First, setup, solution, checks)?;
        let answer = self.run_on(&fx, Dataset::First, setup, code, &Looks::of(checks))?;
        let verdict = judge(checks, &reference, &answer);
        if !verdict.passed {
            return Ok((verdict, answer));
        }
        let Some(second) = fx.perturbed().map_err(|e| e.to_string())? else {
            return Ok((verdict, answer));
        };
        let reference2 = self.reference_on(&second, Dataset::Second, setup, solution, checks)?;
        let answer2 = self.run_on(&second, Dataset::Second, setup, code, &Looks::of(checks))?;
        Ok((
            on_second_dataset(judge(checks, &reference2, &answer2)),
            answer,
        ))
    }
}

/// What a run looks at after the code: the probes, in a new session on
/// what was committed, and whether `session` is still usable.
#[derive(Debug, Clone, Default)]
pub struct Looks {
    pub probes: Vec<Probe>,
    /// Run [`SESSION_PROBE`] in the code's own session afterwards.
    pub session_usable: bool,
}

impl Looks {
    /// What `checks` need.
    pub fn of(checks: &[Check]) -> Looks {
        Looks {
            probes: probes_of(checks),
            session_usable: checks.iter().any(|c| matches!(c, Check::SessionUsable)),
        }
    }
}

/// What `SessionUsable` runs in the answer's session after it: SQLAlchemy
/// 2.0's `session.execute(select(1))`, written with `text()`.
pub const SESSION_PROBE: &str = "session.execute(text(\"SELECT 1\"))";

/// What the reason of a matched known wrong answer begins with.
pub const KNOWN_MISTAKE: &str = "a known mistake: ";

/// The known wrong answer a failing verdict matches: one whose `expect`
/// texts all appear in the verdict's reasons (answers without `expect`
/// never match); of several, the most specific: the one with the most
/// texts, then the longest texts together. `None` for a passing verdict.
pub fn known_mistake<'a>(wrong: &'a [WrongAnswer], v: &Verdict) -> Option<&'a WrongAnswer> {
    if v.passed {
        return None;
    }
    let all = v.reasons.join("\n");
    let mut best: Option<(&WrongAnswer, (usize, usize))> = None;
    for w in wrong {
        if w.expect.is_empty() || !w.expect.iter().all(|e| all.contains(e.as_str())) {
            continue;
        }
        let weight = (
            w.expect.len(),
            w.expect.iter().map(|e| e.chars().count()).sum::<usize>(),
        );
        if best.is_none_or(|(_, b)| weight > b) {
            best = Some((w, weight));
        }
    }
    best.map(|(w, _)| w)
}

/// Which rows a check's database is seeded with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dataset {
    /// `data.ron`: what the learner sees.
    First,
    /// `data.perturbed.ron`: other rows, to catch copied answers.
    Second,
}

impl Dataset {
    fn key(self, fixture: &str) -> String {
        match self {
            Dataset::First => fixture.to_string(),
            Dataset::Second => format!("{fixture}+perturbed"),
        }
    }
}

/// What the reasons of a run on the second dataset say first.
pub const SECOND_DATASET: &str =
    "with other rows in the database (the same task on a second dataset)";

/// A verdict on the second dataset, its reasons saying so.
fn on_second_dataset(mut v: Verdict) -> Verdict {
    let tag = |r: &str| format!("{SECOND_DATASET}: {r}");
    v.reasons = v.reasons.iter().map(|r| tag(r)).collect();
    for c in v.checks.iter_mut().filter(|c| !c.passed) {
        c.message = c.message.lines().map(tag).collect::<Vec<_>>().join("\n");
    }
    v
}

/// One run, in the calling thread (see [`Sandbox::run`]).
fn run_isolated(
    fx: Fixture,
    path: &std::path::Path,
    setup: Option<&str>,
    code: &str,
    looks: &Looks,
) -> Result<Run, String> {
    let (setup_steps, steps, session_error) = {
        let mut tutor = Tutor::start(fx.clone(), DbTarget::File(path.to_path_buf()))
            .map_err(|e| e.to_string())?;
        let setup_steps = setup.map(|s| tutor.run_script(s)).unwrap_or_default();
        let steps = tutor.run_script(code);
        let session_error = if looks.session_usable {
            tutor
                .run_script(SESSION_PROBE)
                .into_iter()
                .find_map(|s| s.error)
        } else {
            None
        };
        (setup_steps, steps, session_error)
        // the tutor and its connection end here: whatever was not
        // committed is gone
    };
    let probes = &looks.probes;
    let mut state = Vec::new();
    if !probes.is_empty() {
        let mut tutor =
            Tutor::start(fx, DbTarget::File(path.to_path_buf())).map_err(|e| e.to_string())?;
        for p in probes {
            let mut out = String::new();
            for s in tutor.run_script(&p.code) {
                out.push_str(&s.stdout);
                if let Some(e) = &s.error {
                    out.push_str(&format!("{}: {}\n", e.type_name, first_line(&e.message)));
                }
            }
            state.push((p.what.clone(), out));
        }
    }
    Ok(Run {
        setup: setup_steps,
        steps,
        state,
        session_error,
    })
}

/// Every probe of the checks, in order.
pub fn probes_of(checks: &[Check]) -> Vec<Probe> {
    checks
        .iter()
        .flat_map(|c| match c {
            Check::SameState(p) => p.clone(),
            _ => Vec::new(),
        })
        .collect()
}

/// Holds `answer` to the checks, with `reference` as the model.
pub fn judge(checks: &[Check], reference: &Run, answer: &Run) -> Verdict {
    let mut results = Vec::new();
    for check in checks {
        match check {
            Check::NoError => {
                let reasons = answer
                    .steps
                    .iter()
                    .filter_map(|s| s.error.as_ref().map(|e| error_reason(s.line, e)))
                    .collect();
                results.push(CheckResult::new("no error".into(), reasons));
            }
            Check::MaxQueries(max) => {
                let n = answer.query_count();
                let mut reasons = Vec::new();
                if n > *max {
                    reasons.push(format!(
                        "ran {n} {}, at most {max} allowed: {}",
                        plural(n, "query", "queries"),
                        explain_queries(&answer.steps)
                    ));
                }
                let name = format!("at most {max} {}", plural(*max, "query", "queries"));
                let mut r = CheckResult::new(name, reasons);
                r.queries_used = Some(n);
                r.queries_allowed = Some(*max);
                results.push(r);
            }
            Check::SameOutput => {
                let reasons = output_difference(&reference.stdout(), &answer.stdout());
                results.push(CheckResult::new(
                    "same output".into(),
                    reasons.into_iter().collect(),
                ));
            }
            Check::SameState(probes) => {
                for p in probes {
                    let find = |run: &Run| {
                        run.state
                            .iter()
                            .find(|(w, _)| *w == p.what)
                            .map(|(_, o)| o.clone())
                            .unwrap_or_default()
                    };
                    let reasons = state_difference(&p.what, &find(reference), &find(answer));
                    results.push(CheckResult::new(
                        format!("same state: {}", p.what),
                        reasons.into_iter().collect(),
                    ));
                }
            }
            Check::SessionUsable => {
                let reasons = answer.session_error.iter().map(unusable_session_reason);
                results.push(CheckResult::new(
                    "session usable afterwards".into(),
                    reasons.collect(),
                ));
            }
        }
    }
    // the same reason twice (two probes seeing one row) reads badly
    let mut reasons: Vec<String> = Vec::new();
    for r in results.iter_mut() {
        for reason in std::mem::take(&mut r.reasons) {
            if !reasons.contains(&reason) {
                reasons.push(reason);
            }
        }
    }
    Verdict {
        passed: reasons.is_empty(),
        reasons,
        checks: results,
        mistake: None,
    }
}

/// `session is not usable after your code: a query in it raised
/// PendingRollbackError: … — call session.rollback() after a failed commit`.
fn unusable_session_reason(e: &crate::outcome::ErrorReport) -> String {
    let message = short_message(e);
    let mut s = format!(
        "`session` is not usable after your code: a query in it raised {}: {message}",
        e.type_name
    );
    if let Some(advice) = advice_for(&e.type_name) {
        s.push_str(" — ");
        s.push_str(advice);
    }
    s
}

/// `raised PendingRollbackError: … — call session.rollback() after a failed commit`.
pub fn error_reason(line: usize, e: &crate::outcome::ErrorReport) -> String {
    let message = short_message(e);
    let mut s = format!("line {line} raised {}: {message}", e.type_name);
    if let Some(advice) = advice_for(&e.type_name)
        .map(str::to_string)
        .or_else(|| e.hint.clone())
    {
        s.push_str(" — ");
        s.push_str(&advice);
    }
    s
}

/// An exception's message for a reason: its first line, up to its first
/// sentence when that line is long.
fn short_message(e: &crate::outcome::ErrorReport) -> String {
    let message = crate::trace::clean_text(first_line(&e.message));
    match message.find(". ") {
        Some(p) if message.chars().count() > 140 => message[..p].to_string(),
        _ => shorten(&message, 140),
    }
}

/// What to do about an exception, in plain words.
pub fn advice_for(type_name: &str) -> Option<&'static str> {
    Some(match type_name {
        "PendingRollbackError" => "call session.rollback() after a failed commit",
        "DetachedInstanceError" => {
            "the object's session is closed: load what you need while it is open, or query again in a live session"
        }
        "IntegrityError" => "the database refused the row; roll back, then fix the data",
        "MultipleResultsFound" => "one() wants exactly one row: filter more, or use first()",
        "NoResultFound" => {
            "one() wants exactly one row and found none: use one_or_none() or first()"
        }
        _ => return None,
    })
}

/// Why the printed output is not the reference's, or `None` when it is.
pub fn output_difference(reference: &str, answer: &str) -> Option<String> {
    if reference == answer {
        return None;
    }
    let want: Vec<&str> = reference.lines().collect();
    let got: Vec<&str> = answer.lines().collect();
    if got.is_empty() {
        return Some(match want.first() {
            Some(w) => format!(
                "printed nothing where the reference printed {} {} (first: '{w}')",
                want.len(),
                plural(want.len(), "line", "lines")
            ),
            None => "printed something where the reference printed nothing".into(),
        });
    }
    for (i, (w, g)) in want.iter().zip(got.iter()).enumerate() {
        if w != g {
            return Some(format!(
                "printed '{g}' where the reference printed '{w}' (line {} of the output)",
                i + 1
            ));
        }
    }
    if got.len() < want.len() {
        return Some(format!(
            "printed {} {} where the reference printed {}; the first one missing is '{}'",
            got.len(),
            plural(got.len(), "line", "lines"),
            want.len(),
            want[got.len()]
        ));
    }
    if got.len() > want.len() {
        return Some(format!(
            "printed {} lines where the reference printed {}; the first extra one is '{}'",
            got.len(),
            want.len(),
            got[want.len()]
        ));
    }
    Some(
        "printed the same lines as the reference but not the same way (spaces or line ends differ)"
            .into(),
    )
}

/// How the database differs in what a probe saw, or `None`.
pub fn state_difference(what: &str, reference: &str, answer: &str) -> Option<String> {
    if reference == answer {
        return None;
    }
    let want: Vec<&str> = reference.lines().collect();
    let got: Vec<&str> = answer.lines().collect();
    let missing: Vec<&str> = want.iter().filter(|w| !got.contains(w)).copied().collect();
    let extra: Vec<&str> = got.iter().filter(|g| !want.contains(g)).copied().collect();
    let quote = |v: &[&str]| {
        v.iter()
            .map(|l| format!("'{l}'"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    if !missing.is_empty() {
        let rows = plural(missing.len(), "row", "rows");
        parts.push(format!("{what} has no {rows} {}", quote(&missing)));
    }
    if !extra.is_empty() {
        let prefix = if missing.is_empty() {
            format!("{what} has ")
        } else {
            String::new()
        };
        let rows = if extra.len() == 1 {
            "an unexpected row"
        } else {
            "unexpected rows"
        };
        parts.push(format!("{prefix}{rows} {}", quote(&extra)));
    }
    if parts.is_empty() {
        parts.push(format!("{what} has its rows in another order"));
    }
    Some(format!("the database differs: {}", parts.join(", and ")))
}

/// `1 query of your own, and the loop (line 2) lazy-loads User.messages 8 times`.
pub fn explain_queries(steps: &[StepOutcome]) -> String {
    // (cause label, step index) → count, in first-seen order
    let mut groups: Vec<(Cause, usize, usize)> = Vec::new();
    for (i, s) in steps.iter().enumerate() {
        for st in s.statements() {
            let key_step = match st.cause {
                Cause::LazyLoad(_) | Cause::ExpiredReload(_) | Cause::DeferredLoad(_) => i,
                _ => usize::MAX,
            };
            match groups
                .iter_mut()
                .find(|(c, k, _)| *c == st.cause && *k == key_step)
            {
                Some(g) => g.2 += 1,
                None => groups.push((st.cause.clone(), key_step, 1)),
            }
        }
    }
    let place = |i: usize| -> String {
        let Some(s) = steps.get(i) else {
            return "your code".into();
        };
        let code = s.code.trim_start();
        if code.starts_with("for ") || code.starts_with("while ") {
            format!("the loop (line {})", s.line)
        } else if code.contains(" for ") && code.contains(" in ") {
            format!("the comprehension (line {})", s.line)
        } else {
            format!("line {}", s.line)
        }
    };
    let parts: Vec<String> = groups
        .iter()
        .map(|(cause, i, n)| {
            let n = *n;
            match cause {
                Cause::Query => format!("{n} {} of your own", plural(n, "query", "queries")),
                Cause::LazyLoad(a) => format!(
                    "{} lazy-loads {a} {n} {}",
                    place(*i),
                    plural(n, "time", "times")
                ),
                Cause::EagerLoad(a) => format!("{n} eager {} of {a}", plural(n, "load", "loads")),
                Cause::Flush => format!(
                    "{n} {} sent by flush or commit",
                    plural(n, "statement", "statements")
                ),
                Cause::Autoflush => {
                    format!("{n} autoflush {}", plural(n, "statement", "statements"))
                }
                Cause::ExpiredReload(a) => {
                    format!(
                        "{} reloads expired {a} {n} {}",
                        place(*i),
                        plural(n, "time", "times")
                    )
                }
                Cause::DeferredLoad(a) => {
                    format!(
                        "{} loads deferred {a} {n} {}",
                        place(*i),
                        plural(n, "time", "times")
                    )
                }
            }
        })
        .collect();
    match parts.len() {
        0 => "no statements".into(),
        1 => parts.join(""),
        _ => {
            let (last, rest) = parts
                .split_last()
                .map(|(l, r)| (l.clone(), r.to_vec()))
                .unwrap_or_default();
            format!("{}, and {last}", rest.join(", "))
        }
    }
}

pub fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

pub fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrong(reason: &str, expect: &[&str]) -> WrongAnswer {
        WrongAnswer {
            code: String::new(),
            reason: reason.into(),
            expect: expect.iter().map(|e| e.to_string()).collect(),
        }
    }

    fn failing(reasons: &[&str]) -> Verdict {
        Verdict {
            passed: false,
            reasons: reasons.iter().map(|r| r.to_string()).collect(),
            checks: Vec::new(),
            mistake: None,
        }
    }

    #[test]
    fn the_most_specific_known_mistake_is_named() {
        let answers = [
            wrong("bulk", &["comments has unexpected rows"]),
            wrong(
                "flush",
                &[
                    "posts has an unexpected row",
                    "comments has unexpected rows",
                ],
            ),
            wrong("vague", &[]),
        ];
        let both = failing(&[
            "the database differs: posts has an unexpected row '5'",
            "the database differs: comments has unexpected rows '7'",
        ]);
        assert_eq!(
            known_mistake(&answers, &both).map(|w| w.reason.as_str()),
            Some("flush")
        );
        let one = failing(&["the database differs: comments has unexpected rows '7'"]);
        assert_eq!(
            known_mistake(&answers, &one).map(|w| w.reason.as_str()),
            Some("bulk")
        );
        assert!(known_mistake(&answers, &failing(&["printed '8'"])).is_none());
        let mut passed = failing(&[]);
        passed.passed = true;
        assert!(known_mistake(&answers, &passed).is_none());
    }

    #[test]
    fn an_unusable_session_fails_session_usable_with_the_error() {
        let run = |session_error| Run {
            setup: Vec::new(),
            steps: Vec::new(),
            state: Vec::new(),
            session_error,
        };
        let error = crate::outcome::ErrorReport {
            type_name: "PendingRollbackError".into(),
            message: "This Session's transaction has been rolled back due to a previous exception during flush.".into(),
            location: None,
            hint: None,
            traceback: Vec::new(),
            chained: None,
            group: Vec::new(),
        };
        let v = judge(&[Check::SessionUsable], &run(None), &run(Some(error)));
        assert!(!v.passed);
        assert_eq!(v.checks[0].name, "session usable afterwards");
        assert!(
            v.reasons[0].starts_with("`session` is not usable after your code: a query in it raised PendingRollbackError: This Session's transaction has been rolled back"),
            "{:?}",
            v.reasons
        );
        assert!(v.reasons[0].ends_with("call session.rollback() after a failed commit"));
        assert!(judge(&[Check::SessionUsable], &run(None), &run(None)).passed);
    }
}
