//! The JSON trace of a run (`orm-tutor run --format json`), in the format
//! the SQLAlchemy oracle records (`shared/oracle/TRACE.md`): one object per
//! step with its statements, transaction events, printed output, value and
//! error.

use serde_json::{Value as Json, json};

use crate::outcome::{Event, StepOutcome};
use crate::sql::schema::SqlValue;

/// A bound parameter as the trace shows it.
pub fn param_json(v: &SqlValue) -> Json {
    match &*v.pysqlite() {
        SqlValue::Null => Json::Null,
        SqlValue::Integer(i) => json!(i),
        // JSON readers take a number past 64 bits as a float
        SqlValue::BigInt(n) => {
            serde_json::Number::from_f64(num_traits::ToPrimitive::to_f64(&**n).unwrap_or(f64::NAN))
                .map(Json::Number)
                .unwrap_or(Json::Null)
        }
        SqlValue::Real(f) => serde_json::Number::from_f64(*f)
            .map(Json::Number)
            .unwrap_or(Json::Null),
        SqlValue::Text(s) => json!(s),
        // `LargeBinary` binds through `sqlite3.Binary`, a `memoryview`
        SqlValue::Blob(_) => json!({"type": "memoryview"}),
        // made by `pysqlite()` into the forms above
        SqlValue::Numeric(_)
        | SqlValue::Bool(_)
        | SqlValue::Timestamp(_)
        | SqlValue::Date(_)
        | SqlValue::Time(_) => Json::Null,
        SqlValue::Array(items) => Json::Array(items.iter().map(param_json).collect()),
    }
}

/// A statement's parameters as the driver got them: a list for qmark
/// (pysqlite), a dict by name for a named paramstyle (psycopg2:
/// `{"name_1": "Bob"}`, as the oracle records it), a list of the server's
/// typed values for `numeric_dollar` (asyncpg: `server` true, no names).
pub fn params_json(values: &[SqlValue], names: Option<&[String]>, server: bool) -> Json {
    match names {
        Some(names) => Json::Object(
            names
                .iter()
                .zip(values)
                .map(|(n, v)| (n.clone(), psycopg2_param_json(v)))
                .collect(),
        ),
        // asyncpg: a sequence of the values psycopg2 would get by name
        None if server => Json::Array(values.iter().map(psycopg2_param_json).collect()),
        None => Json::Array(values.iter().map(param_json).collect()),
    }
}

/// A parameter as the oracle records what psycopg2 got: a datetime is
/// `str(datetime)`, without `.000000` when it has no microseconds (the
/// tutor's values hold datetimes as their storage text).
fn psycopg2_param_json(v: &SqlValue) -> Json {
    match v {
        // the oracle records what JSON cannot hold by its type's name
        SqlValue::Numeric(_) => json!({"type": "Decimal"}),
        // `LargeBinary` binds through `psycopg2.Binary`
        SqlValue::Blob(_) => json!({"type": "Binary"}),
        SqlValue::Bool(b) => json!(b),
        SqlValue::Timestamp(dt) => json!(crate::python::value::datetime_str(dt)),
        SqlValue::Date(d) => json!(d.format("%Y-%m-%d").to_string()),
        SqlValue::Time(_) => json!({"type": "time"}),
        SqlValue::Text(s)
            if s.len() == 26
                && s.ends_with(".000000")
                && chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").is_ok() =>
        {
            json!(&s[..19])
        }
        other => param_json(other),
    }
}

