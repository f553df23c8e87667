//! INSERT, UPDATE and DELETE: `visit_insert`, `visit_update`, `visit_delete`.

#![allow(unused_imports)]
use super::*;

impl SqlCompiler {
    // -- DML ----------------------------------------------------------------

    /// `visit_insert`.
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
    pub(super) fn visit_update(&mut self, update: &Update) -> String {
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
    pub(super) fn visit_bulk_update(&mut self, update: &crate::sql::elements::BulkUpdate) -> String {
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
    pub(super) fn visit_delete(&mut self, delete: &Delete) -> String {
        let mut text = format!("DELETE FROM {}", self.visit_table(&delete.table));
        text.push_str(&self.dml_where(&delete.table, &delete.key));
        text
    }

    /// ` WHERE t.a = ? AND t.b = ?` for a primary key (nothing when empty).
    pub(super) fn dml_where(&mut self, table: &Table, key: &[(usize, SqlValue)]) -> String {
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
