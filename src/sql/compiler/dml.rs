//! INSERT, UPDATE and DELETE: `visit_insert`, `visit_update`,
//! `visit_delete`, as SQLAlchemy's `SQLCompiler` renders them for the ORM's
//! flush (`orm/persistence.py`) and for `insert()`/`update()`/`delete()`.

use super::*;
use crate::sql::schema::Sequence;

/// How the ORM names the parameters of a primary-key WHERE clause:
/// `persistence._emit_update_statements` binds `col._label` (`users_id`),
/// `_emit_delete_statements` binds `col.key` (`id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum KeyNames {
    /// `users_id`.
    Label,
    /// `id`.
    Key,
}

/// `DMLState._make_extra_froms`: the FROM objects of an UPDATE's or
/// DELETE's WHERE criteria (then an UPDATE's SET values) other than its
/// table, in order of appearance: the statement's extra FROMs (`UPDATE
/// users SET … FROM messages WHERE …`).
pub(super) fn dml_extra_froms<'a>(
    table: &TableRef,
    consider: impl Iterator<Item = &'a Expr>,
) -> Vec<FromObj> {
    let mut seen = vec![FromObj::Sel(Selectable::Table(table.clone()))];
    let mut extra = Vec::new();
    for e in consider {
        let mut objs = Vec::new();
        expr_from_objects(e, &mut objs);
        for o in objs {
            if !super::froms::contains(&seen, &o) {
                extra.push(o.clone());
                seen.push(o);
            }
        }
    }
    extra
}

/// SQLAlchemy's `NotImplementedError` message for a DELETE whose criteria
/// name other tables, on a dialect without `DELETE … USING` (SQLite's
/// `delete_extra_from_clause` is `SQLCompiler`'s, which raises); `None`
/// when the statement compiles.
pub fn delete_extra_froms_error(delete: &BulkDelete, dialect: &Dialect) -> Option<&'static str> {
    matches!(
        dialect.statement_compiler,
        StatementCompiler::SQLite | StatementCompiler::Oracle
    )
    .then(|| dml_extra_froms(&delete.table, delete.where_.iter()))
    .filter(|extra| !extra.is_empty())
    .map(|_| "This backend does not support multiple-table criteria within DELETE")
}

/// SQLAlchemy's `NotImplementedError` for an UPDATE whose WHERE or SET names
/// other tables on a dialect without `UPDATE … FROM` or multi-table UPDATE
/// (Oracle's compiler, `SQLCompiler.update_from_clause`); `None` elsewhere.
pub fn update_extra_froms_error(update: &BulkUpdate, dialect: &Dialect) -> Option<&'static str> {
    (dialect.statement_compiler == StatementCompiler::Oracle)
        .then(|| {
            dml_extra_froms(
                &update.table,
                update
                    .where_
                    .iter()
                    .chain(update.set.iter().map(|(_, e)| e)),
            )
        })
        .filter(|extra| !extra.is_empty())
        .map(|_| "This backend does not support multiple-table criteria within UPDATE")
}

/// The columns of an ORM INSERT or UPDATE in table order: those bound as
/// parameters and those given as SQL expressions rendered in the statement
/// (a `default=func.now()` / `onupdate=func.now()`, SQLAlchemy's
/// `crud._append_param_insert_hasdefault` with a SQL expression default).
pub(super) fn dml_columns(bound: &[(usize, SqlValue)], inline: &[(usize, Expr)]) -> Vec<usize> {
    let mut cols: Vec<usize> = bound
        .iter()
        .map(|(c, _)| *c)
        .chain(inline.iter().map(|(c, _)| *c))
        .collect();
    cols.sort_unstable();
    cols.dedup();
    cols
}

/// The columns of `table` outside `given` whose default is a `Sequence`, on
/// a dialect with sequences: each with its `next_value()` expression,
/// which an INSERT renders in place of a parameter (`nextval('s')` on
/// PostgreSQL, SQLAlchemy's `crud._append_param_insert_hasdefault` for a
/// sequence); none on SQLite, which ignores sequences.
pub fn sequence_defaults(table: &Table, given: &[usize], dialect: &Dialect) -> Vec<(usize, Expr)> {
    if !dialect.supports_sequences {
        return Vec::new();
    }
    table
        .columns
        .iter()
        .enumerate()
        .filter(|(i, _)| !given.contains(i))
        .filter_map(|(i, c)| {
            let s = c.sequence.as_ref().filter(|s| !s.optional)?;
            Some((i, next_value(s)))
        })
        .collect()
}

