//! The tutor: a fixture's database, an interpreter with the usual names
//! bound, and the running of scripts and REPL entries step by step into
//! [`StepOutcome`]s.

use std::path::PathBuf;
use std::rc::Rc;

use crate::engine::Database;
use crate::fixture::{Fixture, FixtureError, line_col};
use crate::interpreter::{Interpreter, PyErr};
use crate::language::ast::{Span, Stmt};
use crate::orm::mapper::Registry;
use crate::outcome::{ErrorReport, Location, Shown, StepOutcome};
use crate::python::ExcType;
use crate::python::value::Value;

/// Where the database lives.
#[derive(Debug, Clone, PartialEq)]
pub enum DbTarget {
    /// A fresh in-memory database, seeded from the fixture.
    Memory,
    /// A SQLite file (`--db FILE`), created and seeded when missing.
    File(PathBuf),
}

/// A running tutor.
pub struct Tutor {
    pub fixture: Fixture,
    pub target: DbTarget,
    pub interp: Interpreter,
    /// The N+1 detector, which remembers the learner's recent queries.
    pub detector: crate::teaching::Detector,
}

/// How many rows a result table shows before cutting.
pub const MAX_TABLE_ROWS: usize = 20;

impl Tutor {
    /// Opens the database, runs the fixture's models, loads its rows and
    /// binds `session`, `engine`, `Base`, the models and tables.
    ///
    /// Errors: a broken fixture or an unusable database file.
    pub fn start(fixture: Fixture, target: DbTarget) -> Result<Tutor, FixtureError> {
        let (db, seed) = match &target {
            DbTarget::Memory => (
                Database::open_in_memory().map_err(|e| FixtureError(e.to_string()))?,
                true,
            ),
            DbTarget::File(p) => {
                let db = Database::open_file(p)
                    .map_err(|e| FixtureError(format!("{}: {e}", p.display())))?;
                let seeded = db
                    .has_table("orm_tutor_fixture")
                    .map_err(|e| FixtureError(format!("{}: {e}", p.display())))?;
                (db, !seeded)
            }
        };
        let db = Rc::new(db);
        let registry = Rc::new(Registry::default());
        let mut interp = Interpreter::new(db.clone(), registry);
        fixture.load(&mut interp, &db, seed)?;
        if seed && matches!(target, DbTarget::File(_)) {
            db.execute_batch_setup(&format!(
                "CREATE TABLE orm_tutor_fixture (name VARCHAR); INSERT INTO orm_tutor_fixture VALUES ('{}')",
                fixture.name.replace('\'', "")
            ))
            .map_err(|e| FixtureError(e.to_string()))?;
        }
        // The fixture's rows were loaded by session 1 in the reference; the
        // learner's `session` is the next one.
        interp.new_session_id();
        let engine = Value::native(crate::sqlalchemy::objects::Engine);
        interp.globals.insert("engine".into(), engine);
        interp.globals.insert(
            "async_engine".into(),
            Value::native(crate::sqlalchemy::asyncio::AsyncEngine),
        );
        let id = interp.new_session_id();
        let session = crate::orm::session::Session::new(id, db.clone(), interp.registry.clone());
        interp
            .globals
            .insert("session".into(), Value::Native(session));
        db.take_events();
        Ok(Tutor {
            fixture,
            target,
            interp,
            detector: Default::default(),
        })
    }

    /// `.reset`: a fresh database and session (an in-memory database is
    /// reseeded; a `--db` file keeps what was committed).
    pub fn reset(&mut self) -> Result<(), FixtureError> {
        let fresh = Tutor::start(self.fixture.clone(), self.target.clone())?;
        *self = fresh;
        Ok(())
    }

