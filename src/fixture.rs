//! Fixtures: a folder with `models.py` (the models, in the tutor's own
//! language) and `data.ron` (the rows). Loading one runs the model code,
//! creates the schema and inserts the rows, none of it logged.
//!
//! The project's `fixtures/` are built into the binary; folders given with
//! `--fixtures DIR` ([`set_search_dirs`]) are searched first.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

use include_dir::{Dir, include_dir};
use serde::Deserialize;

use crate::engine::Database;
use crate::interpreter::Interpreter;
use crate::orm::expression::{bind_value, parse_datetime};
use crate::python::Value;
use crate::sql::schema::{SqlType, SqlValue};

/// The `chat` fixture, built into the binary so the tutor runs from anywhere.
pub const CHAT_MODELS: &str = include_str!("../fixtures/chat/models.py");
/// The `chat` fixture's rows.
pub const CHAT_DATA: &str = include_str!("../fixtures/chat/data.ron");

/// Every fixture of the project (`fixtures/NAME/models.py`, `data.ron`),
/// built into the binary.
static BUILT_IN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/fixtures");

/// The folders given with `--fixtures DIR`, searched before the built-in
/// fixtures.
static SEARCH_DIRS: RwLock<Vec<PathBuf>> = RwLock::new(Vec::new());

/// A fixture's source files.
#[derive(Debug, Clone)]
pub struct Fixture {
    pub name: String,
    /// Where it came from, as messages show it: `fixtures/chat` for a
    /// built-in one, else its folder.
    pub origin: String,
    /// `models.py`: model code in the tutor's language.
    pub models: String,
    /// `data.ron`: the rows.
    pub data: String,
}

/// The rows of a fixture, as `data.ron` holds them.
#[derive(Debug, Deserialize)]
pub struct FixtureData {
    pub tables: Vec<TableRows>,
}

/// One table's rows: column name → value (`None` for NULL).
#[derive(Debug, Deserialize)]
pub struct TableRows {
    pub name: String,
    pub rows: Vec<BTreeMap<String, ron::Value>>,
}

/// Why a fixture could not be used: its path and what went wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct FixtureError(pub String);

impl std::fmt::Display for FixtureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FixtureError {}

/// Makes `dirs` (each holding fixture folders) the first places
/// [`Fixture::find`] and [`available`] look, before the built-in fixtures:
/// the command line's `--fixtures DIR`.
pub fn set_search_dirs(dirs: Vec<PathBuf>) {
    match SEARCH_DIRS.write() {
        Ok(mut d) => *d = dirs,
        Err(poisoned) => *poisoned.into_inner() = dirs,
    }
}

/// The folders given with [`set_search_dirs`].
pub fn search_dirs() -> Vec<PathBuf> {
    match SEARCH_DIRS.read() {
        Ok(d) => d.clone(),
        Err(poisoned) => poisoned.into_inner().clone(),
    }
}

/// Names of the fixtures that exist, sorted: those in the search folders
/// and the built-in ones (`chat` always).
pub fn available() -> Vec<String> {
    let mut names = vec!["chat".to_string()];
    for dir in search_dirs() {
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for e in entries.flatten() {
                if e.path().join("models.py").is_file()
                    && let Some(n) = e.file_name().to_str()
                {
                    names.push(n.to_string());
                }
            }
        }
    }
    for d in BUILT_IN.dirs() {
        if d.get_file(d.path().join("models.py")).is_some()
            && let Some(n) = d.path().to_str()
        {
            names.push(n.to_string());
        }
    }
    names.sort();
    names.dedup();
    names
}