/// `Sequence("s").next_value()`: SQLAlchemy's `next_value` function
/// element, rendered by [`SqlCompiler::visit_next_value_func`]. Its
/// arguments carry the sequence's name, its `quote=` flag, its schema and
/// `quote_schema=` flag (`Expr::True`/`False`, `Expr::Null` when not
/// given), as the compiler's `format_sequence` needs them.
pub fn next_value(sequence: &Sequence) -> Expr {
    let flag = |f: Option<bool>| match f {
        Some(true) => Expr::True,
        Some(false) => Expr::False,
        None => Expr::Null,
    };
    Expr::Function {
        name: NEXT_VALUE.to_string(),
        args: vec![
            Expr::LiteralColumn(sequence.name.clone()),
            flag(sequence.quote),
            sequence
                .schema
                .as_ref()
                .map_or(Expr::Null, |s| Expr::LiteralColumn(s.clone())),
            flag(sequence.quote_schema),
        ],
    }
}

/// The [`Sequence`] a [`next_value`] expression's arguments name (its
/// name, schema and quoting; no options).
fn sequence_of_next_value(args: &[Expr]) -> Sequence {
    let flag = |e: Option<&Expr>| match e {
        Some(Expr::True) => Some(true),
        Some(Expr::False) => Some(false),
        _ => None,
    };
    let text = |e: Option<&Expr>| match e {
        Some(Expr::LiteralColumn(n)) => Some(n.clone()),
        _ => None,
    };
    Sequence {
        quote: flag(args.get(1)),
        schema: text(args.get(2)),
        quote_schema: flag(args.get(3)),
        ..Sequence::named(&text(args.first()).unwrap_or_default())
    }
}

/// The function name [`next_value`] expressions carry.
pub const NEXT_VALUE: &str = "next_value";

