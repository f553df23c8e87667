//! SQLAlchemy's engine logging: `create_engine(url, echo=True)` (and
//! `echo="debug"`, `engine.echo = True` later, `hide_parameters=True`,
//! `logging_name=`). SQLAlchemy adds a `logging.StreamHandler(sys.stdout)`
//! formatted `%(asctime)s %(levelname)s %(name)s %(message)s` to the
//! engine's logger; its `Connection` logs `BEGIN (implicit)`, each
//! statement and its `[stats] params` line before the cursor call, then
//! `COMMIT`/`ROLLBACK` (engine/base.py), and at `echo="debug"` a result's
//! `Col (...)` and each `Row (...)` (engine/cursor.py).
//!
//! The lines go to an [`EchoOut`] every engine of a tutor shares; the
//! interpreter moves them into the step's printed output before each
//! `print` and at the step's end, so they come out in the order Python
//! writes them. The stats are `[generated in 0.00015s]` the first time an
//! engine runs a statement's SQL (SQLAlchemy's compiled cache, keyed here by
//! the SQL text), `[cached since 0.001s ago]` after, `[raw sql]` for
//! `exec_driver_sql()` and the SQLite dialect's `PRAGMA`s, `[no key …]` for
//! DDL, and insertmanyvalues' batch notes ([`Stats`]).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Instant;

use crate::language::repr::{bytes_repr, date_repr, datetime_repr, float_repr, str_repr};
use crate::sql::schema::SqlValue;

/// The printed output the engines' log lines go to, shared by every
/// engine of a tutor and drained into the step's output by the interpreter.
pub type EchoOut = Rc<RefCell<String>>;

/// What `create_engine(echo=...)` was given (`engine.echo`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EchoFlag {
    /// `echo=False`: nothing logged.
    False,
    /// `echo=True`: INFO lines.
    True,
    /// `echo="debug"`: INFO lines and the rows.
    Debug,
}

/// How a statement was compiled, for the `[...]` before its parameters
/// (`DefaultExecutionContext._get_cache_stats`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stats {
    /// A compiled statement with a cache key: generated the first time,
    /// cached after.
    Compiled,
    /// `exec_driver_sql()` and the dialect's own driver SQL: `raw sql`.
    Raw,
    /// A construct with no cache key (DDL): `no key 0.00010s`.
    NoKey,
    /// One batch of an insertmanyvalues execution: the compiled statement's
    /// stats and ` (insertmanyvalues) 1/3 (ordered; batch not supported)`
    /// on the first batch, `insertmanyvalues 2/3 (...)` on later ones.
    InsertManyValues {
        batch: usize,
        total: usize,
        ordered: bool,
        downgraded: bool,
    },
}

/// An engine's logging settings and compiled cache, shared by its pooled
/// connections.
#[derive(Debug)]
pub struct EngineEcho {
    flag: Cell<Option<EchoFlag>>,
    logging_name: RefCell<Option<String>>,
    hide_parameters: Cell<bool>,
    /// When each SQL text was first compiled on this engine.
    cache: RefCell<HashMap<String, Instant>>,
    /// The stats of the next statement logged, when not [`Stats::Compiled`].
    next: Cell<Option<Stats>>,
    /// What the next statement's cache key holds beyond its SQL
    /// ([`EngineEcho::set_next_key_extra`]).
    next_key_extra: RefCell<Option<String>>,
    /// The queries the dialect sends at the engine's first connect, until
    /// then ([`EngineEcho::log_first_connect`]).
    first_connect: Cell<&'static [&'static str]>,
}

impl Default for EngineEcho {
    fn default() -> Self {
        EngineEcho {
            flag: Cell::new(None),
            logging_name: RefCell::new(None),
            hide_parameters: Cell::new(false),
            cache: RefCell::default(),
            next: Cell::new(None),
            next_key_extra: RefCell::new(None),
            first_connect: Cell::new(&[]),
        }
    }
}

impl EngineEcho {
    /// `engine.echo`: what was given (`None` when nothing was).
    pub fn flag(&self) -> Option<EchoFlag> {
        self.flag.get()
    }

