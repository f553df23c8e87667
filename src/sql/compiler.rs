//! Renders the expression tree ([`super::elements`]) as the SQL text and
//! bound parameters that SQLAlchemy 2.0.58 sends to SQLite.
//!
//! The module follows SQLAlchemy's `sql/compiler.py` (`SQLCompiler`) and the
//! SQLite dialect's `SQLiteCompiler`: one function per construct, named after
//! SQLAlchemy's visitor (`visit_select`, `visit_column`, `visit_binary`,
//! `visit_label`, `visit_join`, `visit_alias`, `visit_function`,
//! `limit_clause`, …), all methods of a writer (`SqlCompiler`) that collects
//! the bound parameters in render order, which is text order: every
//! [`Expr::Bind`] renders `?` and adds one parameter. The DDL
//! (`CREATE TABLE`, `create_all()` order) is in [`super::ddl`].
//!
//! What SQLAlchemy decides at *construction* time (grouping with
//! parentheses through `self_group()`, `true()`/`false()` short-circuits in
//! `and_()`/`or_()`, `AsBoolean` for Boolean columns in a WHERE clause) is
//! decided here at render time from the same precedence table
//! (`sql/operators.py` `_PRECEDENCE`, `is_precedent`), so the ORM builds plain
//! trees with no grouping nodes. The results were checked against
//! SQLAlchemy on thousands of random statements as well as the unit tests.
//!
//! # How the ORM expresses Python constructs in the tree
//!
//! | Python (SQLAlchemy)                   | tree                                              | SQL on SQLite                   |
//! |---------------------------------------|---------------------------------------------------|---------------------------------|
//! | `col == True` / `filter_by(c=True)`   | `Binary(col, Eq, True)` (a literal, no bind)       | `users.is_active = 1`           |
//! | `col == False`, `col != True`         | `Binary(col, Eq, False)`, `Binary(col, Ne, True)`  | `= 0`, `!= 1`                   |
//! | `col.is_(True)`, `col.is_not(False)`  | `Binary(col, Is, True)`, `Binary(col, IsNot, False)` | `IS 1`, `IS NOT 0`            |
//! | `col == None`, `col.is_(None)`        | `Binary(col, Is, Null)` (`Eq`+`Null` also works)   | `users.role_id IS NULL`         |
//! | `col != None`, `col.is_not(None)`     | `Binary(col, IsNot, Null)` (`Ne`+`Null` also works) | `IS NOT NULL`                  |
//! | `filter(User.is_active)`              | the Boolean column itself                          | `users.is_active = 1`           |
//! | `~User.is_active`, `not_(bool col)`   | `Not(col)` (what [`Expr::negate`] builds)          | `users.is_active = 0` (also in a SELECT list) |
//! | `~(a == b)`, `~a.in_(..)`, `~and_(..)` | [`Expr::negate`]: `Ne`, `In{negated}`, `Not(BoolList)` | `!=`, `(a NOT IN (…))`, `NOT (… AND …)` |
//! | `true()` / `false()` in WHERE         | `True` / `False`                                   | `1 = 1` / `0 = 1`               |
//! | `true()` in a SELECT list or `==`     | `True`                                             | `1`                             |
//! | `and_(a, b)`, `or_(a, b)`, several `filter()`s | [`Expr::and`] / [`Expr::or`] / several `where_` entries | `a AND (b OR c)` as needed |
//! | `and_(x)` of one Boolean column or `true()` | `BoolList { op, clauses: vec![x] }` built directly (`Expr::and` returns `x`, which differs only outside a WHERE clause) | `x = 1` everywhere |
//! | `col == 5`, `col.like("x%")`          | `Binary(col, Eq/Like, Bind(..))`                   | `users.id = ?`                  |
//! | `col.ilike(p)`, `col.notilike(p)`     | `Binary(col, ILike/NotILike, Bind(p))`             | `lower(x) LIKE lower(?)`, `lower(x) NOT LIKE lower(?)` |
//! | `col.in_([..])` / `col.not_in([..])`  | `In { values: binds, negated }`                    | `IN (?, ?)` / `(x NOT IN (?, ?))` |
//! | `col.in_([])`                         | `In { values: [] }`                                | `IN (SELECT 1 FROM (SELECT 1) WHERE 1!=1)` |
//! | `col.in_(select(..))`                 | `In { values: [ScalarSelect(..)] }`                | `IN (SELECT …)`                 |
//! | `col.between(a, b)`, `~col.between(..)` | `Between { negated }`                            | `BETWEEN ? AND ?`, `NOT BETWEEN ? AND ?` |
//! | `a + b`, `a - b`, `a * b`, `a % b`, `s + t` on strings | `Binary(Add/Sub/Mul/Mod/Concat)`   | `(a + b) * c`, `a - (b - c)`, `s || ?` |
//! | `a / b` (Python true division)        | `Binary(a, Div, b)`                                | `a / (b + 0.0)`                 |
//! | `-a`                                  | `Neg(a)`                                           | `-users.id`, `-(a + b)`         |
//! | `func.count()`                        | `Function { "count", [] }`                         | `count(*)`                      |
//! | `func.count(distinct(c))`             | `Function { "count", [Distinct(c)] }`              | `count(DISTINCT users.name)`    |
//! | `func.now()`, `func.current_date()`   | `Function { "now" / "current_date", [] }`          | `CURRENT_TIMESTAMP`, `CURRENT_DATE` |
//! | `func.count(c)` in a SELECT list      | the bare `Function` (the label is automatic)       | `count(users.id) AS count_1`    |
//! | `users.id + 1` in a SELECT list       | the bare `Binary` (the label is automatic)         | `users.id + ? AS anon_1`        |
//! | `expr.label("n")` / `.label(None)`    | `Label { Fixed("n") / Anon(base) }`               | `AS n` / `AS name_1`            |
//! | `order_by(lbl.desc())` for a label in the SELECT list | `Desc(the same Label)` (equal by value) | `ORDER BY n DESC`         |
//! | `order_by(func.count(x).desc())`      | `Desc(Function)`                                   | `ORDER BY count(x) DESC`        |
//! | `group_by(lbl)`                       | the `Label`                                        | `GROUP BY count(x)` (its expression) |
//! | `query(...).distinct()`               | `Select { distinct: true }`                        | `SELECT DISTINCT …`             |
//! | `aliased(Message)` / joinedload alias | `Alias { name: Anon("messages") }` in an `Rc`      | `messages AS messages_1`        |
//! | `aliased(User, name="u")`             | `Alias { name: Fixed("u") }`                       | `users AS u`, `u.id AS u_id`    |
//! | `Query.count()`                       | `select(count(*))` with `froms: [Subquery { Anon("anon") }]` | `… FROM (SELECT …) AS anon_1` |
//! | `stmt.subquery()`, `subq.c.x`         | `Subquery` in an `Rc`, `Expr::column(&subq, i)`    | `anon_1.users_id`               |
//! | `select(..).scalar_subquery()`        | `ScalarSelect(select)` (rendered without labels, `LABEL_STYLE_NONE`) | `(SELECT …)`    |
//! | `.limit(n)`, `.offset(m)`, `.first()` | `limit: Some(Bind(n))`, `offset: Some(Bind(m))`    | `\n LIMIT ? OFFSET ?` (`0` / `-1` added) |
//!
//! Anonymous names ([`Name::Anon`], automatic labels) are numbered per
//! compiled statement, one counter per base name, in render order (SELECT list,
//! then FROM, WHERE, GROUP BY, HAVING, ORDER BY, LIMIT), as SQLAlchemy's
//! `prefix_anon_map` does. A label takes its number before its inner
//! expression is rendered; a column's name before its selectable's. The same
//! `Rc<Alias>`/`Rc<Subquery>` gets the same name everywhere in one statement.
//! Bound parameters also take numbers from those counters (SQLAlchemy names
//! them `id_1`, `count_2`, `param_1` after the column or function they are
//! compared to; the names are not shown, but they shift later anonymous
//! labels with the same base, e.g. `SELECT users.id + ? AS anon_1,
//! messages.id, users.id AS id_2`).
//!
//! The FROM list is derived as `SelectState._get_froms` does: explicit
//! `froms` (joins, `select_from`) **first**, then the selectables of the
//! SELECT list, then those of the WHERE clause (so `select(User.id)
//! .select_from(Message)` is `FROM messages, users`), without duplicates, and
//! without the selectables that sit inside a join of the list. A scalar
//! subquery with more than one FROM drops those of the enclosing SELECT
//! (auto-correlation); a FROM subquery never correlates.

use std::collections::HashMap;
use std::rc::Rc;

use super::elements::{
    Alias, BoolOp, ColumnRef, Delete, Expr, FromClause, Insert, Join, LabelStyle, Name, Operator,
    Select, Selectable, Subquery, Update,
};
use super::schema::{SqlType, SqlValue, Table};

pub use super::ddl::{create_table, sort_tables_for_create};

/// A rendered statement: SQL text (with SQLAlchemy's newlines) and its bound
/// parameters in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Compiled {
    pub sql: String,
    pub params: Vec<SqlValue>,
}

impl Compiled {
    /// The SQL with every run of whitespace folded to one space, as the
    /// oracle's traces show statements (`" ".join(statement.split())`).
    pub fn folded(&self) -> String {
        fold_whitespace(&self.sql)
    }
}

