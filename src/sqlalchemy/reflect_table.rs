//! Table reflection into a `MetaData`: `Table(name, metadata,
//! autoload_with=engine)` (SQLAlchemy 2.0's `Table._autoload` →
//! `Inspector.reflect_table`) and `MetaData.reflect(bind, only=…)`, sending
//! the dialect's reflection queries in SQLAlchemy's order, through the
//! `Inspector`'s connection (`BEGIN` … `ROLLBACK` on an engine).
//!
//! - One table (`_get_reflection_info` with `filter_names=[name]`): on
//!   SQLite its PRAGMAs and `CREATE TABLE` text (`alembic::reflection`),
//!   on PostgreSQL the `get_multi_*` queries for it; a missing table is
//!   `NoSuchTableError` after the queries that looked for it.
//! - `MetaData.reflect()`: the table names, then each `get_multi_*` for
//!   all the tables to load, one phase after the other (columns of every
//!   table, then primary keys, foreign keys, indexes, unique constraints).
//! - Each table a foreign key names that the metadata does not hold yet is
//!   reflected after it (`resolve_fks=True`): from what `reflect()` already
//!   read, else by a fresh inspector's queries (`inspect(connection)`).
//!
//! The reflected `Table` is an ordinary Core table of the tutor's; its
//! columns keep the dialect's type names (`INTEGER()`, `VARCHAR(length=100)`)
//! for `c.type` and `repr()`.

use std::rc::Rc;

use super::alembic::ddl::ConstraintSpec;
use super::alembic::reflection::{self, ReflectedTable, Rows, Runner, TABLE_NAMES_SQL};
use super::inspector::{Inspector, ReflectedType};
use crate::interpreter::Interpreter;
use crate::orm::mapper::Registry;
use crate::python::{ExcType, PyErr, PyObject, PyResult, Value};
use crate::sql::compiler::Compiled;
use crate::sql::dialect::postgresql::reflection::{self as pgr, Relations};
use crate::sql::schema::{Column, ForeignKey, Index, SqlType, Table, TableConstraint, TableRef};

/// SQLAlchemy's SQLite `get_temp_table_names`.
const TEMP_TABLE_NAMES_SQL: &str = "SELECT name FROM sqlite_temp_master WHERE type='table' AND name NOT LIKE 'sqlite~_%' ESCAPE '~' ORDER BY name";

/// The inspector `inspect(bind)` gives.
///
/// Errors: SQLAlchemy's `NoInspectionAvailable` for a value that is not an
/// engine or a connection.
fn inspector_of(bind: &Value) -> PyResult<Rc<Inspector>> {
    super::inspector::inspect(bind)
        .and_then(|v| v.downcast::<Inspector>())
        .ok_or_else(|| {
            PyErr::new(
                ExcType::NoInspectionAvailable,
                format!(
                    "No inspection system is available for object of type <class '{}'>",
                    bind.type_name()
                ),
            )
        })
}

/// `Table(name, metadata, autoload_with=bind, resolve_fks=…)` for a name
/// the metadata does not hold: the table reflected, added to the metadata
/// (with the tables its foreign keys name), and returned.
///
/// Errors: `NoSuchTableError` when the database has no such table (the
/// metadata left as it was); `NotImplementedError` for a column type the
/// tutor does not model; the database's.
pub fn autoload(
    interp: &Interpreter,
    name: &str,
    metadata: &Rc<Registry>,
    bind: &Value,
    resolve_fks: bool,
) -> PyResult<Value> {
    let insp = inspector_of(bind)?;
    let pg = insp.is_postgresql();
    insp.with_runner(interp, |r| {
        let t = reflect_into(r, pg, name, metadata, &[], resolve_fks)?;
        Ok(Value::Native(t))
    })
}