    /// `create_engine(echo=...)` or `engine.echo = ...`.
    pub fn set_flag(&self, flag: Option<EchoFlag>) {
        self.flag.set(flag);
    }

    /// `create_engine(logging_name=...)`: the logger is
    /// `sqlalchemy.engine.Engine.NAME`.
    pub fn set_logging_name(&self, name: Option<String>) {
        *self.logging_name.borrow_mut() = name;
    }

    /// `create_engine(hide_parameters=True)`.
    pub fn set_hide_parameters(&self, hide: bool) {
        self.hide_parameters.set(hide);
    }

    /// The stats of the next statement this engine logs (its caller knows
    /// it is driver SQL, DDL, or an insertmanyvalues batch).
    pub fn set_next_stats(&self, stats: Stats) {
        self.next.set(Some(stats));
    }

    /// The next statement's cache key also holds `extra`: what SQLAlchemy's
    /// cache key keeps of an ORM statement that its SQL does not show (its
    /// loader options: `selectinload(A.bs)` and `subqueryload(A.bs)` render
    /// the same SELECT and are two cache entries, each `[generated in …]`
    /// the first time).
    pub fn set_next_key_extra(&self, extra: String) {
        *self.next_key_extra.borrow_mut() = Some(extra);
    }

    /// The queries the engine's dialect sends when the engine first
    /// connects (`dialect.initialize`), logged then.
    pub fn set_first_connect_sql(&self, sql: &'static [&'static str]) {
        self.first_connect.set(sql);
    }

    /// The engine's first connect: the dialect's queries, each with
    /// `[raw sql]` and psycopg2's empty parameter dict, when echo is on by
    /// then; nothing after (the first connect happens once per engine).
    pub fn log_first_connect(&self, out: &EchoOut) {
        for sql in self.first_connect.take() {
            self.set_next_stats(Stats::Raw);
            self.log_statement(out, sql, sql, &[], Some(&[]), None);
        }
    }

    /// True when INFO lines are logged.
    pub fn info(&self) -> bool {
        matches!(self.flag.get(), Some(EchoFlag::True | EchoFlag::Debug))
    }

    /// True when DEBUG lines (rows) are logged.
    pub fn debug(&self) -> bool {
        self.flag.get() == Some(EchoFlag::Debug)
    }

    fn logger(&self) -> String {
        match &*self.logging_name.borrow() {
            Some(name) => format!("sqlalchemy.engine.Engine.{name}"),
            None => "sqlalchemy.engine.Engine".to_string(),
        }
    }

    /// One log line, as the handler's formatter writes it.
    fn line(&self, out: &EchoOut, level: &str, message: &str) {
        let now = chrono::Local::now().format("%Y-%m-%d %H:%M:%S,%3f");
        let logger = self.logger();
        out.borrow_mut()
            .push_str(&format!("{now} {level} {logger} {message}\n"));
    }

    /// `BEGIN (implicit)`, `COMMIT`, `ROLLBACK`.
    pub fn log_info(&self, out: &EchoOut, message: &str) {
        if self.info() {
            self.line(out, "INFO", message);
        }
    }

    /// A statement and its `[stats] params` line. `key` stands for its
    /// cache key (SQLAlchemy's: the statement's structure, the parameter
    /// names, executemany or not), `names` are the
    /// parameters' names for a dict (psycopg2), `many` the rows of an
    /// executemany.
    pub fn log_statement(
        &self,
        out: &EchoOut,
        key: &str,
        sql: &str,
        params: &[SqlValue],
        names: Option<&[String]>,
        many: Option<&[Vec<SqlValue>]>,
    ) {
        let stats = self.next.take().unwrap_or(Stats::Compiled);
        let extended;
        let key = match self.next_key_extra.borrow_mut().take() {
            Some(extra) => {
                extended = format!("{key}\u{0}{extra}");
                extended.as_str()
            }
            None => key,
        };
        if !self.info() {
            // the cache fills whether or not it is logged
            if !matches!(stats, Stats::Raw | Stats::NoKey) {
                self.note_cached(key);
            }
            return;
        }
        let text = match stats {
            Stats::Compiled => self.cache_stats(key),
            Stats::Raw => "raw sql".to_string(),
            Stats::NoKey => format!("no key {:.5}s", 0.00005),
            Stats::InsertManyValues {
                batch,
                total,
                ordered,
                downgraded,
            } => {
                let note = format!(
                    " {batch}/{total} ({}{})",
                    if ordered { "ordered" } else { "unordered" },
                    if downgraded {
                        "; batch not supported"
                    } else {
                        ""
                    }
                );
                if batch == 1 {
                    format!("{} (insertmanyvalues){note}", self.cache_stats(key))
                } else {
                    format!("insertmanyvalues{note}")
                }
            }
        };
        let shown = if matches!(stats, Stats::InsertManyValues { .. }) {
            long_statement(sql)
        } else {
            sql.to_string()
        };
        self.line(out, "INFO", &shown);
        let params = if self.hide_parameters.get() {
            "[SQL parameters hidden due to hide_parameters=True]".to_string()
        } else {
            match many {
                Some(rows) => repr_multi(rows, names),
                None => repr_single(params, names),
            }
        };
        self.line(out, "INFO", &format!("[{text}] {params}"));
    }

    /// `generated in …` the first time this engine compiles the statement
    /// `key` stands for, `cached since … ago` after.
    /// Puts `key` in the statement cache when it is not there yet, as
    /// [`EngineEcho::cache_stats`] does, without writing the text no one
    /// reads while nothing is logged (a flush of 10,000 rows formatted
    /// 10,000 `cached since …` lines).
    fn note_cached(&self, key: &str) {
        let mut cache = self.cache.borrow_mut();
        if !cache.contains_key(key) {
            cache.insert(key.to_string(), Instant::now());
        }
    }

    fn cache_stats(&self, key: &str) -> String {
        let mut cache = self.cache.borrow_mut();
        match cache.get(key) {
            Some(first) => format!("cached since {}s ago", g4(first.elapsed().as_secs_f64())),
            None => {
                cache.insert(key.to_string(), Instant::now());
                format!("generated in {:.5}s", 0.00005)
            }
        }
    }

    /// `echo="debug"`: a result's `Col (...)` line, its column names.
    pub fn log_columns(&self, out: &EchoOut, names: &[String]) {
        if self.debug() {
            let cols: Vec<String> = names.iter().map(|n| str_repr(n)).collect();
            self.line(out, "DEBUG", &format!("Col {}", tuple(&cols)));
        }
    }
}