/// Folds every run of whitespace to one space and trims the ends, as the
/// oracle's traces do with `" ".join(statement.split())`.
pub fn fold_whitespace(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `SELECT …`: matches SQLAlchemy 2.0 `SQLCompiler.visit_select` on SQLite.
///
/// Layout: `SELECT [DISTINCT ]cols \nFROM froms \nWHERE … GROUP BY … \nHAVING
/// … ORDER BY …\n LIMIT ? OFFSET ?`.
pub fn compile_select(select: &Select) -> Compiled {
    let mut compiler = SqlCompiler::default();
    let sql = compiler.visit_select(select, false, Style::of(select));
    compiler.finish(sql)
}

/// What Python's `str()` / `print()` shows for a Core `select()`: the
/// statement compiled by SQLAlchemy's default string dialect
/// (`StrCompileDialect`), not SQLite's: named parameters (`users.name =
/// :name_1`), native booleans (`WHERE users.is_active`, `= true`,
/// `NOT users.is_active`), `IN (__[POSTCOMPILE_id_1])`, `\n LIMIT :param_1`
/// with no forced `OFFSET`, `a / CAST(b AS NUMERIC)`, `now()`, and the ANSI
/// reserved words (`"user"` is quoted).
///
/// A legacy `session.query(...)` bound to the SQLite engine prints with the
/// SQLite dialect instead (`Query.__str__` compiles against the session's
/// bind): use [`compile_select`]`(..).sql` for it.
pub fn str_select(select: &Select) -> String {
    let mut compiler = SqlCompiler::new(Dialect::Str);
    compiler.visit_select(select, false, Style::of(select))
}

/// What Python's `str()` shows for a column expression (`str(User.name ==
/// "Bob")` is `users.name = :name_1`), with the string dialect of
/// [`str_select`]. A label shows its expression only.
pub fn str_expression(expr: &Expr) -> String {
    let mut compiler = SqlCompiler::new(Dialect::Str);
    compiler.process(expr)
}

/// `INSERT INTO t (a, b) VALUES (?, ?) [RETURNING c]`, or
/// `INSERT INTO t DEFAULT VALUES` when there are no values: matches
/// SQLAlchemy 2.0 `SQLCompiler.visit_insert` on SQLite.
pub fn compile_insert(insert: &Insert) -> Compiled {
    let mut compiler = SqlCompiler::default();
    let sql = compiler.visit_insert(insert);
    compiler.finish(sql)
}

/// `UPDATE t SET a=?, b=? WHERE t.pk = ? [AND t.pk2 = ?]`: matches SQLAlchemy
/// 2.0 `SQLCompiler.visit_update` (note `SET a=?` has no spaces).
pub fn compile_update(update: &Update) -> Compiled {
    let mut compiler = SqlCompiler::default();
    let sql = compiler.visit_update(update);
    compiler.finish(sql)
}

/// A bulk `UPDATE t SET a=?, b=(t.b || ?) WHERE …`: matches SQLAlchemy 2.0
/// `SQLCompiler.visit_update` for `update(Model).where(…).values(…)`.
pub fn compile_bulk_update(update: &super::elements::BulkUpdate) -> Compiled {
    let mut compiler = SqlCompiler::default();
    let sql = compiler.visit_bulk_update(update);
    compiler.finish(sql)
}

/// A bulk `DELETE FROM t WHERE …`: matches SQLAlchemy 2.0
/// `SQLCompiler.visit_delete` for `delete(Model).where(…)`.
pub fn compile_bulk_delete(delete: &super::elements::BulkDelete) -> Compiled {
    let mut compiler = SqlCompiler::default();
    let mut sql = format!("DELETE FROM {}", compiler.visit_table(&delete.table));
    if !delete.where_.is_empty() {
        let t = compiler.generate_delimited_and_list(&delete.where_);
        if !t.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&t);
        }
    }
    compiler.finish(sql)
}

/// `DELETE FROM t WHERE t.pk = ? [AND t.pk2 = ?]`: matches SQLAlchemy 2.0
/// `SQLCompiler.visit_delete`.
pub fn compile_delete(delete: &Delete) -> Compiled {
    let mut compiler = SqlCompiler::default();
    let sql = compiler.visit_delete(delete);
    compiler.finish(sql)
}

/// SQLite's reserved words, as `SQLiteIdentifierPreparer.reserved_words`.
const RESERVED_WORDS: &[&str] = &[
    "add",
    "after",
    "all",
    "alter",
    "analyze",
    "and",
    "as",
    "asc",
    "attach",
    "autoincrement",
    "before",
    "begin",
    "between",
    "by",
    "cascade",
    "case",
    "cast",
    "check",
    "collate",
    "column",
    "commit",
    "conflict",
    "constraint",
    "create",
    "cross",
    "current_date",
    "current_time",
    "current_timestamp",
    "database",
    "default",
    "deferrable",
    "deferred",
    "delete",
    "desc",
    "detach",
    "distinct",
    "drop",
    "each",
    "else",
    "end",
    "escape",
    "except",
    "exclusive",
    "exists",
    "explain",
    "fail",
    "false",
    "for",
    "foreign",
    "from",
    "full",
    "glob",
    "group",
    "having",
    "if",
    "ignore",
    "immediate",
    "in",
    "index",
    "indexed",
    "initially",
    "inner",
    "insert",
    "instead",
    "intersect",
    "into",
    "is",
    "isnull",
    "join",
    "key",
    "left",
    "like",
    "limit",
    "match",
    "natural",
    "not",
    "notnull",
    "null",
    "of",
    "offset",
    "on",
    "or",
    "order",
    "outer",
    "plan",
    "pragma",
    "primary",
    "query",
    "raise",
    "references",
    "reindex",
    "rename",
    "replace",
    "restrict",
    "right",
    "rollback",
    "row",
    "select",
    "set",
    "table",
    "temp",
    "temporary",
    "then",
    "to",
    "transaction",
    "trigger",
    "true",
    "union",
    "unique",
    "update",
    "using",
    "vacuum",
    "values",
    "view",
    "virtual",
    "when",
    "where",
];

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

/// Which SQLAlchemy dialect a statement is compiled for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Dialect {
    /// `SQLiteDialect`: what is sent to the database (`?` parameters, no
    /// native boolean).
    #[default]
    Sqlite,
    /// `StrCompileDialect`: what `str(stmt)` shows for a Core construct.
    Str,
}

impl Dialect {
    fn reserved_words(self) -> &'static [&'static str] {
        match self {
            Dialect::Sqlite => RESERVED_WORDS,
            Dialect::Str => DEFAULT_RESERVED_WORDS,
        }
    }

    fn supports_native_boolean(self) -> bool {
        self == Dialect::Str
    }
}

/// `IdentifierPreparer._requires_quotes` with the dialect's reserved words.
fn requires_quotes_in(dialect: Dialect, name: &str) -> bool {
    let lower = name.to_lowercase();
    dialect.reserved_words().contains(&lower.as_str())
        || name.starts_with(|c: char| c.is_ascii_digit() || c == '$')
        || has_illegal_chars(name)
        || lower != name
}

/// `IdentifierPreparer.quote` with the dialect's reserved words.
fn quote_in(dialect: Dialect, name: &str) -> String {
    if requires_quotes_in(dialect, name) {
        format!("\"{}\"", name.replace('"', "\"\""))
    } else {
        name.to_string()
    }
}

/// True when `name` holds a character outside `[A-Za-z0-9_$]` (SQLAlchemy's
/// `LEGAL_CHARACTERS`); `IdentifierPreparer._requires_quotes_illegal_chars`.
fn has_illegal_chars(name: &str) -> bool {
    name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// Whether SQLAlchemy quotes this identifier on SQLite
/// (`IdentifierPreparer._requires_quotes`): a reserved word, a first character
/// that is a digit or `$`, a character outside `[A-Za-z0-9_$]`, or any upper
/// case letter. `user` is not reserved on SQLite; `order`, `group` are.
pub fn requires_quotes(name: &str) -> bool {
    requires_quotes_in(Dialect::Sqlite, name)
}

/// An identifier as SQLAlchemy writes it (`IdentifierPreparer.quote`):
/// `users`, `"order"`, `"Order"`, with embedded `"` doubled.
pub fn quote_identifier(name: &str) -> String {
    quote_in(Dialect::Sqlite, name)
}

// ---------------------------------------------------------------------------
// Operators and precedence (sql/operators.py)
// ---------------------------------------------------------------------------

/// An operator a child is grouped against (the `against` of SQLAlchemy's
/// `self_group(against=…)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Against {
    Binary(Operator),
    In,
    NotIn,
    Between,
    NotBetween,
    And,
    Or,
    /// `operators.inv`: `NOT x`.
    Inv,
    /// `operators.neg`: `-x`.
    Neg,
    /// `operators.distinct_op`: `DISTINCT x`.
    DistinctOp,
    /// `asc_op` / `desc_op`.
    OrderBy,
    /// `operators.comma_op`: function arguments, `IN (…)` lists.
    Comma,
    /// `operators._asbool`: a lone WHERE/HAVING/ON criterion.
    AsBool,
}

impl Against {
    /// `_PRECEDENCE` from SQLAlchemy's `sql/operators.py`.
    fn precedence(self) -> i32 {
        use Operator::*;
        match self {
            Against::Binary(Mul | Div | Mod) | Against::Neg => 8,
            Against::Binary(Add | Sub) => 7,
            Against::Binary(_)
            | Against::In
            | Against::NotIn
            | Against::Between
            | Against::NotBetween
            | Against::Inv
            | Against::DistinctOp => 5,
            Against::And | Against::OrderBy => 3,
            Against::Or => 2,
            Against::Comma => -1,
            Against::AsBool => -10,
        }
    }

    /// `operators.is_natural_self_precedent`: `(a + b) + c` needs no
    /// parentheses (`_associative`: `add`, `mul`, `concat_op`, `and_`, `or_`).
    fn natural_self_precedent(self) -> bool {
        matches!(
            self,
            Against::Binary(Operator::Add | Operator::Mul | Operator::Concat)
                | Against::And
                | Against::Or
        )
    }

    /// `operators.is_boolean`: comparisons, `NOT`, `AND`, `OR`.
    fn is_boolean(self) -> bool {
        use Operator::*;
        match self {
            Against::Binary(op) => !matches!(op, Add | Sub | Mul | Div | Mod | Concat),
            Against::In
            | Against::NotIn
            | Against::Between
            | Against::NotBetween
            | Against::Inv
            | Against::And
            | Against::Or => true,
            _ => false,
        }
    }

    /// Contexts where `ColumnElement.self_group` turns a Boolean-typed
    /// expression into `AsBoolean` (`x = 1` on SQLite).
    fn wants_boolean(self) -> bool {
        matches!(self, Against::And | Against::Or | Against::AsBool)
    }
}