impl Fixture {
    /// Finds fixture `name`: `NAME/models.py` (and `NAME/data.ron`, no rows
    /// when missing) in the search folders, else the built-in one.
    ///
    /// Errors: an unknown name, listing the fixtures that exist; an
    /// unreadable file.
    pub fn find(name: &str) -> Result<Fixture, FixtureError> {
        if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
            return Err(unknown(name));
        }
        for dir in search_dirs() {
            let d = dir.join(name);
            let models = d.join("models.py");
            if models.is_file() {
                let read = |p: &Path| {
                    std::fs::read_to_string(p)
                        .map_err(|e| FixtureError(format!("{}: {e}", p.display())))
                };
                let data_path = d.join("data.ron");
                return Ok(Fixture {
                    name: name.to_string(),
                    origin: d.display().to_string(),
                    models: read(&models)?,
                    data: if data_path.is_file() {
                        read(&data_path)?
                    } else {
                        NO_ROWS.into()
                    },
                });
            }
        }
        if name == "chat" {
            return Ok(Fixture::chat());
        }
        Fixture::built_in(name).unwrap_or_else(|| Err(unknown(name)))
    }

    /// The same fixture with its second dataset, `data.perturbed.ron` beside
    /// `data.ron`, if it has one: the same tables, other rows (other names,
    /// counts and ids; the rows an exercise's prompt names stay). Exercises
    /// and Try steps also check an answer there, so that output or state
    /// copied from the first dataset fails.
    ///
    /// Errors: an unreadable file.
    pub fn perturbed(&self) -> Result<Option<Fixture>, FixtureError> {
        const FILE: &str = "data.perturbed.ron";
        let data =
            if self.origin == format!("fixtures/{}", self.name) {
                match BUILT_IN.get_file(Path::new(&self.name).join(FILE)) {
                    Some(f) => Some(f.contents_utf8().map(str::to_string).ok_or_else(|| {
                        FixtureError(format!("{}/{FILE}: not UTF-8", self.origin))
                    })?),
                    None => None,
                }
            } else {
                let path = Path::new(&self.origin).join(FILE);
                match path.is_file() {
                    true => Some(
                        std::fs::read_to_string(&path)
                            .map_err(|e| FixtureError(format!("{}: {e}", path.display())))?,
                    ),
                    false => None,
                }
            };
        Ok(data.map(|data| Fixture {
            data,
            ..self.clone()
        }))
    }

    /// The built-in fixture `name`, if there is one.
    fn built_in(name: &str) -> Option<Result<Fixture, FixtureError>> {
        let dir = Path::new(name);
        let models = BUILT_IN.get_file(dir.join("models.py"))?;
        let text = |f: &include_dir::File| {
            f.contents_utf8()
                .map(str::to_string)
                .ok_or_else(|| FixtureError(format!("fixtures/{}: not UTF-8", f.path().display())))
        };
        let fixture = (|| {
            Ok(Fixture {
                name: name.to_string(),
                origin: format!("fixtures/{name}"),
                models: text(models)?,
                data: match BUILT_IN.get_file(dir.join("data.ron")) {
                    Some(f) => text(f)?,
                    None => NO_ROWS.into(),
                },
            })
        })();
        Some(fixture)
    }

    /// The built-in `chat` fixture.
    pub fn chat() -> Fixture {
        Fixture {
            name: "chat".into(),
            origin: "fixtures/chat".into(),
            models: CHAT_MODELS.into(),
            data: CHAT_DATA.into(),
        }
    }

    /// Runs `models.py` in `interp`, creates every table in `db` and loads
    /// the rows (unless `seed` is false, for a reopened `--db` file).
    ///
    /// Errors: the file, line and problem for a broken `models.py` or
    /// `data.ron`, or a row SQLite rejects.
    pub fn load(
        &self,
        interp: &mut Interpreter,
        db: &Database,
        seed: bool,
    ) -> Result<(), FixtureError> {
        let stmts = crate::language::parse_module(&self.models).map_err(|e| {
            let (line, col) = line_col(&self.models, e.span.start);
            FixtureError(format!(
                "{}/models.py, line {line}, column {col}: {e}",
                self.origin
            ))
        })?;
        interp.module = self.name.clone();
        for s in &stmts {
            interp.begin_step();
            if let Err(e) = interp.exec_top(s) {
                interp.module = "__main__".into();
                let line = e
                    .span
                    .map(|sp| line_col(&self.models, sp.start).0)
                    .unwrap_or(0);
                return Err(FixtureError(format!(
                    "{}/models.py, line {line}: {}: {}",
                    self.origin,
                    e.type_name(),
                    e.message
                )));
            }
        }
        interp.module = "__main__".into();
        interp.stdout.clear();
        // The fixture's models are those of its `Base`'s registry (or of
        // the first declarative base it made): the tutor's own metadata.
        let base = interp
            .globals
            .get("Base")
            .cloned()
            .into_iter()
            .chain(interp.globals.values().cloned());
        if let Some(r) = base
            .filter_map(|v| match v {
                Value::Native(n) => {
                    crate::python::object::downcast::<crate::orm::mapper::Registry>(&n)
                }
                _ => None,
            })
            .next()
        {
            interp.registry = r;
        }
        let tables = interp.registry.tables_in_dependency_order();
        for t in &tables {
            let exists = db
                .has_table(&t.name)
                .map_err(|e| FixtureError(e.to_string()))?;
            if exists && db.is_server() {
                // the tutor's own were dropped before: this one is someone else's
                return Err(FixtureError(format!(
                    "table {} already exists in the database and orm-tutor did not create it: \
                     it will not load its fixture into it",
                    t.name
                )));
            }
            if !exists {
                db.execute_batch_setup(&crate::sql::compiler::create_table(t, db.dialect()))
                    .and_then(|()| db.mark_created(&t.name))
                    .map_err(|e| FixtureError(format!("creating table {}: {e}", t.name)))?;
            }
        }
        if !seed {
            return Ok(());
        }
        let data: FixtureData = ron::from_str(&self.data).map_err(|e| {
            FixtureError(format!("{}/data.ron, {}: {}", self.origin, e.span, e.code))
        })?;
        db.execute_batch_setup("BEGIN")
            .map_err(|e| FixtureError(e.to_string()))?;
        for t in &data.tables {
            let table = interp.registry.table(&t.name).ok_or_else(|| {
                FixtureError(format!(
                    "{}/data.ron: table '{}' is not declared in models.py",
                    self.origin, t.name
                ))
            })?;
            for (n, row) in t.rows.iter().enumerate() {
                let mut cols = Vec::new();
                let mut values = Vec::new();
                for (k, v) in row {
                    let col = table.columns.iter().find(|c| &c.name == k).ok_or_else(|| {
                        FixtureError(format!(
                            "{}/data.ron: table '{}' row {} has no column '{k}'",
                            self.origin,
                            t.name,
                            n + 1
                        ))
                    })?;
                    cols.push(k.clone());
                    values.push(storage_value(v, &col.sql_type).map_err(|m| {
                        FixtureError(format!(
                            "{}/data.ron: table '{}' row {} column '{k}': {m}",
                            self.origin,
                            t.name,
                            n + 1
                        ))
                    })?);
                }
                let dialect = db.dialect();
                let sql = format!(
                    "INSERT INTO {} ({}) VALUES ({})",
                    dialect.quote(&table.name),
                    cols.iter()
                        .map(|c| dialect.quote(c))
                        .collect::<Vec<_>>()
                        .join(", "),
                    (1..=cols.len())
                        .map(|i| dialect.bind_marker(&format!("param_{i}")))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                db.execute_setup(&sql, &values).map_err(|e| {
                    FixtureError(format!(
                        "{}/data.ron: table '{}' row {}: {e}",
                        self.origin,
                        t.name,
                        n + 1
                    ))
                })?;
            }
        }
        db.execute_batch_setup("COMMIT")
            .map_err(|e| FixtureError(e.to_string()))?;
        // On a server, rows loaded with explicit ids leave each SERIAL
        // sequence behind them.
        for t in &tables {
            if let Some(i) = crate::sql::compiler::serial_column(t) {
                db.move_sequence_past_ids(&t.name, &t.columns[i].name)
                    .map_err(|e| FixtureError(e.to_string()))?;
            }
        }
        db.commit().map_err(|e| FixtureError(e.to_string()))?;
        Ok(())
    }
}

