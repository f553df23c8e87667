//! Golden traces on PostgreSQL: what real SQLAlchemy 2.0 + psycopg2 did on
//! PostgreSQL 15 with the golden cases (`tests/golden/postgresql/expected/`,
//! recorded by `tests/golden/record.py --url postgresql+psycopg2://…`),
//! against the tutor's run of the same scripts with `--db postgresql://…`.
//!
//! One test per case that has a PostgreSQL trace, named `NAME`, run on the
//! server `ORM_TUTOR_TEST_PG` gives (`.ci/run` starts one and sets it). Each
//! case gets a database of its own (`orm_tutor_golden_NAME`, created and
//! dropped around it), since the tutor loads its fixture into an empty
//! database and the cases run in parallel. Without the variable, one test
//! fails under CI (`CI` set) and otherwise reports the skip on stderr.
//!
//! Steps compare as the oracle's compare.py does (tests/golden/README.md):
//! statements with their parameters, printed output, value, error type and
//! transaction events; run-time timestamps compare equal, and a boolean
//! parameter equals 1/0 (Python's `True == 1`: psycopg2 is sent `True`, the
//! tutor's values carry no type), and file paths before a line number are
//! masked (a task's repr). A case real SQLAlchemy does not run the same way
//! every time has each distinct trace its reruns made (`NAME.json`,
//! `NAME.alt1.json` …, `record.py --runs N`) and matches when one does.
//! Cases in `tests/golden/postgresql/pending.txt` pass while they differ and
//! fail once they match.

use std::io::Write;
use std::path::{Path, PathBuf};

use libtest_mimic::{Arguments, Failed, Trial};
use orm_tutor::fixture::Fixture;
use orm_tutor::trace::{step_json, trace_json};
use orm_tutor::tutor::{DbTarget, Tutor};
use serde_json::Value;

mod trace_compare;
use trace_compare::{
    alternative_of, case_fixture, compare_steps, file_stems, mask_paths, pending_cases,
    same_fixture, trace_files,
};

const URL_VAR: &str = "ORM_TUTOR_TEST_PG";
const BLESS: &str = "ORM_TUTOR_BLESS";

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn main() {
    let args = Arguments::from_args();
    let trials = match std::env::var(URL_VAR) {
        Ok(url) if !url.is_empty() => trials(&url).unwrap_or_else(|e| {
            vec![Trial::test("postgresql_golden_layout", move || {
                Err(e.into())
            })]
        }),
        _ => vec![Trial::test("postgresql_golden_traces", || {
            if std::env::var_os("CI").is_some() {
                return Err(format!(
                    "{URL_VAR} is unset under CI: .ci/run must start PostgreSQL and set it"
                )
                .into());
            }
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED postgresql_traces: set {URL_VAR}=postgresql://… to run the \
                 PostgreSQL golden traces on a server"
            );
            Ok(())
        })],
    };
    libtest_mimic::run(&args, trials).exit();
}

fn trials(url: &str) -> Result<Vec<Trial>, String> {
    let root = golden_dir();
    let cases = file_stems(&root.join("cases"), "py")?;
    let expected = file_stems(&root.join("postgresql/expected"), "json")?;
    let pending = pending_cases(&root.join("postgresql/pending.txt"))?;
    let mut trials = Vec::new();
    for name in &expected {
        let is_pending = pending.contains(name);
        let (case, url) = (name.clone(), url.to_string());
        let trial = Trial::test(name.clone(), move || run_case(&url, &case, is_pending));
        trials.push(if is_pending {
            trial.with_kind("pending")
        } else {
            trial
        });
    }
    let orphans: Vec<String> = expected.difference(&cases).cloned().collect();
    // an alternative trace belongs to a case's trace
    let stray: Vec<String> = std::fs::read_dir(root.join("postgresql/expected"))
        .map_err(|e| format!("postgresql/expected: {e}"))?
        .filter_map(|e| Some(e.ok()?.path().file_stem()?.to_str()?.to_string()))
        .filter(|stem| alternative_of(stem).is_some_and(|case| !expected.contains(case)))
        .collect();
    trials.push(Trial::test(
        "every_alternative_trace_has_a_trace",
        move || match stray.is_empty() {
            true => Ok(()),
            false => Err(format!("alternative traces with no NAME.json: {stray:?}").into()),
        },
    ));
    trials.push(Trial::test("task_paths_are_masked", || {
        let recorded = "coro=<failing() running at /work/main/tests/golden/cases/y27-x.py:14> \
                        cb=[gather.<locals>._done_callback() at \
                        /root/.pyenv/versions/3.11.7/lib/python3.11/asyncio/tasks.py:764]>";
        let tutor = "coro=<failing() running at <stdin>:14> cb=[gather.<locals>._done_callback() \
                     at /usr/lib/python3.11/asyncio/tasks.py:764]>";
        let masked = "coro=<failing() running at <path>:14> cb=[gather.<locals>._done_callback() \
                      at <path>:764]>";
        let ok = mask_paths(recorded) == masked
            && mask_paths(tutor) == masked
            && mask_paths("a/b c.py 1:2 x:3") == "a/b c.py 1:2 x:3";
        ok.then_some(())
            .ok_or_else(|| format!("{:?}", mask_paths(recorded)).into())
    }));
    let stale: Vec<String> = pending.difference(&expected).cloned().collect();
    trials.push(Trial::test(
        "every_postgresql_trace_has_a_case",
        move || match (orphans.is_empty(), stale.is_empty()) {
            (true, true) => Ok(()),
            _ => Err(format!(
                "traces with no case in tests/golden/cases: {orphans:?}; \
                 pending names with no trace: {stale:?}"
            )
            .into()),
        },
    ));
    Ok(trials)
}

