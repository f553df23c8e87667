//! Renders the expression tree ([`super::elements`]) as the SQL text and
//! bound parameters that SQLAlchemy 2.0.58 sends for a [`Dialect`]
//! ([`SQLITE`] exactly; [`crate::sql::dialect::POSTGRESQL`] for SELECT,
//! INSERT, UPDATE and DELETE; [`STR`] for `str(stmt)`).
//!
//! The module follows SQLAlchemy's `sql/compiler.py` (`SQLCompiler`) and the
//! dialects' compilers (`SQLiteCompiler`, `PGCompiler`): one function per
//! construct, named after SQLAlchemy's visitor (`visit_select`,
//! `visit_column`, `visit_binary`, `visit_label`, `visit_join`,
//! `visit_alias`, `visit_function`, `limit_clause`, …), all methods of a
//! writer (`SqlCompiler`) that collects the bound parameters in render
//! order, which is text order: every [`Expr::Bind`] renders one marker in the
//! dialect's paramstyle (`?`, `%(name_1)s`) and adds one [`BoundParam`]
//! named as SQLAlchemy names it. The DDL (`CREATE TABLE`, `create_all()`
//! order) is in [`super::ddl`].
//!
//! Files: `mod.rs` (the public API, [`Compiled`], the writer's core and
//! bind parameters), `select.rs` (`visit_select`, FROM visitors,
//! `limit_clause`), `expressions.rs` (column expressions, grouping),
//! `dml.rs` (INSERT/UPDATE/DELETE), `labels.rs` (SELECT-list naming, bind
//! keys), `names.rs` (anonymous names), `froms.rs` (the FROM list),
//! `operators.rs` (precedence, functions, boolean short-circuits).
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

use crate::sql::dialect::{Dialect, SQLITE, STR, StatementCompiler, has_illegal_chars};
use crate::sql::elements::{
    Alias, BindValue, BoolOp, BulkDelete, BulkUpdate, ColumnRef, Compound, ConflictTarget, Delete,
    Expr, ForUpdate, FromClause, Insert, Join, LabelStyle, Name, OnConflict, Operator, RowValue,
    Select, Selectable, Subquery, Update,
};
use crate::sql::schema::{SqlType, SqlValue, Table, TableRef};

pub use super::ddl::{create_index, create_table, serial_column, sort_tables_for_create};
pub use dml::{
    NEXT_VALUE, delete_extra_froms_error, next_value, sequence_defaults, update_extra_froms_error,
};
pub use labels::unresolved_label_reference;
pub use operators::{function_name, generic_function};
pub use text::compile_text;

/// A column's `.name` (`id`, or `users_id` for a subquery's column); `anon`
/// when that name is itself anonymous.
pub fn column_key(col: &ColumnRef) -> String {
    names::column_name(col)
        .literal()
        .unwrap_or_else(|| "anon".to_string())
}

/// The identity of a FROM object (its table, alias or subquery `Rc`), as
/// the compiler keys its anonymous names.
pub fn selectable_identity(sel: &Selectable) -> usize {
    names::selectable_ptr(sel)
}

/// The keys of a subquery's columns (`sq.c.<key>`), `None` for an
/// anonymous one, as `SelectState._column_naming_convention` gives them.
pub fn subquery_keys(sq: &Subquery) -> Vec<Option<String>> {
    labels::subquery_column_keys(sq)
}

mod dml;
mod expressions;
mod froms;
mod labels;
mod linting;
mod names;
mod operators;
mod select;
mod text;

use froms::*;
use labels::*;
use names::*;
use operators::*;

thread_local! {
    /// The first construct a compile for a compile-only dialect (MySQL,
    /// Oracle) met that the tutor does not render for it yet.
    static NOT_MODELLED: std::cell::RefCell<Option<String>> =
        const { std::cell::RefCell::new(None) };
}

/// Takes (and clears) what the last compile for a compile-only dialect
/// ([`Dialect::compile_only`]) could not render as that dialect's compiler
/// would: `stmt.compile(dialect=mysql.dialect())` raises
/// `NotImplementedError` for it rather than show SQL SQLAlchemy would not.
pub fn take_not_modelled() -> Option<String> {
    NOT_MODELLED.with(|n| n.borrow_mut().take())
}

/// One bound parameter of a compiled statement: SQLAlchemy's bind name
/// (`name_1`, `param_1`, `id_1`, `name` for an INSERT value, `users_id` for
/// the ORM's UPDATE-by-primary-key, `id_1_2` for the second value of an
/// expanded `IN`) and its value, as in `compiled.positiontup` /
/// `compiled.params`.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundParam {
    pub name: String,
    pub value: SqlValue,
    /// The parameter's `callable_` ([`crate::sql::elements::BindCallable`]),
    /// whose value replaces `value` when the statement runs.
    pub callable_: Option<crate::sql::elements::BindCallable>,
}