    /// Runs a whole script, each top-level statement a step; a statement's
    /// error is reported and the next runs, and a syntax error spoils only
    /// the statement it is in.
    pub fn run_script(&mut self, source: &str) -> Vec<StepOutcome> {
        // A script pasted from a Python session keeps its line numbers
        // without its `>>> `/`... ` prompts (see `strip_repl_prompts`).
        let source = &*crate::language::strip_repl_prompts(source);
        let mut out = Vec::new();
        let chunks = match guarded(|| crate::language::split_top_level(source)) {
            Ok(chunks) => chunks,
            Err(e) => return vec![internal_outcome(source, 0, source, e)],
        };
        for (start, end) in chunks {
            let chunk = source.get(start..end).unwrap_or("");
            match guarded(|| crate::language::parse_module(chunk)) {
                Ok(Ok(stmts)) => {
                    for s in &stmts {
                        out.push(self.run_stmt(s, source, start));
                    }
                }
                Ok(Err(e)) => out.push(syntax_outcome(source, start, chunk, &e)),
                Err(e) => out.push(internal_outcome(source, start, chunk, e)),
            }
        }
        out
    }

    /// Runs one REPL entry (one or more statements typed together).
    pub fn run_entry(&mut self, source: &str) -> Vec<StepOutcome> {
        self.run_script(source)
    }

    fn run_stmt(&mut self, stmt: &Stmt, source: &str, base: usize) -> StepOutcome {
        let start = base + stmt.span.start;
        let end = (base + stmt.span.end).min(source.len());
        let (line, _) = line_col(source, start);
        let code = source.get(start..end).unwrap_or("").to_string();
        self.detector.observe(stmt, source, base);
        self.interp.begin_step();
        // A bug in the tutor must not take the learner's session with it:
        // a panic becomes an error report for this step.
        // Showing the value runs inside the guard too (a `repr` may fail).
        let result = guarded(|| match self.interp.exec_top(stmt) {
            Ok(Some(v)) if !matches!(v, Value::None) => {
                let json = value_json(&v);
                let shown = self.shown(&v);
                Ok((Some(json), shown))
            }
            Ok(_) => Ok((None, None)),
            Err(e) => Err(e),
        })
        .and_then(|r| r);
        let events = self.interp.db.take_events();
        let stdout = std::mem::take(&mut self.interp.stdout);
        let (value_json, shown, error) = match result {
            Ok((json, shown)) => (json, shown, None),
            Err(e) => (None, None, Some(error_report(&e, source, base))),
        };
        let mut outcome = StepOutcome {
            line,
            code,
            events,
            stdout,
            value_json,
            shown,
            error,
            notes: Vec::new(),
        };
        outcome.notes = self.detector.notes_for(&outcome);
        outcome
    }

    /// How the REPL shows a value: a table of objects or rows, the SQL of
    /// an unrun query, or the value's repr.
    fn shown(&mut self, v: &Value) -> Option<Shown> {
        match v {
            v if let Some(q) = crate::sqlalchemy::query::as_query(v) => match q.to_select() {
                Ok((select, _)) => {
                    let c = crate::sql::compiler::compile_select(&select, self.interp.db.dialect());
                    Some(Shown::Query {
                        params: c.positional_values(),
                        sql: c.sql,
                    })
                }
                Err(e) => Some(Shown::Repr(e.message)),
            },
            Value::List(l) => {
                let items = l.items.borrow().clone();
                table_of(&items, true).or_else(|| self.interp.repr(v).ok().map(Shown::Repr))
            }
            Value::Native(n)
                if let Some(crate::sqlalchemy::objects::InstanceState(o)) =
                    crate::python::object::downcast(n).as_deref() =>
            {
                Some(inspect_table(o))
            }
            v if matches!(v, Value::Row(_)) || crate::orm::state::as_instance(v).is_some() => {
                table_of(std::slice::from_ref(v), false)
                    .or_else(|| self.interp.repr(v).ok().map(Shown::Repr))
            }
            other => Some(Shown::Repr(self.interp.repr(other).unwrap_or_else(|e| {
                format!("<repr failed: {}: {}>", e.type_name(), e.message)
            }))),
        }
    }