/// `echo="debug"`'s `Row (...)` lines of one result, decided when its
/// statement ran (SQLAlchemy's `context._echo`): the result logs each row
/// as it hands it out ([`RowLog::row`]), whatever `engine.echo` is by then.
#[derive(Debug, Clone)]
pub struct RowLog {
    echo: Rc<EngineEcho>,
    out: EchoOut,
}

impl RowLog {
    /// The row logging of a statement `echo` runs now: `None` unless it
    /// logs DEBUG lines.
    pub fn new(echo: &Rc<EngineEcho>, out: &EchoOut) -> Option<RowLog> {
        echo.debug().then(|| RowLog {
            echo: echo.clone(),
            out: out.clone(),
        })
    }

    /// One fetched row, given as its values' reprs (after the result
    /// processors: `True`, `datetime.datetime(...)`), as `_repr_row`.
    pub fn row(&self, reprs: &[String]) {
        let vals: Vec<String> = reprs.iter().map(|r| trunc_repr(r.clone())).collect();
        self.echo
            .line(&self.out, "DEBUG", &format!("Row {}", tuple(&vals)));
    }
}

/// Python's `%.4g` of a non-negative duration.
fn g4(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let exp = x.log10().floor() as i32;
    if !(-4..4).contains(&exp) {
        let s = format!("{x:.3e}");
        let (mant, e) = s.split_once('e').unwrap_or((&s, "0"));
        let mant = mant.trim_end_matches('0').trim_end_matches('.');
        let e: i32 = e.parse().unwrap_or(0);
        return format!("{mant}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
    }
    let decimals = (3 - exp).max(0) as usize;
    let s = format!("{x:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// `sql_util._long_statement`: past 500 characters, the first 250 and
/// the last 100.
fn long_statement(sql: &str) -> String {
    let chars: Vec<char> = sql.chars().collect();
    if chars.len() <= 500 {
        return sql.to_string();
    }
    let left: String = chars[..250].iter().collect();
    let right: String = chars[chars.len() - 100..].iter().collect();
    format!(
        "{left} ... {} characters truncated ... {right}",
        chars.len() - 350
    )
}

/// Items as a Python tuple's repr.
fn tuple(items: &[String]) -> String {
    if items.len() == 1 {
        format!("({},)", items[0])
    } else {
        format!("({})", items.join(", "))
    }
}

/// At most 100 parameters shown: the first and last 50
/// (`_repr_params._get_batches`).
fn batches<T: Clone>(items: &[T]) -> (Vec<T>, Option<(Vec<T>, usize)>) {
    if items.len() > 100 {
        (
            items[..50].to_vec(),
            Some((items[items.len() - 50..].to_vec(), items.len() - 100)),
        )
    } else {
        (items.to_vec(), None)
    }
}

/// One parameter set: a tuple (qmark, positional) or a dict by name.
fn repr_single(params: &[SqlValue], names: Option<&[String]>) -> String {
    match names {
        Some(names) => {
            let mut seen: Vec<&str> = Vec::new();
            let mut items = Vec::new();
            for (n, v) in names.iter().zip(params) {
                if !seen.contains(&n.as_str()) {
                    seen.push(n);
                    items.push(format!("{}: {}", str_repr(n), logged(v, true)));
                }
            }
            let (first, rest) = batches(&items);
            match rest {
                Some((last, n)) => format!(
                    "{{{} ... {n} parameters truncated ... {}}}",
                    first.join(", "),
                    last.join(", ")
                ),
                None => format!("{{{}}}", first.join(", ")),
            }
        }
        None => {
            let items: Vec<String> = params.iter().map(|v| logged(v, false)).collect();
            let (first, rest) = batches(&items);
            match rest {
                Some((last, n)) => format!(
                    "({} ... {n} parameters truncated ... {})",
                    first.join(", "),
                    last.join(", ")
                ),
                None => tuple(&first),
            }
        }
    }
}

/// An executemany's parameter sets: a list, at most 10 shown
/// (`batches=10`: the first 8 and the last 2).
fn repr_multi(rows: &[Vec<SqlValue>], names: Option<&[String]>) -> String {
    param_sets_repr(rows, |r| repr_single(r, names))
}

/// A list of executemany parameter sets, each written by `one`, as
/// SQLAlchemy's `_repr_params` with `batches=10` shows them in the log and
/// in a `StatementError`: past 10 sets, the first 8 and the last 2 around
/// `... displaying 10 of N total bound parameter sets ...`.
pub fn param_sets_repr<T>(rows: &[T], one: impl Fn(&T) -> String) -> String {
    let each = |rows: &[T]| rows.iter().map(&one).collect::<Vec<_>>().join(", ");
    if rows.len() > 10 {
        format!(
            "[{}  ... displaying 10 of {} total bound parameter sets ...  {}]",
            each(&rows[..8]),
            rows.len(),
            each(&rows[rows.len() - 2..])
        )
    } else {
        format!("[{}]", each(rows))
    }
}

/// A parameter as the log shows it: [`trunc`], but `bytes` as the object
/// `LargeBinary`'s bind processor made of it, `sqlite3.Binary` (a
/// `memoryview`) or, with names (psycopg2), `psycopg2.Binary`.
fn logged(v: &SqlValue, named: bool) -> String {
    match v {
        // an address as CPython's repr shows one (`python::format::address_of`)
        SqlValue::Blob(b) if named => format!(
            "<psycopg2.extensions.Binary object at 0x{:012x}>",
            b.as_ptr() as usize & 0xffff_ffff_ffff
        ),
        SqlValue::Blob(b) => format!(
            "<memory at 0x{:012x}>",
            b.as_ptr() as usize & 0xffff_ffff_ffff
        ),
        other => trunc(other),
    }
}

/// `_repr_base.trunc`: a value's repr, past 300 characters its first and
/// last 150.
fn trunc(v: &SqlValue) -> String {
    trunc_repr(value_repr(v))
}

/// [`trunc`] of a repr already made.
fn trunc_repr(rep: String) -> String {
    let chars: Vec<char> = rep.chars().collect();
    if chars.len() > 300 {
        let left: String = chars[..150].iter().collect();
        let right: String = chars[chars.len() - 150..].iter().collect();
        format!(
            "{left} ... ({} characters truncated) ... {right}",
            chars.len() - 300
        )
    } else {
        rep
    }
}

/// A parameter's Python repr, as the driver was given it.
fn value_repr(v: &SqlValue) -> String {
    match v {
        SqlValue::Null => "None".into(),
        SqlValue::Integer(i) => i.to_string(),
        SqlValue::Real(f) => float_repr(*f),
        SqlValue::Text(s) => str_repr(s),
        SqlValue::Blob(b) => bytes_repr(b),
        SqlValue::Numeric(d) => format!("Decimal('{d}')"),
        SqlValue::Bool(b) => if *b { "True" } else { "False" }.into(),
        SqlValue::Timestamp(dt) => datetime_repr(dt),
        SqlValue::Date(d) => date_repr(d),
        SqlValue::Time(t) => crate::python::types::time::repr(t),
        SqlValue::BigInt(n) => n.to_string(),
        SqlValue::Array(items) => format!(
            "[{}]",
            items.iter().map(value_repr).collect::<Vec<_>>().join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_read_as_sqlalchemy_logs_them() {
        let one = [SqlValue::Text("Bob".into())];
        assert_eq!(repr_single(&one, None), "('Bob',)");
        assert_eq!(repr_single(&[], None), "()");
        let names = ["name_1".to_string()];
        assert_eq!(repr_single(&one, Some(&names)), "{'name_1': 'Bob'}");
        let rows = vec![
            vec![SqlValue::Integer(1), SqlValue::Integer(1)],
            vec![SqlValue::Integer(2), SqlValue::Real(4.5)],
        ];
        assert_eq!(repr_multi(&rows, None), "[(1, 1), (2, 4.5)]");
        let long = SqlValue::Text("x".repeat(400));
        let shown = trunc(&long);
        assert!(shown.contains(" ... (102 characters truncated) ... "));
        assert_eq!(float_repr(1e-5), "1e-05");
        assert_eq!(float_repr(2.0), "2.0");
        assert_eq!(str_repr("it's"), "\"it's\"");
    }

    #[test]
    fn cache_stats_read_as_percent_g() {
        assert_eq!(g4(0.0009428), "0.0009428");
        assert_eq!(g4(0.0192), "0.0192");
        assert_eq!(g4(0.00001234), "1.234e-05");
        assert_eq!(g4(12.5), "12.5");
    }

    #[test]
    fn lines_go_out_only_when_echo_is_on() {
        let out: EchoOut = Rc::default();
        let echo = EngineEcho::default();
        echo.log_info(&out, "BEGIN (implicit)");
        echo.log_statement(&out, "SELECT 1", "SELECT 1", &[], None, None);
        assert!(out.borrow().is_empty());
        echo.set_flag(Some(EchoFlag::True));
        echo.set_logging_name(Some("myengine".into()));
        echo.log_statement(&out, "SELECT 1", "SELECT 1", &[], None, None);
        let text = out.borrow().clone();
        assert!(text.contains(" INFO sqlalchemy.engine.Engine.myengine SELECT 1\n"));
        assert!(text.contains("[cached since "));
    }
}
