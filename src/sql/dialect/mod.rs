//! Dialects: what the compiler consults to render one statement for one
//! database and driver, as SQLAlchemy's `Dialect` objects
//! (`sqlalchemy.engine.default.DefaultDialect` and its subclasses).
//!
//! A [`Dialect`] is a plain value: its name and driver, the driver's
//! `paramstyle`, the identifier preparer's reserved words, and the flags the
//! compiler reads (`supports_native_boolean`, `insert_returning`, …). The
//! constructs whose rendering differs by more than a flag (`LIMIT`/`OFFSET`,
//! true division, an empty `IN`, `now()`) are chosen by
//! [`Dialect::statement_compiler`], as SQLAlchemy picks a compiler class
//! (`SQLiteCompiler`, `PGCompiler`, `StrSQLCompiler`).
//!
//! [`SQLITE`] (pysqlite) is what the tutor sends today; [`POSTGRESQL`]
//! (psycopg2) renders what SQLAlchemy 2.0 sends to PostgreSQL; [`STR`] is
//! SQLAlchemy's `StrCompileDialect`, used for `str(stmt)`; [`MYSQL`] and
//! [`ORACLE`] are for `stmt.compile(dialect=…)` only (no connection).

mod mysql;
mod oracle;
pub mod postgresql;
mod sqlite;

pub use mysql::MYSQL;
pub use oracle::ORACLE;
pub use postgresql::{POSTGRESQL, POSTGRESQL_ASYNCPG};
pub use sqlite::SQLITE;

/// The DBAPI `paramstyle` of a driver (PEP 249), which decides how a bound
/// parameter is written in the SQL text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `?` (pysqlite); the parameters are sent as a sequence.
    Qmark,
    /// `:name_1` (the `str()` form); sent as a mapping.
    Named,
    /// `%(name_1)s` (psycopg2); sent as a mapping, and a literal `%` in the
    /// SQL text is doubled.
    Pyformat,
    /// `%s` (mysqlclient); sent as a sequence, and a literal `%` in the SQL
    /// text is doubled.
    Format,
    /// `$1` (asyncpg): sent as a sequence; numbered once the statement is
    /// whole (SQLAlchemy's `_process_numeric`), in order of first use, the
    /// values of an expanding `IN` after all the others. The compiler
    /// writes [`Dialect::bind_marker`]'s placeholder meanwhile.
    NumericDollar,
}

/// The statement compiler a dialect uses (SQLAlchemy's
/// `Dialect.statement_compiler` class), for the visitors that differ by more
/// than a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementCompiler {
    /// `StrSQLCompiler`: `str(stmt)`; `IN (__[POSTCOMPILE_id_1])` left
    /// unexpanded, `LIMIT -1` as a literal, `x / CAST(y AS NUMERIC)`.
    Str,
    /// `SQLiteCompiler`: `LIMIT ? OFFSET ?` always both, `x / (y + 0.0)`,
    /// `CURRENT_TIMESTAMP` for `now()`, `length()` for `char_length()`,
    /// `RETURNING id` unqualified.
    SQLite,
    /// `PGCompiler`: `LIMIT ALL OFFSET ?` when there is only an offset,
    /// `IN (NULL) AND (1 != 1)` for an empty `IN`, `RETURNING users.id`.
    PostgreSQL,
    /// `MySQLCompiler`: `LIMIT offset, limit`, `INNER JOIN`, `concat(a,
    /// b)`, `true`/`false`, `rand()`, multi-table `UPDATE a, b SET a.x=…`
    /// and `DELETE FROM a USING a, b`; backquoted identifiers.
    MySQL,
    /// `OracleCompiler`: `FROM DUAL`, `FETCH FIRST n ROWS ONLY`, aliases
    /// without `AS`, `MINUS`, `mod(a, b)`, `LENGTH()`, `CURRENT_TIMESTAMP`
    /// for `now()`, `RETURNING … INTO :ret_0`, `WITH` without `RECURSIVE`.
    Oracle,
}

