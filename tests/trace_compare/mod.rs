//! The comparison shared by the golden-trace harnesses (`oracle_traces.rs`
//! on SQLite, `postgresql_traces.rs` on a server): a case's steps against
//! the trace real SQLAlchemy recorded, as `compare.py` compares them.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

/// The stems of the files in `dir` ending in `.ext`, but for alternative
/// traces (`NAME.alt1.json`: see [`alternative_of`]).
pub fn file_stems(dir: &Path, ext: &str) -> Result<BTreeSet<String>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().and_then(|x| x.to_str()) == Some(ext))
        .filter_map(|p| Some(p.file_stem()?.to_str()?.to_string()))
        .filter(|stem| alternative_of(stem).is_none())
        .collect())
}

/// The case an alternative trace's stem belongs to: `y22-x.alt2` →
/// `y22-x`. A case real SQLAlchemy does not run the same way every time
/// (asyncpg's interleaving of gathered connections) has each distinct
/// trace its reruns made (`record.py --runs N`), and matches when the
/// tutor matches any one of them.
pub fn alternative_of(stem: &str) -> Option<&str> {
    let (case, alt) = stem.rsplit_once(".alt")?;
    (!alt.is_empty() && alt.bytes().all(|b| b.is_ascii_digit())).then_some(case)
}

/// `NAME.json` then its alternatives `NAME.alt1.json`, `NAME.alt2.json` …
/// in `dir`, in that order.
pub fn trace_files(dir: &Path, name: &str) -> Result<Vec<std::path::PathBuf>, String> {
    let mut alts: Vec<(u32, std::path::PathBuf)> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter_map(|p| {
            let stem = p.file_stem()?.to_str()?;
            let n = stem.rsplit_once(".alt")?.1.parse().ok()?;
            (alternative_of(stem) == Some(name) && p.extension()? == "json").then_some((n, p))
        })
        .collect();
    alts.sort();
    let mut out = vec![dir.join(format!("{name}.json"))];
    out.extend(alts.into_iter().map(|(_, p)| p));
    Ok(out)
}

/// The case names in a `pending.txt`'s text: one a line, `# why` after.
pub fn parse_pending(text: &str) -> BTreeSet<String> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// The case names a `pending.txt` lists (none when it is missing).
pub fn pending_cases(path: &Path) -> Result<BTreeSet<String>, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(parse_pending(&text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeSet::new()),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// The fixture a case runs on: `# fixture: NAME` among the comment lines
/// that open the case (as `record.py` passes it to the oracle), else `chat`.
pub fn case_fixture(source: &str) -> String {
    source
        .lines()
        .take_while(|l| l.starts_with('#'))
        .find_map(|l| l.strip_prefix("# fixture:"))
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "chat".to_string())
}

/// Checks that the expected trace was recorded on the case's fixture.
pub fn same_fixture(expected: &Value, fixture: &str) -> Result<(), String> {
    match expected.get("fixture").and_then(Value::as_str) {
        Some(f) if f != fixture => Err(format!(
            "the expected trace was recorded on fixture {f:?}, the case says {fixture:?}: record it again"
        )),
        _ => Ok(()),
    }
}

/// Every expected step that the tutor's steps (found by first line) miss or
/// differ from, in words.
pub fn compare_steps(expected: &Value, actual: &[Value]) -> Vec<String> {
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

/// Differences between an expected and an actual step, in words.
pub fn differences(exp: &Value, act: &Value) -> Vec<String> {
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
    if warnings_of(exp) != warnings_of(act) {
        out.push(format!(
            "warnings: expected {:?} actual {:?}",
            warnings_of(exp),
            warnings_of(act)
        ));
    }
    out
}

/// A step's warnings as (category, message) pairs. Python's "coroutine …
/// was never awaited" `RuntimeWarning` comes when the garbage collector
/// frees the coroutine, which can be steps later when a traceback holds it:
/// those are left out, the tutor's own tests check them.
pub fn warnings_of(step: &Value) -> Vec<(String, String)> {
    let Some(items) = step["warnings"].as_array() else {
        return Vec::new();
    };
    items
        .iter()
        .map(|w| {
            (
                w["category"].as_str().unwrap_or("").to_string(),
                w["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .filter(|(c, m)| !(c == "RuntimeWarning" && m.ends_with("was never awaited")))
        .collect()
}

/// A step's statements (whitespace folded) with their normalized parameters.
///
/// Two orders come from iterating a Python `set` (random per process under
/// hash randomization), so they compare as sets: the table names of
/// Alembic's reflection (`filter_names_N`), and the run of Alembic's
/// `SERIAL` sequence queries (`seqname`) it makes table by table.
pub fn sql_of(step: &Value) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = step["sql"]
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
                    (text, sorted_filter_names(params_norm(&norm(&q["params"]))))
                })
                .collect()
        })
        .unwrap_or_default();
    let mut i = 0;
    while i < out.len() {
        let mut j = i;
        while j < out.len() && out[j].1.get("seqname").is_some() && out[j].0 == out[i].0 {
            j += 1;
        }
        out[i..j].sort_by_key(|(_, p)| p.to_string());
        i = j.max(i + 1);
    }
    out
}