/// A rendered statement: SQL text (with SQLAlchemy's newlines, in the
/// dialect's paramstyle) and its bound parameters in render order, which is
/// the qmark driver's positional order.
#[derive(Debug, Clone, PartialEq)]
pub struct Compiled {
    pub sql: String,
    pub params: Vec<BoundParam>,
}

impl Compiled {
    /// A statement with no parameters (DDL, `PRAGMA`).
    pub fn text(sql: impl Into<String>) -> Compiled {
        Compiled {
            sql: sql.into(),
            params: Vec::new(),
        }
    }

    /// The SQL with every run of whitespace folded to one space, as the
    /// oracle's traces show statements (`" ".join(statement.split())`).
    pub fn folded(&self) -> String {
        fold_whitespace(&self.sql)
    }

    /// The statement as it runs: each `literal_execute` parameter's
    /// `__[POSTCOMPILE_name]` written inline as its literal (`id > 0`) and
    /// taken out of the parameters, as SQLAlchemy's
    /// `_literal_execute_expanding_parameter` does at execution; `str()`
    /// and `compile()` keep the marker.
    pub fn render_literal_execute(&mut self, dialect: &Dialect) {
        if !self.sql.contains("__[POSTCOMPILE_") {
            return;
        }
        let mut kept = Vec::with_capacity(self.params.len());
        // A `literal_execute` expanding `IN (__[POSTCOMPILE_name_1])`'s
        // values are the parameters `name_1_1`, `name_1_2` …, written in
        // comma-separated (the string compiler's own expanding markers stay).
        let mut expanding: Vec<(String, Vec<String>)> = Vec::new();
        let str_compiler = matches!(dialect.statement_compiler, StatementCompiler::Str);
        for p in std::mem::take(&mut self.params) {
            let marker = format!("__[POSTCOMPILE_{}]", p.name);
            let group = p.name.rsplit_once('_').filter(|(base, n)| {
                !str_compiler
                    && !n.is_empty()
                    && n.bytes().all(|b| b.is_ascii_digit())
                    && self.sql.contains(&format!("__[POSTCOMPILE_{base}]"))
            });
            if self.sql.contains(&marker) {
                self.sql = self
                    .sql
                    .replace(&marker, &render_literal_value(&p.value, dialect));
            } else if let Some((base, _)) = group {
                let literal = render_literal_value(&p.value, dialect);
                match expanding.iter_mut().find(|(b, _)| b == base) {
                    Some((_, values)) => values.push(literal),
                    None => expanding.push((base.to_string(), vec![literal])),
                }
            } else {
                kept.push(p);
            }
        }
        for (base, values) in expanding {
            self.sql = self
                .sql
                .replace(&format!("__[POSTCOMPILE_{base}]"), &values.join(", "));
        }
        self.params = kept;
    }

    /// The parameter values in order: what a qmark driver (pysqlite) is
    /// sent.
    pub fn positional_values(&self) -> Vec<SqlValue> {
        self.params.iter().map(|p| p.value.clone()).collect()
    }

    /// The parameter names in order (SQLAlchemy's `compiled.positiontup`).
    pub fn positiontup(&self) -> Vec<&str> {
        self.params.iter().map(|p| p.name.as_str()).collect()
    }

    /// The parameter `old` renamed `new`, in the parameters and in its
    /// marker (`%(name)s` → `%(nm)s`; a positional marker is unchanged):
    /// a Core statement's `values(name=bindparam("nm"))` is bound under the
    /// bindparam's key, as SQLAlchemy's `crud._append_param_parameter`
    /// keeps it. Nothing changes when there is no `old`.
    pub fn rename_param(&mut self, old: &str, new: &str, dialect: &Dialect) {
        let Some(p) = self.params.iter_mut().find(|p| p.name == old) else {
            return;
        };
        p.name = new.to_string();
        if matches!(
            dialect.paramstyle,
            crate::sql::dialect::ParamStyle::Named | crate::sql::dialect::ParamStyle::Pyformat
        ) {
            self.sql = self
                .sql
                .replacen(&dialect.bind_marker(old), &dialect.bind_marker(new), 1);
        }
    }
}