/// `operators.is_precedent(operator, against)`.
fn is_precedent(op: Against, against: Against) -> bool {
    if op == against && op.natural_self_precedent() {
        false
    } else {
        op.precedence() <= against.precedence()
    }
}

/// `OperatorExpression.self_group`: parentheses when `is_precedent`, or when a
/// non-boolean operator is negated.
fn operator_needs_group(op: Against, against: Against) -> bool {
    is_precedent(op, against) || (against == Against::Inv && !op.is_boolean())
}

/// The SQL spelling of a binary operator (`compiler.OPERATORS`).
fn operator_sql(op: Operator) -> &'static str {
    use Operator::*;
    match op {
        Eq => " = ",
        Ne => " != ",
        Lt => " < ",
        Le => " <= ",
        Gt => " > ",
        Ge => " >= ",
        Is => " IS ",
        IsNot => " IS NOT ",
        Like => " LIKE ",
        NotLike => " NOT LIKE ",
        ILike => " LIKE ",
        NotILike => " NOT LIKE ",
        Add => " + ",
        Sub => " - ",
        Mul => " * ",
        Div => " / ",
        Mod => " % ",
        Concat => " || ",
    }
}

/// How `self_group(against)` wraps an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grouping {
    /// Rendered as is.
    Plain,
    /// `Grouping`: `(x)`.
    Parens,
    /// `AsBoolean(x, is_true)`: `x = 1` on SQLite (no native boolean).
    AsTrue,
}

// ---------------------------------------------------------------------------
// Functions (sql/functions.py registry)
// ---------------------------------------------------------------------------

/// SQLAlchemy's registered generic functions: `func.COUNT` is `count`,
/// `func.Max` is `max` (the registry is case-insensitive), anything else keeps
/// the name it was called with.
const GENERIC_FUNCTIONS: &[&str] = &[
    "aggregate_strings",
    "array_agg",
    "char_length",
    "coalesce",
    "concat",
    "count",
    "cube",
    "cume_dist",
    "current_date",
    "current_time",
    "current_timestamp",
    "current_user",
    "dense_rank",
    "grouping_sets",
    "localtime",
    "localtimestamp",
    "max",
    "min",
    "mode",
    "now",
    "percent_rank",
    "percentile_cont",
    "percentile_disc",
    "random",
    "rank",
    "rollup",
    "session_user",
    "sum",
    "sysdate",
    "user",
];

/// `AnsiFunction`s: rendered upper case, without parentheses when called
/// without arguments (`CURRENT_DATE`).
const ANSI_FUNCTIONS: &[&str] = &[
    "current_date",
    "current_time",
    "current_timestamp",
    "current_user",
    "localtime",
    "session_user",
    "sysdate",
    "user",
];

/// The name SQLAlchemy gives `func.<name>`: the registered generic function's
/// name when there is one, else `name` itself. Also the base of the
/// automatic label (`count_1`).
pub fn function_name(name: &str) -> String {
    let lower = name.to_lowercase();
    if GENERIC_FUNCTIONS.contains(&lower.as_str()) {
        lower
    } else {
        name.to_string()
    }
}

// ---------------------------------------------------------------------------
// Anonymous names (sql/base.py prefix_anon_map, elements._anonymous_label)
// ---------------------------------------------------------------------------

/// Which of an element's anonymous labels (SQLAlchemy memoizes several per
/// element: `_anon_name_label`, `_anon_tq_label`, the `__N` dedupe labels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum LabelKind {
    Name,
    Tq,
    Dedupe(u32),
}

/// The identity an anonymous name is keyed by (SQLAlchemy keys by `hash(obj)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum AnonKey {
    /// An alias or subquery (`messages_1`, `anon_1`), by `Rc` pointer.
    From(usize),
    /// A label derived from a column (`id_1`, `users_id__1`): the column's
    /// selectable pointer and index, so every occurrence of that column in
    /// the statement shares it.
    Column(usize, usize, LabelKind),
    /// A label of the `index`-th SELECT-list expression of the select at the
    /// given address (`count_1`, `anon_1`, `.label(None)`).
    Expr(usize, usize, LabelKind),
    /// A bound parameter (`id_1`), by the address of its value in the tree:
    /// a subquery rendered twice names its parameters the same both times.
    Bind(usize),
    /// The one expanding parameter of `IN (…)`, by the address of the `IN`'s
    /// left operand.
    InList(usize),
}

/// One piece of a name template.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Piece {
    Lit(String),
    /// Resolves to `<base>_<n>`, `n` from the statement's counter for `base`.
    Anon(AnonKey, NameT),
}

/// A name that may contain anonymous parts, resolved at render time
/// (`messages_1_id` is `Anon(alias, "messages") + "_id"`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
struct NameT(Vec<Piece>);

impl NameT {
    fn lit(s: impl Into<String>) -> NameT {
        NameT(vec![Piece::Lit(s.into())])
    }

    fn anon(key: AnonKey, base: NameT) -> NameT {
        NameT(vec![Piece::Anon(key, base)])
    }

    /// `self + suffix`.
    fn plus(mut self, suffix: &str) -> NameT {
        match self.0.last_mut() {
            Some(Piece::Lit(s)) => s.push_str(suffix),
            _ => self.0.push(Piece::Lit(suffix.to_string())),
        }
        self
    }

    /// `self + other`.
    fn concat(mut self, other: NameT) -> NameT {
        for piece in other.0 {
            match piece {
                Piece::Lit(s) => self = self.plus(&s),
                anon => self.0.push(anon),
            }
        }
        self
    }

    /// The name when it has no anonymous part.
    fn literal(&self) -> Option<String> {
        let mut out = String::new();
        for piece in &self.0 {
            match piece {
                Piece::Lit(s) => out.push_str(s),
                Piece::Anon(..) => return None,
            }
        }
        Some(out)
    }
}

/// SQLAlchemy's `prefix_anon_map`: one counter per base name, from 1, and a
/// memo so one element keeps its name.
#[derive(Debug, Default)]
struct AnonMap {
    counters: HashMap<String, u32>,
    names: HashMap<(AnonKey, String), String>,
}

impl AnonMap {
    fn next(&mut self, base: &str) -> String {
        let n = self.counters.entry(base.to_string()).or_insert(0);
        *n += 1;
        format!("{base}_{n}")
    }

    fn resolve(&mut self, key: AnonKey, base: &str) -> String {
        if let Some(name) = self.names.get(&(key, base.to_string())) {
            return name.clone();
        }
        let name = self.next(base);
        self.names.insert((key, base.to_string()), name.clone());
        name
    }
}

// ---------------------------------------------------------------------------
// Selectables and columns: names, types, identities
// ---------------------------------------------------------------------------

fn selectable_ptr(sel: &Selectable) -> usize {
    match sel {
        Selectable::Table(t) => Rc::as_ptr(t) as usize,
        Selectable::Alias(a) => Rc::as_ptr(a) as usize,
        Selectable::Subquery(s) => Rc::as_ptr(s) as usize,
    }
}

fn select_ptr(select: &Select) -> usize {
    select as *const Select as usize
}

fn name_template(name: &Name, key: AnonKey) -> NameT {
    match name {
        Name::Fixed(n) => NameT::lit(n.clone()),
        Name::Anon(base) => NameT::anon(key, NameT::lit(base.clone())),
    }
}

/// The name a selectable is referred to by: `users`, `messages_1`, `anon_1`.
fn from_name(sel: &Selectable) -> NameT {
    match sel {
        Selectable::Table(t) => NameT::lit(t.name.clone()),
        Selectable::Alias(a) => name_template(&a.name, AnonKey::From(Rc::as_ptr(a) as usize)),
        Selectable::Subquery(s) => name_template(&s.name, AnonKey::From(Rc::as_ptr(s) as usize)),
    }
}

/// The name of column `index` of `table`; an index out of range (a bug in
/// the caller) renders a visible placeholder rather than panicking.
fn table_column_name(table: &Table, index: usize) -> String {
    match table.columns.get(index) {
        Some(c) => c.name.clone(),
        None => format!("<no column {index} in {}>", table.name),
    }
}

/// A column's name within its selectable: `id`, or for a subquery the label
/// its inner SELECT gives that column (`users_id`, `count_1`).
fn column_name(col: &ColumnRef) -> NameT {
    match &col.from {
        Selectable::Table(t) => NameT::lit(table_column_name(t, col.index)),
        Selectable::Alias(a) => NameT::lit(table_column_name(&a.table, col.index)),
        Selectable::Subquery(s) => subquery_column_name(s, col.index),
    }
}

/// The name the inner SELECT of a subquery renders for its `index`-th column
/// (every column of a FROM subquery is labelled).
fn subquery_column_name(sq: &Subquery, index: usize) -> NameT {
    let plans = columns_plus_names(&sq.select, Style::of(&sq.select), false);
    plans
        .into_iter()
        .nth(index)
        .and_then(|p| p.required.or(p.fallback))
        .unwrap_or_else(|| NameT::lit(format!("<no column {index} in subquery>")))
}

/// The column names a fixed-name selectable holds (for `_gen_tq_label`'s
/// clash check).
fn selectable_has_column(sel: &Selectable, name: &str) -> bool {
    match sel {
        Selectable::Table(t) => t.columns.iter().any(|c| c.name == name),
        Selectable::Alias(a) => a.table.columns.iter().any(|c| c.name == name),
        Selectable::Subquery(_) => false,
    }
}

/// `ColumnClause._gen_tq_label`: `<from name>_<column name>`, with `_1`,
/// `_2`, … appended while it equals a column of the same table.
fn tq_label(col: &ColumnRef) -> NameT {
    let label = from_name(&col.from).plus("_").concat(column_name(col));
    if let Some(lit) = label.literal()
        && selectable_has_column(&col.from, &lit)
    {
        let mut counter = 1;
        let mut candidate = lit.clone();
        while selectable_has_column(&col.from, &candidate) {
            candidate = format!("{lit}_{counter}");
            counter += 1;
        }
        return NameT::lit(candidate);
    }
    label
}