/// One database and driver, as SQLAlchemy's dialect describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dialect {
    /// `Dialect.name`: `"sqlite"`, `"postgresql"`, `"default"`.
    pub name: &'static str,
    /// `Dialect.driver`: `"pysqlite"`, `"psycopg2"`.
    pub driver: &'static str,
    /// The driver's `paramstyle`.
    pub paramstyle: ParamStyle,
    /// `render_bind_cast` (asyncpg): each parameter marker carries its
    /// type, `$1::INTEGER`, as `PGCompiler.render_bind_cast` writes it
    /// ([`crate::sql::schema::SqlType::bind_cast_name`]).
    pub render_bind_cast: bool,
    /// `IdentifierPreparer.reserved_words`: names that are quoted, in
    /// byte order (looked up by binary search).
    pub reserved_words: &'static [&'static str],
    /// `supports_native_boolean`: `true`/`false` and `WHERE users.is_active`
    /// rather than `1`/`0` and `users.is_active = 1`.
    pub native_boolean: bool,
    /// ILIKE rendered natively (`x ILIKE y`) rather than as
    /// `lower(x) LIKE lower(y)`.
    pub supports_native_ilike: bool,
    /// `insert_returning`: `INSERT … RETURNING` is available.
    pub insert_returning: bool,
    /// `update_returning`: `UPDATE … RETURNING` is available.
    pub update_returning: bool,
    /// `supports_multivalues_insert`: `INSERT … VALUES (…), (…)`.
    pub supports_multivalues_insert: bool,
    /// `postfetch_lastrowid`: a single-row INSERT reads its new key from
    /// `cursor.lastrowid` (SQLite) rather than `RETURNING` (PostgreSQL).
    pub postfetch_lastrowid: bool,
    /// `supports_sequences`: a column's `Sequence` is created, dropped and
    /// rendered as `nextval('s')`; without it (SQLite) it is ignored.
    pub supports_sequences: bool,
    /// `insertmanyvalues_implicit_sentinel` with `USE_INSERT_FROM_SELECT`
    /// and `RENDER_SELECT_COL_CASTS` (PostgreSQL): the ORM's batch of
    /// INSERTs that need their new keys back, in order, is one `INSERT …
    /// SELECT p0::VARCHAR FROM (VALUES (…, 0), (…, 1)) AS imp_sen(p0,
    /// sen_counter) ORDER BY sen_counter RETURNING …`; without it (SQLite)
    /// they go one row at a time.
    pub insertmanyvalues_sentinel: bool,
    /// `use_insertmanyvalues_wo_returning` (psycopg2): an executemany INSERT
    /// without RETURNING is sent as one `VALUES (…), (…)` statement.
    pub use_insertmanyvalues_wo_returning: bool,
    /// `insertmanyvalues_page_size`: rows per such statement.
    pub insertmanyvalues_page_size: usize,
    /// The compiler class for the visitors that differ.
    pub statement_compiler: StatementCompiler,
    /// `compile(compile_kwargs={"literal_binds": True})`: parameters are
    /// rendered inline as literals (`users.id = 3`, `'%a%'`, `IN (1, 2)`)
    /// rather than as markers. A compile option, carried with the dialect
    /// so every visitor sees it; `false` in the constants.
    pub literal_binds: bool,
}

/// SQLAlchemy's `StrCompileDialect`: what `str(stmt)` / `print(stmt)` shows
/// for a Core construct that is not bound to an engine.
pub const STR: Dialect = Dialect {
    name: "default",
    driver: "default",
    paramstyle: ParamStyle::Named,
    render_bind_cast: false,
    reserved_words: DEFAULT_RESERVED_WORDS,
    native_boolean: true,
    supports_native_ilike: false,
    insert_returning: true,
    update_returning: true,
    supports_multivalues_insert: true,
    postfetch_lastrowid: true,
    supports_sequences: true,
    insertmanyvalues_sentinel: false,
    use_insertmanyvalues_wo_returning: false,
    insertmanyvalues_page_size: 1000,
    statement_compiler: StatementCompiler::Str,
    literal_binds: false,
};

impl Dialect {
    /// A dialect the tutor compiles for but never connects with
    /// (`mysql.dialect()`, `oracle.dialect()`): constructs it does not render
    /// as that dialect's compiler does are `NotImplementedError`.
    pub fn compile_only(&self) -> bool {
        matches!(
            self.statement_compiler,
            StatementCompiler::MySQL | StatementCompiler::Oracle
        )
    }

    /// `get_render_as_alias_suffix`: ` AS ` before an alias's name, a space
    /// alone on Oracle (`FROM users users_1`).
    pub fn alias_as(&self) -> &'static str {
        if self.statement_compiler == StatementCompiler::Oracle {
            " "
        } else {
            " AS "
        }
    }

    /// Whether RETURNING names its columns with the table
    /// (`RETURNING users.id`, PostgreSQL's and the default compiler's) or
    /// bare (`RETURNING id`, `SQLiteCompiler.returning_clause`).
    pub fn qualifies_returning(&self) -> bool {
        self.statement_compiler != StatementCompiler::SQLite
    }

    /// `IdentifierPreparer._requires_quotes`: a reserved word, a first
    /// character that is a digit or `$` (on Oracle also `_`), a character
    /// outside `[A-Za-z0-9_$]`, or any upper case letter.
    pub fn requires_quotes(&self, name: &str) -> bool {
        if self.statement_compiler == StatementCompiler::Oracle && name.starts_with('_') {
            return true;
        }
        // The usual name (`users`, `user_id`): lower case already, legal
        // characters, so only the reserved words and a leading digit
        // matter — decided without lower-casing a copy.
        if !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return self.is_reserved(name) || name.starts_with(|c: char| c.is_ascii_digit());
        }
        let lower = name.to_lowercase();
        self.is_reserved(&lower)
            || name.starts_with(|c: char| c.is_ascii_digit() || c == '$')
            || has_illegal_chars(name)
            || lower != name
    }

    /// Whether the lower-case `name` is one of the reserved words.
    fn is_reserved(&self, name: &str) -> bool {
        self.reserved_words.binary_search(&name).is_ok()
    }

    /// `IdentifierPreparer.quote`: `users`, `"order"`, `"Order"`, with an
    /// embedded `"` doubled.
    pub fn quote(&self, name: &str) -> String {
        if self.requires_quotes(name) {
            // `MySQLIdentifierPreparer`: backquotes, an embedded one doubled.
            let q = match self.statement_compiler {
                StatementCompiler::MySQL => "`",
                _ => "\"",
            };
            format!("{q}{}{q}", name.replace(q, &format!("{q}{q}")))
        } else {
            name.to_string()
        }
    }

    /// The bound-parameter marker for the parameter `name` in this
    /// dialect's paramstyle: `?`, `:name_1`, `%(name_1)s`
    /// (`SQLCompiler.bindtemplate`).
    pub fn bind_marker(&self, name: &str) -> String {
        match self.paramstyle {
            ParamStyle::Qmark => "?".to_string(),
            ParamStyle::Named => format!(":{name}"),
            ParamStyle::Pyformat => format!("%({name})s"),
            ParamStyle::Format => "%s".to_string(),
            ParamStyle::NumericDollar => numeric_placeholder(name, false),
        }
    }

    /// A literal `%` in the SQL text: doubled for the pyformat drivers, as
    /// SQLAlchemy's compiler does (`'%%'` on psycopg2).
    pub fn escape_percent<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        if matches!(self.paramstyle, ParamStyle::Pyformat | ParamStyle::Format) {
            std::borrow::Cow::Owned(text.replace('%', "%%"))
        } else {
            std::borrow::Cow::Borrowed(text)
        }
    }
}

