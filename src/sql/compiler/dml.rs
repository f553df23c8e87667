//! INSERT, UPDATE and DELETE: `visit_insert`, `visit_update`,
//! `visit_delete`, as SQLAlchemy's `SQLCompiler` renders them for the ORM's
//! flush (`orm/persistence.py`) and for `insert()`/`update()`/`delete()`.

use super::*;

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

impl SqlCompiler<'_> {
    /// `visit_insert`: values bound under the column keys (`name`,
    /// `email`).
    pub(super) fn visit_insert(&mut self, insert: &Insert) -> String {
        let table = &insert.table;
        let mut text = format!("INSERT INTO {}", self.visit_table(table));
        if insert.values.is_empty() {
            text.push_str(" DEFAULT VALUES");
        } else {
            let mut names = Vec::with_capacity(insert.values.len());
            let mut marks = Vec::with_capacity(insert.values.len());
            for (idx, value) in &insert.values {
                let name = table_column_name(table, *idx);
                marks.push(self.visit_named_bindparam(value, &name));
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

    /// `returning_clause`: `id` on SQLite (`SQLiteCompiler` leaves the
    /// table out), `users.id` elsewhere.
    fn returning_clause(&self, table: &Table, columns: &[usize]) -> String {
        let qualify = self.dialect.statement_compiler != StatementCompiler::SQLite;
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
    pub(super) fn visit_update(&mut self, update: &Update) -> String {
        let table = &update.table;
        let mut sets = Vec::with_capacity(update.set.len());
        for (idx, value) in &update.set {
            let name = table_column_name(table, *idx);
            let mark = self.visit_named_bindparam(value, &name);
            sets.push(format!("{}={mark}", self.quote(&name)));
        }
        let mut text = format!("UPDATE {} SET {}", self.visit_table(table), sets.join(", "));
        text.push_str(&self.dml_where(table, &update.key, KeyNames::Label));
        text
    }

    /// Bulk `visit_update`: SET values that are expressions are grouped in
    /// parentheses, as SQLAlchemy's `self_group()` does there; a plain value
    /// is bound under the column key.
    pub(super) fn visit_bulk_update(&mut self, update: &BulkUpdate) -> String {
        let table = &update.table;
        let mut sets = Vec::with_capacity(update.set.len());
        for (idx, value) in &update.set {
            let name = table_column_name(table, *idx);
            let mark = match value {
                Expr::Bind(v) => self.visit_named_bindparam(v, &name),
                e @ (Expr::Binary { .. } | Expr::BoolList { .. }) => {
                    format!("({})", self.process(e))
                }
                e => self.process(e),
            };
            sets.push(format!("{}={mark}", self.quote(&name)));
        }
        let mut text = format!("UPDATE {} SET {}", self.visit_table(table), sets.join(", "));
        text.push_str(&self.where_clause(&update.where_));
        text
    }

    /// Bulk `visit_delete`: `DELETE FROM t WHERE …`.
    pub(super) fn visit_bulk_delete(&mut self, delete: &BulkDelete) -> String {
        let mut text = format!("DELETE FROM {}", self.visit_table(&delete.table));
        text.push_str(&self.where_clause(&delete.where_));
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
            let mark = self.visit_named_bindparam(value, &bind_name);
            parts.push(format!(
                "{}.{} = {mark}",
                self.visit_table(table),
                self.quote(&name)
            ));
        }
        format!(" WHERE {}", parts.join(" AND "))
    }
}