/// The declared type of a column (for a subquery column, of the inner
/// column it comes from, when that is a column).
fn column_type(col: &ColumnRef) -> Option<SqlType> {
    match &col.from {
        Selectable::Table(t) => t.columns.get(col.index).map(|c| c.sql_type.clone()),
        Selectable::Alias(a) => a.table.columns.get(col.index).map(|c| c.sql_type.clone()),
        Selectable::Subquery(s) => match s.select.columns.get(col.index) {
            Some(Expr::Column(inner)) => column_type(inner),
            Some(Expr::Label { expr, .. }) => match expr.as_ref() {
                Expr::Column(inner) => column_type(inner),
                _ => None,
            },
            _ => None,
        },
    }
}

/// A `Boolean` column: SQLAlchemy renders it `x = 1` in a WHERE clause and
/// its negation `x = 0` (SQLite has no native boolean).
fn is_boolean_column(e: &Expr) -> bool {
    match e {
        Expr::Column(c) => column_type(c) == Some(SqlType::Boolean),
        _ => false,
    }
}

/// `true()` / `false()`, seeing through `NOT` (`not_(true())` is `false()`).
fn bool_const(e: &Expr) -> Option<bool> {
    match e {
        Expr::True => Some(true),
        Expr::False => Some(false),
        // `AsBoolean._negate` of a wrapped `true()`/`false()` is the constant.
        Expr::Not(inner) => bool_const(single_bool_clause(inner).unwrap_or(inner)).map(|b| !b),
        _ => None,
    }
}

/// The clause of a one-clause `and_()`/`or_()` that SQLAlchemy keeps wrapped
/// in `AsBoolean` (a Boolean column, `true()`, `false()`); `None` otherwise.
fn single_bool_clause(e: &Expr) -> Option<&Expr> {
    let Expr::BoolList { op, clauses } = e else {
        return None;
    };
    match process_clauses_for_boolean(*op, clauses).as_slice() {
        [single] if matches!(single, Expr::True | Expr::False) || is_boolean_column(single) => {
            Some(*single)
        }
        _ => None,
    }
}

/// `BooleanClauseList._process_clauses_for_boolean`: in `and_()` a `true()`
/// is dropped and a `false()` replaces everything (the reverse for `or_()`).
fn process_clauses_for_boolean(op: BoolOp, clauses: &[Expr]) -> Vec<&Expr> {
    let (continue_on, skip_on) = match op {
        BoolOp::And => (true, false),
        BoolOp::Or => (false, true),
    };
    let mut has_continue: Option<&Expr> = None;
    let mut out = Vec::new();
    for clause in clauses {
        match bool_const(clause) {
            Some(b) if b == continue_on => has_continue = Some(clause),
            Some(b) if b == skip_on => return vec![clause],
            _ => out.push(clause),
        }
    }
    if out.is_empty()
        && let Some(c) = has_continue
    {
        out.push(c);
    }
    out
}

/// A FROM-list object: a selectable or a join, compared by pointer.
#[derive(Debug, Clone)]
enum FromObj {
    Sel(Selectable),
    Join(Rc<Join>),
}

impl FromObj {
    fn of(f: &FromClause) -> FromObj {
        match f {
            FromClause::Selectable(s) => FromObj::Sel(s.clone()),
            FromClause::Join(j) => FromObj::Join(j.clone()),
        }
    }