    /// `.session`: the learner's `session` drawn — its transaction, the
    /// identity map with each object's state and attributes, and
    /// `session.new`, `session.dirty`, `session.deleted`.
    pub fn session_view(&mut self) -> String {
        let Some(s) = self
            .interp
            .globals
            .get("session")
            .and_then(crate::sqlalchemy::session::as_session)
        else {
            return "`session` is not a Session any more (it was reassigned).".into();
        };
        let mut out = format!("session: transaction {}\n", s.transaction_state());
        let objects = s.identity_objects();
        out.push_str(&format!(
            "identity map: {} object{}\n",
            objects.len(),
            if objects.len() == 1 { "" } else { "s" }
        ));
        let mut table = comfy_table::Table::new();
        table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
        table.set_header(vec!["object", "state", "loaded", "expired", "modified"]);
        let describe = |o: &crate::orm::state::Obj| -> Vec<String> {
            let b = o.borrow();
            let ident = match &b.key {
                Some(k) => format!(
                    "{}({})",
                    b.mapper.class_name,
                    k.iter()
                        .map(crate::python::format::repr_plain)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                None => format!("{} (no key yet)", b.mapper.class_name),
            };
            let loaded: Vec<String> = b
                .mapper
                .attribute_names()
                .into_iter()
                .filter(|k| b.dict.contains_key(k))
                .collect();
            let expired: Vec<String> = b.expired.iter().cloned().collect();
            let modified: Vec<String> = b
                .committed
                .iter()
                .map(|(k, old)| {
                    let new = b
                        .dict
                        .get(k)
                        .map(crate::python::format::repr_plain)
                        .unwrap_or_default();
                    let old = match old {
                        Value::Tuple(t) if t.is_empty() => "<expired>".to_string(),
                        v => crate::python::format::repr_plain(v),
                    };
                    format!("{k}: {old} → {new}")
                })
                .collect();
            vec![
                ident,
                b.state().name().to_string(),
                loaded.join(", "),
                expired.join(", "),
                modified.join("; "),
            ]
        };
        for o in objects.iter().chain(s.new_objects().iter()) {
            table.add_row(describe(o));
        }
        if !objects.is_empty() || !s.new_objects().is_empty() {
            out.push_str(&table.to_string());
            out.push('\n');
        }
        let names = |v: Vec<crate::orm::state::Obj>| -> String {
            v.iter()
                .map(|o| describe(o)[0].clone())
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push_str(&format!("session.new: [{}]\n", names(s.new_objects())));
        out.push_str(&format!("session.dirty: [{}]\n", names(s.dirty_objects())));
        out.push_str(&format!(
            "session.deleted: [{}]\n",
            names(s.deleted_objects())
        ));
        out
    }

    /// Every name in scope (for completion).
    pub fn names(&self) -> Vec<String> {
        self.interp.names_in_scope()
    }

    /// `.schema`: the CREATE TABLE statements, in creation order.
    pub fn schema(&self) -> String {
        self.interp
            .registry
            .tables_in_dependency_order()
            .iter()
            .map(|t| format!("{};", crate::sql::compiler::create_table(t).trim_end()))
            .collect::<Vec<_>>()
            .join("\n\n")
    }
}

/// `inspect(obj)` in the REPL: the object's state and each attribute's
/// status (loaded, expired, modified, not loaded) with its value.
fn inspect_table(o: &crate::orm::state::Obj) -> Shown {
    let b = o.borrow();
    let mut rows = Vec::new();
    for key in b.mapper.attribute_names() {
        let status = if b.committed.contains_key(&key) {
            "modified"
        } else if b.expired.contains(&key) {
            "expired"
        } else if b.dict.contains_key(&key) {
            "loaded"
        } else {
            "not loaded"
        };
        let value = b.dict.get(&key).map(cell).unwrap_or_default();
        rows.push(vec![key, status.to_string(), value]);
    }
    Shown::Table {
        title: format!("inspect({}): {}", b.mapper.class_name, b.state().name()),
        columns: vec!["attribute".into(), "status".into(), "value".into()],
        rows,
        omitted: 0,
    }
}

/// Runs `f`, turning a panic (a bug in the tutor) into an `InternalError`,
/// so that a bug spoils one step and never the learner's session.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, PyErr> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(internal_error)
}

/// The outcome of a chunk of source the tutor failed to split or parse.
fn internal_outcome(source: &str, base: usize, chunk: &str, e: PyErr) -> StepOutcome {
    let (line, _) = line_col(source, base);
    StepOutcome {
        line,
        code: chunk.trim_end().to_string(),
        events: Vec::new(),
        stdout: String::new(),
        value_json: None,
        shown: None,
        error: Some(ErrorReport {
            type_name: e.type_name().to_string(),
            message: e.message,
            location: None,
            hint: None,
        }),
        notes: Vec::new(),
    }
}

/// An internal failure turned into an error the learner can read and report.
fn internal_error(payload: Box<dyn std::any::Any + Send>) -> PyErr {
    let what = panic_message(&*payload);
    PyErr::new(
        ExcType::InternalError,
        format!(
            "orm-tutor itself failed on this line ({what}); the session goes on, but please report the line"
        ),
    )
}

/// The text of a panic's payload (`"unknown failure"` when it has none).
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown failure".into())
}

