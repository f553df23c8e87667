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
//! tutor's values carry no type). Cases in `tests/golden/postgresql/pending.txt`
//! pass while they differ and fail once they match.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use libtest_mimic::{Arguments, Failed, Trial};
use orm_tutor::fixture::Fixture;
use orm_tutor::trace::{step_json, trace_json};
use orm_tutor::tutor::{DbTarget, Tutor};
use serde_json::Value;

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

fn file_stems(dir: &Path, ext: &str) -> Result<BTreeSet<String>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().and_then(|x| x.to_str()) == Some(ext))
        .filter_map(|p| Some(p.file_stem()?.to_str()?.to_string()))
        .collect())
}

fn pending_cases(path: &Path) -> Result<BTreeSet<String>, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text
            .lines()
            .map(|l| l.split('#').next().unwrap_or("").trim())
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeSet::new()),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
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

fn run_case(url: &str, name: &str, pending: bool) -> Result<(), Failed> {
    let root = golden_dir();
    let case_path = root.join("cases").join(format!("{name}.py"));
    let source =
        std::fs::read_to_string(&case_path).map_err(|e| format!("{}: {e}", case_path.display()))?;
    let db = CaseDatabase::create(url, name)?;
    let steps = {
        let target = DbTarget::Server {
            url: db.url.clone(),
            reset: false,
        };
        let mut tutor = Tutor::start(Fixture::chat(), target)
            .map_err(|e| format!("the chat fixture did not start on {}: {e}", db.url))?;
        tutor.run_script(&source)
    };
    if std::env::var_os(BLESS).is_some_and(|v| !v.is_empty() && v != "0") {
        let dir = root.join("postgresql/actual");
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let out = dir.join(format!("{name}.json"));
        std::fs::write(&out, trace_json("chat", &steps))
            .map_err(|e| format!("{}: {e}", out.display()))?;
    }
    let path = root
        .join("postgresql/expected")
        .join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let expected: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", path.display()))?;
    let actual: Vec<Value> = steps.iter().map(step_json).collect();
    let failures = compare_steps(&expected, &actual);
    match (pending, failures.is_empty()) {
        (false, true) | (true, false) => Ok(()),
        (false, false) => Err(format!(
            "{name} differs from SQLAlchemy on PostgreSQL in {} step(s):\n{}",
            failures.len(),
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

fn compare_steps(expected: &Value, actual: &[Value]) -> Vec<String> {
    let Some(steps) = expected["steps"].as_array() else {
        return vec!["expected trace has no \"steps\" list".into()];
    };
    let mut failures = Vec::new();
    for exp in steps {
        let line = exp["line"].as_u64().unwrap_or(0);
        match actual.iter().find(|a| a["line"].as_u64() == Some(line)) {
            None => failures.push(format!("line {line} {}: no step", exp["code"])),
            Some(act) => {
                let d = differences(exp, act);
                if !d.is_empty() {
                    failures.push(format!(
                        "line {line} {}:\n  {}",
                        exp["code"],
                        d.join("\n  ")
                    ));
                }
            }
        }
    }
    failures
}

fn differences(exp: &Value, act: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if sql_of(exp) != sql_of(act) {
        out.push(format!(
            "sql:\n    expected {:?}\n    actual   {:?}",
            sql_of(exp),
            sql_of(act)
        ));
    }
    for key in ["stdout", "value"] {
        if norm(&exp[key]) != norm(&act[key]) {
            out.push(format!("{key}: expected {} actual {}", exp[key], act[key]));
        }
    }
    let et = exp["error"].get("type").cloned().unwrap_or(Value::Null);
    let at = act["error"].get("type").cloned().unwrap_or(Value::Null);
    if et != at {
        out.push(format!(
            "error: expected {et} actual {at} ({})",
            act["error"]
        ));
    }
    if exp["tx"] != act["tx"] {
        out.push(format!("tx: expected {} actual {}", exp["tx"], act["tx"]));
    }
    out
}

fn sql_of(step: &Value) -> Vec<(String, Value)> {
    step["sql"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|q| {
                    let text = q["statement"]
                        .as_str()
                        .unwrap_or("")
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ");
                    (text, params_norm(&norm(&q["params"])))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Parameters as Python compares them: `True == 1`, `False == 0`.
fn params_norm(v: &Value) -> Value {
    match v {
        Value::Bool(b) => Value::from(u8::from(*b)),
        Value::Array(a) => Value::Array(a.iter().map(params_norm).collect()),
        Value::Object(o) => {
            Value::Object(o.iter().map(|(k, v)| (k.clone(), params_norm(v))).collect())
        }
        other => other.clone(),
    }
}

fn norm(v: &Value) -> Value {
    match v {
        Value::String(s) => Value::String(normalize_now(s)),
        Value::Array(a) => Value::Array(a.iter().map(norm).collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), norm(v))).collect()),
        other => other.clone(),
    }
}

/// Replaces wall-clock timestamps (years 2025 and later) with `<now>`, as
/// compare.py does.
fn normalize_now(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if let Some(len) = timestamp_at(&bytes[i..]) {
            out.push_str("<now>");
            i += len;
        } else {
            let ch = s[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// The length of a `20YY-MM-DD HH:MM:SS[.ffffff]` timestamp with YY ≥ 25
/// at the start of `b`.
fn timestamp_at(b: &[u8]) -> Option<usize> {
    let shape = b"dddd-dd-dd dd:dd:dd";
    if b.len() < shape.len() {
        return None;
    }
    for (c, s) in b.iter().zip(shape) {
        let ok = match s {
            b'd' => c.is_ascii_digit(),
            other => c == other,
        };
        if !ok {
            return None;
        }
    }
    let year: u32 = std::str::from_utf8(&b[..4]).ok()?.parse().ok()?;
    if year < 2025 {
        return None;
    }
    let mut len = shape.len();
    if b.get(len) == Some(&b'.') && b.get(len + 1).is_some_and(u8::is_ascii_digit) {
        len += 1;
        while b.get(len).is_some_and(u8::is_ascii_digit) {
            len += 1;
        }
    }
    Some(len)
}