/// `MetaData.reflect(bind, only=…, extend_existing=…, resolve_fks=…)`:
/// every table of the database (or those of `only`) that the metadata
/// does not hold yet, reflected into it.
///
/// Errors: `InvalidRequestError` naming the tables of `only` the database
/// lacks; `NotImplementedError` for `extend_existing=True` over a table
/// the metadata holds; the database's.
pub fn reflect_metadata(
    interp: &Interpreter,
    metadata: &Rc<Registry>,
    bind: &Value,
    only: Option<Vec<String>>,
    extend_existing: bool,
    resolve_fks: bool,
) -> PyResult<()> {
    let insp = inspector_of(bind)?;
    let pg = insp.is_postgresql();
    let engine_repr = match super::connection::as_connection(bind) {
        Some(c) => crate::python::format::repr_plain(&c.engine),
        None => crate::python::format::repr_plain(bind),
    };
    insp.with_runner(interp, |r| {
        let available = names_of(&r.rows(&if pg {
            pgr::table_names_query()
        } else {
            Compiled::text(TABLE_NAMES_SQL)
        })?);
        let current = |n: &String| metadata.table(n).is_some();
        let load: Vec<String> = match &only {
            None => available.iter().filter(|n| !current(n)).cloned().collect(),
            Some(only) => {
                let missing: Vec<&str> = only
                    .iter()
                    .filter(|n| !available.contains(n))
                    .map(String::as_str)
                    .collect();
                if !missing.is_empty() {
                    return Err(PyErr::new(
                        ExcType::InvalidRequestError,
                        format!(
                            "Could not reflect: requested table(s) not available in {engine_repr}: ({})",
                            missing.join(", ")
                        ),
                    ));
                }
                only.iter().filter(|n| !current(n)).cloned().collect()
            }
        };
        if extend_existing && load.len() < only.as_ref().map_or(available.len(), Vec::len) {
            return Err(PyErr::unsupported(
                "MetaData.reflect(extend_existing=True) over tables the MetaData holds",
            ));
        }
        let info = if pg {
            let info = reflection::reflect_postgresql(r, &load, Relations::TablesAnyScope)?;
            // `get_multi_table_options`' default: the names, temporary too
            r.rows(&pgr::temp_table_names_query())?;
            info
        } else {
            let temp = names_of(&r.rows(&Compiled::text(TEMP_TABLE_NAMES_SQL))?);
            // SQLAlchemy's `_default_multi_reflect`: the names in the
            // database's order; an empty filter reflects them all
            let names: Vec<String> = available
                .iter()
                .chain(temp.iter())
                .filter(|n| load.is_empty() || load.contains(n))
                .cloned()
                .collect();
            sqlite_many(r, &names)?
        };
        for name in &load {
            reflect_into(r, pg, name, metadata, &info, resolve_fks)?;
        }
        Ok(Value::None)
    })?;
    Ok(())
}

fn names_of(rows: &Rows) -> Vec<String> {
    rows.iter()
        .map(|row| reflection::text(row.first()))
        .collect()
}

/// The table `name` of the metadata, else reflected into it (from `info`
/// when it holds the table, else by its own queries), then the tables its
/// foreign keys name.
fn reflect_into(
    r: &dyn Runner,
    pg: bool,
    name: &str,
    metadata: &Rc<Registry>,
    info: &[ReflectedTable],
    resolve_fks: bool,
) -> PyResult<TableRef> {
    if let Some(t) = metadata.table(name) {
        return Ok(t);
    }
    let reflected = match info.iter().find(|t| t.name == name) {
        Some(t) => t.clone(),
        None => reflect_one(r, pg, name)?
            .ok_or_else(|| PyErr::new(ExcType::NoSuchTableError, name.to_string()))?,
    };
    let table = Rc::new(to_table(&reflected, pg)?);
    metadata.tables.borrow_mut().push(table.clone());
    if resolve_fks {
        for c in &reflected.constraints {
            if let ConstraintSpec::ForeignKey { referred_table, .. } = c {
                reflect_into(r, pg, referred_table, metadata, info, resolve_fks)?;
            }
        }
    }
    Ok(table)
}

/// One table's reflection (`Inspector.reflect_table`'s
/// `_get_reflection_info`); `None` when the database has no such table.
fn reflect_one(r: &dyn Runner, pg: bool, name: &str) -> PyResult<Option<ReflectedTable>> {
    if pg {
        let names = [name.to_string()];
        return Ok(reflection::reflect_postgresql(r, &names, Relations::Any)?
            .into_iter()
            .next());
    }
    // `get_columns`: `has_table` when the PRAGMA gives nothing
    let info = reflection::pragma(r, "table_xinfo", name)?;
    if info.is_empty() {
        reflection::pragma(r, "table_info", name)?;
        return Ok(None);
    }
    reflection::reflect_rest(r, name, &info).map(Some)
}

/// SQLite's `get_multi_*` for `names` (SQLAlchemy's default
/// `_default_multi_reflect`, one table after the other in each phase):
/// columns, primary keys, foreign keys, indexes, unique constraints.
fn sqlite_many(r: &dyn Runner, names: &[String]) -> PyResult<Vec<ReflectedTable>> {
    let mut tables = Vec::new();
    for name in names {
        let info = reflection::pragma(r, "table_xinfo", name)?;
        if info.is_empty() {
            reflection::pragma(r, "table_info", name)?;
            continue;
        }
        let (columns, primary_key) = reflection::columns_of(&info);
        tables.push(ReflectedTable {
            name: name.clone(),
            columns,
            primary_key,
            ..Default::default()
        });
    }
    for t in &tables {
        reflection::table_sql(r, &t.name)?;
    }
    for t in tables.iter_mut() {
        let rows = reflection::pragma(r, "foreign_key_list", &t.name)?;
        let sql = reflection::table_sql(r, &t.name)?.unwrap_or_default();
        t.constraints = reflection::foreign_keys(&rows, &sql);
    }
    for t in tables.iter_mut() {
        t.indexes = reflection::indexes(r, &t.name, false)?;
    }
    for t in tables.iter_mut() {
        let autos: Vec<Vec<String>> = reflection::indexes(r, &t.name, true)?
            .into_iter()
            .filter(|i| i.name.starts_with("sqlite_autoindex"))
            .map(|i| i.columns)
            .collect();
        let sql = reflection::table_sql(r, &t.name)?.unwrap_or_default();
        t.constraints
            .extend(reflection::unique_constraints(&sql, &autos));
    }
    Ok(tables)
}