/// SQL with whitespace runs folded to one space, as the trace records it.
pub fn fold_whitespace(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text as the oracle records it: object addresses dropped
/// (`<__main__.User object at 0x7f…>` → `<User object>`, `<User at 0x7f…>` →
/// `<User>`), since they differ from run to run.
pub fn clean_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let tail = &rest[lt..];
        match clean_address(tail) {
            Some((replacement, used)) => {
                out.push_str(&replacement);
                rest = &tail[used..];
            }
            None => {
                out.push('<');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Matches `<a.b.Name object at 0xHEX>` or `<Name at 0xHEX>` at the start of
/// `s`; returns the cleaned form and the bytes matched.
fn clean_address(s: &str) -> Option<(String, usize)> {
    let close = s.find('>')?;
    let inner = &s[1..close];
    let (head, hex) = inner.rsplit_once(" at 0x")?;
    if hex.is_empty() || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let word_ok = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_alphanumeric() || c == '_');
    if let Some(path) = head.strip_suffix(" object") {
        let name = path.rsplit('.').next()?;
        if path.split('.').all(word_ok) {
            return Some((format!("<{name} object>"), close + 1));
        }
        return None;
    }
    if word_ok(head) {
        return Some((format!("<{head}>"), close + 1));
    }
    None
}

/// One step as a JSON object.
pub fn step_json(step: &StepOutcome) -> Json {
    let mut sql = Vec::new();
    let mut tx = Vec::new();
    for e in &step.events {
        match e {
            Event::Statement(s) => {
                let params = match &s.many {
                    Some(rows) => Json::Array(
                        rows.iter()
                            .map(|r| params_json(r, s.names.as_deref(), s.server.is_some()))
                            .collect(),
                    ),
                    None => params_json(&s.params, s.names.as_deref(), s.server.is_some()),
                };
                sql.push(json!({"statement": fold_whitespace(&s.sql), "params": params}));
            }
            Event::Tx(t) => tx.push(json!(t.name())),
        }
    }
    let mut step_json = json!({
        "line": step.line,
        "code": step.code,
        "sql": sql,
        "tx": tx,
        "stdout": clean_text(&step.stdout),
        "value": step.value_json.clone().unwrap_or(Json::Null),
        "error": step.error.as_ref().map(|e| json!({"type": e.type_name, "message": clean_text(&e.message)})),
    });
    // TRACE.md: `warnings` only when there were any.
    if !step.warnings.is_empty()
        && let Json::Object(map) = &mut step_json
    {
        let warnings = step
            .warnings
            .iter()
            .map(|w| json!({"category": w.category, "message": w.message}))
            .collect();
        map.insert("warnings".into(), Json::Array(warnings));
    }
    step_json
}

/// The whole trace, one step per block and one statement per line (the
/// layout of the oracle's files, so they diff well).
pub fn trace_json(fixture: &str, steps: &[StepOutcome]) -> String {
    let mut out = format!("{{\"fixture\": {}, \"steps\": [\n", json!(fixture));
    for (i, step) in steps.iter().enumerate() {
        let j = step_json(step);
        let mut fields = Vec::new();
        if let Json::Object(map) = &j {
            for key in [
                "line", "code", "sql", "tx", "stdout", "value", "error", "warnings",
            ] {
                let v = map.get(key).cloned().unwrap_or(Json::Null);
                match (&v, key) {
                    (Json::Null, "warnings") => {}
                    (Json::Array(items), "sql") if !items.is_empty() => {
                        let inner: Vec<String> = items.iter().map(|q| format!("    {q}")).collect();
                        fields.push(format!("  \"sql\": [\n{}\n  ]", inner.join(",\n")));
                    }
                    _ => fields.push(format!("  {}: {}", json!(key), v)),
                }
            }
        }
        out.push_str(&format!(
            " {{\n{}\n }}{}\n",
            fields.join(",\n"),
            if i + 1 < steps.len() { "," } else { "" }
        ));
    }
    out.push_str("]}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_drops_addresses_like_the_oracle() {
        assert_eq!(
            clean_text("[<__main__.User object at 0x7f3a2c1e4b50>, x]"),
            "[<User object>, x]"
        );
        assert_eq!(
            clean_text("Parent instance <User at 0x7f3a2c1e4b50> is not bound"),
            "Parent instance <User> is not bound"
        );
        assert_eq!(
            clean_text("a < b and <not an address>"),
            "a < b and <not an address>"
        );
    }
}
