//! Golden traces made by real SQLAlchemy 2.0 (tests/golden/expected, copied
//! from the oracle) against the tutor's own run of the same scripts
//! (tests/golden/cases). A step matches as the oracle's compare.py decides:
//! the same statements and parameters, printed output, value and error type;
//! timestamps made at run time compare equal to each other.

use std::path::Path;

use orm_tutor::fixture::Fixture;
use orm_tutor::trace::step_json;
use orm_tutor::tutor::{DbTarget, Tutor};
use serde_json::Value;

/// Replaces wall-clock timestamps (years 2025 and later) with `<now>`.
fn normalize_now(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < b.len() {
        if i + 19 <= b.len() && is_now(&b[i..i + 19]) {
            let mut j = i + 19;
            if j < b.len() && b[j] == b'.' && j + 1 < b.len() && b[j + 1].is_ascii_digit() {
                j += 1;
                while j < b.len() && b[j].is_ascii_digit() {
                    j += 1;
                }
            }
            out.push_str("<now>");
            i = j;
        } else {
            let ch = s[i..].chars().next().unwrap();
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

fn is_now(w: &[u8]) -> bool {
    let shape = "dddd-dd-dd dd:dd:dd";
    if !w.iter().zip(shape.bytes()).all(|(c, s)| {
        if s == b'd' {
            c.is_ascii_digit()
        } else {
            *c == s
        }
    }) {
        return false;
    }
    let year: u32 = std::str::from_utf8(&w[..4]).unwrap().parse().unwrap();
    year >= 2025
}

fn norm(v: &Value) -> Value {
    match v {
        Value::String(s) => Value::String(normalize_now(s)),
        Value::Array(a) => Value::Array(a.iter().map(norm).collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), norm(v))).collect()),
        other => other.clone(),
    }
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
                    (text, norm(&q["params"]))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Differences between an expected and an actual step, in words.
fn differences(exp: &Value, act: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if sql_of(exp) != sql_of(act) {
        out.push(format!(
            "sql:\n  expected {:?}\n  actual   {:?}",
            sql_of(exp),
            sql_of(act)
        ));
    }
    if norm(&exp["stdout"]) != norm(&act["stdout"]) {
        out.push(format!(
            "stdout: expected {} actual {}",
            exp["stdout"], act["stdout"]
        ));
    }
    if norm(&exp["value"]) != norm(&act["value"]) {
        out.push(format!(
            "value: expected {} actual {}",
            exp["value"], act["value"]
        ));
    }
    let et = exp["error"].get("type").cloned().unwrap_or(Value::Null);
    let at = act["error"].get("type").cloned().unwrap_or(Value::Null);
    if et != at {
        out.push(format!(
            "error: expected {} actual {} ({})",
            et, at, act["error"]
        ));
    }
    if exp["tx"] != act["tx"] {
        out.push(format!("tx: expected {} actual {}", exp["tx"], act["tx"]));
    }
    out
}

fn check_case(name: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let source = std::fs::read_to_string(root.join("cases").join(format!("{name}.py"))).unwrap();
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("expected").join(format!("{name}.json"))).unwrap(),
    )
    .unwrap();
    let mut tutor = Tutor::start(Fixture::chat(), DbTarget::Memory).unwrap();
    let steps = tutor.run_script(&source);
    let actual: Vec<Value> = steps.iter().map(step_json).collect();
    let mut failures = Vec::new();
    for exp in expected["steps"].as_array().unwrap() {
        let line = exp["line"].as_u64().unwrap();
        match actual.iter().find(|a| a["line"].as_u64() == Some(line)) {
            None => failures.push(format!("line {line}: no step")),
            Some(act) => {
                let d = differences(exp, act);
                if !d.is_empty() {
                    failures.push(format!("line {line} {}: {}", exp["code"], d.join("; ")));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{name} differs from SQLAlchemy:\n{}",
        failures.join("\n")
    );
}

macro_rules! golden {
    ($($test:ident => $name:literal,)*) => {
        $(#[test] fn $test() { check_case($name); })*
    };
}

golden! {
    query_all => "01-query-all",
    filter => "02-filter",
    select_style => "03-select-style",
    order_limit => "04-order-limit",
    identity_map => "05-identity-map",
    n_plus_one => "06-n-plus-one",
    joinedload => "07-joinedload",
    selectinload => "08-selectinload",
    many_to_one => "09-many-to-one",
    many_to_many => "10-many-to-many",
    one_to_one => "11-one-to-one",
    insert => "12-insert",
    update => "13-update",
    delete => "14-delete",
    rollback => "15-rollback",
    flush => "16-flush",
    expire_on_commit => "17-expire-on-commit",
    detached => "18-detached",
    merge => "19-merge",
    integrity_error => "20-integrity-error",
    aggregates => "21-aggregates",
    join => "22-join",
    operators => "23-operators",
    add_all => "24-add-all",
    states => "25-states",
    session_collections => "26-session-collections",
    expire_refresh => "27-expire-refresh",
    with_blocks => "28-with-blocks",
    try_except => "29-try-except",
    many_changes => "30-many-changes",
    two_sessions => "31-two-sessions",
    object_deleted => "32-object-deleted",
    append => "33-append",
    remove => "34-remove",
    m2m_write => "35-m2m-write",
    join_rel => "36-join-rel",
    options => "37-options",
    raiseload => "38-raiseload",
    one_to_one_write => "39-one-to-one",
    joined_order => "40-joined-order",
    own_models => "41-own-models",
    bulk => "42-bulk",
    column_ops => "43-column-ops",
    flush_order => "44-flush-order",
}

/// The conformance cases (`c*.py`): many small scripts across the ORM and
/// the language, each checked the same way.
#[test]
fn conformance_cases() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/cases");
    let mut names: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str().map(str::to_string))
        .filter(|n| n.starts_with('c') && n.ends_with(".py"))
        .map(|n| n.trim_end_matches(".py").to_string())
        .collect();
    names.sort();
    assert!(names.len() >= 40, "{names:?}");
    let mut failures = Vec::new();
    for name in &names {
        if let Err(e) = std::panic::catch_unwind(|| check_case(name)) {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_else(|| "panicked".into());
            failures.push(msg);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_numbered_golden_case_has_a_test() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/cases");
    let n = std::fs::read_dir(root)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(|c: char| c.is_ascii_digit()))
        })
        .count();
    assert_eq!(n, 44, "add a golden! line for each new numbered case");
}

#[test]
fn timestamps_normalize() {
    assert_eq!(normalize_now("x 2026-11-22 20:46:30.659558 y"), "x <now> y");
    assert_eq!(normalize_now("2024-01-15 09:00:00"), "2024-01-15 09:00:00");
}
