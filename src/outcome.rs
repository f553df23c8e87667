//! What running one step (one top-level statement) produced: the statements
//! sent with their causes, transaction events, printed output, the value of
//! an expression statement and the error, if any. The renderer draws it; the
//! JSON trace (`run --format json`) serializes it.

use crate::sql::schema::SqlValue;

/// Set by Ctrl-C while a step runs: the interpreter's next statement or
/// loop iteration raises `KeyboardInterrupt`, as Python does, and a SQLite
/// statement that is running stops (`engine::sqlite`'s progress handler)
/// with the same exception. Cleared at the start of each step.
pub static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Set by the Ctrl-C handler (`engine::interrupt`), not by a script's own
/// `raise KeyboardInterrupt`: a script (or REPL entry) stops at the step
/// whose `KeyboardInterrupt` it caused.
pub static CTRL_C: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Why a statement was sent: the count panel groups statements by cause.
#[derive(Debug, Clone, PartialEq)]
pub enum Cause {
    /// The learner's own query (`.all()`, `session.get()`, `.count()`, …).
    Query,
    /// Lazy load of a relationship, e.g. `User.messages`.
    LazyLoad(String),
    /// An eager load's extra statement (`selectinload(User.messages)`).
    EagerLoad(String),
    /// A flush the learner asked for (`flush()`, `commit()`).
    Flush,
    /// A flush that ran on its own before a query (autoflush).
    Autoflush,
    /// Reload of expired attributes, e.g. `User.name`.
    ExpiredReload(String),
    /// Load of a deferred column attribute on access (`load_only()`,
    /// `defer()`, a `deferred()` column), e.g. `User.email`.
    DeferredLoad(String),
}

impl Cause {
    /// The short note the SQL panel prints beside such a statement, if any
    /// ("autoflush before query", "lazy load of User.messages").
    pub fn note(&self) -> Option<String> {
        match self {
            Cause::Query | Cause::Flush => None,
            Cause::LazyLoad(a) => Some(format!("lazy load of {a}")),
            Cause::EagerLoad(a) => Some(format!("eager load of {a}")),
            Cause::Autoflush => Some("autoflush before query".into()),
            Cause::ExpiredReload(a) => Some(format!("reload of expired {a}")),
            Cause::DeferredLoad(a) => Some(format!("load of deferred {a}")),
        }
    }
}

/// One statement sent to the database.
#[derive(Debug, Clone, PartialEq)]
pub struct SentStatement {
    /// The SQL as SQLAlchemy renders it, newlines included.
    pub sql: String,
    /// Bound parameters; for an executemany, one list per row in `many`.
    pub params: Vec<SqlValue>,
    pub many: Option<Vec<Vec<SqlValue>>>,
    /// The parameters' names for a named paramstyle (psycopg2's
    /// `pyformat`), which is sent a dict: `{"name_1": "Bob"}`; `None` for
    /// qmark (pysqlite), which is sent a tuple.
    pub names: Option<Vec<String>>,
    /// The database server it ran on, for the SQL panel's count line
    /// (`PostgreSQL`); `None` for the embedded SQLite.
    pub server: Option<&'static str>,
    pub cause: Cause,
    /// How long the driver took to run it (`.timing`).
    pub elapsed: Elapsed,
}

/// The time a statement took in the driver, when it was sent (`None`: not
/// measured, or never sent). Not part of what a statement is: every two
/// compare equal, so traces and tests compare SQL, not timings.
#[derive(Debug, Clone, Copy, Default)]
pub struct Elapsed(pub Option<std::time::Duration>);

impl PartialEq for Elapsed {
    fn eq(&self, _other: &Elapsed) -> bool {
        true
    }
}

/// A transaction event, as SQLAlchemy's engine events report them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxEvent {
    Begin,
    Commit,
    Rollback,
}

impl TxEvent {
    /// `BEGIN`, `COMMIT`, `ROLLBACK` as in the trace; the SQL panel shows
    /// `BEGIN (implicit)` for `Begin`, like SQLAlchemy's echo.
    pub fn name(self) -> &'static str {
        match self {
            TxEvent::Begin => "BEGIN",
            TxEvent::Commit => "COMMIT",
            TxEvent::Rollback => "ROLLBACK",
        }
    }
}

