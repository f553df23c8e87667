//! `CREATE TABLE` as `metadata.create_all()` emits it for a dialect (SQLite,
//! PostgreSQL), and the order it creates tables in (SQLAlchemy's
//! `DDLCompiler.visit_create_table`, `PGDDLCompiler.get_column_specification`
//! and `sql/ddl.py` `sort_tables_and_constraints`).

use super::dialect::{Dialect, StatementCompiler};
use super::schema::{Column, SqlType, Table, TableRef};

/// The `CREATE TABLE` statement text exactly as SQLAlchemy 2.0 sends it for
/// `dialect` (`DDLCompiler.visit_create_table`), with its newlines and tabs;
/// on SQLite:
///
/// ```text
/// \nCREATE TABLE users (\n\tid INTEGER NOT NULL, \n\tname VARCHAR(100) NOT NULL, …
/// \n\tPRIMARY KEY (id), \n\tUNIQUE (email), \n\tFOREIGN KEY(role_id) REFERENCES roles (id)\n)\n\n
/// ```
///
/// Columns in declaration order (`name TYPE [NOT NULL]`, primary-key columns
/// are `NOT NULL`), then `PRIMARY KEY (…)`, then per column in order its
/// `UNIQUE (c)` and its `FOREIGN KEY(c) REFERENCES t (c)` (the constraints'
/// creation order). Python-side defaults are not part of the DDL.
///
/// On PostgreSQL (`PGDDLCompiler`) the autoincrement primary key is
/// `SERIAL` ([`serial_column`]) and `DateTime` is `TIMESTAMP WITHOUT TIME
/// ZONE`; identifiers are quoted by PostgreSQL's reserved words.
pub fn create_table(table: &Table, dialect: &Dialect) -> String {
    let quote_identifier = |name: &str| dialect.quote(name);
    let pg = dialect.statement_compiler == StatementCompiler::PostgreSQL;
    let serial = if pg { serial_column(table) } else { None };
    let mut lines: Vec<String> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let ty = match &c.sql_type {
                _ if serial == Some(i) => "SERIAL".to_string(),
                SqlType::DateTime if pg => "TIMESTAMP WITHOUT TIME ZONE".to_string(),
                other => other.ddl(),
            };
            let mut spec = format!("{} {ty}", quote_identifier(&c.name));
            if !c.nullable || c.primary_key {
                spec.push_str(" NOT NULL");
            }
            spec
        })
        .collect();
    let pk: Vec<String> = table
        .columns
        .iter()
        .filter(|c| c.primary_key)
        .map(|c| quote_identifier(&c.name))
        .collect();
    if !pk.is_empty() {
        lines.push(format!("PRIMARY KEY ({})", pk.join(", ")));
    }
    for c in &table.columns {
        if c.unique {
            lines.push(format!("UNIQUE ({})", quote_identifier(&c.name)));
        }
        if let Some(fk) = &c.foreign_key {
            lines.push(format!(
                "FOREIGN KEY({}) REFERENCES {} ({})",
                quote_identifier(&c.name),
                quote_identifier(&fk.table),
                quote_identifier(&fk.column)
            ));
        }
    }
    format!(
        "\nCREATE TABLE {} (\n\t{}\n)\n\n",
        quote_identifier(&table.name),
        lines.join(", \n\t")
    )
}

/// The column SQLAlchemy makes autoincrementing (`Table._autoincrement_column`
/// with `autoincrement="auto"`): the only primary-key column, when it is an
/// `Integer` without a foreign key. PostgreSQL renders it `SERIAL`, with a
/// sequence named `<table>_<column>_seq`.
pub fn serial_column(table: &Table) -> Option<usize> {
    let pk = table.primary_key();
    match pk.as_slice() {
        [i] => {
            let c: &Column = &table.columns[*i];
            (c.sql_type == SqlType::Integer && c.foreign_key.is_none()).then_some(*i)
        }
        _ => None,
    }
}

/// The order `metadata.create_all()` creates tables in: SQLAlchemy's
/// `sort_tables_and_constraints` (a topological sort by foreign key done in
/// rounds, `util.topological.sort_as_subsets`): each round takes, in the
/// given order, every table whose referenced tables are already created.
///
/// Pass the tables in `MetaData` order (the order the `Table` objects were
/// created in the models file: for `chat`, `user_groups`, `roles`, `users`,
/// `profiles`, `messages`, `groups`), which gives `roles, groups, users,
/// user_groups, profiles, messages`. A reference to a table not in the list
/// or to the table itself is ignored; tables caught in a cycle come last in
/// the given order (SQLAlchemy would add the constraints with ALTER).
/// `drop_all()` uses the reverse order.
pub fn sort_tables_for_create(tables: &[TableRef]) -> Vec<TableRef> {
    let depends_on = |t: &Table, other: &Table| {
        t.name != other.name
            && t.columns
                .iter()
                .filter_map(|c| c.foreign_key.as_ref())
                .any(|fk| fk.table == other.name)
    };
    let mut todo: Vec<TableRef> = tables.to_vec();
    let mut out = Vec::with_capacity(tables.len());
    while !todo.is_empty() {
        let (ready, waiting): (Vec<TableRef>, Vec<TableRef>) = todo
            .iter()
            .cloned()
            .partition(|t| !todo.iter().any(|other| depends_on(t, other)));
        if ready.is_empty() {
            out.extend(waiting);
            break;
        }
        out.extend(ready);
        todo = waiting;
    }
    out
}