/// `filter_names_1`, `filter_names_2` … given their values in sorted order.
fn sorted_filter_names(params: Value) -> Value {
    let Value::Object(mut o) = params else {
        return params;
    };
    let keys: Vec<String> = (1..)
        .map(|n| format!("filter_names_{n}"))
        .take_while(|k| o.contains_key(k))
        .collect();
    let mut values: Vec<Value> = keys.iter().filter_map(|k| o.get(k).cloned()).collect();
    values.sort_by_key(|v| v.to_string());
    for (k, v) in keys.into_iter().zip(values) {
        o.insert(k, v);
    }
    Value::Object(o)
}

/// Parameters as Python compares them: `True == 1`, `False == 0`,
/// `3.0 == 3`.
pub fn params_norm(v: &Value) -> Value {
    match v {
        Value::Bool(b) => Value::from(u8::from(*b)),
        Value::Number(n)
            if let Some(f) = n
                .as_f64()
                .filter(|f| n.is_f64() && f.fract() == 0.0 && f.abs() < 1e15) =>
        {
            Value::from(f as i64)
        }
        Value::Array(a) => Value::Array(a.iter().map(params_norm).collect()),
        // a table's oid (`oids_1` of SQLAlchemy's PostgreSQL reflection)
        // is the server's, made at run time: any integer compares equal
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| match v {
                    Value::Number(_) if is_oid_param(k) => (k.clone(), Value::from("<oid>")),
                    v => (k.clone(), params_norm(v)),
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `oids_N`: an expanding list of table oids in PostgreSQL reflection.
fn is_oid_param(name: &str) -> bool {
    name.strip_prefix("oids_")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Timestamps made at run time compare equal, and so do file paths before a
/// line number ([`mask_paths`]).
pub fn norm(v: &Value) -> Value {
    match v {
        Value::String(s) => Value::String(mask_paths(&normalize_now(&mask_echo(s)))),
        Value::Array(a) => Value::Array(a.iter().map(norm).collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), norm(v))).collect()),
        other => other.clone(),
    }
}

/// The parts of SQLAlchemy's engine log lines (`create_engine(echo=True)`)
/// that differ from run to run, masked: each line's
/// `2026-12-07 14:40:01,123 ` timestamp as `<time> `, and the seconds in
/// `[generated in 0.00015s]`, `[cached since 0.001s ago]`, `[no key …s]`,
/// `[dialect … does not support caching …s]`, `[caching disabled …s]` as
/// `<t>s`. As record.py's `ECHO_TIME`/`ECHO_SECONDS`.
pub fn mask_echo(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let b = line.as_bytes();
        let shape = b"dddd-dd-dd dd:dd:dd,ddd ";
        let stamped = b.len() >= shape.len()
            && b.iter().zip(shape).all(|(c, s)| match s {
                b'd' => c.is_ascii_digit(),
                other => c == other,
            });
        let mut rest = if stamped {
            out.push_str("<time> ");
            &line[shape.len()..]
        } else {
            line
        };
        while let Some((at, marker)) = ECHO_MARKERS
            .iter()
            .filter_map(|m| rest.find(m).map(|at| (at, *m)))
            .min()
        {
            let after = &rest[at + marker.len()..];
            let digits = after
                .find(|c: char| !(c.is_ascii_digit() || ".e+-".contains(c)))
                .unwrap_or(after.len());
            out.push_str(&rest[..at + marker.len()]);
            if digits > 0 && after[digits..].starts_with('s') {
                out.push_str("<t>");
            } else {
                out.push_str(&after[..digits]);
            }
            rest = &after[digits..];
        }
        out.push_str(rest);
    }
    out
}

/// What comes before a duration in an echo line's `[…]` stats.
const ECHO_MARKERS: &[&str] = &[
    "[generated in ",
    "[cached since ",
    "[no key ",
    " does not support caching ",
    "[caching disabled ",
];

/// Replaces wall-clock timestamps (years 2025 and later) with `<now>`, as
/// compare.py does.
pub fn normalize_now(s: &str) -> String {
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
pub fn timestamp_at(b: &[u8]) -> Option<usize> {
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

/// Each file path before a `:LINE` (an absolute path to a `.py` file, or
/// `<stdin>`) as `<path>`, its line number kept: a task's repr names the
/// script where the recording ran (`running at /…/cases/y27-x.py:14`) and
/// the Python's own asyncio (`at /…/asyncio/tasks.py:764`); the tutor runs
/// the script as `<stdin>`. As record.py's `PATH`.
pub fn mask_paths(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    let line_after = |t: &str| {
        t.strip_prefix(':')
            .is_some_and(|t| t.starts_with(|c: char| c.is_ascii_digit()))
    };
    while !rest.is_empty() {
        let path_len = if rest.starts_with("<stdin>") {
            Some("<stdin>".len())
        } else if rest.starts_with('/') {
            let end = rest
                .find(|c: char| c.is_whitespace() || ":'\"<>()[]".contains(c))
                .unwrap_or(rest.len());
            rest[..end].ends_with(".py").then_some(end)
        } else {
            None
        };
        match path_len {
            Some(n) if line_after(&rest[n..]) => {
                out.push_str("<path>");
                rest = &rest[n..];
            }
            _ => {
                let ch = rest.chars().next().unwrap_or(' ');
                out.push(ch);
                rest = &rest[ch.len_utf8()..];
                // a path starts a token: skip the rest of this one
                if ch != '/' && !ch.is_whitespace() && !"'\"<>()[]=".contains(ch) {
                    let end = rest
                        .find(|c: char| c.is_whitespace() || "'\"<>()[]=".contains(c))
                        .unwrap_or(rest.len());
                    out.push_str(&rest[..end]);
                    rest = &rest[end..];
                }
            }
        }
    }
    out
}
