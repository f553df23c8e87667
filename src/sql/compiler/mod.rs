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

use crate::sql::elements::{
    Alias, BoolOp, ColumnRef, Delete, Expr, FromClause, Insert, Join, LabelStyle, Name, Operator,
    Select, Selectable, Subquery, Update,
};
use super::schema::{SqlType, SqlValue, Table};

pub use super::ddl::{create_table, sort_tables_for_create};

mod dml;
mod expressions;
mod froms;
mod labels;
mod names;
mod operators;
mod select;

use froms::*;
use labels::*;
use names::*;
use operators::*;

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
pub fn compile_bulk_update(update: &crate::sql::elements::BulkUpdate) -> Compiled {
    let mut compiler = SqlCompiler::default();
    let sql = compiler.visit_bulk_update(update);
    compiler.finish(sql)
}

/// A bulk `DELETE FROM t WHERE …`: matches SQLAlchemy 2.0
/// `SQLCompiler.visit_delete` for `delete(Model).where(…)`.
pub fn compile_bulk_delete(delete: &crate::sql::elements::BulkDelete) -> Compiled {
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
mod tests;