/// SQLAlchemy 2.0's `_deliver_insertmanyvalues_batches` for a Core INSERT
/// whose values hold SQL expressions (`VALUES (%(id)s, lower(%(lower_1)s))`):
/// the single-row statement's VALUES tuple repeated once per row of `rows`
/// (each row's own single-row compilation, all of the same SQL), each
/// parameter renamed `name__N` in the tuple and the parameters
/// (`lower(%(lower_1__0)s)), (…, lower(%(lower_1__1)s))`), the text after
/// the tuple replaced by `tail` (the ` RETURNING …` of an INSERT with
/// `returning()`, else nothing). `None` when the statement has no VALUES
/// tuple or the driver numbers its parameters (asyncpg's `$1`).
pub fn expand_insert_many_values(
    rows: &[Compiled],
    tail: &str,
    dialect: &Dialect,
) -> Option<Compiled> {
    use crate::sql::dialect::ParamStyle;
    if !matches!(dialect.paramstyle, ParamStyle::Pyformat | ParamStyle::Qmark) {
        return None;
    }
    let first = rows.first()?;
    let start = first.sql.find(" VALUES (")? + " VALUES ".len();
    let mut depth = 0usize;
    let mut end = None;
    for (i, ch) in first.sql[start..].char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    end = Some(start + i + 1);
                    break;
                }
            }
            _ => {}
        }
    }
    let end = end?;
    let template = &first.sql[start..end];
    let mut tuples = Vec::with_capacity(rows.len());
    let mut params = Vec::new();
    for (n, row) in rows.iter().enumerate() {
        let mut tuple = template.to_string();
        for p in &row.params {
            let name = format!("{}__{n}", p.name);
            if dialect.paramstyle == ParamStyle::Pyformat {
                tuple = tuple.replacen(
                    &dialect.bind_marker(&p.name),
                    &dialect.bind_marker(&name),
                    1,
                );
            }
            params.push(BoundParam {
                name,
                value: p.value.clone(),
                callable_: p.callable_.clone(),
            });
        }
        tuples.push(tuple);
    }
    Some(Compiled {
        sql: format!("{}{}{tail}", &first.sql[..start], tuples.join(", ")),
        params,
    })
}