/// Statements and transaction events in the order they happened.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Statement(SentStatement),
    Tx(TxEvent),
}

/// A Python exception as the learner sees it: `NameError: name 'Usr' is not
/// defined`, with the source span to put a caret under when that helps.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorReport {
    /// The exception class name (`NameError`, `IntegrityError`, …).
    pub type_name: String,
    pub message: String,
    /// 1-based line and 0-based column range in the step's source, when known.
    pub location: Option<Location>,
    /// A hint in plain words, e.g. "did you mean 'User'?".
    pub hint: Option<String>,
    /// The learner-defined functions the error passed through, outermost
    /// first, below the `<module>` frame `location` gives; empty for an
    /// error raised at top level. Shown as CPython 3.11's `Traceback (most
    /// recent call last):`.
    pub traceback: Vec<TracebackFrame>,
    /// The exception this one was raised from or while handling, shown
    /// above it as CPython does: its report and the separator line ("The
    /// above exception was the direct cause of the following exception:").
    pub chained: Option<Box<(ErrorReport, String)>>,
    /// An exception group's members (Python 3.11's `ExceptionGroup`), each
    /// with its own traceback: shown boxed below the group, as CPython's
    /// `Exception Group Traceback`. Empty for any other exception.
    pub group: Vec<ErrorReport>,
}

/// One function frame of a traceback: CPython's `File "…", line N, in f`.
#[derive(Debug, Clone, PartialEq)]
pub struct TracebackFrame {
    /// The function's name (`f`, `<lambda>`, `__repr__`).
    pub function: String,
    /// The line running in it when the error left; `None` when the tutor
    /// does not know its source.
    pub location: Option<Location>,
}

/// Where an error points: the line's text and the columns to underline.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    /// 1-based line number in the whole script or REPL entry.
    pub line: usize,
    /// The text of that line.
    pub text: String,
    /// 0-based character column where the caret starts, and how many carets.
    pub column: usize,
    pub width: usize,
    /// For a binary operation or subscript (CPython 3.11's caret anchors):
    /// the 0-based character columns, within the line, of the operator or
    /// `[index]` part drawn `^` while the rest of the span is drawn `~`.
    pub operator: Option<(usize, usize)>,
}

/// How an expression statement's value is shown.
#[derive(Debug, Clone, PartialEq)]
pub enum Shown {
    /// Python's `repr` of the value (a number, a string, a list of names…).
    Repr(String),
    /// Rows: model instances (their columns in declaration order) or result
    /// rows (their labels). `omitted` rows were cut for length.
    Table {
        title: String,
        columns: Vec<String>,
        rows: Vec<Vec<String>>,
        omitted: usize,
    },
    /// A query object not yet run: the SQL it would send.
    Query { sql: String, params: Vec<SqlValue> },
}

/// Everything one step produced.
#[derive(Debug, Clone, PartialEq)]
pub struct StepOutcome {
    /// 1-based first line of the statement.
    pub line: usize,
    /// The statement's source text.
    pub code: String,
    pub events: Vec<Event>,
    /// What `print()` wrote.
    pub stdout: String,
    /// The value of an expression statement, for the JSON trace (TRACE.md's
    /// `value`), or `None`.
    pub value_json: Option<serde_json::Value>,
    /// How the REPL shows that value; `None` when Python would print nothing.
    pub shown: Option<Shown>,
    pub error: Option<ErrorReport>,
    /// Teaching notes for this step, such as the N+1 detector's message.
    pub notes: Vec<String>,
    /// The Python and SQLAlchemy warnings the step raised, in order
    /// (TRACE.md's `warnings`).
    pub warnings: Vec<crate::python::warnings::Warning>,
}

impl StepOutcome {
    /// The statements sent, in order (the query count is their number).
    pub fn statements(&self) -> impl Iterator<Item = &SentStatement> {
        self.events.iter().filter_map(|e| match e {
            Event::Statement(s) => Some(s),
            Event::Tx(_) => None,
        })
    }
}