    fn same(&self, other: &FromObj) -> bool {
        match (self, other) {
            (FromObj::Sel(a), FromObj::Sel(b)) => a.same(b),
            (FromObj::Join(a), FromObj::Join(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

fn contains(list: &[FromObj], obj: &FromObj) -> bool {
    list.iter().any(|o| o.same(obj))
}

/// `ClauseElement._from_objects` of an expression, appended to `out`.
fn expr_from_objects(e: &Expr, out: &mut Vec<FromObj>) {
    match e {
        Expr::Column(c) => out.push(FromObj::Sel(c.from.clone())),
        Expr::Bind(_)
        | Expr::Null
        | Expr::True
        | Expr::False
        | Expr::Star
        | Expr::One
        | Expr::LabelRef(_) => {}
        Expr::ScalarSelect(_) | Expr::Exists(_) => {}
        Expr::Grouping(x) => expr_from_objects(x, out),
        Expr::LikePattern { value, .. } => expr_from_objects(value, out),
        Expr::Binary { left, right, .. } => {
            expr_from_objects(left, out);
            expr_from_objects(right, out);
        }
        Expr::In { left, values, .. } => {
            expr_from_objects(left, out);
            for v in values {
                expr_from_objects(v, out);
            }
        }
        Expr::Between {
            expr, low, high, ..
        } => {
            expr_from_objects(expr, out);
            expr_from_objects(low, out);
            expr_from_objects(high, out);
        }
        Expr::BoolList { clauses, .. } => {
            for c in clauses {
                expr_from_objects(c, out);
            }
        }
        Expr::Function { args, .. } => {
            for a in args {
                expr_from_objects(a, out);
            }
        }
        Expr::Not(x) | Expr::Neg(x) | Expr::Distinct(x) | Expr::Asc(x) | Expr::Desc(x) => {
            expr_from_objects(x, out)
        }
        Expr::Label { expr, .. } => expr_from_objects(expr, out),
    }
}

/// `_from_objects` of a FROM entry: a join is itself plus everything inside.
fn from_clause_objects(f: &FromClause, out: &mut Vec<FromObj>) {
    match f {
        FromClause::Selectable(s) => out.push(FromObj::Sel(s.clone())),
        FromClause::Join(j) => {
            out.push(FromObj::Join(j.clone()));
            from_clause_objects(&j.left, out);
            from_clause_objects(&j.right, out);
        }
    }
}

/// `_from_objects(*froms)`: the objects the given FROM list makes available
/// to a correlated subquery.
fn expand_from_objects(froms: &[FromObj]) -> Vec<FromObj> {
    let mut out = Vec::new();
    for f in froms {
        match f {
            FromObj::Sel(s) => out.push(FromObj::Sel(s.clone())),
            FromObj::Join(j) => from_clause_objects(&FromClause::Join(j.clone()), &mut out),
        }
    }
    out
}

/// `SelectState._get_froms` + `_get_display_froms`: explicit FROMs, then
/// those of the SELECT list, then of the WHERE clause; deduplicated; minus
/// anything inside a listed join; minus the enclosing SELECT's FROMs when
/// auto-correlating (only when more than one FROM is left, and never all of
/// them: SQLAlchemy raises there, the tutor keeps them).
fn display_froms(select: &Select, implicit_correlate: &[FromObj]) -> Vec<FromObj> {
    let mut items: Vec<FromObj> = select.froms.iter().map(FromObj::of).collect();
    for c in &select.columns {
        expr_from_objects(c, &mut items);
    }
    for w in &select.where_ {
        expr_from_objects(w, &mut items);
    }
    let mut froms: Vec<FromObj> = Vec::new();
    for item in items {
        if !contains(&froms, &item) {
            froms.push(item);
        }
    }
    let mut hidden: Vec<FromObj> = Vec::new();
    for f in &froms {
        if let FromObj::Join(j) = f {
            from_clause_objects(&j.left, &mut hidden);
            from_clause_objects(&j.right, &mut hidden);
        }
    }
    let froms: Vec<FromObj> = froms
        .into_iter()
        .filter(|f| !contains(&hidden, f))
        .collect();
    if !implicit_correlate.is_empty() && froms.len() > 1 {
        let kept: Vec<FromObj> = froms
            .iter()
            .filter(|f| !contains(implicit_correlate, f))
            .cloned()
            .collect();
        if !kept.is_empty() {
            return kept;
        }
    }
    froms
}

// ---------------------------------------------------------------------------
// SELECT-list naming (Select._generate_columns_plus_names)
// ---------------------------------------------------------------------------

/// The label decision for one SELECT-list column: `required` is always
/// rendered (`AS users_id`, `AS id_1`); `fallback` is rendered when the kind
/// of expression calls for a label (`count(*) AS count_1`, or a column
/// inside a FROM subquery).
#[derive(Debug, Clone, Default)]
struct ColPlan {
    required: Option<NameT>,
    fallback: Option<NameT>,
}

/// Identity of a SELECT-list column for clash detection: a column by its
/// selectable and index (`hash(column)`), any other expression by position.
#[derive(Debug, Clone, PartialEq)]
enum ColId {
    Column(usize, usize),
    Expr(usize, usize),
}

fn col_key(e: &Expr, sel: usize, idx: usize, kind: LabelKind) -> AnonKey {
    match e {
        Expr::Column(c) => AnonKey::Column(selectable_ptr(&c.from), c.index, kind),
        _ => AnonKey::Expr(sel, idx, kind),
    }
}

/// The template of an `Expr::Label` at position `idx` of the select `sel`.
fn label_template(name: &Name, sel: usize, idx: usize) -> NameT {
    name_template(name, AnonKey::Expr(sel, idx, LabelKind::Name))
}

/// `Not(bool column)`: SQLAlchemy's `AsBoolean(col, is_false)`.
fn as_boolean_false(e: &Expr) -> Option<&ColumnRef> {
    let Expr::Not(inner) = e else {
        return None;
    };
    match single_bool_clause(inner).unwrap_or(inner) {
        Expr::Column(c) if column_type(c) == Some(SqlType::Boolean) => Some(c),
        _ => None,
    }
}

/// SQLAlchemy's `AsBoolean` around a Boolean column, whose labels come from
/// the column: `Not(col)` (`~col`: `col = 0`) or a one-clause `and_(col)` /
/// `or_(col)` (`col = 1`).
fn as_boolean_column(e: &Expr) -> Option<&ColumnRef> {
    if let Some(c) = as_boolean_false(e) {
        return Some(c);
    }
    match single_bool_clause(e) {
        Some(Expr::Column(c)) => Some(c),
        _ => None,
    }
}

/// `_tq_label`: the TablenamePlusCol label of an expression, if it has one.
fn expr_tq_label(e: &Expr, sel: usize, idx: usize) -> Option<NameT> {
    if let Some(c) = as_boolean_column(e) {
        return Some(tq_label(c));
    }
    match e {
        Expr::Column(c) => Some(tq_label(c)),
        Expr::Label { name, .. } => Some(label_template(name, sel, idx)),
        _ => None,
    }
}

/// `_non_anon_label`: the name an expression naturally has.
fn expr_non_anon_label(e: &Expr) -> Option<NameT> {
    match e {
        Expr::Column(c) => Some(column_name(c)),
        Expr::Label {
            name: Name::Fixed(n),
            ..
        } => Some(NameT::lit(n.clone())),
        _ => None,
    }
}

/// `.name` of an expression (columns, functions, labels), used by dedupe labels.
fn expr_name(e: &Expr, sel: usize, idx: usize) -> Option<NameT> {
    match e {
        Expr::Column(c) => Some(column_name(c)),
        Expr::Function { name, .. } => Some(NameT::lit(function_name(name))),
        Expr::Label { name, .. } => Some(label_template(name, sel, idx)),
        _ => None,
    }
}

/// `_anon_name_label`: `count_1` for `count(…)`, `id_1` for a column,
/// `anon_1` for other expressions; `is_active` (not anonymous) for
/// `AsBoolean` (a `WrapsColumnExpression`).
fn expr_anon_name_label(e: &Expr, sel: usize, idx: usize) -> NameT {
    if let Some(c) = as_boolean_column(e) {
        return column_name(c);
    }
    let key = col_key(e, sel, idx, LabelKind::Name);
    match e {
        Expr::Column(c) => NameT::anon(key, column_name(c)),
        Expr::Label { name, .. } => label_template(name, sel, idx),
        Expr::Function { name, .. } => NameT::anon(key, NameT::lit(function_name(name))),
        _ => NameT::anon(key, NameT::lit("anon")),
    }
}

/// `_anon_tq_label`: `users_id_1`.
fn expr_anon_tq_label(e: &Expr, sel: usize, idx: usize) -> NameT {
    let base = expr_tq_label(e, sel, idx).unwrap_or_else(|| NameT::lit("anon"));
    NameT::anon(col_key(e, sel, idx, LabelKind::Tq), base)
}

/// `_dedupe_anon_tq_label_idx`: `users_id__1`.
fn expr_dedupe_tq_label(e: &Expr, sel: usize, idx: usize, n: u32) -> NameT {
    let base = expr_tq_label(e, sel, idx).unwrap_or_else(|| NameT::lit("anon"));
    NameT::anon(col_key(e, sel, idx, LabelKind::Dedupe(n)), base.plus("_"))
}

/// `_dedupe_anon_label_idx`: `id__1` (from `.name`, else the tq form).
fn expr_dedupe_label(e: &Expr, sel: usize, idx: usize, n: u32) -> NameT {
    let name = match as_boolean_column(e) {
        Some(c) => Some(column_name(c)),
        None => expr_name(e, sel, idx),
    };
    match name {
        Some(name) => NameT::anon(col_key(e, sel, idx, LabelKind::Dedupe(n)), name.plus("_")),
        None => expr_dedupe_tq_label(e, sel, idx, n),
    }
}

/// How a SELECT being rendered names its columns: its [`LabelStyle`], or
/// SQLAlchemy's `LABEL_STYLE_NONE`, which `scalar_subquery()` (and so
/// `in_(select(...))`) always sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    TablenamePlusCol,
    DisambiguateOnly,
    /// No label except the anonymous ones of unnamed expressions.
    None,
}

impl Style {
    fn of(select: &Select) -> Style {
        match select.label_style {
            LabelStyle::TablenamePlusCol => Style::TablenamePlusCol,
            LabelStyle::DisambiguateOnly => Style::DisambiguateOnly,
        }
    }
}

/// Port of `Select._generate_columns_plus_names`: decides each SELECT-list
/// column's label under the given label style. The compiler renders with
/// `anon_for_dupe_key` (a repeated column gets `AS id__1`); a subquery's
/// column collection is built without it (the repeat keeps the first name).
fn columns_plus_names(select: &Select, style: Style, anon_for_dupe_key: bool) -> Vec<ColPlan> {
    let sel = select_ptr(select);
    if style == Style::None {
        return select
            .columns
            .iter()
            .enumerate()
            .map(|(idx, c)| ColPlan {
                required: None,
                fallback: match c {
                    Expr::Star => None,
                    _ => Some(
                        expr_non_anon_label(c).unwrap_or_else(|| expr_anon_name_label(c, sel, idx)),
                    ),
                },
            })
            .collect();
    }
    let table_qualified = style == Style::TablenamePlusCol;
    let mut names: Vec<(NameT, ColId)> = Vec::new();
    let lookup = |names: &Vec<(NameT, ColId)>, n: &NameT| -> Option<ColId> {
        names.iter().find(|(k, _)| k == n).map(|(_, id)| id.clone())
    };
    let mut dedupe_hash: u32 = 1;
    let mut plans = Vec::with_capacity(select.columns.len());
    for (idx, c) in select.columns.iter().enumerate() {
        if matches!(c, Expr::Star) {
            // `_render_label_in_columns_clause` is False for `*`.
            plans.push(ColPlan::default());
            continue;
        }
        let id = match c {
            Expr::Column(col) => ColId::Column(selectable_ptr(&col.from), col.index),
            _ => ColId::Expr(sel, idx),
        };
        let dedupe = |n: u32| {
            if table_qualified {
                expr_dedupe_tq_label(c, sel, idx, n)
            } else {
                expr_dedupe_label(c, sel, idx, n)
            }
        };
        let (mut required, mut fallback, effective) = if table_qualified {
            let t = expr_tq_label(c, sel, idx);
            (t.clone(), t.clone(), t)
        } else {
            let t = expr_non_anon_label(c);
            (None, t.clone(), t)
        };
        match effective {
            None => {
                let anon = expr_anon_name_label(c, sel, idx);
                let repeated = lookup(&names, &anon).is_some();
                names.push((anon.clone(), id));
                required = None;
                if repeated {
                    fallback = Some(dedupe(dedupe_hash));
                    dedupe_hash += 1;
                } else {
                    fallback = Some(anon);
                }
            }
            Some(eff) => match lookup(&names, &eff) {
                Some(existing) if existing != id => {
                    let label = if table_qualified {
                        expr_anon_tq_label(c, sel, idx)
                    } else {
                        expr_anon_name_label(c, sel, idx)
                    };
                    if anon_for_dupe_key && lookup(&names, &label).is_some() {
                        let d = dedupe(dedupe_hash);
                        dedupe_hash += 1;
                        required = Some(d.clone());
                        fallback = Some(d);
                    } else {
                        names.push((label.clone(), id));
                        required = Some(label.clone());
                        fallback = Some(label);
                    }
                }
                Some(_) if anon_for_dupe_key => {
                    let d = dedupe(dedupe_hash);
                    dedupe_hash += 1;
                    required = Some(d.clone());
                    fallback = Some(d);
                }
                Some(_) => {}
                None => names.push((eff, id)),
            },
        }
        plans.push(ColPlan { required, fallback });
    }
    plans
}

/// `UnaryExpression._wraps_unnamed_column`: the operand is not a plain
/// column or a fixed-name label.
fn wraps_unnamed_column(e: &Expr) -> bool {
    !matches!(
        e,
        Expr::Column(_)
            | Expr::Label {
                name: Name::Fixed(_),
                ..
            }
    )
}

/// The keys of a subquery's columns (`subq.c.<key>`) as
/// `SelectState._column_naming_convention` gives them, for the columns whose
/// key is a plain string (`None`: an anonymous key, which makes a compared
/// parameter `param_N`). A repeated key gets `_1`, `_2`, … from a numbering
/// local to the subquery (`id`, `id_1`).
fn subquery_column_keys(sq: &Subquery) -> Vec<Option<String>> {
    let select = &sq.select;
    let table_qualified = select.label_style == LabelStyle::TablenamePlusCol;
    let mut names: Vec<String> = Vec::new();
    let mut counters: HashMap<String, u32> = HashMap::new();
    let mut memo: HashMap<(usize, usize, String), String> = HashMap::new();
    let mut keys = Vec::with_capacity(select.columns.len());
    for (idx, c) in select.columns.iter().enumerate() {
        let column = match c {
            Expr::Column(col) => Some(col),
            _ => as_boolean_column(c),
        };
        let (name, plain) = match (c, column) {
            (_, Some(col)) => {
                let name = if table_qualified {
                    tq_label(col)
                } else {
                    column_name(col)
                };
                (name.literal(), true)
            }
            (
                Expr::Label {
                    name: Name::Fixed(n),
                    ..
                },
                None,
            ) => (Some(n.clone()), true),
            (Expr::Function { name, .. }, None) => (Some(function_name(name)), false),
            _ => (Some("_no_label".to_string()), false),
        };
        let Some(name) = name else {
            keys.push(None);
            continue;
        };
        let key = if names.contains(&name) {
            let identity = match column {
                Some(col) => (selectable_ptr(&col.from), col.index),
                None => (select_ptr(select), idx),
            };
            let memo_key = (identity.0, identity.1, name.clone());
            match memo.get(&memo_key) {
                Some(k) => k.clone(),
                None => {
                    let n = counters.entry(name.clone()).or_insert(0);
                    *n += 1;
                    let k = format!("{name}_{n}");
                    memo.insert(memo_key, k.clone());
                    k
                }
            }
        } else {
            names.push(name.clone());
            name
        };
        keys.push(plain.then_some(key));
    }
    keys
}

/// The bind-parameter key SQLAlchemy derives from the other operand
/// (`users.id = :id_1`, `anon_1.users_id = :users_id_1`, `lower(x) =
/// :lower_1`, else `:param_1`, also for a subquery column with an anonymous
/// key such as a function's).
fn bind_key(other: &Expr) -> NameT {
    match other {
        Expr::Column(c) => {
            let key = match &c.from {
                Selectable::Subquery(sq) => {
                    subquery_column_keys(sq).into_iter().nth(c.index).flatten()
                }
                _ => column_name(c).literal(),
            };
            NameT::lit(key.unwrap_or_else(|| "param".to_string()))
        }
        Expr::Function { name, .. } => NameT::lit(function_name(name)),
        _ => NameT::lit("param"),
    }
}

// ---------------------------------------------------------------------------
// The writer
// ---------------------------------------------------------------------------

/// The statement writer (SQLAlchemy's `SQLCompiler`): renders constructs with
/// its `visit_*` methods, collecting bound parameters in render order and
/// numbering anonymous names with one counter map per statement.
#[derive(Debug, Default)]
struct SqlCompiler {
    dialect: Dialect,
    params: Vec<SqlValue>,
    anon: AnonMap,
    /// For each SELECT being rendered, the FROM objects a scalar subquery
    /// inside it correlates to (`asfrom_froms` of SQLAlchemy's stack).
    stack: Vec<Vec<FromObj>>,
}

impl SqlCompiler {
    fn new(dialect: Dialect) -> SqlCompiler {
        SqlCompiler {
            dialect,
            ..SqlCompiler::default()
        }
    }

    /// `IdentifierPreparer.quote` for this compiler's dialect.
    fn quote(&self, name: &str) -> String {
        quote_in(self.dialect, name)
    }

    /// `visit_table`: the quoted table name.
    fn visit_table(&self, table: &Table) -> String {
        self.quote(&table.name)
    }

    fn finish(self, sql: String) -> Compiled {
        Compiled {
            sql,
            params: self.params,
        }
    }

    /// Resolves a name template through the statement's anonymous-name map.
    fn resolve(&mut self, name: &NameT) -> String {
        let mut out = String::new();
        for piece in &name.0 {
            match piece {
                Piece::Lit(s) => out.push_str(s),
                Piece::Anon(key, base) => {
                    let base = self.resolve(base);
                    out.push_str(&self.anon.resolve(*key, &base));
                }
            }
        }
        out
    }

    /// `visit_bindparam`: `?`, one parameter; the parameter's own anonymous
    /// name (`id_1`) takes a number from the `key` counter.
    fn visit_bindparam(&mut self, value: &SqlValue, key: &NameT) -> String {
        let key = self.resolve(key);
        let name = self
            .anon
            .resolve(AnonKey::Bind(value as *const SqlValue as usize), &key);
        self.bind_marker(value, &name)
    }

    /// A parameter the compiler adds itself (SQLite's `OFFSET 0`, `LIMIT -1`).
    fn visit_literal_bindparam(&mut self, value: SqlValue) -> String {
        let name = self.anon.next("param");
        self.bind_marker(&value, &name)
    }

    fn bind_marker(&mut self, value: &SqlValue, name: &str) -> String {
        self.params.push(value.clone());
        match self.dialect {
            Dialect::Sqlite => "?".to_string(),
            Dialect::Str => format!(":{name}"),
        }
    }

    // -- SELECT -------------------------------------------------------------

    /// `visit_select`. `asfrom` is true for a subquery in a FROM list (its
    /// columns are all labelled and it does not correlate).
    fn visit_select(&mut self, select: &Select, asfrom: bool, style: Style) -> String {
        let implicit = if asfrom {
            Vec::new()
        } else {
            self.stack.last().cloned().unwrap_or_default()
        };
        let froms = display_froms(select, &implicit);
        self.stack.push(expand_from_objects(&froms));

        let plans = columns_plus_names(select, style, true);
        let mut text = String::from("SELECT ");
        if select.distinct {
            text.push_str("DISTINCT ");
        }
        let mut columns = Vec::with_capacity(select.columns.len());
        for (idx, (column, plan)) in select.columns.iter().zip(plans.iter()).enumerate() {
            columns.push(self.label_select_column(select, idx, column, plan, asfrom));
        }
        text.push_str(&columns.join(", "));
        if columns.is_empty() {
            // `_compose_select_body`: "SELECT FROM …" without the extra space.
            text.truncate(text.trim_end().len());
        }

        if !froms.is_empty() {
            text.push_str(" \nFROM ");
            let mut rendered = Vec::with_capacity(froms.len());
            for f in &froms {
                rendered.push(self.visit_from_obj(f));
            }
            text.push_str(&rendered.join(", "));
        }

        if !select.where_.is_empty() {
            let t = self.generate_delimited_and_list(&select.where_);
            if !t.is_empty() {
                text.push_str(" \nWHERE ");
                text.push_str(&t);
            }
        }

        if !select.group_by.is_empty() {
            text.push_str(&self.group_by_clause(select));
        }

        if !select.having.is_empty() {
            let t = self.generate_delimited_and_list(&select.having);
            if !t.is_empty() {
                text.push_str(" \nHAVING ");
                text.push_str(&t);
            }
        }

        if !select.order_by.is_empty() {
            text.push_str(&self.order_by_clause(select));
        }

        if select.limit.is_some() || select.offset.is_some() {
            text.push_str(&self.limit_clause(select));
        }

        self.stack.pop();
        text
    }

    /// `_label_select_column`: one SELECT-list entry with its `AS label`
    /// when SQLAlchemy gives it one. The label's name is resolved before the
    /// expression is rendered.
    fn label_select_column(
        &mut self,
        select: &Select,
        idx: usize,
        column: &Expr,
        plan: &ColPlan,
        asfrom: bool,
    ) -> String {
        if let Expr::Label { name, expr } = column {
            let label = label_template(name, select_ptr(select), idx);
            return self.visit_label(&label, expr);
        }
        if let Some(required) = &plan.required {
            return self.visit_label(required, column);
        }
        let render_with_label = match column {
            Expr::Column(_) => asfrom,
            Expr::Star | Expr::One => false,
            // `is_true` / `is_false` without native boolean; with it, an
            // `AsBoolean` of a named column is like `NOT x`.
            e if as_boolean_column(e).is_some() => {
                !self.dialect.supports_native_boolean() || asfrom
            }
            Expr::Not(x) | Expr::Neg(x) | Expr::Distinct(x) | Expr::Asc(x) | Expr::Desc(x) => {
                wraps_unnamed_column(x) || asfrom
            }
            _ => true,
        };
        match (&plan.fallback, render_with_label) {
            (Some(fallback), true) => self.visit_label(fallback, column),
            _ => self.process(column),
        }
    }

    /// `visit_label` in a SELECT list: `expr AS name`, name first.
    fn visit_label(&mut self, name: &NameT, expr: &Expr) -> String {
        let name = self.resolve(name);
        let inner = self.process(expr);
        format!("{inner} AS {}", self.quote(&name))
    }

    /// `_generate_delimited_and_list`: WHERE / HAVING criteria joined with
    /// `AND`; a lone criterion is grouped against `_asbool`, several against
    /// `and_`.
    fn generate_delimited_and_list(&mut self, clauses: &[Expr]) -> String {
        let clauses = process_clauses_for_boolean(BoolOp::And, clauses);
        let against = if clauses.len() == 1 {
            Against::AsBool
        } else {
            Against::And
        };
        let mut parts = Vec::with_capacity(clauses.len());
        for c in clauses {
            let s = self.grouped(c, against);
            if !s.is_empty() {
                parts.push(s);
            }
        }
        parts.join(" AND ")
    }

    /// `group_by_clause`: ` GROUP BY a, b` (stays on the line). A label
    /// renders its inner expression.
    fn group_by_clause(&mut self, select: &Select) -> String {
        let mut parts = Vec::with_capacity(select.group_by.len());
        for e in &select.group_by {
            parts.push(self.process(e));
        }
        format!(" GROUP BY {}", parts.join(", "))
    }

    /// `order_by_clause`: ` ORDER BY a, b DESC` (stays on the line). A label
    /// that is in the SELECT list renders as its name (`ORDER BY n DESC`,
    /// SQLAlchemy's `visit_label_reference`); any other label renders its
    /// inner expression.
    fn order_by_clause(&mut self, select: &Select) -> String {
        let mut parts = Vec::with_capacity(select.order_by.len());
        for e in &select.order_by {
            parts.push(self.visit_order_by_item(select, e));
        }
        format!(" ORDER BY {}", parts.join(", "))
    }

    fn visit_order_by_item(&mut self, select: &Select, e: &Expr) -> String {
        match e {
            Expr::Asc(inner) | Expr::Desc(inner) => {
                let suffix = if matches!(e, Expr::Asc(_)) {
                    " ASC"
                } else {
                    " DESC"
                };
                match self.select_list_label(select, inner) {
                    Some(name) => format!("{}{suffix}", self.quote(&name)),
                    None => format!("{}{suffix}", self.grouped(inner, Against::OrderBy)),
                }
            }
            _ => match self.select_list_label(select, e) {
                Some(name) => self.quote(&name),
                None => self.process(e),
            },
        }
    }

    /// The resolved name of `e` when it is a label that also appears in the
    /// SELECT list of `select`.
    fn select_list_label(&mut self, select: &Select, e: &Expr) -> Option<String> {
        let Expr::Label { name, .. } = e else {
            return None;
        };
        let idx = select.columns.iter().position(|c| c == e)?;
        let template = label_template(name, select_ptr(select), idx);
        Some(self.resolve(&template))
    }

    /// `SQLiteCompiler.limit_clause`: `\n LIMIT ? OFFSET ?`; with no offset
    /// a bound `0` is added, with no limit a bound `-1`.
    fn limit_clause(&mut self, select: &Select) -> String {
        if self.dialect == Dialect::Str {
            return self.default_limit_clause(select);
        }
        let mut text = String::new();
        if let Some(limit) = &select.limit {
            text.push_str("\n LIMIT ");
            text.push_str(&self.process(limit));
        }
        match &select.offset {
            Some(offset) => {
                if select.limit.is_none() {
                    text.push_str("\n LIMIT ");
                    text.push_str(&self.visit_literal_bindparam(SqlValue::Integer(-1)));
                }
                text.push_str(" OFFSET ");
                text.push_str(&self.process(offset));
            }
            None => {
                text.push_str(" OFFSET ");
                text.push_str(&self.visit_literal_bindparam(SqlValue::Integer(0)));
            }
        }
        text
    }

    /// `SQLCompiler.limit_clause` (the `str()` form): `\n LIMIT :param_1`,
    /// ` OFFSET :param_2` only when there is one, `LIMIT -1` as a literal.
    fn default_limit_clause(&mut self, select: &Select) -> String {
        let mut text = String::new();
        if let Some(limit) = &select.limit {
            text.push_str("\n LIMIT ");
            text.push_str(&self.process(limit));
        }
        if let Some(offset) = &select.offset {
            if select.limit.is_none() {
                text.push_str("\n LIMIT -1");
            }
            text.push_str(" OFFSET ");
            text.push_str(&self.process(offset));
        }
        text
    }

    // -- FROM ---------------------------------------------------------------

    fn visit_from_obj(&mut self, f: &FromObj) -> String {
        match f {
            FromObj::Sel(s) => self.visit_selectable(s),
            FromObj::Join(j) => self.visit_join(j),
        }
    }

    fn visit_from_clause(&mut self, f: &FromClause) -> String {
        match f {
            FromClause::Selectable(s) => self.visit_selectable(s),
            FromClause::Join(j) => self.visit_join(j),
        }
    }

    fn visit_selectable(&mut self, s: &Selectable) -> String {
        match s {
            Selectable::Table(t) => self.visit_table(t),
            Selectable::Alias(a) => self.visit_alias(a),
            Selectable::Subquery(sq) => self.visit_subquery(sq),
        }
    }

    /// `visit_alias` for a table alias: `messages AS messages_1`.
    fn visit_alias(&mut self, alias: &Rc<Alias>) -> String {
        let name = self.resolve(&from_name(&Selectable::Alias(alias.clone())));
        format!(
            "{} AS {}",
            self.visit_table(&alias.table),
            self.quote(&name)
        )
    }

    /// `visit_subquery`: `(SELECT …) AS anon_1`, the name taken first.
    fn visit_subquery(&mut self, sq: &Rc<Subquery>) -> String {
        let name = self.resolve(&from_name(&Selectable::Subquery(sq.clone())));
        let inner = self.visit_select(&sq.select, true, Style::of(&sq.select));
        format!("({inner}) AS {}", self.quote(&name))
    }

    /// `visit_join`: `a JOIN b ON …`, `a LEFT OUTER JOIN b ON …`; a join on
    /// the right is parenthesized (`FromGrouping`), one on the left is not.
    fn visit_join(&mut self, join: &Join) -> String {
        let left = self.visit_from_clause(&join.left);
        let right = match &join.right {
            FromClause::Join(j) => format!("({})", self.visit_join(j)),
            other => self.visit_from_clause(other),
        };
        let on = self.grouped(&join.on, Against::AsBool);
        let kind = if join.outer {
            " LEFT OUTER JOIN "
        } else {
            " JOIN "
        };
        format!("{left}{kind}{right} ON {on}")
    }

    // -- column expressions -------------------------------------------------

    /// SQLAlchemy's `self_group(against)` for `e`, decided at render time.
    fn self_group(&self, e: &Expr, against: Against) -> Grouping {
        if bool_const(e).is_some() {
            return if against.wants_boolean() {
                Grouping::AsTrue
            } else {
                Grouping::Plain
            };
        }
        if as_boolean_false(e).is_some() {
            return Grouping::Plain;
        }
        let grouped_if = |b: bool| if b { Grouping::Parens } else { Grouping::Plain };
        match e {
            Expr::Label { expr, .. } => self.self_group(expr, against),
            Expr::Column(_) => {
                if against.wants_boolean() && is_boolean_column(e) {
                    Grouping::AsTrue
                } else {
                    Grouping::Plain
                }
            }
            Expr::Binary { op, right, .. } => {
                let op = effective_operator(*op, right);
                grouped_if(operator_needs_group(Against::Binary(op), against))
            }
            Expr::In { negated, .. } => {
                let op = if *negated {
                    Against::NotIn
                } else {
                    Against::In
                };
                grouped_if(operator_needs_group(op, against))
            }
            Expr::Between { negated, .. } => {
                let op = if *negated {
                    Against::NotBetween
                } else {
                    Against::Between
                };
                grouped_if(operator_needs_group(op, against))
            }
            Expr::BoolList { op, clauses } => {
                let reduced = process_clauses_for_boolean(*op, clauses);
                match reduced.as_slice() {
                    [] => Grouping::Plain,
                    [single] => match self.self_group(single, Against::AsBool) {
                        Grouping::AsTrue => Grouping::Plain,
                        _ => self.self_group(single, against),
                    },
                    _ => {
                        let me = match op {
                            BoolOp::And => Against::And,
                            BoolOp::Or => Against::Or,
                        };
                        grouped_if(operator_needs_group(me, against))
                    }
                }
            }
            Expr::Not(_) => grouped_if(is_precedent(Against::Inv, against)),
            Expr::Neg(_) => grouped_if(is_precedent(Against::Neg, against)),
            Expr::Distinct(_) => grouped_if(is_precedent(Against::DistinctOp, against)),
            // `operators.exists` has precedence 0.
            Expr::Exists(_) => grouped_if(against.precedence() >= 0),
            _ => Grouping::Plain,
        }
    }

    /// Renders `e` as placed under an operator: `e.self_group(against)`.
    fn grouped(&mut self, e: &Expr, against: Against) -> String {
        match self.self_group(e, against) {
            Grouping::Plain => self.process(e),
            Grouping::Parens => format!("({})", self.process(e)),
            // `visit_is_true_unary_operator`: `x = 1` without native boolean.
            Grouping::AsTrue if self.dialect.supports_native_boolean() => self.process(e),
            Grouping::AsTrue => format!("{} = 1", self.process(e)),
        }
    }

    /// An operand of a comparison: a bind takes its key from the other side.
    fn operand(&mut self, e: &Expr, against: Against, key: &NameT) -> String {
        match e {
            Expr::Bind(v) => self.visit_bindparam(v, key),
            _ => self.grouped(e, against),
        }
    }

    /// Renders a column expression with no grouping of its own.
    fn process(&mut self, e: &Expr) -> String {
        if let Some(b) = bool_const(e) {
            return self.visit_bool(b);
        }
        if let Some(c) = as_boolean_false(e) {
            // `visit_is_false_unary_operator`.
            let col = self.visit_column(c);
            return if self.dialect.supports_native_boolean() {
                format!("NOT {col}")
            } else {
                format!("{col} = 0")
            };
        }
        match e {
            Expr::Column(c) => self.visit_column(c),
            Expr::Bind(v) => self.visit_bindparam(v, &NameT::lit("param")),
            Expr::Null => "NULL".to_string(),
            Expr::True => self.visit_bool(true),
            Expr::False => self.visit_bool(false),
            Expr::Star => "*".to_string(),
            Expr::Binary { left, op, right } => self.visit_binary(left, *op, right),
            Expr::In {
                left,
                values,
                negated,
            } => self.visit_in(left, values, *negated),
            Expr::Between {
                expr,
                low,
                high,
                negated,
            } => self.visit_between(expr, low, high, *negated),
            Expr::BoolList { op, clauses } => self.visit_clauselist(*op, clauses),
            Expr::Not(x) => format!("NOT {}", self.grouped(x, Against::Inv)),
            Expr::Neg(x) => format!("-{}", self.grouped(x, Against::Neg)),
            Expr::Distinct(x) => format!("DISTINCT {}", self.grouped(x, Against::DistinctOp)),
            Expr::Asc(x) => format!("{} ASC", self.grouped(x, Against::OrderBy)),
            Expr::Desc(x) => format!("{} DESC", self.grouped(x, Against::OrderBy)),
            Expr::Function { name, args } => self.visit_function(name, args),
            // Outside a SELECT list a label renders only its expression.
            Expr::Label { expr, .. } => self.process(expr),
            Expr::ScalarSelect(s) => self.visit_scalar_select(s),
            Expr::Exists(s) => format!("EXISTS {}", self.visit_scalar_select(s)),
            Expr::Grouping(x) => format!("({})", self.process(x)),
            Expr::LikePattern {
                value,
                leading,
                trailing,
            } => {
                let v = match &**value {
                    Expr::Bind(b) => self.visit_bindparam(b, &NameT::lit("param")),
                    other => self.grouped(other, Against::Binary(Operator::Concat)),
                };
                let mut parts = Vec::new();
                if *leading {
                    parts.push("'%'".to_string());
                }
                parts.push(v);
                if *trailing {
                    parts.push("'%'".to_string());
                }
                parts.join(" || ")
            }
            Expr::One => "1".to_string(),
            Expr::LabelRef(name) => self.quote(name),
        }
    }

    /// A scalar subquery, `(SELECT …)`: rendered with `LABEL_STYLE_NONE`
    /// whatever its label style, as `SelectBase.scalar_subquery()` sets it.
    fn visit_scalar_select(&mut self, select: &Select) -> String {
        format!("({})", self.visit_select(select, false, Style::None))
    }

    /// `visit_true` / `visit_false`: `1` / `0` on SQLite (`true` / `false`
    /// with native boolean).
    fn visit_bool(&self, b: bool) -> String {
        match (self.dialect.supports_native_boolean(), b) {
            (true, true) => "true",
            (true, false) => "false",
            (false, true) => "1",
            (false, false) => "0",
        }
        .to_string()
    }

    /// `visit_column`: `users.id`, `messages_1.id`, `anon_1.users_id`.
    /// The column's name is numbered before its selectable's
    /// (`anon_2.anon_1` for an anonymous column of a subquery).
    fn visit_column(&mut self, col: &ColumnRef) -> String {
        let name = self.resolve(&column_name(col));
        let from = self.resolve(&from_name(&col.from));
        format!("{}.{}", self.quote(&from), self.quote(&name))
    }

    /// `visit_binary`: `left op right`, each side grouped against `op`;
    /// `ilike` is `lower(x) LIKE lower(y)` (`visit_ilike_op_binary`), true
    /// division is `x / (y + 0.0)` (`SQLiteCompiler.visit_truediv_binary`;
    /// `x / CAST(y AS NUMERIC)` for `str()`).
    fn visit_binary(&mut self, left: &Expr, op: Operator, right: &Expr) -> String {
        let op = effective_operator(op, right);
        let against = Against::Binary(op);
        let l = self.operand(left, against, &bind_key(right));
        let r = self.operand(right, against, &bind_key(left));
        match op {
            Operator::ILike => format!("lower({l}) LIKE lower({r})"),
            Operator::NotILike => format!("lower({l}) NOT LIKE lower({r})"),
            Operator::Div => match self.dialect {
                Dialect::Sqlite => format!("{l} / ({r} + 0.0)"),
                Dialect::Str => {
                    let numeric = match right {
                        Expr::Column(c) => match column_type(c) {
                            Some(SqlType::Float) => "FLOAT",
                            _ => "NUMERIC",
                        },
                        _ => "NUMERIC",
                    };
                    format!("{l} / CAST({r} AS {numeric})")
                }
            },
            _ => format!("{l}{}{r}", operator_sql(op)),
        }
    }

    /// `x IN (?, ?)`; `NOT IN` is parenthesized (`visit_not_in_op_binary`);
    /// an empty list is SQLite's empty set (`visit_empty_set_expr`). `str()`
    /// shows the unexpanded parameter, `IN (__[POSTCOMPILE_id_1])`.
    fn visit_in(&mut self, left: &Expr, values: &[Expr], negated: bool) -> String {
        let l = self.grouped(left, if negated { Against::NotIn } else { Against::In });
        let key = bind_key(left);
        let list = match values {
            [] => {
                let key = self.resolve(&key);
                let id = AnonKey::InList(left as *const Expr as usize);
                let name = self.anon.resolve(id, &key);
                match self.dialect {
                    Dialect::Sqlite => "(SELECT 1 FROM (SELECT 1) WHERE 1!=1)".to_string(),
                    Dialect::Str => format!("(__[POSTCOMPILE_{name}])"),
                }
            }
            [Expr::ScalarSelect(s)] => self.visit_scalar_select(s),
            _ if values.iter().all(|v| matches!(v, Expr::Bind(_))) => {
                // One expanding parameter, `IN (__[POSTCOMPILE_id_1])`.
                let key = self.resolve(&key);
                let id = AnonKey::InList(left as *const Expr as usize);
                let name = self.anon.resolve(id, &key);
                let mut marks = Vec::with_capacity(values.len());
                for v in values {
                    if let Expr::Bind(value) = v {
                        self.params.push(value.clone());
                        marks.push("?");
                    }
                }
                match self.dialect {
                    Dialect::Sqlite => format!("({})", marks.join(", ")),
                    Dialect::Str => format!("(__[POSTCOMPILE_{name}])"),
                }
            }
            _ => {
                let mut parts = Vec::with_capacity(values.len());
                for v in values {
                    parts.push(self.operand(v, Against::Comma, &key));
                }
                format!("({})", parts.join(", "))
            }
        };
        if negated {
            format!("({l} NOT IN {list})")
        } else {
            format!("{l} IN {list}")
        }
    }

    /// `x BETWEEN a AND b` / `x NOT BETWEEN a AND b`.
    fn visit_between(&mut self, expr: &Expr, low: &Expr, high: &Expr, negated: bool) -> String {
        let against = if negated {
            Against::NotBetween
        } else {
            Against::Between
        };
        let e = self.grouped(expr, against);
        let key = bind_key(expr);
        let lo = self.operand(low, Against::And, &key);
        let hi = self.operand(high, Against::And, &key);
        let word = if negated { "NOT BETWEEN" } else { "BETWEEN" };
        format!("{e} {word} {lo} AND {hi}")
    }

    /// `visit_clauselist` for `and_()` / `or_()`: each clause grouped against
    /// the list's operator; `true()`/`false()` short-circuit as in
    /// `BooleanClauseList._construct`.
    fn visit_clauselist(&mut self, op: BoolOp, clauses: &[Expr]) -> String {
        let reduced = process_clauses_for_boolean(op, clauses);
        if let [single] = reduced.as_slice() {
            return self.grouped(single, Against::AsBool);
        }
        let (against, sep) = match op {
            BoolOp::And => (Against::And, " AND "),
            BoolOp::Or => (Against::Or, " OR "),
        };
        let mut parts = Vec::with_capacity(reduced.len());
        for c in reduced {
            let s = self.grouped(c, against);
            if !s.is_empty() {
                parts.push(s);
            }
        }
        parts.join(sep)
    }

    /// `visit_function`: `count(users.id)`, `count(*)` for `func.count()`,
    /// `CURRENT_TIMESTAMP` for `now()` on SQLite, `length(x)` for
    /// `char_length(x)`, ANSI functions upper case without parentheses.
    fn visit_function(&mut self, name: &str, args: &[Expr]) -> String {
        let canonical = function_name(name);
        if self.dialect == Dialect::Sqlite {
            // `SQLiteCompiler.visit_now_func` / `visit_localtimestamp_func`.
            match canonical.as_str() {
                "now" => return "CURRENT_TIMESTAMP".to_string(),
                "localtimestamp" => return "DATETIME(CURRENT_TIMESTAMP, 'localtime')".to_string(),
                _ => {}
            }
        }
        let is_ansi = ANSI_FUNCTIONS.contains(&canonical.as_str())
            || (self.dialect == Dialect::Str && canonical == "localtimestamp");
        let rendered_name = if canonical == "char_length" && self.dialect == Dialect::Sqlite {
            "length".to_string()
        } else if is_ansi {
            canonical.to_uppercase()
        } else if has_illegal_chars(&canonical) {
            self.quote(&canonical)
        } else {
            canonical.clone()
        };
        if is_ansi && args.is_empty() {
            return rendered_name;
        }
        if canonical == "count" && args.is_empty() {
            return "count(*)".to_string();
        }
        let mut parts = Vec::with_capacity(args.len());
        for a in args {
            parts.push(self.operand(a, Against::Comma, &NameT::lit(canonical.clone())));
        }
        format!("{rendered_name}({})", parts.join(", "))
    }

    // -- DML ----------------------------------------------------------------

    /// `visit_insert`.
    fn visit_insert(&mut self, insert: &Insert) -> String {
        let table = &insert.table;
        let mut text = format!("INSERT INTO {}", self.visit_table(table));
        if insert.values.is_empty() {
            text.push_str(" DEFAULT VALUES");
        } else {
            let mut names = Vec::with_capacity(insert.values.len());
            let mut marks = Vec::with_capacity(insert.values.len());
            for (idx, value) in &insert.values {
                let name = table_column_name(table, *idx);
                marks.push(self.visit_bindparam(value, &NameT::lit(name.clone())));
                names.push(self.quote(&name));
            }
            text.push_str(&format!(
                " ({}) VALUES ({})",
                names.join(", "),
                marks.join(", ")
            ));
        }
        if !insert.returning.is_empty() {
            let cols: Vec<String> = insert
                .returning
                .iter()
                .map(|&i| self.quote(&table_column_name(table, i)))
                .collect();
            text.push_str(" RETURNING ");
            text.push_str(&cols.join(", "));
        }
        text
    }

    /// `visit_update`: `UPDATE t SET a=?, b=? WHERE t.pk = ?`.
    fn visit_update(&mut self, update: &Update) -> String {
        let table = &update.table;
        let mut sets = Vec::with_capacity(update.set.len());
        for (idx, value) in &update.set {
            let name = table_column_name(table, *idx);
            let mark = self.visit_bindparam(value, &NameT::lit(name.clone()));
            sets.push(format!("{}={mark}", self.quote(&name)));
        }
        let mut text = format!("UPDATE {} SET {}", self.visit_table(table), sets.join(", "));
        text.push_str(&self.dml_where(table, &update.key));
        text
    }

    /// Bulk `visit_update`: SET values that are expressions are grouped in
    /// parentheses, as SQLAlchemy's `self_group()` does there.
    fn visit_bulk_update(&mut self, update: &super::elements::BulkUpdate) -> String {
        let table = &update.table;
        let mut sets = Vec::with_capacity(update.set.len());
        for (idx, value) in &update.set {
            let name = table_column_name(table, *idx);
            let mark = match value {
                Expr::Bind(v) => self.visit_bindparam(v, &NameT::lit(name.clone())),
                e @ (Expr::Binary { .. } | Expr::BoolList { .. }) => {
                    format!("({})", self.process(e))
                }
                e => self.process(e),
            };
            sets.push(format!("{}={mark}", self.quote(&name)));
        }
        let mut text = format!("UPDATE {} SET {}", self.visit_table(table), sets.join(", "));
        if !update.where_.is_empty() {
            let t = self.generate_delimited_and_list(&update.where_);
            if !t.is_empty() {
                text.push_str(" WHERE ");
                text.push_str(&t);
            }
        }
        text
    }

    /// `visit_delete`: `DELETE FROM t WHERE t.pk = ?`.
    fn visit_delete(&mut self, delete: &Delete) -> String {
        let mut text = format!("DELETE FROM {}", self.visit_table(&delete.table));
        text.push_str(&self.dml_where(&delete.table, &delete.key));
        text
    }

    /// ` WHERE t.a = ? AND t.b = ?` for a primary key (nothing when empty).
    fn dml_where(&mut self, table: &Table, key: &[(usize, SqlValue)]) -> String {
        if key.is_empty() {
            return String::new();
        }
        let mut parts = Vec::with_capacity(key.len());
        for (idx, value) in key {
            let name = table_column_name(table, *idx);
            let mark = self.visit_bindparam(value, &NameT::lit(name.clone()));
            parts.push(format!(
                "{}.{} = {mark}",
                self.visit_table(table),
                self.quote(&name)
            ));
        }
        format!(" WHERE {}", parts.join(" AND "))
    }
}

/// `== None` / `!= None` are `IS NULL` / `IS NOT NULL` (SQLAlchemy decides
/// this in `_boolean_compare`; accepted here too so a tree built either way
/// renders valid SQL).
fn effective_operator(op: Operator, right: &Expr) -> Operator {
    match (op, right) {
        (Operator::Eq, Expr::Null) => Operator::Is,
        (Operator::Ne, Expr::Null) => Operator::IsNot,
        _ => op,
    }
}

#[cfg(test)]
#[path = "compiler_tests.rs"]
mod tests;