/// A reflected table as a Core `Table`: each column with the type the
/// dialect reflects (kept by name for `c.type`), its primary key, its
/// foreign keys on their columns, its unique constraints and indexes.
///
/// Errors: `NotImplementedError` for a column type the tutor does not
/// model, and for a foreign key of several columns.
fn to_table(t: &ReflectedTable, pg: bool) -> PyResult<Table> {
    let mut columns = Vec::new();
    for c in &t.columns {
        let (class, args) = if pg {
            match c.type_sql.split_once('(') {
                Some((class, rest)) => (
                    class.to_string(),
                    rest.trim_end_matches(')')
                        .split(", ")
                        .map(str::to_string)
                        .collect(),
                ),
                None => (c.type_sql.clone(), Vec::new()),
            }
        } else {
            let r = ReflectedType::resolve(&c.type_sql);
            (r.class, r.args)
        };
        let Some(sql_type) = sql_type(&class, &args) else {
            return Err(PyErr::unsupported(format!(
                "reflecting the column {}.{} of type {}",
                t.name,
                c.name,
                ReflectedType {
                    class: class.clone(),
                    args: args.clone()
                }
                .str()
            )));
        };
        let mut column = Column::new(&c.name, sql_type);
        column.nullable = c.nullable;
        column.primary_key = t.primary_key.contains(&c.name);
        // a SERIAL's `nextval(…)` is the autoincrement the tutor models
        let serial = c.autoincrement == Some(true)
            && c.server_default
                .as_deref()
                .is_some_and(|d| d.starts_with("nextval("));
        if !serial && let Some(d) = &c.server_default {
            column.server_default = Some(d.clone());
            column.face.server_default = Some(format!(
                "<sqlalchemy.sql.elements.TextClause object at 0x{:012x}>",
                crate::orm::state::next_address(),
            ));
        }
        column.face.autoincrement = c
            .autoincrement
            .map(|a| if a { "True" } else { "False" }.to_string());
        column.face.reflected_type = Some((class, args));
        columns.push(column);
    }
    let mut constraints = Vec::new();
    for c in &t.constraints {
        match c {
            ConstraintSpec::ForeignKey {
                columns: from,
                referred_table,
                referred_columns,
                ondelete,
                ..
            } => {
                let ([from], [to]) = (from.as_slice(), referred_columns.as_slice()) else {
                    return Err(PyErr::unsupported(format!(
                        "reflecting the foreign key of several columns of {}",
                        t.name
                    )));
                };
                if let Some(column) = columns.iter_mut().find(|c| c.name == *from) {
                    column.foreign_key = Some(ForeignKey {
                        table: referred_table.clone(),
                        column: to.clone(),
                        ondelete: ondelete.clone(),
                    });
                }
            }
            ConstraintSpec::Unique { name, columns } => {
                constraints.push(TableConstraint::Unique {
                    name: name.clone(),
                    columns: columns.clone(),
                });
            }
            _ => {}
        }
    }
    Ok(Table {
        name: t.name.clone(),
        columns,
        constraints,
        indexes: t
            .indexes
            .iter()
            .map(|i| Index {
                name: i.name.clone(),
                columns: i.columns.clone(),
                unique: i.unique,
            })
            .collect(),
        options: crate::sql::schema::TableOptions::default(),
    })
}

/// The tutor's type for a reflected type class (`INTEGER`, `VARCHAR` with
/// its length …); `None` for one it does not model (`NullType`, arrays …).
fn sql_type(class: &str, args: &[String]) -> Option<SqlType> {
    let n = |i: usize| args.get(i).and_then(|a| a.trim().parse::<u32>().ok());
    Some(match class {
        "INTEGER" => SqlType::Integer,
        "BIGINT" => SqlType::BigInteger,
        "SMALLINT" => SqlType::SmallInteger,
        "VARCHAR" | "NVARCHAR" => SqlType::String(n(0)),
        "CHAR" | "NCHAR" => SqlType::Char(n(0)),
        "TEXT" => SqlType::Text,
        "BOOLEAN" => SqlType::Boolean,
        "DATETIME" | "TIMESTAMP" => SqlType::DateTime,
        "DATE" => SqlType::Date,
        "TIME" => SqlType::Time,
        "FLOAT" | "REAL" | "DOUBLE" | "DOUBLE_PRECISION" => SqlType::Float,
        "NUMERIC" => SqlType::Numeric(n(0), n(1)),
        "DECIMAL" => SqlType::Decimal(n(0), n(1)),
        "BLOB" | "BYTEA" => SqlType::LargeBinary,
        "JSON" => SqlType::Json,
        "UUID" => SqlType::Uuid,
        "INTERVAL" => SqlType::Interval,
        _ => return None,
    })
}