/// Installs a panic hook that stays quiet: panics inside a step are
/// reported as that step's `InternalError` instead of a trace on stderr.
pub fn quiet_panics() {
    std::panic::set_hook(Box::new(|_| {}));
}

/// A table for a homogeneous list of objects or rows; `None` otherwise.
fn table_of(items: &[Value], is_list: bool) -> Option<Shown> {
    let first = items.first()?;
    match first {
        inst if let Some(o) = crate::orm::state::as_instance(inst) => {
            let mapper = o.borrow().mapper.clone();
            if !items.iter().all(|i| {
                crate::orm::state::as_instance(i)
                    .as_ref()
                    .is_some_and(|x| Rc::ptr_eq(&x.borrow().mapper, &mapper))
            }) {
                return None;
            }
            let columns: Vec<String> = mapper.columns.iter().map(|(k, _)| k.clone()).collect();
            let rows = items
                .iter()
                .take(MAX_TABLE_ROWS)
                .map(|i| {
                    let Some(o) = crate::orm::state::as_instance(i) else {
                        return Vec::new();
                    };
                    let b = o.borrow();
                    columns
                        .iter()
                        .map(|c| match b.dict.get(c) {
                            Some(v) => cell(v),
                            None if b.expired.contains(c) => "<expired>".to_string(),
                            None => "<not loaded>".to_string(),
                        })
                        .collect()
                })
                .collect();
            Some(Shown::Table {
                title: if !is_list {
                    mapper.class_name.clone()
                } else {
                    format!("{} × {}", items.len(), mapper.class_name)
                },
                columns,
                rows,
                omitted: items.len().saturating_sub(MAX_TABLE_ROWS),
            })
        }
        Value::Row(r) => {
            let columns: Vec<String> = r.keys.to_vec();
            if !items
                .iter()
                .all(|i| matches!(i, Value::Row(x) if x.keys.len() == columns.len()))
            {
                return None;
            }
            let rows = items
                .iter()
                .take(MAX_TABLE_ROWS)
                .map(|i| match i {
                    Value::Row(r) => r.values.iter().map(cell).collect(),
                    _ => Vec::new(),
                })
                .collect();
            Some(Shown::Table {
                title: format!(
                    "{} row{}",
                    items.len(),
                    if items.len() == 1 { "" } else { "s" }
                ),
                columns,
                rows,
                omitted: items.len().saturating_sub(MAX_TABLE_ROWS),
            })
        }
        _ => None,
    }
}

/// A table cell: strings plain, everything else as its repr.
fn cell(v: &Value) -> String {
    match v {
        Value::Str(s) => s.to_string(),
        Value::DateTime(dt) => crate::python::value::datetime_str(dt),
        Value::List(l) => format!("[{} items]", l.items.borrow().len()),
        other => crate::python::format::repr_plain(other),
    }
}