impl SqlCompiler<'_> {
    /// `visit_next_value_func`: `nextval('s')` on PostgreSQL
    /// (`PGCompiler.visit_sequence`), `<next sequence value: s>` for `str()`.
    pub(super) fn visit_next_value_func(&mut self, args: &[Expr]) -> String {
        let name = sequence_of_next_value(args).qualified_name(|n| self.quote(n));
        match self.dialect.statement_compiler {
            StatementCompiler::PostgreSQL => {
                format!("nextval('{}')", name.replace('\'', "''"))
            }
            StatementCompiler::MySQL | StatementCompiler::Oracle => {
                self.not_modelled(|| "a Sequence's next value".into());
                format!("<next sequence value: {name}>")
            }
            _ => format!("<next sequence value: {name}>"),
        }
    }

    /// A value bound for the column `idx` of `table` (an INSERT value, a
    /// SET value, a primary key): named `name`, typed as the column.
    fn visit_column_bindparam(
        &mut self,
        table: &Table,
        idx: usize,
        value: &SqlValue,
        name: &str,
    ) -> String {
        let ty = table
            .columns
            .get(idx)
            .map_or(BindType::FromValue, |c| BindType::Typed(c.sql_type.clone()));
        self.with_bind_type(ty, |c| c.visit_named_bindparam(value, name))
    }

    /// A SQL expression given as an INSERT's or UPDATE's value, as `crud`'s
    /// `compiler.process(value.self_group())`: an operator expression is
    /// grouped in parentheses (`VALUES ((? || ?))`, `SET n=(users.n + ?)`),
    /// a function or column is not.
    fn visit_dml_value(&mut self, e: &Expr) -> String {
        match e {
            Expr::Binary { .. } | Expr::BoolList { .. } => format!("({})", self.process(e)),
            e => self.process(e),
        }
    }

    /// `visit_insert`: values bound under the column keys (`name`,
    /// `email`).
    /// `visit_insert` of `Insert.from_select()`: `INSERT INTO t (a, b)
    /// SELECT …`, then ` RETURNING …`.
    pub(super) fn visit_insert_from_select(
        &mut self,
        table: &crate::sql::schema::TableRef,
        columns: &[usize],
        select: &Select,
        returning: &[usize],
    ) -> String {
        let names: Vec<String> = columns
            .iter()
            .map(|&i| self.quote(&table_column_name(table, i)))
            .collect();
        let inner = self.visit_select(select, false, Style::of(select));
        let mut text = format!(
            "INSERT INTO {} ({}) {inner}",
            self.visit_table(table),
            names.join(", ")
        );
        if !returning.is_empty() {
            text.push_str(" RETURNING ");
            text.push_str(&self.returning_clause(table, returning));
        }
        text
    }

    pub(super) fn visit_insert(&mut self, insert: &Insert, inline: &[(usize, Expr)]) -> String {
        let table = &insert.table;
        let mut text = format!("INSERT INTO {}", self.visit_table(table));
        if insert.values.is_empty() && inline.is_empty() {
            self.not_modelled(|| "an INSERT without values".into());
            text.push_str(" DEFAULT VALUES");
        } else {
            let mut names = Vec::with_capacity(insert.values.len());
            let mut marks = Vec::with_capacity(insert.values.len());
            for idx in dml_columns(&insert.values, inline) {
                let name = table_column_name(table, idx);
                match insert.values.iter().find(|(c, _)| *c == idx) {
                    Some((_, value)) => {
                        marks.push(self.visit_column_bindparam(table, idx, value, &name))
                    }
                    None => {
                        if let Some((_, e)) = inline.iter().find(|(c, _)| *c == idx) {
                            marks.push(self.visit_dml_value(e));
                        }
                    }
                }
                names.push(self.quote(&name));
            }
            text.push_str(&format!(
                " ({}) VALUES ({})",
                names.join(", "),
                marks.join(", ")
            ));
        }
        if !insert.returning.is_empty() {
            text.push_str(" RETURNING ");
            text.push_str(&self.returning_clause(table, &insert.returning));
        }
        text
    }

    /// `visit_insert` for rows given in full: `INSERT INTO t (a, b) VALUES
    /// (…), (…)` (a multi-row `values([{…}, {…}])`, or one row), each row's
    /// values in `columns`' order, then the dialect insert's ` ON CONFLICT
    /// …` and ` RETURNING …`.
    pub(super) fn visit_insert_rows(
        &mut self,
        table: &Table,
        columns: &[usize],
        rows: &[Vec<RowValue>],
        on_conflict: Option<&OnConflict>,
        returning: &[usize],
    ) -> String {
        let mut text = format!("INSERT INTO {}", self.visit_table(table));
        if on_conflict.is_some() {
            self.not_modelled(|| "a SQLite or PostgreSQL insert()".into());
        }
        if rows.len() > 1 && self.dialect.statement_compiler == StatementCompiler::Oracle {
            self.not_modelled(|| "a multi-row INSERT".into());
        }
        if columns.is_empty() {
            self.not_modelled(|| "an INSERT without values".into());
            text.push_str(" DEFAULT VALUES");
        } else {
            let names: Vec<String> = columns
                .iter()
                .map(|&i| self.quote(&table_column_name(table, i)))
                .collect();
            let mut tuples = Vec::with_capacity(rows.len());
            for row in rows {
                let mut marks = Vec::with_capacity(row.len());
                for (&idx, v) in columns.iter().zip(row) {
                    marks.push(match v {
                        RowValue::Bind(value, name) => {
                            self.visit_column_bindparam(table, idx, value, name)
                        }
                        RowValue::Expr(e) => {
                            let ty = table.columns.get(idx).map(|c| c.sql_type.clone());
                            match ty {
                                Some(t) => self
                                    .with_bind_type(BindType::Typed(t), |c| c.visit_dml_value(e)),
                                None => self.visit_dml_value(e),
                            }
                        }
                    });
                }
                tuples.push(format!("({})", marks.join(", ")));
            }
            text.push_str(&format!(
                " ({}) VALUES {}",
                names.join(", "),
                tuples.join(", ")
            ));
        }
        if let Some(oc) = on_conflict {
            text.push(' ');
            text.push_str(&self.visit_on_conflict(table, oc));
        }
        if !returning.is_empty() {
            text.push_str(" RETURNING ");
            text.push_str(&self.returning_clause(table, returning));
        }
        text
    }

    /// `visit_on_conflict_do_nothing` / `visit_on_conflict_do_update`
    /// (`SQLiteCompiler`'s and `PGCompiler`'s, alike): `ON CONFLICT (a)
    /// [WHERE …] DO NOTHING`, `ON CONFLICT (a) DO UPDATE SET b = … [WHERE
    /// …]`; the target's columns without their table, the SET values grouped
    /// (`(excluded.name || ?)`), the update's WHERE with it.
    fn visit_on_conflict(&mut self, table: &Table, oc: &OnConflict) -> String {
        let mut target = String::new();
        if let Some(name) = &oc.constraint
            && self.dialect.statement_compiler == StatementCompiler::PostgreSQL
        {
            target = format!("ON CONSTRAINT {}", self.quote(name));
        } else if let Some(elements) = &oc.target {
            let saved = std::mem::replace(&mut self.include_table, false);
            let parts: Vec<String> = elements
                .iter()
                .map(|t| match t {
                    ConflictTarget::Name(n) => self.quote(n),
                    ConflictTarget::Expr(e) => self.process(e),
                })
                .collect();
            target = format!("({})", parts.join(", "));
            if let Some(w) = &oc.index_where {
                // SQLite's `_on_conflict_target`: `literal_execute=True`
                let literal = self.dialect.statement_compiler == StatementCompiler::SQLite;
                let saved = std::mem::replace(&mut self.literal_execute, literal);
                let w = self.process(w);
                self.literal_execute = saved;
                target.push_str(&format!(" WHERE {w}"));
            }
            self.include_table = saved;
        }
        let Some(update) = &oc.update else {
            return if target.is_empty() {
                "ON CONFLICT DO NOTHING".to_string()
            } else {
                format!("ON CONFLICT {target} DO NOTHING")
            };
        };
        let mut sets = Vec::with_capacity(update.set.len());
        for (name, value) in &update.set {
            let ty = table
                .columns
                .iter()
                .find(|c| c.name == *name)
                .map_or(BindType::FromValue, |c| BindType::Typed(c.sql_type.clone()));
            let v = self.with_bind_type(ty, |c| c.visit_dml_value(value));
            sets.push(format!("{} = {v}", self.quote(name)));
        }
        let mut action = sets.join(", ");
        if let Some(w) = &update.where_ {
            action.push_str(&format!(" WHERE {}", self.process(w)));
        }
        format!("ON CONFLICT {target} DO UPDATE SET {action}")
    }

    /// SQLAlchemy's `_deliver_insertmanyvalues_batches` for one batch of
    /// rows with the same columns (`columns`, values in that order per row):
    /// parameters `name__0`, `name__1`, … With `sentinel` (the ORM wants
    /// the new primary keys back in order, on PostgreSQL):
    ///
    /// ```text
    /// INSERT INTO groups (name) SELECT p0::VARCHAR FROM (VALUES (%(name__0)s, 0),
    /// (%(name__1)s, 1)) AS imp_sen(p0, sen_counter) ORDER BY sen_counter
    /// RETURNING groups.id, groups.id AS id__1
    /// ```
    ///
    /// else `INSERT INTO groups (id, name) VALUES (%(id__0)s, %(name__0)s), (…)`.
    pub(super) fn visit_insert_many_values(
        &mut self,
        table: &Table,
        columns: &[usize],
        rows: &[Vec<SqlValue>],
        sentinel: Option<usize>,
        returning: &[usize],
    ) -> String {
        // A sequence's column not given renders `nextval('s')` in each row,
        // in table order among the bound columns.
        let sequences = sequence_defaults(table, columns, self.dialect);
        self.visit_insert_many_values_with(table, columns, rows, &sequences, sentinel, returning)
    }

    /// [`Self::visit_insert_many_values`] with some columns rendered as the
    /// same expression in every row (`inline`); with a sentinel, in the
    /// SELECT list, the bound columns' `pN` numbered by their place among
    /// all the columns:
    ///
    /// ```text
    /// INSERT INTO t (id, n) SELECT nextval('s'), p1::VARCHAR FROM (VALUES
    /// (%(n__0)s, 0), (%(n__1)s, 1)) AS imp_sen(p1, sen_counter) ORDER BY
    /// sen_counter RETURNING t.id, t.id AS id__1
    /// ```
    fn visit_insert_many_values_with(
        &mut self,
        table: &Table,
        columns: &[usize],
        rows: &[Vec<SqlValue>],
        inline: &[(usize, Expr)],
        sentinel: Option<usize>,
        returning: &[usize],
    ) -> String {
        // (column, its position in a row, or its inline expression)
        let mut order: Vec<(usize, Result<usize, &Expr>)> = columns
            .iter()
            .enumerate()
            .map(|(k, &i)| (i, Ok(k)))
            .chain(inline.iter().map(|(i, e)| (*i, Err(e))))
            .collect();
        // Inline columns take their place in table order; bound columns
        // alone keep the order given.
        if !inline.is_empty() {
            order.sort_by_key(|(i, _)| *i);
        }
        let names: Vec<String> = order
            .iter()
            .map(|(i, _)| table_column_name(table, *i))
            .collect();
        let quoted: Vec<String> = names.iter().map(|n| self.quote(n)).collect();
        let mut text = format!(
            "INSERT INTO {} ({})",
            self.visit_table(table),
            quoted.join(", ")
        );
        let mut tuples = Vec::with_capacity(rows.len());
        for (n, row) in rows.iter().enumerate() {
            let mut marks = Vec::with_capacity(order.len());
            for ((i, slot), name) in order.iter().zip(&names) {
                marks.push(match slot {
                    Ok(k) => match row.get(*k) {
                        Some(v) => {
                            self.visit_column_bindparam(table, *i, v, &format!("{name}__{n}"))
                        }
                        None => "NULL".to_string(),
                    },
                    Err(_) if sentinel.is_some() => continue,
                    Err(e) => self.visit_dml_value(e),
                });
            }
            if sentinel.is_some() {
                marks.push(n.to_string());
            }
            tuples.push(format!("({})", marks.join(", ")));
        }
        let Some(pk) = sentinel else {
            text.push_str(&format!(" VALUES {}", tuples.join(", ")));
            if !returning.is_empty() {
                text.push_str(" RETURNING ");
                text.push_str(&self.returning_clause(table, returning));
            }
            return text;
        };
        let mut selected = Vec::with_capacity(order.len());
        let mut params = Vec::new();
        for (pos, (i, slot)) in order.iter().enumerate() {
            match slot {
                Ok(_) => {
                    let ty = table
                        .columns
                        .get(*i)
                        .map(|c| c.sql_type.cast_name(self.dialect))
                        .unwrap_or_default();
                    selected.push(format!("p{pos}::{ty}"));
                    params.push(format!("p{pos}"));
                }
                Err(e) => selected.push(self.visit_dml_value(e)),
            }
        }
        let pk_name = table_column_name(table, pk);
        text.push_str(&format!(
            " SELECT {} FROM (VALUES {}) AS imp_sen({}, sen_counter) ORDER BY sen_counter \
             RETURNING {}, {} AS {pk_name}__1",
            selected.join(", "),
            tuples.join(", "),
            params.join(", "),
            self.returning_clause(table, returning),
            self.returning_clause(table, &[pk]),
        ));
        text
    }

    /// `returning_clause`: `id` on SQLite (`SQLiteCompiler` leaves the
    /// table out), `users.id` elsewhere.
    fn returning_clause(&self, table: &Table, columns: &[usize]) -> String {
        let qualify = self.dialect.qualifies_returning();
        if self.dialect.statement_compiler == StatementCompiler::Oracle {
            // `OracleCompiler.returning_clause`: each column into an out
            // parameter, `RETURNING users.id INTO :ret_0`.
            let cols: Vec<String> = columns
                .iter()
                .map(|&i| {
                    let col = self.quote(&table_column_name(table, i));
                    format!("{}.{col}", self.visit_table(table))
                })
                .collect();
            let outs: Vec<String> = (0..columns.len())
                .map(|i| self.dialect.bind_marker(&format!("ret_{i}")))
                .collect();
            return format!("{} INTO {}", cols.join(", "), outs.join(", "));
        }
        let cols: Vec<String> = columns
            .iter()
            .map(|&i| {
                let col = self.quote(&table_column_name(table, i));
                if qualify {
                    format!("{}.{col}", self.visit_table(table))
                } else {
                    col
                }
            })
            .collect();
        cols.join(", ")
    }

    /// `visit_update` for the ORM's flush: `UPDATE t SET a=?, b=? WHERE t.pk
    /// = ?`, SET values under the column keys, the key under the labels.
    pub(super) fn visit_update(&mut self, update: &Update, inline: &[(usize, Expr)]) -> String {
        let table = &update.table;
        let mut sets = Vec::with_capacity(update.set.len());
        for idx in dml_columns(&update.set, inline) {
            let name = table_column_name(table, idx);
            let mark = match update.set.iter().find(|(c, _)| *c == idx) {
                Some((_, value)) => self.visit_column_bindparam(table, idx, value, &name),
                None => match inline.iter().find(|(c, _)| *c == idx) {
                    Some((_, e)) => self.visit_dml_value(e),
                    None => continue,
                },
            };
            sets.push(format!("{}={mark}", self.quote(&name)));
        }
        let mut text = format!("UPDATE {} SET {}", self.visit_table(table), sets.join(", "));
        text.push_str(&self.dml_where(table, &update.key, KeyNames::Label));
        text
    }

    /// Bulk `visit_update`: SET values that are expressions are grouped in
    /// parentheses, as SQLAlchemy's `self_group()` does there; a plain value
    /// is bound under the column key; ` RETURNING …` with `returning()`.
    pub(super) fn visit_bulk_update(&mut self, update: &BulkUpdate) -> String {
        let table = &update.table;
        let extra_set_columns: Vec<Expr> = update
            .extra_set
            .iter()
            .map(|(t, idx, _)| {
                Expr::Column(crate::sql::elements::ColumnRef {
                    from: Selectable::Table(t.clone()),
                    index: *idx,
                    annotations: Default::default(),
                })
            })
            .collect();
        let extra = dml_extra_froms(
            table,
            update
                .where_
                .iter()
                .chain(update.set.iter().map(|(_, e)| e))
                .chain(extra_set_columns.iter()),
        );
        // A subquery in SET or WHERE correlates to the UPDATE's table and
        // its extra FROMs (`visit_update`'s `correlate_froms`).
        let mut correlate = vec![FromObj::Sel(Selectable::Table(table.clone()))];
        correlate.extend(extra.iter().cloned());
        self.stack.push(expand_from_objects(&correlate));
        // MySQL's multi-table UPDATE: `UPDATE a, b SET a.x=…`
        // (`update_tables_clause`, `render_table_with_column_in_update_from`).
        let mysql_tables =
            self.dialect.statement_compiler == StatementCompiler::MySQL && !extra.is_empty();
        let mut sets = Vec::with_capacity(update.set.len());
        if mysql_tables {
            // `crud._get_update_multitable_params`: the other tables'
            // columns first, by FROM then column order, bound as
            // `<table>_<column>`
            for f in &extra {
                let FromObj::Sel(Selectable::Table(t)) = f else {
                    continue;
                };
                let mut cols: Vec<&(TableRef, usize, Expr)> = update
                    .extra_set
                    .iter()
                    .filter(|(t2, ..)| Rc::ptr_eq(t, t2))
                    .collect();
                cols.sort_by_key(|(_, i, _)| *i);
                for (t2, idx, value) in cols {
                    let name = table_column_name(t2, *idx);
                    let mark = match value {
                        Expr::Bind(v) => {
                            self.visit_column_bindparam(t2, *idx, v, &format!("{}_{name}", t2.name))
                        }
                        e => self.visit_dml_value(e),
                    };
                    sets.push(format!(
                        "{}.{}={mark}",
                        self.visit_table(t2),
                        self.quote(&name)
                    ));
                }
            }
        }
        for (idx, value) in &update.set {
            let name = table_column_name(table, *idx);
            let mark = match value {
                Expr::Bind(v) => self.visit_column_bindparam(table, *idx, v, &name),
                e => self.visit_dml_value(e),
            };
            if mysql_tables {
                sets.push(format!(
                    "{}.{}={mark}",
                    self.visit_table(table),
                    self.quote(&name)
                ));
            } else {
                sets.push(format!("{}={mark}", self.quote(&name)));
            }
        }
        if mysql_tables {
            let mut tables = vec![self.visit_table(table)];
            tables.extend(extra.iter().map(|f| self.visit_from_obj(f)));
            let mut text = format!("UPDATE {} SET {}", tables.join(", "), sets.join(", "));
            text.push_str(&self.where_clause(&update.where_));
            self.stack.pop();
            if !update.returning.is_empty() {
                text.push_str(" RETURNING ");
                text.push_str(&self.returning_clause(table, &update.returning));
            }
            return text;
        }
        let mut text = format!("UPDATE {} SET {}", self.visit_table(table), sets.join(", "));
        if !extra.is_empty() {
            // `update_from_clause`: `FROM a, b` on every dialect the tutor has.
            let froms: Vec<String> = extra.iter().map(|f| self.visit_from_obj(f)).collect();
            text.push_str(" FROM ");
            text.push_str(&froms.join(", "));
        }
        text.push_str(&self.where_clause(&update.where_));
        self.stack.pop();
        self.lint_dml("UPDATE", table, &extra, &update.where_);
        if !update.returning.is_empty() {
            text.push_str(" RETURNING ");
            text.push_str(&self.returning_clause(table, &update.returning));
        }
        text
    }

    /// Bulk `visit_delete`: `DELETE FROM t WHERE …`, then ` RETURNING …`
    /// with `returning()`.
    pub(super) fn visit_bulk_delete(&mut self, delete: &BulkDelete) -> String {
        let mut text = format!("DELETE FROM {}", self.visit_table(&delete.table));
        let extra = dml_extra_froms(&delete.table, delete.where_.iter());
        let mut correlate = vec![FromObj::Sel(Selectable::Table(delete.table.clone()))];
        correlate.extend(extra.iter().cloned());
        self.stack.push(expand_from_objects(&correlate));
        if !extra.is_empty() {
            // `delete_extra_from_clause`: PostgreSQL's `USING a, b`, the
            // string compiler's `, a, b` (SQLite refuses: see
            // [`delete_extra_froms_error`]).
            let froms: Vec<String> = extra.iter().map(|f| self.visit_from_obj(f)).collect();
            text.push_str(match self.dialect.statement_compiler {
                StatementCompiler::PostgreSQL => " USING ",
                // MySQL's `USING` lists the statement's own table first.
                StatementCompiler::MySQL => " USING ",
                _ => " , ",
            });
            if self.dialect.statement_compiler == StatementCompiler::MySQL {
                text.push_str(&self.visit_table(&delete.table));
                text.push_str(", ");
            }
            text.push_str(&froms.join(", "));
        }
        text.push_str(&self.where_clause(&delete.where_));
        self.stack.pop();
        self.lint_dml("DELETE", &delete.table, &extra, &delete.where_);
        if !delete.returning.is_empty() {
            text.push_str(" RETURNING ");
            text.push_str(&self.returning_clause(&delete.table, &delete.returning));
        }
        text
    }

    /// `visit_delete` for the ORM's flush: `DELETE FROM t WHERE t.pk = ?`,
    /// the key bound under the column keys.
    pub(super) fn visit_delete(&mut self, delete: &Delete) -> String {
        let mut text = format!("DELETE FROM {}", self.visit_table(&delete.table));
        text.push_str(&self.dml_where(&delete.table, &delete.key, KeyNames::Key));
        text
    }

    /// ` WHERE a AND b` of a bulk statement (nothing when empty).
    fn where_clause(&mut self, where_: &[Expr]) -> String {
        if where_.is_empty() {
            return String::new();
        }
        let t = self.generate_delimited_and_list(where_);
        if t.is_empty() {
            String::new()
        } else {
            format!(" WHERE {t}")
        }
    }

    /// ` WHERE t.a = ? AND t.b = ?` for a primary key (nothing when empty).
    fn dml_where(&mut self, table: &Table, key: &[(usize, SqlValue)], names: KeyNames) -> String {
        if key.is_empty() {
            return String::new();
        }
        let mut parts = Vec::with_capacity(key.len());
        for (idx, value) in key {
            let name = table_column_name(table, *idx);
            let bind_name = match names {
                KeyNames::Label => format!("{}_{name}", table.name),
                KeyNames::Key => name.clone(),
            };
            let mark = self.visit_column_bindparam(table, *idx, value, &bind_name);
            parts.push(format!(
                "{}.{} = {mark}",
                self.visit_table(table),
                self.quote(&name)
            ));
        }
        format!(" WHERE {}", parts.join(" AND "))
    }
}