/// A database of the case's own on the server at `url`: created empty,
/// dropped (with what the tutor may have left) when done.
struct CaseDatabase {
    admin: postgres::Client,
    name: String,
    url: String,
}

impl CaseDatabase {
    fn create(url: &str, case: &str) -> Result<CaseDatabase, String> {
        let mut admin = postgres::Client::connect(url, postgres::NoTls)
            .map_err(|e| format!("connecting to {url}: {e}"))?;
        let name = format!(
            "orm_tutor_golden_{}",
            case.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
                .to_lowercase()
        );
        // one statement a call: CREATE DATABASE refuses a transaction block
        for sql in [
            format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            format!("CREATE DATABASE {name}"),
        ] {
            admin.batch_execute(&sql).map_err(|e| {
                format!(
                    "{sql}: {}",
                    e.as_db_error()
                        .map_or(e.to_string(), |d| d.message().to_string())
                )
            })?;
        }
        let base = url.rsplit_once('/').map(|(b, _)| b).unwrap_or(url);
        Ok(CaseDatabase {
            admin,
            url: format!("{base}/{name}"),
            name,
        })
    }
}

impl Drop for CaseDatabase {
    fn drop(&mut self) {
        let _ = self.admin.batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ));
    }
}

/// A step's printed output with each PostgreSQL URL (`postgresql://…`,
/// `postgresql+psycopg2://…` or `postgresql+asyncpg://…`, to the next space
/// or `)`) as `<server>`.
fn mask_server_urls(step: &mut Value) {
    let Some(Value::String(out)) = step.get_mut("stdout") else {
        return;
    };
    let mut masked = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(i) = rest.find("postgresql") {
        masked.push_str(&rest[..i]);
        let tail = &rest[i..];
        let scheme = [
            "postgresql+psycopg2://",
            "postgresql+asyncpg://",
            "postgresql://",
        ]
        .into_iter()
        .find(|p| tail.starts_with(p));
        match scheme {
            Some(_) => {
                let end = tail
                    .find(|c: char| c.is_whitespace() || c == ')')
                    .unwrap_or(tail.len());
                masked.push_str("<server>");
                rest = &tail[end..];
            }
            None => {
                masked.push_str("postgresql");
                rest = &tail["postgresql".len()..];
            }
        }
    }
    masked.push_str(rest);
    *out = masked;
}

fn run_case(url: &str, name: &str, pending: bool) -> Result<(), Failed> {
    let root = golden_dir();
    let case_path = root.join("cases").join(format!("{name}.py"));
    let source =
        std::fs::read_to_string(&case_path).map_err(|e| format!("{}: {e}", case_path.display()))?;
    let fixture = case_fixture(&source);
    let db = CaseDatabase::create(url, name)?;
    let steps = {
        let target = DbTarget::Server {
            url: db.url.clone(),
            reset: false,
        };
        let mut tutor = Tutor::start(Fixture::find(&fixture)?, target)
            .map_err(|e| format!("the {fixture} fixture did not start on {}: {e}", db.url))?;
        tutor.run_script(&source)
    };
    if std::env::var_os(BLESS).is_some_and(|v| !v.is_empty() && v != "0") {
        let dir = root.join("postgresql/actual");
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let out = dir.join(format!("{name}.json"));
        std::fs::write(&out, trace_json(&fixture, &steps))
            .map_err(|e| format!("{}: {e}", out.display()))?;
    }
    // The case's trace, and the other traces real SQLAlchemy made on
    // reruns when it does not run the same way every time: the tutor
    // matches when it matches one of them.
    let mut actual: Vec<Value> = steps.iter().map(step_json).collect();
    // The server's URL differs between the recording and this run (host,
    // port, the per-case database, the oracle's `+psycopg2`).
    actual.iter_mut().for_each(mask_server_urls);
    let mut failures = Vec::new();
    let traces = trace_files(&root.join("postgresql/expected"), name)?;
    for path in &traces {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut expected: Value = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not JSON: {e}", path.display()))?;
        same_fixture(&expected, &fixture)?;
        if let Some(steps) = expected.get_mut("steps").and_then(Value::as_array_mut) {
            steps.iter_mut().for_each(mask_server_urls);
        }
        let differ = compare_steps(&expected, &actual);
        if differ.is_empty() {
            failures.clear();
            break;
        }
        if failures.is_empty() {
            failures = differ;
        }
    }
    let differing = failures.len();
    if traces.len() > 1 && !failures.is_empty() {
        failures.push(format!(
            "(nor does it match any of the {} other traces SQLAlchemy recorded for it)",
            traces.len() - 1
        ));
    }
    match (pending, failures.is_empty()) {
        (false, true) | (true, false) => Ok(()),
        (false, false) => Err(format!(
            "{name} differs from SQLAlchemy on PostgreSQL in {differing} step(s):\n{}",
            failures.join("\n")
        )
        .into()),
        (true, true) => Err(format!(
            "{name} now matches SQLAlchemy on PostgreSQL: remove it from \
             tests/golden/postgresql/pending.txt"
        )
        .into()),
    }
}
