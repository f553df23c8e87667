//! Batch mode's move-and-copy on SQLite, as Alembic's `ApplyBatchImpl`
//! does it: the table is reflected ([`super::reflection`]), the block's
//! operations change a copy of it, and the copy replaces it:
//!
//! ```text
//! CREATE TABLE _alembic_tmp_users (…)
//! INSERT INTO _alembic_tmp_users (id, name, …) SELECT users.id, users.name, … FROM users
//! DROP TABLE users
//! ALTER TABLE _alembic_tmp_users RENAME TO users
//! CREATE INDEX …            (the table's indexes, then the block's new ones)
//! ```
//!
//! The new table's constraints are the primary key, then the named ones
//! (reflected, then added), then the unnamed ones; a constraint over a
//! dropped column is left out.

use crate::python::{ExcType, PyErr, PyResult};

use super::Operations;
use super::batch::BatchOp;
use super::ddl::{self, ColumnSpec, ConstraintSpec, TableSpec};
use super::reflection::{ReflectedIndex, reflect};

/// One column of the new table and the old column it is copied from
/// (`None` for an added column).
struct Transfer {
    column: ColumnSpec,
    source: Option<String>,
    primary_key: bool,
    /// `CAST(users.c AS TYPE)`: the type a changed column's values are
    /// cast to as they are copied.
    cast: Option<String>,
}

/// The new table's parts while the block's operations apply.
struct Plan {
    transfers: Vec<Transfer>,
    named: Vec<ConstraintSpec>,
    unnamed: Vec<ConstraintSpec>,
    indexes: Vec<ReflectedIndex>,
    new_indexes: Vec<ReflectedIndex>,
}

fn value_error(message: String) -> PyErr {
    PyErr::new(ExcType::ValueError, message)
}

impl Plan {
    fn column(&mut self, name: &str) -> PyResult<&mut Transfer> {
        self.transfers
            .iter_mut()
            .find(|t| t.source.as_deref() == Some(name) || t.column.name == name)
            .ok_or_else(|| PyErr::new(ExcType::KeyError, format!("'{name}'")))
    }

    fn apply(&mut self, op: &BatchOp) -> PyResult<()> {
        match op {
            BatchOp::AddColumn(c) => self.transfers.push(Transfer {
                column: c.clone(),
                source: None,
                primary_key: false,
                cast: None,
            }),
            BatchOp::DropColumn(name) => {
                self.column(name)?;
                self.transfers
                    .retain(|t| t.source.as_deref() != Some(name) && t.column.name != *name);
            }
            BatchOp::AlterColumn(name, a) => {
                let t = self.column(name)?;
                if let Some(new) = &a.type_sql {
                    // `SQLiteImpl.cast_for_batch_migrate`: a cast when the
                    // type's affinity changes (never to JSON)
                    if affinity(&t.column.type_sql) != affinity(new) && affinity(new) != "json" {
                        t.cast = Some(new.clone());
                    }
                    t.column.type_sql = new.clone();
                }
                if let Some(n) = a.nullable {
                    t.column.nullable = n;
                }
                if let Some(d) = &a.server_default {
                    t.column.server_default = d.clone();
                }
                if let Some(n) = &a.new_name {
                    t.column.name = n.clone();
                }
            }
            BatchOp::CreateIndex {
                name,
                columns,
                unique,
            } => self.new_indexes.push(ReflectedIndex {
                name: name.clone(),
                columns: columns.clone(),
                unique: *unique,
            }),
            BatchOp::DropIndex(name) => {
                let before = self.indexes.len();
                self.indexes.retain(|i| i.name != *name);
                if self.indexes.len() == before {
                    return Err(value_error(format!("No such index: '{name}'")));
                }
            }
            BatchOp::AddConstraint(c) => {
                self.named.retain(|n| n.name() != c.name());
                self.named.push(c.clone());
            }
            BatchOp::DropConstraint(name) => {
                let before = self.named.len();
                self.named.retain(|n| n.name() != Some(name.as_str()));
                if self.named.len() == before {
                    return Err(value_error(format!("No such constraint: '{name}'")));
                }
            }
        }
        Ok(())
    }

    /// Whether every column a constraint names is still in the copy.
    fn keeps(&self, c: &ConstraintSpec) -> bool {
        let columns = match c {
            ConstraintSpec::PrimaryKey { columns, .. }
            | ConstraintSpec::ForeignKey { columns, .. }
            | ConstraintSpec::Unique { columns, .. } => columns,
            ConstraintSpec::Check { .. } => return true,
        };
        columns.iter().all(|name| {
            self.transfers
                .iter()
                .any(|t| t.source.as_deref().unwrap_or(&t.column.name) == name)
        })
    }

    /// The new table's name for an old column name.
    fn renamed(&self, name: &str) -> String {
        self.transfers
            .iter()
            .find(|t| t.source.as_deref() == Some(name))
            .map_or(name.to_string(), |t| t.column.name.clone())
    }
}