/// The placeholder a `numeric_dollar` marker is written as until the
/// statement is whole: `\u{1}name\u{2}` (`\u{3}` closing a value of an
/// expanding `IN`, numbered last), characters no SQL text holds.
/// [`number_placeholders`] makes them `$1`, `$2`, ….
pub fn numeric_placeholder(name: &str, expanding: bool) -> String {
    format!("\u{1}{name}{}", if expanding { '\u{3}' } else { '\u{2}' })
}

/// `_process_numeric` of SQLAlchemy's compiler: each placeholder of `sql`
/// ([`numeric_placeholder`]) becomes `$n`, one number per name in order of
/// first appearance, the expanding ones after all the others. Returns the
/// SQL and the names in number order (the sequence the driver is sent).
pub fn number_placeholders(sql: &str) -> (String, Vec<String>) {
    let mut plain: Vec<&str> = Vec::new();
    let mut expanding: Vec<&str> = Vec::new();
    let mut rest = sql;
    while let Some(at) = rest.find('\u{1}') {
        let tail = &rest[at + 1..];
        let Some(end) = tail.find(['\u{2}', '\u{3}']) else {
            break;
        };
        let name = &tail[..end];
        let list = if tail[end..].starts_with('\u{3}') {
            &mut expanding
        } else {
            &mut plain
        };
        if !list.contains(&name) {
            list.push(name);
        }
        rest = &tail[end + 1..];
    }
    let order: Vec<String> = plain
        .into_iter()
        .chain(expanding)
        .map(str::to_string)
        .collect();
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(at) = rest.find('\u{1}') {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 1..];
        let Some(end) = tail.find(['\u{2}', '\u{3}']) else {
            out.push_str(&rest[at..]);
            rest = "";
            break;
        };
        let name = &tail[..end];
        let n = order.iter().position(|o| o == name).map_or(0, |i| i + 1);
        out.push('$');
        out.push_str(&n.to_string());
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    (out, order)
}

/// True when `name` holds a character outside `[A-Za-z0-9_$]` (SQLAlchemy's
/// `LEGAL_CHARACTERS`); `IdentifierPreparer._requires_quotes_illegal_chars`.
pub fn has_illegal_chars(name: &str) -> bool {
    name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// The default dialect's reserved words (`compiler.RESERVED_WORDS`), used by
/// the `str()` rendering.
const DEFAULT_RESERVED_WORDS: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "binary",
    "both",
    "case",
    "cast",
    "check",
    "collate",
    "column",
    "constraint",
    "create",
    "cross",
    "current_date",
    "current_role",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "false",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "group",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "intersect",
    "into",
    "is",
    "isnull",
    "join",
    "leading",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "natural",
    "new",
    "not",
    "notnull",
    "null",
    "off",
    "offset",
    "old",
    "on",
    "only",
    "or",
    "order",
    "outer",
    "overlaps",
    "placing",
    "primary",
    "references",
    "right",
    "select",
    "session_user",
    "set",
    "similar",
    "some",
    "symmetric",
    "table",
    "then",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "verbose",
    "when",
    "where",
];

#[cfg(test)]
mod tests {
    use super::*;

    /// `is_reserved` searches the lists by halves: each must stay sorted.
    #[test]
    fn reserved_words_are_sorted() {
        for dialect in [STR, SQLITE, POSTGRESQL, MYSQL, ORACLE] {
            assert!(
                dialect.reserved_words.windows(2).all(|w| w[0] < w[1]),
                "{}'s reserved words are not in byte order",
                dialect.name
            );
            assert!(dialect.requires_quotes("order"));
            assert!(dialect.requires_quotes("Users"));
            assert!(!dialect.requires_quotes("users"));
        }
    }
}