/// `data.ron` for a fixture without one.
const NO_ROWS: &str = "(tables: [])";

fn unknown(name: &str) -> FixtureError {
    FixtureError(format!(
        "no fixture named '{name}'; the fixtures are: {}",
        available().join(", ")
    ))
}

/// Where each line of a text starts, to find the line of an offset by
/// binary search: a script of 100,000 statements costs 100,000 look-ups,
/// not a rescan of the text before each.
#[derive(Debug)]
pub struct LineIndex<'t> {
    text: &'t str,
    /// Byte offset of the start of each line (the first is 0).
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> LineIndex<'t> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// The text indexed.
    pub fn text(&self) -> &'t str {
        self.text
    }

    /// 1-based line and column (in characters) of byte offset `pos`, as
    /// [`line_col`].
    pub fn line_col(&self, pos: usize) -> (usize, usize) {
        let pos = pos.min(self.text.len());
        if !self.text.is_char_boundary(pos) {
            return (1, 1);
        }
        let line = self.starts.partition_point(|&s| s <= pos);
        let start = self.starts[line - 1];
        let col = self
            .text
            .get(start..pos)
            .map(|l| l.chars().count())
            .unwrap_or(0)
            + 1;
        (line, col)
    }

    /// The text of 1-based line `line`, without its line break (as
    /// `str::lines`).
    pub fn line_text(&self, line: usize) -> &'t str {
        let Some(&start) = self.starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        match self.starts.get(line) {
            Some(&next) => {
                let text = self.text.get(start..next - 1).unwrap_or("");
                text.strip_suffix('\r').unwrap_or(text)
            }
            None => self.text.get(start..).unwrap_or(""),
        }
    }
}