/// SQLAlchemy's `_type_affinity` of a type as its DDL names it
/// (`VARCHAR(30)` and `TEXT` are both `String`'s).
fn affinity(type_sql: &str) -> &'static str {
    let word = type_sql
        .split(|c: char| c == '(' || c.is_whitespace())
        .next()
        .unwrap_or("")
        .to_ascii_uppercase();
    match word.as_str() {
        "INTEGER" | "INT" | "BIGINT" | "SMALLINT" => "integer",
        "VARCHAR" | "CHAR" | "TEXT" | "NVARCHAR" | "NCHAR" | "CLOB" => "string",
        "NUMERIC" | "DECIMAL" | "FLOAT" | "REAL" | "DOUBLE" => "numeric",
        "DATETIME" | "TIMESTAMP" => "datetime",
        "DATE" => "date",
        "TIME" => "time",
        "BOOLEAN" => "boolean",
        "BLOB" => "binary",
        "JSON" => "json",
        _ => "other",
    }
}

/// Reflects `table`, applies `batch` and moves the rows (Alembic's
/// `ApplyBatchImpl._create`).
///
/// Errors: `KeyError` for a column the table lacks, `ValueError` for a
/// constraint or index it lacks (Alembic's messages), `NoSuchTableError`;
/// `NotImplementedError` off SQLite (after the table's reflection).
pub fn move_and_copy(op: &Operations, table: &str, batch: &[BatchOp]) -> PyResult<()> {
    if op.db.dialect().name != "sqlite" {
        // SQLAlchemy's reflection of the table, as `Table(…,
        // autoload_with=conn)` sends it; the move-and-copy that follows is
        // not built for this dialect yet
        super::reflection::reflect_postgresql(
            op,
            &[table.to_string()],
            crate::sql::dialect::postgresql::reflection::Relations::Any,
        )?;
        return Err(PyErr::unsupported(format!(
            "batch mode's move-and-copy (recreate=\"always\") on {}",
            op.db.dialect().name
        )));
    }
    let reflected = reflect(op, table, &mut Vec::new())?;
    let mut plan = Plan {
        transfers: reflected
            .columns
            .iter()
            .map(|c| Transfer {
                column: c.clone(),
                source: Some(c.name.clone()),
                primary_key: reflected.primary_key.contains(&c.name),
                cast: None,
            })
            .collect(),
        named: Vec::new(),
        unnamed: Vec::new(),
        indexes: reflected.indexes.clone(),
        new_indexes: Vec::new(),
    };
    for c in &reflected.constraints {
        if c.name().is_some() {
            plan.named.push(c.clone());
        } else {
            plan.unnamed.push(c.clone());
        }
    }
    for o in batch {
        plan.apply(o)?;
    }
    let dialect = op.db.dialect();
    let temp: String = format!("_alembic_tmp_{table}").chars().take(50).collect();
    let mut spec = TableSpec {
        name: temp.clone(),
        columns: plan.transfers.iter().map(|t| t.column.clone()).collect(),
        constraints: Vec::new(),
    };
    let pk: Vec<String> = plan
        .transfers
        .iter()
        .filter(|t| t.primary_key)
        .map(|t| t.column.name.clone())
        .collect();
    if !pk.is_empty() {
        spec.constraints.push(ConstraintSpec::PrimaryKey {
            name: None,
            columns: pk,
        });
    }
    for c in plan.named.iter().chain(&plan.unnamed) {
        if plan.keeps(c) {
            spec.constraints.push(c.clone());
        }
    }
    op.exec_ddl(&ddl::create_table(&spec, dialect))?;
    let copied: Vec<&Transfer> = plan
        .transfers
        .iter()
        .filter(|t| t.source.is_some())
        .collect();
    let q = |s: &str| dialect.quote(s).to_string();
    op.exec_ddl(&format!(
        "INSERT INTO {} ({}) SELECT {} \nFROM {}",
        q(&temp),
        copied
            .iter()
            .map(|t| q(&t.column.name))
            .collect::<Vec<_>>()
            .join(", "),
        copied
            .iter()
            .map(|t| {
                let source = t.source.as_deref().unwrap_or_default();
                let column = format!("{}.{}", q(table), q(source));
                match &t.cast {
                    Some(to) => format!("CAST({column} AS {to}) AS {}", q(source)),
                    None => column,
                }
            })
            .collect::<Vec<_>>()
            .join(", "),
        q(table)
    ))?;
    op.exec_ddl(&ddl::drop_table(table, dialect))?;
    op.exec_ddl(&ddl::rename_table(&temp, table, dialect))?;
    for i in plan.indexes.iter() {
        let columns: Vec<String> = i.columns.iter().map(|c| plan.renamed(c)).collect();
        op.exec_ddl(&ddl::create_index(
            &i.name, table, &columns, i.unique, dialect,
        ))?;
    }
    for i in &plan.new_indexes {
        op.exec_ddl(&ddl::create_index(
            &i.name, table, &i.columns, i.unique, dialect,
        ))?;
    }
    Ok(())
}