/// Folds every run of whitespace to one space and trims the ends, as the
/// oracle's traces do with `" ".join(statement.split())`.
pub fn fold_whitespace(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `SELECT …`: matches SQLAlchemy 2.0 `SQLCompiler.visit_select` for
/// `dialect`.
///
/// Layout on SQLite: `SELECT [DISTINCT ]cols \nFROM froms \nWHERE … GROUP BY
/// … \nHAVING … ORDER BY …\n LIMIT ? OFFSET ?`.
pub fn compile_select(select: &Select, dialect: &Dialect) -> Compiled {
    let mut compiler = SqlCompiler::new(dialect);
    let sql = compiler.visit_select(select, false, Style::of(select));
    compiler.finish(sql)
}

/// [`compile_select`] with SQLAlchemy's FROM linter on, as an engine
/// compiles a statement it executes (`create_engine(enable_from_linting=True)`,
/// the default; `str(stmt)` and `stmt.compile()` do not lint): also the
/// `SAWarning` messages `SELECT statement has a cartesian product between
/// FROM element(s) "…" and FROM element "…".  Apply join condition(s)
/// between each element to resolve.`, one for each SELECT of the statement
/// (its own, its subqueries') whose FROM elements are not all linked.
pub fn compile_select_linted(select: &Select, dialect: &Dialect) -> (Compiled, Vec<String>) {
    let mut compiler = SqlCompiler::new(dialect);
    compiler.linting = true;
    let sql = compiler.visit_select(select, false, Style::of(select));
    let warnings = std::mem::take(&mut compiler.lint_warnings);
    (compiler.finish(sql), warnings)
}

/// What Python's `str()` / `print()` shows for a Core `select()`: the
/// statement compiled by SQLAlchemy's default string dialect
/// ([`STR`], `StrCompileDialect`), not SQLite's: named parameters
/// (`users.name = :name_1`), native booleans (`WHERE users.is_active`,
/// `= true`, `NOT users.is_active`), `IN (__[POSTCOMPILE_id_1])`,
/// `\n LIMIT :param_1` with no forced `OFFSET`, `a / CAST(b AS NUMERIC)`,
/// `now()`, and the ANSI reserved words (`"user"` is quoted).
///
/// A legacy `session.query(...)` bound to an engine prints with the
/// engine's dialect instead (`Query.__str__` compiles against the session's
/// bind): use [`compile_select`]`(..).sql` for it.
pub fn str_select(select: &Select) -> String {
    let mut compiler = SqlCompiler::new(&STR);
    let sql = compiler.visit_select(select, false, Style::of(select));
    compiler.with_ctes(sql)
}

/// SQLAlchemy's `InvalidRequestError` message when auto-correlation leaves
/// a SELECT of `select` (a scalar subquery inside it) with no FROM at all:
/// `Select statement '<…Select object at 0x…>' returned no FROM clauses due
/// to auto-correlation; specify correlate(<tables>) to control correlation
/// manually.`; `None` when every SELECT keeps a FROM.
pub fn auto_correlation_error(select: &Select) -> Option<String> {
    let mut compiler = SqlCompiler::new(&STR);
    compiler.visit_select(select, false, Style::of(select));
    compiler.correlation_error
}

/// What Python's `str()` shows for a FROM clause (`str(users.join(messages))`
/// is `users JOIN messages ON users.id = messages.user_id`), with the
/// string dialect of [`str_select`].
pub fn str_from_clause(from: &crate::sql::elements::FromClause) -> String {
    let mut compiler = SqlCompiler::new(&STR);
    let sql = compiler.visit_from_clause(from);
    compiler.with_ctes(sql)
}

/// What Python's `str()` shows for a column expression (`str(User.name ==
/// "Bob")` is `users.name = :name_1`), with the string dialect of
/// [`str_select`]. A label shows its expression only.
pub fn str_expression(expr: &Expr) -> String {
    let mut compiler = SqlCompiler::new(&STR);
    compiler.process(expr)
}

/// A column expression compiled on its own for `dialect`
/// (`(User.name == "x").compile(dialect=…)`): its SQL and parameters, as
/// SQLAlchemy's `ColumnElement.compile()`.
pub fn compile_expression(expr: &Expr, dialect: &Dialect) -> Compiled {
    let mut compiler = SqlCompiler::new(dialect);
    let sql = compiler.process(expr);
    compiler.finish(sql)
}

/// `INSERT INTO t (a, b) VALUES (?, ?) [RETURNING c]`, or
/// `INSERT INTO t DEFAULT VALUES` when there are no values: matches
/// SQLAlchemy 2.0 `SQLCompiler.visit_insert`. Parameters are named after
/// the column keys (`name`, `email`).
pub fn compile_insert(insert: &Insert, dialect: &Dialect) -> Compiled {
    compile_insert_inline(insert, &[], dialect)
}

/// [`compile_insert`] with some columns given as SQL expressions rendered
/// in the VALUES clause rather than bound (`inline`: column index and
/// expression), as SQLAlchemy renders a column's `default=func.now()`:
/// `VALUES (?, CURRENT_TIMESTAMP)` on SQLite. Columns come out in table
/// order.
pub fn compile_insert_inline(
    insert: &Insert,
    inline: &[(usize, Expr)],
    dialect: &Dialect,
) -> Compiled {
    let mut compiler = SqlCompiler::new(dialect);
    let sql = compiler.visit_insert(insert, inline);
    compiler.finish(sql)
}

/// `Insert.from_select(names, select)`: `INSERT INTO t (a, b) SELECT …
/// [RETURNING c]`, as SQLAlchemy 2.0 `SQLCompiler.visit_insert` with a
/// `select` (`columns` the table's column indices named, in order).
pub fn compile_insert_from_select(
    table: &crate::sql::schema::TableRef,
    columns: &[usize],
    select: &Select,
    returning: &[usize],
    dialect: &Dialect,
) -> Compiled {
    let mut compiler = SqlCompiler::new(dialect);
    let sql = compiler.visit_insert_from_select(table, columns, select, returning);
    compiler.finish(sql)
}

/// An INSERT of rows given in full (`columns`' values, one `Vec` a row):
/// `VALUES (…), (…)` as SQLAlchemy 2.0 renders a multi-row
/// `insert(t).values([{…}, {…}])` (parameters `name_m0`, `name_m1`, …, as
/// `crud._extend_values_for_multiparams` names them), and the dialect
/// insert's `ON CONFLICT …` (`on_conflict`) before ` RETURNING …`.
pub fn compile_insert_rows(
    table: &Table,
    columns: &[usize],
    rows: &[Vec<RowValue>],
    on_conflict: Option<&OnConflict>,
    returning: &[usize],
    dialect: &Dialect,
) -> Compiled {
    let mut compiler = SqlCompiler::new(dialect);
    let sql = compiler.visit_insert_rows(table, columns, rows, on_conflict, returning);
    compiler.finish(sql)
}

/// Whether an INSERT compiled on `dialect` with no inline expressions
/// can serve other rows of the same columns through [`rebind_insert`]:
/// its SQL text depends on the columns only (no literal values, no
/// per-value casts, parameters in column order).
pub fn insert_rebinds(dialect: &Dialect) -> bool {
    !dialect.literal_binds
        && !dialect.render_bind_cast
        && dialect.paramstyle != crate::sql::dialect::ParamStyle::NumericDollar
}

/// The INSERT [`compile_insert`] would give for `values`, made from
/// `template`: the same statement compiled for another row with the same
/// columns (on a dialect where [`insert_rebinds`]), its parameters given
/// `values`, as SQLAlchemy's compiled cache reuses one statement for each
/// row of a flush. `None` when `values` does not bind the template's
/// columns.
pub fn rebind_insert(template: &Compiled, values: &[(usize, SqlValue)]) -> Option<Compiled> {
    let mut stmt = template.clone();
    rebind_insert_into(&mut stmt, values).then_some(stmt)
}

/// [`rebind_insert`] in place: `stmt`'s parameters take `values` (its SQL
/// and parameter names are kept, not copied). False, and `stmt`
/// unchanged, when `values` does not bind its columns.
pub fn rebind_insert_into(stmt: &mut Compiled, values: &[(usize, SqlValue)]) -> bool {
    // The usual row: its columns already in order, one value each.
    if values.len() == stmt.params.len() && values.windows(2).all(|w| w[0].0 < w[1].0) {
        for (p, (_, v)) in stmt.params.iter_mut().zip(values) {
            p.value = v.clone();
        }
        return true;
    }
    let columns = dml::dml_columns(values, &[]);
    if columns.len() != stmt.params.len() {
        return false;
    }
    // every column of `columns` is one of `values`
    for (p, idx) in stmt.params.iter_mut().zip(&columns) {
        if let Some((_, v)) = values.iter().find(|(c, _)| c == idx) {
            p.value = v.clone();
        }
    }
    true
}

/// One insertmanyvalues batch: the rows of an ORM executemany INSERT as one
/// statement, as SQLAlchemy 2.0 sends them on PostgreSQL
/// (`SQLCompiler._deliver_insertmanyvalues_batches`): `VALUES (…), (…)`,
/// or with `sentinel` (the primary key the ORM reads back, in order) the
/// `INSERT … SELECT … FROM (VALUES …) AS imp_sen(…) ORDER BY sen_counter
/// RETURNING t.id, t.id AS id__1` form. `rows` hold the values of `columns`
/// in order.
pub fn compile_insert_many_values(
    table: &crate::sql::schema::Table,
    columns: &[usize],
    rows: &[Vec<SqlValue>],
    sentinel: Option<usize>,
    dialect: &Dialect,
) -> Compiled {
    let returning: Vec<usize> = sentinel.into_iter().collect();
    compile_insert_many_values_returning(table, columns, rows, sentinel, &returning, dialect)
}

/// [`compile_insert_many_values`] returning the columns `returning`
/// (`RETURNING roles.id, roles.name`), with `sentinel` also the sentinel
/// after them (`…, roles.id AS id__1`), as SQLAlchemy 2.0 sends an
/// executemany INSERT with `returning(..., sort_by_parameter_order=True)`.
pub fn compile_insert_many_values_returning(
    table: &crate::sql::schema::Table,
    columns: &[usize],
    rows: &[Vec<SqlValue>],
    sentinel: Option<usize>,
    returning: &[usize],
    dialect: &Dialect,
) -> Compiled {
    let mut compiler = SqlCompiler::new(dialect);
    let sql = compiler.visit_insert_many_values(table, columns, rows, sentinel, returning);
    compiler.finish(sql)
}

/// The ORM's `UPDATE t SET a=?, b=? WHERE t.pk = ? [AND t.pk2 = ?]`:
/// matches SQLAlchemy 2.0 `persistence._emit_update_statements` (note
/// `SET a=?` has no spaces); SET parameters are named after the column keys,
/// the key's after the column labels (`users_id`).
pub fn compile_update(update: &Update, dialect: &Dialect) -> Compiled {
    compile_update_inline(update, &[], dialect)
}

/// [`compile_update`] with some SET columns given as SQL expressions
/// rendered in the statement (`inline`), as SQLAlchemy renders a column's
/// `onupdate=func.now()`: `SET name=?, updated_at=CURRENT_TIMESTAMP`.
pub fn compile_update_inline(
    update: &Update,
    inline: &[(usize, Expr)],
    dialect: &Dialect,
) -> Compiled {
    let mut compiler = SqlCompiler::new(dialect);
    let sql = compiler.visit_update(update, inline);
    compiler.finish(sql)
}

/// A bulk `UPDATE t SET a=?, b=(t.b || ?) WHERE …`: matches SQLAlchemy 2.0
/// `SQLCompiler.visit_update` for `update(Model).where(…).values(…)`.
pub fn compile_bulk_update(update: &BulkUpdate, dialect: &Dialect) -> Compiled {
    compile_bulk_update_linted(update, dialect).0
}

/// [`compile_bulk_update`] with the FROM linter on, as an engine compiles
/// a statement it executes: also the `SAWarning` message `UPDATE statement
/// has a cartesian product between FROM element(s) …` when the WHERE
/// criteria do not link the table to every extra FROM.
pub fn compile_bulk_update_linted(
    update: &BulkUpdate,
    dialect: &Dialect,
) -> (Compiled, Vec<String>) {
    let mut compiler = SqlCompiler::new(dialect);
    compiler.linting = true;
    let sql = compiler.visit_bulk_update(update);
    let warnings = std::mem::take(&mut compiler.lint_warnings);
    (compiler.finish(sql), warnings)
}

/// A bulk `DELETE FROM t WHERE …`: matches SQLAlchemy 2.0
/// `SQLCompiler.visit_delete` for `delete(Model).where(…)`.
pub fn compile_bulk_delete(delete: &BulkDelete, dialect: &Dialect) -> Compiled {
    compile_bulk_delete_linted(delete, dialect).0
}

/// [`compile_bulk_delete`] with the FROM linter on (`DELETE statement has
/// a cartesian product …`), as [`compile_bulk_update_linted`].
pub fn compile_bulk_delete_linted(
    delete: &BulkDelete,
    dialect: &Dialect,
) -> (Compiled, Vec<String>) {
    let mut compiler = SqlCompiler::new(dialect);
    compiler.linting = true;
    let sql = compiler.visit_bulk_delete(delete);
    let warnings = std::mem::take(&mut compiler.lint_warnings);
    (compiler.finish(sql), warnings)
}

/// The ORM's `DELETE FROM t WHERE t.pk = ? [AND t.pk2 = ?]`: matches
/// SQLAlchemy 2.0 `persistence._emit_delete_statements` (the key's
/// parameters are named after the column keys, `id`).
pub fn compile_delete(delete: &Delete, dialect: &Dialect) -> Compiled {
    let mut compiler = SqlCompiler::new(dialect);
    let sql = compiler.visit_delete(delete);
    compiler.finish(sql)
}

/// Whether SQLAlchemy quotes this identifier on SQLite
/// ([`Dialect::requires_quotes`] of [`SQLITE`]). `user` is not reserved on
/// SQLite; `order`, `group` are.
pub fn requires_quotes(name: &str) -> bool {
    SQLITE.requires_quotes(name)
}

/// An identifier as SQLAlchemy writes it on SQLite
/// ([`Dialect::quote`] of [`SQLITE`]): `users`, `"order"`, `"Order"`, with
/// embedded `"` doubled.
pub fn quote_identifier(name: &str) -> String {
    SQLITE.quote(name)
}

// ---------------------------------------------------------------------------
// The writer
// ---------------------------------------------------------------------------

/// The statement writer (SQLAlchemy's `SQLCompiler`): renders constructs with
/// its `visit_*` methods, collecting bound parameters in render order and
/// numbering anonymous names with one counter map per statement.
#[derive(Debug)]
struct SqlCompiler<'d> {
    dialect: &'d Dialect,
    params: Vec<BoundParam>,
    anon: AnonMap,
    /// For each SELECT being rendered, the FROM objects a scalar subquery
    /// inside it correlates to (`asfrom_froms` of SQLAlchemy's stack).
    stack: Vec<Vec<FromObj>>,
    /// The CTEs met so far, in render order: each one's identity, its
    /// `name AS \n(SELECT …)` text and its own parameters (which come first
    /// in the statement, as its text does).
    ctes: Vec<(usize, String, Vec<BoundParam>)>,
    /// The CTEs whose bodies are being rendered (a recursive CTE's body
    /// names the CTE itself, which then renders as its name only).
    ctes_in_progress: Vec<usize>,
    /// Some CTE is `recursive`: the prefix is `WITH RECURSIVE`.
    ctes_recursive: bool,
    /// False while rendering a compound select's ORDER BY: columns render
    /// without their table (SQLAlchemy's `include_table=False`).
    include_table: bool,
    /// The type of the parameters being rendered (a bind takes the type of
    /// what it is compared to or assigned to), for `render_bind_cast`.
    bind_type: BindType,
    /// True while rendering the values of an expanding `IN` (numbered last
    /// under `numeric_dollar`).
    expanding: bool,
    /// The FROM linter is on (a statement compiled for execution).
    linting: bool,
    /// The linter's `SAWarning` messages, in the order SQLAlchemy issues
    /// them (a subquery's before its enclosing SELECT's).
    lint_warnings: Vec<String>,
    /// The `callable_` of the parameter about to be rendered, which its
    /// [`BoundParam`] carries.
    next_callable: Option<crate::sql::elements::BindCallable>,
    /// The first SELECT met whose FROMs auto-correlation removes every one
    /// of (SQLAlchemy's `InvalidRequestError` "returned no FROM clauses
    /// due to auto-correlation"): its message.
    correlation_error: Option<String>,
    /// Rendering the operands of an operator SQLAlchemy writes with
    /// `_generate_generic_binary` (its `_in_operator_expression`): a
    /// PostgreSQL JSON index inside one is parenthesized.
    in_operator_expression: bool,
    /// The SELECT about to be rendered is a `LATERAL` subquery's: it
    /// correlates to the enclosing SELECT's FROMs though in a FROM list.
    lateral: bool,
    /// Rendering with `literal_execute=True` (SQLite's ON CONFLICT
    /// `index_where=`): each parameter is `__[POSTCOMPILE_name]`, written
    /// inline when the statement runs ([`Compiled::render_literal_execute`]).
    literal_execute: bool,
}

