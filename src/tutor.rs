//! The tutor: a fixture's database, an interpreter with the usual names
//! bound, and the running of scripts and REPL entries step by step into
//! [`StepOutcome`]s.

use std::path::PathBuf;
use std::rc::Rc;

use crate::engine::Database;
use crate::fixture::{Fixture, FixtureError, LineIndex};
use crate::interpreter::{Interpreter, PyErr};
use crate::language::ast::{Span, Stmt};
use crate::orm::mapper::Registry;
use crate::outcome::{ErrorReport, Location, Shown, StepOutcome};
use crate::python::ExcType;
use crate::python::value::{SourceText, Value};

mod traceback;

/// Where the database lives.
#[derive(Debug, Clone, PartialEq)]
pub enum DbTarget {
    /// A fresh in-memory database, seeded from the fixture.
    Memory,
    /// A SQLite file (`--db FILE`), created and seeded when missing.
    File(PathBuf),
    /// A PostgreSQL server (`--db postgresql://user[:password]@host[:port]/dbname`):
    /// the fixture is loaded into it at start and its tables dropped at the
    /// end. A database holding tables the tutor did not create is refused
    /// unless `reset` (`--reset`) is set; those are never dropped.
    Server { url: String, reset: bool },
}

/// `scheme://user:secret@host/db` as `scheme://user:***@host/db`
/// (SQLAlchemy's `URL.__repr__`).
fn mask_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let Some((userinfo, host)) = rest.rsplit_once('@') else {
        return url.to_string();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

impl DbTarget {
    /// `--db VALUE`: a server URL (`postgresql://…`, `postgres://…`,
    /// `postgresql+psycopg2://…`) or a SQLite file.
    pub fn from_arg(value: &std::path::Path, reset: bool) -> DbTarget {
        match value.to_str() {
            Some(url)
                if ["postgresql://", "postgresql+", "postgres://"]
                    .iter()
                    .any(|p| url.starts_with(p)) =>
            {
                DbTarget::Server {
                    url: url.to_string(),
                    reset,
                }
            }
            _ => DbTarget::File(value.to_path_buf()),
        }
    }

    /// Which database the lines run on, for the result panel:
    /// `SQLite (in memory)`, `SQLite (chat.db)`, `PostgreSQL (127.0.0.1:5432/postgres)`.
    pub fn describe(&self) -> String {
        match self {
            DbTarget::Memory => "SQLite (in memory)".into(),
            DbTarget::File(p) => format!("SQLite ({})", p.display()),
            DbTarget::Server { url, .. } => match crate::engine::postgresql::PgUrl::parse(url) {
                Ok(u) => format!("PostgreSQL ({}:{}/{})", u.host, u.port, u.dbname),
                Err(_) => "PostgreSQL".into(),
            },
        }
    }
}

/// Where lessons and exercises run the learner's session: a server given
/// with `--db postgresql://…` (see [`set_live_target`]), else in memory.
static LIVE_TARGET: std::sync::Mutex<Option<DbTarget>> = std::sync::Mutex::new(None);

/// Makes `lesson` and `exercise` run the learner's session on `target` (the
/// command line's `--db postgresql://…`); answers are still checked on
/// SQLite copies.
pub fn set_live_target(target: Option<DbTarget>) {
    match LIVE_TARGET.lock() {
        Ok(mut t) => *t = target,
        Err(poisoned) => *poisoned.into_inner() = target,
    }
}

/// The target set by [`set_live_target`], [`DbTarget::Memory`] by default.
pub fn live_target() -> DbTarget {
    let t = match LIVE_TARGET.lock() {
        Ok(t) => t.clone(),
        Err(poisoned) => poisoned.into_inner().clone(),
    };
    t.unwrap_or(DbTarget::Memory)
}

impl DbTarget {
    /// The URL of the fixture's `engine` as SQLAlchemy's `repr(engine.url)`
    /// shows it: `sqlite://`, `sqlite:///FILE`, or the server's URL with its
    /// password masked (`postgresql://user:***@host/db`).
    pub fn url(&self) -> String {
        match self {
            DbTarget::Memory => "sqlite://".into(),
            DbTarget::File(p) => format!("sqlite:///{}", p.display()),
            DbTarget::Server { url, .. } => mask_password(url),
        }
    }
}

/// A running tutor.
pub struct Tutor {
    pub fixture: Fixture,
    pub target: DbTarget,
    pub interp: Interpreter,
    /// The N+1 detector, which remembers the learner's recent queries.
    pub detector: crate::teaching::Detector,
    /// The last value an entry showed, bound to `_` when the entry ends.
    displayed: Option<Value>,
    /// Inside [`Tutor::run_entry`]: the values shown are kept for `_`.
    /// A script (`run_script` alone) keeps none, so an object only its
    /// shown result referred to leaves the identity map as in CPython.
    keep_displayed: bool,
    /// What the last REPL entry sent, every statement (for `.sql`).
    pub last_events: Vec<crate::outcome::Event>,
    /// How long the last REPL entry took, all of it (`.timing`).
    pub last_entry_time: std::time::Duration,
    /// On a server: the tables that were there before the tutor came, which
    /// it must leave alone; `None` once [`Tutor::close`] ran (or on SQLite).
    server_tables_before: Option<Vec<String>>,
}

/// How many rows a result table shows before cutting.
pub const MAX_TABLE_ROWS: usize = 20;

impl Tutor {
    /// Opens the database, runs the fixture's models, loads its rows and
    /// binds `session`, `engine`, `Base`, the models and tables.
    ///
    /// Errors: a broken fixture or an unusable database file.
    pub fn start(fixture: Fixture, target: DbTarget) -> Result<Tutor, FixtureError> {
        let mut server_tables_before = None;
        let (db, seed) = match &target {
            DbTarget::Server { url, reset } => {
                let (db, others) = open_server(url, *reset)?;
                server_tables_before = Some(others);
                (db, true)
            }
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
        let engine = interp.add_engine(target.url(), db.clone(), None);
        interp.globals.insert("engine".into(), engine.clone());
        let async_engine = match &target {
            DbTarget::Server { url, .. } => crate::sqlalchemy::asyncio_engine::server_async_engine(
                &mut interp,
                url,
                &target.url(),
            )
            .map_err(|e| FixtureError(format!("async_engine: {}", e.message)))?,
            _ => crate::sqlalchemy::asyncio_engine::fixture_async_engine(&engine),
        };
        interp.globals.insert("async_engine".into(), async_engine);
        let id = interp.new_session_id();
        let session = crate::orm::session::Session::new(id, db.clone(), interp.registry.clone());
        interp
            .globals
            .insert("session".into(), Value::Native(session));
        if let DbTarget::File(p) = &target {
            let dir = crate::sqlalchemy::alembic::revision::versions_dir(p);
            if let Err(e) = crate::sqlalchemy::alembic::revision::load_dir(&mut interp, &dir) {
                eprintln!(
                    "orm-tutor: warning: the revisions in {}: {e}",
                    dir.display()
                );
            }
        }
        db.take_events();
        Ok(Tutor {
            fixture,
            target,
            interp,
            detector: Default::default(),
            displayed: None,
            keep_displayed: false,
            last_events: Vec::new(),
            last_entry_time: std::time::Duration::ZERO,
            server_tables_before,
        })
    }

    /// `.reset`: a fresh database and session (an in-memory database is
    /// reseeded; a `--db` file keeps what was committed; a server's
    /// tables are dropped and loaded again).
    pub fn reset(&mut self) -> Result<(), FixtureError> {
        self.close();
        let fresh = Tutor::start(self.fixture.clone(), self.target.clone())?;
        *self = fresh;
        Ok(())
    }

    /// Ends the tutor's work on a server: rolls back what the learner left
    /// open and drops the tables the tutor created (the fixture's, and any
    /// the learner's `create_all()` made), never those that were there
    /// before. Runs once; also on drop.
    ///
    /// Errors are reported on stderr: the tables stay, marked as the
    /// tutor's, and the next start drops them.
    pub fn close(&mut self) {
        let Some(before) = self.server_tables_before.take() else {
            return;
        };
        let db = self.interp.db.clone();
        crate::sqlalchemy::alembic::release_op(&self.interp);
        // the other engines' transactions (`async_engine`'s) would hold
        // locks the drop waits for
        for other in &self.interp.engines {
            if !Rc::ptr_eq(other, &db) {
                let _ = other.rollback();
            }
        }
        let result = db.rollback().and_then(|()| {
            let now = db.server_tables()?;
            let mut ours = now.ours;
            // Alembic's version table, when `.upgrade` made it this session
            if now.others.iter().any(|n| n == "alembic_version")
                && !before.iter().any(|n| n == "alembic_version")
            {
                ours.push("alembic_version".to_string());
            }
            ours.extend(
                self.interp
                    .registry
                    .tables
                    .borrow()
                    .iter()
                    .map(|t| t.name.clone())
                    .filter(|n| now.others.contains(n) && !before.contains(n)),
            );
            db.drop_tables(&ours)
        });
        if let Err(e) = result {
            eprintln!("orm-tutor: warning: the tutor's tables stay on the server: {e}");
        }
    }

    /// Ends a tutor whose process is about to exit (`orm-tutor run`), as
    /// [`Tutor::close`] and then a drop would, but without freeing what the
    /// script loaded: on SQLite the open transaction is rolled back (as
    /// Python's sqlite3 does for a connection that is never committed) and
    /// the rest is left to the operating system, since taking apart a
    /// million loaded objects one by one costs a tenth of loading them. On
    /// a server, or if the rollback fails, the tutor is dropped as usual.
    pub fn end_at_exit(mut self) {
        self.close();
        let on_sqlite = matches!(self.target, DbTarget::Memory | DbTarget::File(_));
        if on_sqlite && self.interp.db.rollback().is_ok() {
            std::mem::forget(self);
        }
    }

    /// Runs a whole script, each top-level statement a step; a statement's
    /// error is reported and the next runs, and a syntax error spoils only
    /// the statement it is in. A `KeyboardInterrupt` that Ctrl-C caused
    /// ([`crate::outcome::CTRL_C`]) ends the script there.
    pub fn run_script(&mut self, source: &str) -> Vec<StepOutcome> {
        let mut out = Vec::new();
        self.run_script_each(source, |step| out.push(step));
        out
    }

    /// [`Self::run_script`], handing each step to `on_step` as soon as it
    /// has run (in order), so `run --format text` prints a step before the
    /// next one starts: a long script shows its progress, and a Ctrl-C or a
    /// kill loses none of the steps already done.
    pub fn run_script_each(&mut self, source: &str, mut on_step: impl FnMut(StepOutcome)) {
        // A script pasted from a Python session keeps its line numbers
        // without its `>>> `/`... ` prompts (see `strip_repl_prompts`).
        let source = &*crate::language::strip_repl_prompts(source);
        crate::outcome::CTRL_C.store(false, std::sync::atomic::Ordering::SeqCst);
        let lines = LineIndex::new(source);
        let text: Rc<str> = Rc::from(source);
        let chunks = match guarded(|| crate::language::split_top_level(source)) {
            Ok(chunks) => chunks,
            Err(e) => return on_step(internal_outcome(&lines, 0, source, e)),
        };
        for (start, end) in chunks {
            let chunk = source.get(start..end).unwrap_or("");
            match guarded(|| crate::language::parse_module(chunk)) {
                Ok(Ok(stmts)) => {
                    // A `def` keeps its source for its traceback lines.
                    self.interp.source = Some(SourceText {
                        text: text.clone(),
                        base: start,
                    });
                    for s in &stmts {
                        let step = self.run_stmt(s, &lines, start);
                        let interrupted = step
                            .error
                            .as_ref()
                            .is_some_and(|e| e.type_name == "KeyboardInterrupt");
                        on_step(step);
                        if interrupted
                            && crate::outcome::CTRL_C
                                .swap(false, std::sync::atomic::Ordering::SeqCst)
                        {
                            return;
                        }
                    }
                }
                Ok(Err(e)) => on_step(syntax_outcome(&lines, start, chunk, &e)),
                Err(e) => on_step(internal_outcome(&lines, start, chunk, e)),
            }
        }
    }

    /// Runs one REPL entry (one or more statements typed together). As
    /// Python's interactive `sys.displayhook`, the last value shown (not
    /// `None`) is bound to `_`.
    pub fn run_entry(&mut self, source: &str) -> Vec<StepOutcome> {
        self.displayed = None;
        let start = std::time::Instant::now();
        self.keep_displayed = true;
        let steps = self.run_script(source);
        self.keep_displayed = false;
        self.last_entry_time = start.elapsed();
        if let Some(v) = self.displayed.take() {
            self.interp.globals.insert("_".into(), v);
        }
        self.last_events = steps
            .iter()
            .flat_map(|s| s.events.iter().cloned())
            .collect();
        steps
    }

    /// Runs the work of a meta command (`.upgrade`, `.current`, …) as one
    /// step, shown and counted as code is: `code` is the command as typed;
    /// `work` runs on the interpreter, printing into its stdout. Its
    /// statements become the last entry's (for `.sql`, `.timing`).
    pub fn run_command(
        &mut self,
        code: &str,
        work: impl FnOnce(&mut Interpreter) -> crate::python::PyResult<()>,
    ) -> StepOutcome {
        let start = std::time::Instant::now();
        self.interp.begin_step();
        let interp = &mut self.interp;
        let result = guarded(|| {
            let r = work(interp);
            interp.end_step();
            r
        })
        .and_then(|r| r);
        let events = self.interp.db.take_events();
        self.interp.flush_echo();
        let stdout = std::mem::take(&mut self.interp.stdout);
        let lines = LineIndex::new(code);
        let outcome = StepOutcome {
            line: 1,
            code: code.to_string(),
            events,
            stdout,
            value_json: None,
            shown: None,
            error: result.err().map(|e| error_report(&e, &lines, 0)),
            notes: Vec::new(),
            warnings: crate::python::warnings::take(),
        };
        self.last_entry_time = start.elapsed();
        self.last_events = outcome.events.clone();
        outcome
    }

    /// With `--db FILE`: writes the session's revisions into
    /// `FILE.alembic/versions/` (as Alembic's `versions/` files), so the
    /// next session on the file has them. `Some(warning)` when some could
    /// not be kept; nothing to do on another database.
    pub fn save_revisions(&self) -> Option<String> {
        let DbTarget::File(p) = &self.target else {
            return None;
        };
        let dir = crate::sqlalchemy::alembic::revision::versions_dir(p);
        crate::sqlalchemy::alembic::revision::save_all(&self.interp.revisions, &dir).err()
    }

    /// `.rows`: the last value shown (`_`) again, every row of it.
    pub fn show_all_rows(&mut self) -> Option<Shown> {
        let v = self.interp.globals.get("_").cloned()?;
        guarded(|| self.shown(&v, usize::MAX)).ok().flatten()
    }

    /// `.tables`: the tables of the models' metadata, in creation order.
    pub fn table_names(&self) -> Vec<String> {
        self.interp
            .registry
            .tables_in_dependency_order()
            .iter()
            .map(|t| t.name.clone())
            .collect()
    }

    /// `.schema TABLE`: one table's CREATE TABLE statement, or `None` when
    /// there is no such table.
    pub fn table_schema(&self, name: &str) -> Option<String> {
        self.interp
            .registry
            .tables_in_dependency_order()
            .iter()
            .find(|t| t.name == name)
            .map(|t| {
                format!(
                    "{};",
                    crate::sql::compiler::create_table(t, self.interp.db.dialect()).trim_end()
                )
            })
    }

    fn run_stmt(&mut self, stmt: &Stmt, lines: &LineIndex, base: usize) -> StepOutcome {
        let source = lines.text();
        let start = base + stmt.span.start;
        let end = (base + stmt.span.end).min(source.len());
        let code = source.get(start..end).unwrap_or("").to_string();
        // As Python's `ast`, a decorated definition is on its `def`/`class`
        // line (the code shown keeps its decorators).
        let line_start = match &stmt.kind {
            crate::language::ast::StmtKind::Decorated { definition, .. } => {
                base + definition.span.start
            }
            _ => start,
        };
        let (line, _) = lines.line_col(line_start);
        self.detector.observe(stmt, source, base);
        self.interp.begin_step();
        // A bug in the tutor must not take the learner's session with it:
        // a panic becomes an error report for this step.
        // Showing the value runs inside the guard too (a `repr` may fail).
        let result = guarded(|| match self.interp.exec_top(stmt) {
            Ok(Some(v)) if !matches!(v, Value::None) => {
                if self.keep_displayed {
                    self.displayed = Some(v.clone());
                }
                let json = value_json(&v);
                let shown = self.shown(&v, MAX_TABLE_ROWS);
                Ok((Some(json), shown))
            }
            Ok(_) => Ok((None, None)),
            Err(e) => Err(e),
        })
        .and_then(|r| r);
        let events = self.interp.db.take_events();
        self.interp.flush_echo();
        let stdout = std::mem::take(&mut self.interp.stdout);
        let (value_json, shown, error) = match result {
            Ok((json, shown)) => (json, shown, None),
            // `await f()` that raised: the oracle's value is the coroutine
            Err(e) if self.interp.failed_awaiting => (
                Some(serde_json::json!({"type": "coroutine"})),
                None,
                Some(error_report(&e, lines, base)),
            ),
            Err(e) => (None, None, Some(error_report(&e, lines, base))),
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
            warnings: crate::python::warnings::take(),
        };
        outcome.notes = self.detector.notes_for(&outcome);
        outcome
    }

    /// How the REPL shows a value: a table of objects or rows, the SQL of
    /// an unrun query, or the value's repr; tables cut after `max_rows` rows.
    fn shown(&mut self, v: &Value, max_rows: usize) -> Option<Shown> {
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
                table_of(&items, true, max_rows)
                    .or_else(|| self.interp.repr(v).ok().map(Shown::Repr))
            }
            Value::Native(n)
                if let Some(crate::sqlalchemy::objects::InstanceState(o)) =
                    crate::python::object::downcast(n).as_deref() =>
            {
                Some(inspect_table(o))
            }
            v if matches!(v, Value::Row(_)) || crate::orm::state::as_instance(v).is_some() => {
                table_of(std::slice::from_ref(v), false, max_rows)
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
        self.session_view_at(None)
    }

    /// [`Tutor::session_view`] with its table fitted to `width` columns
    /// (cells wrap on word boundaries).
    pub fn session_view_at(&mut self, width: Option<usize>) -> String {
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
        if let Some(w) = width {
            table.set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
            table.set_width(u16::try_from(w).unwrap_or(u16::MAX));
        }
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
            let expired: Vec<String> = b.expired_attributes();
            let modified: Vec<String> = b
                .committed()
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
            .map(|t| {
                format!(
                    "{};",
                    crate::sql::compiler::create_table(t, self.interp.db.dialect()).trim_end()
                )
            })
            .collect::<Vec<_>>()
            .join("\n\n")
    }
}

impl Drop for Tutor {
    fn drop(&mut self) {
        self.close();
    }
}

/// Connects to a server for [`Tutor::start`]: the database and the tables
/// already in it that the tutor did not create (its own, left by a run that
/// ended abruptly, are dropped).
///
/// Errors: SQLAlchemy's `OperationalError` line for a server that cannot be
/// reached; a refusal when the database holds others' tables and `reset`
/// is false.
fn open_server(url: &str, reset: bool) -> Result<(Database, Vec<String>), FixtureError> {
    let sqlalchemy_error = |e: crate::engine::DbError| {
        let text = e.to_string();
        FixtureError(match e.kind {
            "ArgumentError" => format!("sqlalchemy.exc.ArgumentError: {}", e.message),
            kind => format!(
                "sqlalchemy.exc.{kind}: {}\n\n(Background on this error at: https://sqlalche.me/e/20/{})",
                text.trim_end(),
                match kind {
                    "IntegrityError" => "gkpj",
                    "ProgrammingError" => "f405",
                    "InterfaceError" => "rvf5",
                    "DataError" => "9h9h",
                    "InternalError" => "2j85",
                    "DatabaseError" => "4xp6",
                    _ => "e3q8",
                }
            ),
        })
    };
    let db = Database::open_postgresql(url).map_err(sqlalchemy_error)?;
    let tables = db.server_tables().map_err(sqlalchemy_error)?;
    if !tables.others.is_empty() && !reset {
        return Err(FixtureError(format!(
            "the database at {url} already holds tables orm-tutor did not create ({}); \
             orm-tutor loads its fixture only into a database without tables. Use an empty \
             database, or pass --reset to load it next to them (orm-tutor never drops tables \
             it did not create)",
            tables.others.join(", ")
        )));
    }
    // another tutor still using its tables makes the drop fail after the
    // connection's lock timeout (engine::postgresql's LOCK_TIMEOUT), not hang
    db.drop_tables(&tables.ours)
        .and_then(|()| db.commit())
        .map_err(sqlalchemy_error)?;
    Ok((db, tables.others))
}

/// `inspect(obj)` in the REPL: the object's state and each attribute's
/// status (loaded, expired, modified, not loaded) with its value.
fn inspect_table(o: &crate::orm::state::Obj) -> Shown {
    let b = o.borrow();
    let mut rows = Vec::new();
    for key in b.mapper.attribute_names() {
        let status = if b.committed().contains_key(&key) {
            "modified"
        } else if b.is_expired(&key) {
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
fn internal_outcome(lines: &LineIndex, base: usize, chunk: &str, e: PyErr) -> StepOutcome {
    let (line, _) = lines.line_col(base);
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
            traceback: Vec::new(),
            chained: None,
            group: Vec::new(),
        }),
        notes: Vec::new(),
        warnings: Vec::new(),
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
fn table_of(items: &[Value], is_list: bool, max_rows: usize) -> Option<Shown> {
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
                .take(max_rows)
                .map(|i| {
                    let Some(o) = crate::orm::state::as_instance(i) else {
                        return Vec::new();
                    };
                    let b = o.borrow();
                    columns
                        .iter()
                        .map(|c| match b.dict.get(c) {
                            Some(v) => cell(v),
                            None if b.is_expired(c) => "<expired>".to_string(),
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
                omitted: items.len().saturating_sub(max_rows),
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
                .take(max_rows)
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
                omitted: items.len().saturating_sub(max_rows),
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
        // as serde_json reads the oracle's integer literal past 64 bits: a float
        Value::BigInt(n) => num_traits::ToPrimitive::to_f64(&**n)
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| json!(n.to_string()), serde_json::Value::Number),
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
        // A `URL` is a named tuple: recorded as its fields.
        Value::Native(n)
            if crate::python::object::downcast::<crate::sqlalchemy::url::Url>(n).is_some() =>
        {
            n.as_builtin()
                .map_or(serde_json::Value::Null, |t| value_json(&t))
        }
        Value::Native(n)
            if let Some(h) =
                crate::python::object::downcast::<crate::sqlalchemy::inspection::HistoryObj>(n) =>
        {
            value_json(&h.as_tuple())
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
/// An error that left learner-defined functions carries their frames, and
/// its `<module>` line gets CPython's caret anchors for the traceback.
/// The exception it was raised from (or while handling) comes along, with
/// the frames it passed until caught ([`traceback::chained`]).
pub fn error_report(e: &PyErr, lines: &LineIndex, base: usize) -> ErrorReport {
    let traceback = traceback::frames(e);
    let location = match (e.span, e.traceback_span()) {
        (_, Some(s)) if !traceback.is_empty() || e.chained().is_some() || e.group().is_some() => {
            Some(traceback::anchored(lines, base, s))
        }
        (Some(s), _) => Some(location(lines, base, s)),
        _ => None,
    };
    ErrorReport {
        type_name: e.type_name().to_string(),
        message: e.message.clone(),
        location,
        hint: e.hint.clone(),
        traceback,
        chained: traceback::chained(e),
        group: traceback::group(e),
    }
}

fn location(lines: &LineIndex, base: usize, span: Span) -> Location {
    let source = lines.text();
    let start = (base + span.start).min(source.len());
    let end = (base + span.end).min(source.len()).max(start);
    let (line, col) = lines.line_col(start);
    let text = lines.line_text(line).to_string();
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
        operator: None,
    }
}

fn syntax_outcome(
    lines: &LineIndex,
    base: usize,
    chunk: &str,
    e: &crate::language::SyntaxError,
) -> StepOutcome {
    let (line, _) = lines.line_col(base);
    StepOutcome {
        line,
        code: chunk.trim_end().to_string(),
        events: Vec::new(),
        stdout: String::new(),
        value_json: None,
        shown: None,
        error: Some(ErrorReport {
            type_name: e.type_name().into(),
            message: e.message.clone(),
            location: Some(location(lines, base, e.span)),
            hint: None,
            traceback: Vec::new(),
            chained: None,
            group: Vec::new(),
        }),
        notes: Vec::new(),
        warnings: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn db_arguments_name_a_server_or_a_sqlite_file() {
        let server = DbTarget::from_arg(
            std::path::Path::new("postgresql://postgres@127.0.0.1:5433/app"),
            true,
        );
        assert_eq!(
            server,
            DbTarget::Server {
                url: "postgresql://postgres@127.0.0.1:5433/app".into(),
                reset: true
            }
        );
        assert_eq!(server.describe(), "PostgreSQL (127.0.0.1:5433/app)");
        assert!(matches!(
            DbTarget::from_arg(std::path::Path::new("postgresql+psycopg2://u@h/d"), false),
            DbTarget::Server { .. }
        ));
        assert_eq!(
            DbTarget::from_arg(std::path::Path::new("chat.db"), true),
            DbTarget::File("chat.db".into())
        );
        assert_eq!(live_target(), DbTarget::Memory);
    }

    #[test]
    fn a_panic_in_a_step_becomes_one_internal_error() {
        let e = guarded(|| -> i32 { panic!("boom") }).expect_err("the panic is caught");
        assert_eq!(e.type_name(), "InternalError");
        assert!(e.message.contains("(boom)"), "{}", e.message);
        assert_eq!(guarded(|| 7).ok(), Some(7));
    }
}
