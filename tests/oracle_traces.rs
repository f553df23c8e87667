//! Golden traces made by real SQLAlchemy 2.0 against the tutor's own run of
//! the same scripts (layout and tools: tests/golden/README.md).
//!
//! Every `tests/golden/cases/NAME.py` is one test, named `NAME`, that runs the
//! script through the tutor and checks each step against
//! `tests/golden/expected/NAME.json` as the oracle's compare.py decides: the
//! same statements and parameters, printed output, value, error type and
//! transaction events; timestamps made at run time compare equal to each
//! other. A failing test lists every differing step, not only the first.
//!
//! Cases named in `tests/golden/pending.txt` record behaviour the tutor does
//! not have yet: their test (kind `pending`) passes while the case still
//! differs, and fails once it matches, so that whoever fixes it removes the
//! line. `ORM_TUTOR_BLESS=1` also writes the tutor's own trace of each case to
//! `tests/golden/actual/NAME.json` (git-ignored) for inspection; expected
//! traces are only ever made by real SQLAlchemy (tests/golden/record.py).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use libtest_mimic::{Arguments, Failed, Trial};
use orm_tutor::fixture::Fixture;
use orm_tutor::trace::{step_json, trace_json};
use orm_tutor::tutor::{DbTarget, Tutor};
use serde_json::Value;

mod trace_compare;
use trace_compare::{
    case_fixture, compare_steps, file_stems, normalize_now, parse_pending, pending_cases,
    same_fixture, trace_files,
};

/// The environment variable that makes each case write its tutor trace.
const BLESS: &str = "ORM_TUTOR_BLESS";

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn main() {
    let args = Arguments::from_args();
    let trials = match trials() {
        Ok(t) => t,
        Err(e) => vec![Trial::test("golden_layout", move || Err(e.into()))],
    };
    libtest_mimic::run(&args, trials).exit();
}

/// One trial per case file, plus the checks on the folder's layout.
fn trials() -> Result<Vec<Trial>, String> {
    let root = golden_dir();
    let cases = file_stems(&root.join("cases"), "py")?;
    let expected = file_stems(&root.join("expected"), "json")?;
    let pending = pending_cases(&root.join("pending.txt"))?;
    let mut trials = Vec::new();
    for name in &cases {
        let is_pending = pending.contains(name);
        let case = name.clone();
        let trial = Trial::test(name.clone(), move || run_case(&case, is_pending));
        trials.push(if is_pending {
            trial.with_kind("pending")
        } else {
            trial
        });
    }
    let orphans: Vec<String> = expected.difference(&cases).cloned().collect();
    trials.push(Trial::test(
        "every_expected_trace_has_a_case",
        move || match orphans.is_empty() {
            true => Ok(()),
            false => Err(format!(
                "tests/golden/expected has traces with no case in tests/golden/cases: {orphans:?}"
            )
            .into()),
        },
    ));
    let stale: Vec<String> = pending.difference(&cases).cloned().collect();
    trials.push(Trial::test(
        "every_pending_name_is_a_case",
        move || match stale.is_empty() {
            true => Ok(()),
            false => Err(format!(
                "tests/golden/pending.txt names cases that do not exist: {stale:?}"
            )
            .into()),
        },
    ));
    trials.push(Trial::test("timestamps_normalize", || {
        let ok = normalize_now("x 2026-11-22 20:46:30.659558 y") == "x <now> y"
            && normalize_now("2024-01-15 09:00:00") == "2024-01-15 09:00:00";
        ok.then_some(()).ok_or_else(|| "normalize_now".into())
    }));
    trials.push(Trial::test(
        "case_fixture_is_read_from_the_opening_comments",
        || {
            let ok = case_fixture("# fixture: blog\n# cascades\nx = 1\n") == "blog"
                && case_fixture("# shows x\n# fixture: movies\n") == "movies"
                && case_fixture("x = 1\n# fixture: blog\n") == "chat"
                && case_fixture("# nothing\n") == "chat";
            ok.then_some(()).ok_or_else(|| "case_fixture".into())
        },
    ));
    trials.push(Trial::test("pending_list_parses", || {
        let names = parse_pending("# header\n\na-b  # why\n  c\n");
        let want: BTreeSet<String> = ["a-b", "c"].map(String::from).into();
        (names == want)
            .then_some(())
            .ok_or_else(|| format!("{names:?}").into())
    }));
    Ok(trials)
}

/// Runs one case through the tutor and compares it with SQLAlchemy's trace.
/// A pending case passes while it differs and fails once it matches.
fn run_case(name: &str, pending: bool) -> Result<(), Failed> {
    let root = golden_dir();
    let case_path = root.join("cases").join(format!("{name}.py"));
    let source =
        std::fs::read_to_string(&case_path).map_err(|e| format!("{}: {e}", case_path.display()))?;
    let fixture = case_fixture(&source);
    let mut tutor = Tutor::start(Fixture::find(&fixture)?, DbTarget::Memory)
        .map_err(|e| format!("the {fixture} fixture did not start: {e:?}"))?;
    let steps = tutor.run_script(&source);
    if std::env::var_os(BLESS).is_some_and(|v| !v.is_empty() && v != "0") {
        let dir = root.join("actual");
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let out = dir.join(format!("{name}.json"));
        std::fs::write(&out, trace_json(&fixture, &steps))
            .map_err(|e| format!("{}: {e}", out.display()))?;
    }
    let expected_path = root.join("expected").join(format!("{name}.json"));
    let text = std::fs::read_to_string(&expected_path).map_err(|e| {
        format!(
            "{name} has no expected trace {} ({e}): record it with real SQLAlchemy \
             (python3 tests/golden/record.py {name}, see tests/golden/README.md)",
            expected_path.display()
        )
    })?;
    let expected: Value = serde_json::from_str(&text)
        .map_err(|e| format!("{}: not JSON: {e}", expected_path.display()))?;
    same_fixture(&expected, &fixture)?;
    let actual: Vec<Value> = steps.iter().map(step_json).collect();
    let mut failures = compare_steps(&expected, &actual);
    // a case SQLAlchemy does not run the same way every time: any of the
    // traces its reruns made (tests/golden/README.md)
    for path in trace_files(&root.join("expected"), name)?.iter().skip(1) {
        if failures.is_empty() {
            break;
        }
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let alt: Value = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not JSON: {e}", path.display()))?;
        if compare_steps(&alt, &actual).is_empty() {
            failures.clear();
        }
    }
    match (pending, failures.is_empty()) {
        (false, true) | (true, false) => Ok(()),
        (false, false) => Err(format!(
            "{name} differs from SQLAlchemy in {} step(s):\n{}",
            failures.len(),
            failures.join("\n")
        )
        .into()),
        (true, true) => Err(format!(
            "{name} now matches SQLAlchemy: remove it from tests/golden/pending.txt"
        )
        .into()),
    }
}