/// 1-based line and column of byte offset `pos` in `text` (one look; a
/// [`LineIndex`] answers many).
pub fn line_col(text: &str, pos: usize) -> (usize, usize) {
    let pos = pos.min(text.len());
    let before = text.get(..pos).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

/// A `data.ron` value as SQLAlchemy would have stored it for a column of `ty`.
fn storage_value(v: &ron::Value, ty: &SqlType) -> Result<SqlValue, String> {
    let py = match v {
        ron::Value::Option(None) | ron::Value::Unit => Value::None,
        ron::Value::Option(Some(inner)) => return storage_value(inner, ty),
        ron::Value::Bool(b) => Value::Bool(*b),
        ron::Value::Number(n) => match n.into_f64() {
            f if f.fract() == 0.0 && f.abs() < 9.0e15 => Value::Int(f as i64),
            f => Value::Float(f),
        },
        ron::Value::String(s) => match ty {
            SqlType::DateTime | SqlType::Timestamp(_) | SqlType::Date => Value::DateTime(
                parse_datetime(s)
                    .ok_or_else(|| format!("'{s}' is not a datetime (YYYY-MM-DD HH:MM:SS)"))?,
            ),
            _ => Value::str(s),
        },
        other => return Err(format!("unsupported value {other:?}")),
    };
    bind_value(&py, Some(ty)).map_err(|e| e.message)
}

#[cfg(test)]
mod line_index_tests {
    use super::*;

    #[test]
    fn a_line_index_answers_as_line_col() {
        let text = "a = 1\r\nbé = 2\n\n  c = 3\nlast\r";
        let index = LineIndex::new(text);
        for pos in 0..=text.len() + 2 {
            assert_eq!(index.line_col(pos), line_col(text, pos), "at {pos}");
        }
        for line in 1..=7 {
            assert_eq!(
                index.line_text(line),
                text.lines().nth(line - 1).unwrap_or(""),
                "line {line}"
            );
        }
    }
}