/// A value as the trace's `value` field (TRACE.md): scalars as themselves,
/// sequences as lists, an instance as its model and identity, anything else
/// as its type name.
pub fn value_json(v: &Value) -> serde_json::Value {
    use crate::python::recursion;
    use serde_json::json;
    // a container inside itself, or nested past the recursion limit: its repr
    let _guards = match v {
        Value::List(l) => Some(Rc::as_ptr(l) as *const u8 as usize),
        Value::Dict(d) => Some(Rc::as_ptr(d) as *const u8 as usize),
        Value::Tuple(t) => Some(t.as_ptr() as usize),
        _ => None,
    }
    .map(|address| (recursion::repr_enter(address), recursion::Level::enter()));
    if let Some((None, _) | (_, None)) = _guards {
        recursion::take_exceeded();
        return json!(crate::python::format::repr_plain(v));
    }
    match v {
        Value::None => serde_json::Value::Null,
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null),
        Value::Str(s) => json!(s.to_string()),
        Value::DateTime(dt) => json!(crate::python::value::datetime_str(dt)),
        Value::Date(d) => json!(d.format("%Y-%m-%d").to_string()),
        Value::List(l) => {
            serde_json::Value::Array(l.items.borrow().iter().map(value_json).collect())
        }
        Value::Tuple(t) => serde_json::Value::Array(t.iter().map(value_json).collect()),
        Value::Row(r) => serde_json::Value::Array(r.values.iter().map(value_json).collect()),
        Value::Dict(d) => serde_json::Value::Object(
            d.borrow()
                .iter()
                .map(|(k, v)| (crate::python::format::str_plain(k), value_json(v)))
                .collect(),
        ),
        Value::Native(n)
            if let Some(crate::sqlalchemy::objects::InstanceState(o)) =
                crate::python::object::downcast(n).as_deref() =>
        {
            let b = o.borrow();
            json!({
                "model": "InstanceState",
                "identity": b.key.as_ref().map(|k| k.iter().map(value_json).collect::<Vec<_>>()).unwrap_or_default(),
            })
        }
        inst if let Some(o) = crate::orm::state::as_instance(inst) => {
            let b = o.borrow();
            json!({
                "model": b.mapper.class_name,
                "identity": b.key.as_ref().map(|k| k.iter().map(value_json).collect::<Vec<_>>()).unwrap_or_default(),
            })
        }
        other => json!({ "type": other.type_name() }),
    }
}

/// An exception as the learner sees it, with the line and caret position
/// of its span in `source` (the span is relative to `base`).
pub fn error_report(e: &PyErr, source: &str, base: usize) -> ErrorReport {
    ErrorReport {
        type_name: e.type_name().to_string(),
        message: e.message.clone(),
        location: e.span.map(|s| location(source, base, s)),
        hint: e.hint.clone(),
    }
}

fn location(source: &str, base: usize, span: Span) -> Location {
    let start = (base + span.start).min(source.len());
    let end = (base + span.end).min(source.len()).max(start);
    let (line, col) = line_col(source, start);
    let text = source.lines().nth(line - 1).unwrap_or("").to_string();
    let line_end_chars = text.chars().count();
    let width = source
        .get(start..end)
        .map(|s| s.split('\n').next().unwrap_or("").chars().count())
        .unwrap_or(1)
        .max(1)
        .min(line_end_chars.saturating_sub(col - 1).max(1));
    Location {
        line,
        text,
        column: col - 1,
        width,
    }
}

fn syntax_outcome(
    source: &str,
    base: usize,
    chunk: &str,
    e: &crate::language::SyntaxError,
) -> StepOutcome {
    let (line, _) = line_col(source, base);
    StepOutcome {
        line,
        code: chunk.trim_end().to_string(),
        events: Vec::new(),
        stdout: String::new(),
        value_json: None,
        shown: None,
        error: Some(ErrorReport {
            type_name: "SyntaxError".into(),
            message: e.message.clone(),
            location: Some(location(source, base, e.span)),
            hint: None,
        }),
        notes: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_a_step_becomes_one_internal_error() {
        let e = guarded(|| -> i32 { panic!("boom") }).expect_err("the panic is caught");
        assert_eq!(e.type_name(), "InternalError");
        assert!(e.message.contains("(boom)"), "{}", e.message);
        assert_eq!(guarded(|| 7).ok(), Some(7));
    }
}