/// The SQL type a bound parameter has, as SQLAlchemy's `BindParameter.type`:
/// what decides its `render_bind_cast` (`$1::INTEGER`).
#[derive(Debug, Clone, PartialEq)]
enum BindType {
    /// From its value (`_resolve_value_to_type`: `int` → `Integer`, `str`
    /// → `String`, `None` → `NullType`).
    FromValue,
    /// The type of the column (or expression) on the other side.
    Typed(SqlType),
    /// `NullType`: a `text()` parameter, given its value at execution.
    Untyped,
}

impl<'d> SqlCompiler<'d> {
    fn new(dialect: &'d Dialect) -> SqlCompiler<'d> {
        SqlCompiler {
            dialect,
            params: Vec::new(),
            anon: AnonMap::default(),
            stack: Vec::new(),
            ctes: Vec::new(),
            ctes_in_progress: Vec::new(),
            ctes_recursive: false,
            include_table: true,
            bind_type: BindType::FromValue,
            expanding: false,
            linting: false,
            lint_warnings: Vec::new(),
            next_callable: None,
            correlation_error: None,
            in_operator_expression: false,
            lateral: false,
            literal_execute: false,
        }
    }

    /// Runs `f` with the parameters it renders typed as `ty` (the type of
    /// the other side of a comparison, of an assigned column).
    fn with_bind_type<T>(&mut self, ty: BindType, f: impl FnOnce(&mut Self) -> T) -> T {
        let outer = std::mem::replace(&mut self.bind_type, ty);
        let out = f(self);
        self.bind_type = outer;
        out
    }

    /// The `::TYPE` a parameter carries under `render_bind_cast`
    /// (`PGCompiler.render_bind_cast` with the asyncpg `colspecs`), if any.
    fn bind_cast(&self, value: &SqlValue) -> Option<String> {
        if !self.dialect.render_bind_cast {
            // psycopg2's `_PGJSON.render_bind_cast`: a JSON parameter is
            // `%(p)s::JSON` even where other types take no cast.
            return (self.dialect.statement_compiler == StatementCompiler::PostgreSQL
                && self.bind_type == BindType::Typed(SqlType::Json))
            .then(|| "JSON".to_string());
        }
        match &self.bind_type {
            BindType::Typed(t) => t.bind_cast_name(),
            BindType::Untyped => None,
            BindType::FromValue => SqlType::of_value(value).and_then(|t| t.bind_cast_name()),
        }
    }

    /// Notes `what` as not rendered for this compile-only dialect (the first
    /// one met wins; [`take_not_modelled`] reads it). Nothing on the
    /// dialects the tutor runs.
    fn not_modelled(&self, what: impl FnOnce() -> String) {
        if self.dialect.compile_only() {
            NOT_MODELLED.with(|n| {
                let mut n = n.borrow_mut();
                if n.is_none() {
                    *n = Some(what());
                }
            });
        }
    }

    /// `IdentifierPreparer.quote` for this compiler's dialect.
    fn quote(&self, name: &str) -> String {
        self.dialect.quote(name)
    }

    /// `visit_table`: the quoted table name.
    fn visit_table(&self, table: &Table) -> String {
        self.quote(&table.name)
    }

    fn finish(mut self, sql: String) -> Compiled {
        let sql = self.with_ctes(sql);
        if self.dialect.paramstyle == crate::sql::dialect::ParamStyle::NumericDollar {
            // `_process_numeric`: `$n` once the statement is whole, one
            // parameter per name, in number order.
            let (sql, order) = crate::sql::dialect::number_placeholders(&sql);
            let params = order
                .into_iter()
                .filter_map(|name| self.params.iter().find(|p| p.name == name).cloned())
                .collect();
            return Compiled { sql, params };
        }
        Compiled {
            sql,
            params: self.params,
        }
    }

    /// `WITH a AS \n(SELECT …), b AS \n(…)\n SELECT …` when the statement
    /// uses CTEs, their parameters first (`WITH RECURSIVE` when one is).
    fn with_ctes(&mut self, sql: String) -> String {
        if self.ctes.is_empty() {
            return sql;
        }
        let ctes = std::mem::take(&mut self.ctes);
        let mut params = Vec::new();
        let mut texts = Vec::new();
        for (_, text, p) in ctes {
            texts.push(text);
            params.extend(p);
        }
        params.append(&mut self.params);
        self.params = params;
        // `OracleCompiler.get_cte_preamble`: `WITH` alone.
        let recursive = if std::mem::take(&mut self.ctes_recursive)
            && self.dialect.statement_compiler != StatementCompiler::Oracle
        {
            "RECURSIVE "
        } else {
            ""
        };
        format!("WITH {recursive}{}\n {sql}", texts.join(", \n"))
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

    /// `visit_bindparam` for an anonymous parameter: one marker, one
    /// parameter; its name (`id_1`) takes a number from the `key` counter.
    /// The same [`BindValue`] object rendered twice takes one name (so one
    /// parameter of a named paramstyle), as `_truncate_bindparam` memoizes
    /// by the object's anonymous key; a `literal()` is named after its own
    /// key (`param_1`).
    fn visit_bindparam(&mut self, bind: &BindValue, key: &NameT) -> String {
        let key = match bind.key {
            Some(own) => own.to_string(),
            None => self.resolve(key),
        };
        let name = self.anon.resolve(AnonKey::Bind(bind.id as usize), &key);
        self.next_callable = bind.callable_.clone();
        self.bind_marker(&bind.value, &name)
    }

    /// `visit_bindparam` for a parameter with a fixed name (`bindparam(col.key)`
    /// of an INSERT or the ORM's UPDATE): takes no number.
    fn visit_named_bindparam(&mut self, value: &SqlValue, name: &str) -> String {
        self.bind_marker(value, name)
    }

    /// `visit_bindparam` for `bindparam(key)` ([`Expr::BindParam`]): a
    /// unique one takes a number from the `key` counter (`param_1`), any
    /// other is named `key` (`pk_1`).
    fn visit_keyed_bindparam(&mut self, value: &SqlValue, key: &str, unique: bool) -> String {
        let name = if unique {
            self.anon
                .resolve(AnonKey::Bind(value as *const SqlValue as usize), key)
        } else {
            key.to_string()
        };
        self.bind_marker(value, &name)
    }

    /// A parameter the compiler adds itself (SQLite's `OFFSET 0`, `LIMIT -1`).
    fn visit_literal_bindparam(&mut self, value: SqlValue) -> String {
        let name = self.anon.next("param");
        self.bind_marker(&value, &name)
    }

    /// Adds the parameter and returns its marker in the dialect's
    /// paramstyle (`?`, `:name`, `%(name)s`, `$1` numbered by `finish`),
    /// with its `::TYPE` under `render_bind_cast`.
    fn bind_marker(&mut self, value: &SqlValue, name: &str) -> String {
        if self.dialect.literal_binds {
            // MySQL doubles backslashes in a string literal; Oracle writes
            // booleans as `1`/`0` and dates with `TO_DATE`/`TO_TIMESTAMP`.
            // A string bound for a column of another type (a datetime is
            // SQLite's text) is not plain either.
            let text_typed = match &self.bind_type {
                BindType::Typed(t) => {
                    matches!(t, SqlType::String(_) | SqlType::Char(_) | SqlType::Text)
                }
                BindType::FromValue | BindType::Untyped => true,
            };
            let plain = match value {
                SqlValue::Null | SqlValue::Integer(_) | SqlValue::Real(_) => true,
                SqlValue::Text(s) => text_typed && !s.contains('\\') && !looks_like_date(s),
                _ => false,
            };
            if !plain {
                self.not_modelled(|| "this literal value under literal_binds".into());
            }
            return render_literal_value(value, self.dialect);
        }
        self.params.push(BoundParam {
            name: name.to_string(),
            value: value.clone(),
            callable_: self.next_callable.take(),
        });
        if self.literal_execute {
            return format!("__[POSTCOMPILE_{name}]");
        }
        if self.dialect.statement_compiler == StatementCompiler::Oracle
            && (self.dialect.requires_quotes(name) || name.starts_with('_'))
        {
            // `OracleCompiler.bindparam_string` quotes such a name
            // (`:"comment"`), and anonymous names drop a leading `_`.
            self.not_modelled(|| format!("the parameter name '{name}'"));
        }
        let marker = match self.dialect.paramstyle {
            crate::sql::dialect::ParamStyle::NumericDollar => {
                crate::sql::dialect::numeric_placeholder(name, self.expanding)
            }
            _ => self.dialect.bind_marker(name),
        };
        match self.bind_cast(value) {
            Some(cast) => format!("{marker}::{cast}"),
            None => marker,
        }
    }
}

/// True when `s` starts as SQLite's date text does (`2024-01-01…`): a
/// date or datetime value the compile-only dialects write otherwise.
fn looks_like_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10
        && b[4] == b'-'
        && b[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
}

/// A parameter's value written inline, as `render_literal_value` does for
/// `literal_binds`: `3`, `1.5`, `'it''s'`, `NULL`; a datetime as the
/// string SQLite stores, quoted.
fn render_literal_value(value: &SqlValue, dialect: &Dialect) -> String {
    match value {
        SqlValue::Null => "NULL".into(),
        SqlValue::Integer(i) => i.to_string(),
        SqlValue::Real(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e16 => {
            format!("{f:.1}")
        }
        SqlValue::Real(f) => f.to_string(),
        // `str(datetime)` in the string dialect: no `.000000`.
        SqlValue::Text(s)
            if dialect.statement_compiler == crate::sql::dialect::StatementCompiler::Str
                && s.len() == 26
                && s.ends_with(".000000")
                && s.as_bytes().get(10) == Some(&b' ') =>
        {
            expressions::string_literal(&s[..19])
        }
        // `%` doubled where the paramstyle is `pyformat`/`format`
        // (`IdentifierPreparer._double_percents`).
        SqlValue::Text(s)
            if matches!(
                dialect.paramstyle,
                crate::sql::dialect::ParamStyle::Pyformat | crate::sql::dialect::ParamStyle::Format
            ) =>
        {
            expressions::string_literal(&s.replace('%', "%%"))
        }
        SqlValue::Text(s) => expressions::string_literal(s),
        SqlValue::Numeric(d) => d.to_string(),
        SqlValue::BigInt(n) => n.to_string(),
        SqlValue::Bool(b) => (if *b { "true" } else { "false" }).into(),
        SqlValue::Timestamp(dt) => {
            expressions::string_literal(&dt.format("%Y-%m-%d %H:%M:%S%.6f").to_string())
        }
        SqlValue::Date(d) => expressions::string_literal(&d.format("%Y-%m-%d").to_string()),
        SqlValue::Time(t) => expressions::string_literal(&crate::python::types::time::to_str(t)),
        SqlValue::Array(items) => format!(
            "ARRAY[{}]",
            items
                .iter()
                .map(|v| render_literal_value(v, dialect))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        SqlValue::Blob(b) => format!(
            "X'{}'",
            b.iter().map(|x| format!("{x:02X}")).collect::<String>()
        ),
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
