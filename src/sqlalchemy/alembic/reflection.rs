//! A table as SQLAlchemy 2.0's SQLite dialect reflects it for Alembic's
//! batch mode (`Table(name, MetaData(), autoload_with=conn)`), sending the
//! same queries in the same order (`dialects/sqlite/base.py`,
//! `Inspector._get_reflection_info`):
//!
//! 1. columns: `PRAGMA main.table_xinfo("t")`;
//! 2. primary key: the table's SQL (`SELECT sql FROM (… sqlite_master …)`);
//! 3. foreign keys: `PRAGMA main.foreign_key_list("t")`, the table's SQL
//!    again (for the constraints' names);
//! 4. indexes: `PRAGMA main.index_list("t")`, `index_info` of each named
//!    index, `PRAGMA main.table_info("t")` (`has_table`) when there is none;
//! 5. unique constraints: the index list again with the `sqlite_autoindex_`
//!    ones and their `index_info`, then the table's SQL, now cached.
//!
//! A `PRAGMA main.…` that returns no rows is asked again of `temp`
//! (`_get_table_pragma`). Then each table a foreign key refers to is
//! reflected the same way, depth first, once.

use crate::outcome::Cause;
use crate::python::{ExcType, PyErr, PyResult};
use crate::sql::compiler::{BoundParam, Compiled};
use crate::sql::schema::SqlValue;

use super::Operations;
use super::ddl::{ColumnSpec, ConstraintSpec};
use crate::sql::dialect::postgresql::reflection::{self as pgr, Relations};

/// A reflected index (not the `sqlite_autoindex_` ones).
#[derive(Debug, Clone, PartialEq)]
pub struct ReflectedIndex {
    pub name: String,
    pub columns: Vec<String>,
    pub unique: bool,
}

/// A reflected table: columns, primary key, constraints and indexes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReflectedTable {
    pub name: String,
    /// Reflected from PostgreSQL: types compare in its DDL
    /// (`PostgresqlImpl`).
    pub postgresql: bool,
    pub columns: Vec<ColumnSpec>,
    /// Primary-key columns in key order.
    pub primary_key: Vec<String>,
    /// The primary key constraint's name, where the database has one
    /// (PostgreSQL's `legacy_pkey`; SQLite's are unnamed).
    pub primary_key_name: Option<String>,
    /// Foreign keys then unique constraints, in reflection order.
    pub constraints: Vec<ConstraintSpec>,
    /// Indexes sorted by name.
    pub indexes: Vec<ReflectedIndex>,
}

/// SQLAlchemy's SQLite `get_table_names` (`_sqlite_main_query`), as the
/// trace shows it.
pub const TABLE_NAMES_SQL: &str = "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite~_%' ESCAPE '~' ORDER BY name";

/// Rows of a reflection query.
pub type Rows = Vec<Vec<SqlValue>>;

/// Where reflection queries go: Alembic's own connection (`op`), or the
/// learner's `Connection` given to `MigrationContext.configure(conn)`.
pub trait Runner {
    /// Sends one query, logged as the step's; a database error is
    /// SQLAlchemy's `OperationalError`.
    fn rows(&self, compiled: &Compiled) -> PyResult<Rows>;
}

impl Runner for Operations {
    fn rows(&self, compiled: &Compiled) -> PyResult<Rows> {
        self.db
            .query(compiled, Cause::Query)
            .map_err(|e| crate::orm::session::db_error(e, Some(compiled)))
    }
}

fn run(op: &dyn Runner, compiled: &Compiled) -> PyResult<Rows> {
    op.rows(compiled)
}

/// SQLAlchemy's `_get_table_pragma`: `main`, then `temp` when empty.
pub(crate) fn pragma(op: &dyn Runner, pragma: &str, name: &str) -> PyResult<Vec<Vec<SqlValue>>> {
    let quoted = format!("\"{}\"", name.replace('"', "\"\""));
    for schema in ["main", "temp"] {
        let rows = run(
            op,
            &Compiled::text(format!("PRAGMA {schema}.{pragma}({quoted})")),
        )?;
        if !rows.is_empty() {
            return Ok(rows);
        }
    }
    Ok(Vec::new())
}

/// SQLAlchemy's `_get_table_sql`: the `CREATE TABLE` text SQLite kept.
pub(crate) fn table_sql(op: &dyn Runner, name: &str) -> PyResult<Option<String>> {
    let compiled = Compiled {
        sql: "SELECT sql FROM  (SELECT * FROM sqlite_master UNION ALL   SELECT * FROM sqlite_temp_master) WHERE name = ? AND type in ('table', 'view')".into(),
        params: vec![BoundParam {
            name: "name".into(),
            value: SqlValue::Text(name.into()),
            callable_: None,
        }],
    };
    Ok(run(op, &compiled)?
        .into_iter()
        .next()
        .and_then(|r| r.into_iter().next())
        .and_then(|v| match v {
            SqlValue::Text(s) => Some(s),
            _ => None,
        }))
}

pub(crate) fn text(v: Option<&SqlValue>) -> String {
    match v {
        Some(SqlValue::Text(s)) => s.clone(),
        Some(SqlValue::Integer(i)) => i.to_string(),
        _ => String::new(),
    }
}

pub(crate) fn int(v: Option<&SqlValue>) -> i64 {
    match v {
        Some(SqlValue::Integer(i)) => *i,
        _ => 0,
    }
}

/// Reflects `name` and, depth first, every table its foreign keys name
/// that is not in `done` yet; each table's queries are sent as SQLAlchemy
/// sends them. Returns `name`'s table.
///
/// Errors: `NoSuchTableError` when SQLite has no such table.
pub fn reflect(op: &Operations, name: &str, done: &mut Vec<String>) -> PyResult<ReflectedTable> {
    done.push(name.to_string());
    let t = reflect_one(op, name)?;
    for c in &t.constraints {
        if let ConstraintSpec::ForeignKey { referred_table, .. } = c
            && !done.contains(referred_table)
        {
            reflect(op, referred_table, done)?;
        }
    }
    Ok(t)
}

fn reflect_one(op: &dyn Runner, name: &str) -> PyResult<ReflectedTable> {
    let info = pragma(op, "table_xinfo", name)?;
    if info.is_empty() {
        return Err(PyErr::new(ExcType::NoSuchTableError, name.to_string()));
    }
    reflect_rest(op, name, &info)
}

/// The rest of one table's reflection once its `PRAGMA table_xinfo` rows
/// (`info`) are read: the primary key's, foreign keys', indexes' and
/// unique constraints' queries, in SQLAlchemy's order.
pub(crate) fn reflect_rest(op: &dyn Runner, name: &str, info: &Rows) -> PyResult<ReflectedTable> {
    let mut t = ReflectedTable {
        name: name.to_string(),
        ..Default::default()
    };
    let (columns, primary_key) = columns_of(info);
    t.columns = columns;
    t.primary_key = primary_key;
    table_sql(op, name)?; // get_pk_constraint's look for a named key
    let fk_rows = pragma(op, "foreign_key_list", name)?;
    let sql = table_sql(op, name)?.unwrap_or_default();
    t.constraints = foreign_keys(&fk_rows, &sql);
    t.indexes = indexes(op, name, false)?
        .into_iter()
        .filter(|i| !i.name.starts_with("sqlite_autoindex"))
        .collect();
    let autos: Vec<Vec<String>> = indexes(op, name, true)?
        .into_iter()
        .filter(|i| i.name.starts_with("sqlite_autoindex"))
        .map(|i| i.columns)
        .collect();
    let sql = table_sql(op, name)?.unwrap_or_default();
    t.constraints.extend(unique_constraints(&sql, &autos));
    Ok(t)
}

/// The `UNIQUE (…)` clauses of a table's SQL that one of SQLite's
/// automatic indexes (`autos`, by their columns) backs.
pub(crate) fn unique_constraints(sql: &str, autos: &[Vec<String>]) -> Vec<ConstraintSpec> {
    parse_uniques(sql)
        .into_iter()
        .filter(|(_, columns)| autos.contains(columns))
        .map(|(name, columns)| ConstraintSpec::Unique { name, columns })
        .collect()
}

/// The columns of `PRAGMA table_xinfo` rows (hidden ones skipped, as
/// SQLAlchemy does) and the primary-key columns in key order.
pub(crate) fn columns_of(info: &Rows) -> (Vec<ColumnSpec>, Vec<String>) {
    let mut columns = Vec::new();
    let mut pk: Vec<(i64, String)> = Vec::new();
    for row in info {
        // hidden (1) columns are skipped, as SQLAlchemy does
        if int(row.get(6)) == 1 {
            continue;
        }
        let column = text(row.get(1));
        if int(row.get(5)) > 0 {
            pk.push((int(row.get(5)), column.clone()));
        }
        columns.push(ColumnSpec {
            name: column,
            type_sql: text(row.get(2)).to_uppercase(),
            nullable: int(row.get(3)) == 0,
            server_default: match row.get(4) {
                Some(SqlValue::Null) | None => None,
                v => Some(text(v)),
            },
            autoincrement: None,
        });
    }
    pk.sort();
    (columns, pk.into_iter().map(|(_, c)| c).collect())
}

/// SQLAlchemy's `get_indexes` (with `include_auto_indexes` or not).
pub(crate) fn indexes(
    op: &dyn Runner,
    table: &str,
    include_auto: bool,
) -> PyResult<Vec<ReflectedIndex>> {
    let list = pragma(op, "index_list", table)?;
    let mut out = Vec::new();
    for row in &list {
        let name = text(row.get(1));
        if !include_auto && name.starts_with("sqlite_autoindex") {
            continue;
        }
        out.push(ReflectedIndex {
            name,
            columns: Vec::new(),
            unique: int(row.get(2)) != 0,
        });
    }
    for idx in out.iter_mut() {
        idx.columns = pragma(op, "index_info", &idx.name)?
            .iter()
            .map(|r| text(r.get(2)))
            .collect();
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    if out.is_empty() && pragma(op, "table_info", table)?.is_empty() {
        return Err(PyErr::new(ExcType::NoSuchTableError, table.to_string()));
    }
    Ok(out)
}

/// The foreign keys of `PRAGMA foreign_key_list` rows, named and ordered as
/// the table's SQL declares them (SQLAlchemy's `parse_fks`), then any the
/// SQL did not show.
pub(crate) fn foreign_keys(rows: &[Vec<SqlValue>], sql: &str) -> Vec<ConstraintSpec> {
    let mut pragma_fks: Vec<(i64, ConstraintSpec)> = Vec::new();
    for row in rows {
        let id = int(row.first());
        let (table, from, to) = (text(row.get(2)), text(row.get(3)), text(row.get(4)));
        let ondelete = Some(text(row.get(6))).filter(|d| d != "NO ACTION" && !d.is_empty());
        match pragma_fks.iter_mut().find(|(i, _)| *i == id) {
            Some((
                _,
                ConstraintSpec::ForeignKey {
                    columns,
                    referred_columns,
                    ..
                },
            )) => {
                columns.push(from);
                referred_columns.push(to);
            }
            _ => pragma_fks.push((
                id,
                ConstraintSpec::ForeignKey {
                    name: None,
                    columns: vec![from],
                    referred_table: table,
                    referred_columns: vec![to],
                    ondelete,
                },
            )),
        }
    }
    let mut out = Vec::new();
    for (name, columns, referred_table, referred_columns) in parse_foreign_keys(sql) {
        let pos = pragma_fks.iter().position(|(_, c)| {
            matches!(c, ConstraintSpec::ForeignKey { columns: c1, referred_table: t1, referred_columns: r1, .. }
                if *c1 == columns && *t1 == referred_table && *r1 == referred_columns)
        });
        if let Some(pos) = pos {
            let (_, mut fk) = pragma_fks.remove(pos);
            if let ConstraintSpec::ForeignKey { name: n, .. } = &mut fk {
                *n = name;
            }
            out.push(fk);
        }
    }
    out.extend(pragma_fks.into_iter().map(|(_, c)| c));
    out
}

/// One `FOREIGN KEY` clause: (name, columns, referred table, referred columns).
type ForeignKeyClause = (Option<String>, Vec<String>, String, Vec<String>);

/// `[CONSTRAINT name] FOREIGN KEY(a, b) REFERENCES t (c, d)` clauses of a
/// `CREATE TABLE` text: (name, columns, table, referred columns).
fn parse_foreign_keys(sql: &str) -> Vec<ForeignKeyClause> {
    let mut out = Vec::new();
    let upper = sql.to_ascii_uppercase();
    let mut from = 0;
    while let Some(i) = upper[from..].find("FOREIGN KEY").map(|i| i + from) {
        from = i + "FOREIGN KEY".len();
        let Some((columns, after)) = paren_list(sql, from) else {
            continue;
        };
        let rest = &sql[after..];
        let Some(r) = rest.to_ascii_uppercase().find("REFERENCES") else {
            continue;
        };
        let rest = rest[r + "REFERENCES".len()..].trim_start();
        let table_end = rest
            .find(|c: char| c == '(' || c.is_whitespace())
            .unwrap_or(rest.len());
        let table = unquote(&rest[..table_end]);
        let offset = sql.len() - rest.len() + table_end;
        let referred = paren_list(sql, offset).map(|(c, _)| c).unwrap_or_default();
        out.push((constraint_name_before(sql, i), columns, table, referred));
    }
    out
}

/// `[CONSTRAINT name] UNIQUE (a, b)` clauses: (name, columns).
pub(crate) fn parse_uniques(sql: &str) -> Vec<(Option<String>, Vec<String>)> {
    let mut out = Vec::new();
    let upper = sql.to_ascii_uppercase();
    let mut from = 0;
    while let Some(i) = upper[from..].find("UNIQUE").map(|i| i + from) {
        from = i + "UNIQUE".len();
        if let Some((columns, _)) = paren_list(sql, from) {
            out.push((constraint_name_before(sql, i), columns));
        }
    }
    out
}

/// The name of `CONSTRAINT name ` just before byte `at`, if any.
fn constraint_name_before(sql: &str, at: usize) -> Option<String> {
    let before = sql[..at].trim_end();
    let name_start = if before.ends_with('"') && before.len() > 1 {
        // a quoted name may hold spaces
        before[..before.len() - 1].rfind('"')?
    } else {
        before
            .rfind(|c: char| c.is_whitespace() || c == ',' || c == '(')
            .map_or(0, |i| i + 1)
    };
    let name = &before[name_start..];
    let head = before[..name_start].trim_end();
    head.to_ascii_uppercase()
        .ends_with("CONSTRAINT")
        .then(|| unquote(name))
}

/// The comma-separated names in the parentheses that open at or after byte
/// `from` (only whitespace between); and the byte after `)`.
fn paren_list(sql: &str, from: usize) -> Option<(Vec<String>, usize)> {
    let rest = &sql[from..];
    let open = rest.len() - rest.trim_start().len();
    if !rest[open..].starts_with('(') {
        return None;
    }
    let close = rest[open..].find(')')? + open;
    let names = rest[open + 1..close]
        .split(',')
        .map(|s| unquote(s.trim()))
        .collect();
    Some((names, from + close + 1))
}

fn unquote(s: &str) -> String {
    let s = s.trim();
    if s.len() >= 2
        && ((s.starts_with('"') && s.ends_with('"'))
            || (s.starts_with('[') && s.ends_with(']'))
            || (s.starts_with('`') && s.ends_with('`')))
    {
        s[1..s.len() - 1].to_string()
    } else {
        s.to_string()
    }
}

/// Tables as SQLAlchemy 2.0's PostgreSQL dialect reflects them for
/// `Inspector._get_reflection_info` (a `Table` autoloaded, Alembic's
/// `pre_cache_tables`): for all of `names` at once, `get_multi_columns`
/// (then the domains and enums), `_get_table_oids`, the primary keys, the
/// foreign keys, the indexes, the unique constraints, the table comments
/// and the check constraints. Tables come back in `names`' order; an index
/// that backs a constraint is left out of `indexes` (Alembic's
/// `duplicates_constraint`), as are those of tables the server lacks.
///
/// No columns found (none of the tables is there): nothing is asked after
/// the columns, domains and enums.
///
/// Errors: the server's (an aborted transaction's `InternalError` at the
/// first query).
pub fn reflect_postgresql(
    run: &dyn Runner,
    names: &[String],
    relations: Relations,
) -> PyResult<Vec<ReflectedTable>> {
    let column_rows = run.rows(&pgr::columns_query(relations, names))?;
    run.rows(&pgr::domains_query())?;
    run.rows(&pgr::enums_query())?;
    let columns = pgr::columns_of(&column_rows);
    if columns.is_empty() {
        // `_get_reflection_info`'s `has_result`: no table, no more queries
        return Ok(Vec::new());
    }
    let oids = pgr::oids_of(&run.rows(&pgr::table_oids_query(relations, names))?);
    let oid_list: Vec<i64> = oids.iter().map(|(o, _)| *o).collect();
    let table_of = |oid: i64| {
        oids.iter()
            .find(|(o, _)| *o == oid)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    };
    let pks = if oid_list.is_empty() {
        Vec::new()
    } else {
        pgr::constraints_of(&run.rows(&pgr::constraint_query("p", &oid_list))?)
    };
    let fks = pgr::foreign_keys_of(&run.rows(&pgr::foreign_keys_query(relations, names))?);
    let (indexes, uniques) = if oid_list.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        (
            pgr::indexes_of(&run.rows(&pgr::indexes_query(&oid_list))?),
            pgr::constraints_of(&run.rows(&pgr::constraint_query("u", &oid_list))?),
        )
    };
    run.rows(&pgr::table_comment_query(relations, names))?;
    run.rows(&pgr::check_constraints_query(relations, names))?;
    let mut out = Vec::new();
    for name in names {
        let Some((_, cols)) = columns.iter().find(|(t, _)| t == name) else {
            continue;
        };
        let mut t = ReflectedTable {
            name: name.clone(),
            postgresql: true,
            columns: cols
                .iter()
                .map(|c| {
                    let (class, args) = pgr::reflect_type(&c.format_type);
                    ColumnSpec {
                        name: c.name.clone(),
                        type_sql: if args.is_empty() {
                            class
                        } else {
                            format!("{class}({})", args.join(", "))
                        },
                        nullable: c.nullable,
                        server_default: c.default.clone(),
                        autoincrement: Some(c.autoincrement),
                    }
                })
                .collect(),
            ..Default::default()
        };
        if let Some(pk) = pks.iter().find(|p| table_of(p.table_oid) == *name) {
            t.primary_key = pk.columns.clone();
            t.primary_key_name = Some(pk.name.clone());
        }
        if let Some((_, fks)) = fks.iter().find(|(n, _)| n == name) {
            for fk in fks {
                t.constraints.push(ConstraintSpec::ForeignKey {
                    name: Some(fk.name.clone()),
                    columns: fk.columns.clone(),
                    referred_table: fk.referred_table.clone(),
                    referred_columns: fk.referred_columns.clone(),
                    ondelete: fk
                        .options
                        .iter()
                        .find(|(k, _)| k == "ondelete")
                        .map(|(_, v)| v.clone()),
                });
            }
        }
        for u in uniques.iter().filter(|u| table_of(u.table_oid) == *name) {
            t.constraints.push(ConstraintSpec::Unique {
                name: Some(u.name.clone()),
                columns: u.columns.clone(),
            });
        }
        t.indexes = indexes
            .iter()
            .filter(|i| table_of(i.table_oid) == *name && !i.has_constraint)
            .map(|i| ReflectedIndex {
                name: i.name.clone(),
                columns: i.columns.iter().flatten().cloned().collect(),
                unique: i.unique,
            })
            .collect();
        t.indexes.sort_by(|a, b| a.name.cmp(&b.name));
        out.push(t);
    }
    Ok(out)
}

/// Alembic's `PostgresqlImpl.autogen_column_reflect`: an `INTEGER` or
/// `BIGINT` column whose default is `nextval('seq'::regclass)` asks which
/// column owns the sequence, and a `SERIAL` (owned by that very column)
/// loses its reflected default.
pub fn drop_serial_defaults(run: &dyn Runner, t: &mut ReflectedTable) -> PyResult<()> {
    for c in t.columns.iter_mut() {
        if !matches!(c.type_sql.as_str(), "INTEGER" | "BIGINT") {
            continue;
        }
        let Some(seq) = c
            .server_default
            .as_deref()
            .and_then(|d| d.strip_prefix("nextval('"))
            .and_then(|d| d.split_once("'::regclass)"))
            .map(|(s, _)| s.to_string())
        else {
            continue;
        };
        let rows = run.rows(&Compiled {
            sql: SERIAL_OWNER_SQL.into(),
            params: vec![BoundParam {
                name: "seqname".into(),
                value: SqlValue::Text(seq),
                callable_: None,
            }],
        })?;
        if rows.first().map(|r| text(r.get(1))).as_deref() == Some(c.name.as_str()) {
            c.server_default = None;
        }
    }
    Ok(())
}

/// Alembic's query for the column a sequence belongs to.
const SERIAL_OWNER_SQL: &str = "select c.relname, a.attname from pg_class as c join pg_depend d on d.objid=c.oid and d.classid='pg_class'::regclass and d.refclassid='pg_class'::regclass join pg_class t on t.oid=d.refobjid join pg_attribute a on a.attrelid=t.oid and a.attnum=d.refobjsubid where c.relkind='S' and c.oid=cast(%(seqname)s as regclass)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraints_are_read_from_the_table_sql() {
        let sql = "CREATE TABLE _alembic_tmp_roles (\n\tid INTEGER NOT NULL, \n\tparent_id INTEGER, \n\tPRIMARY KEY (id), \n\tCONSTRAINT fk_roles_parent FOREIGN KEY(parent_id) REFERENCES roles (id), \n\tUNIQUE (name), \n\tCONSTRAINT \"uq x\" UNIQUE (name, id)\n)";
        assert_eq!(
            parse_foreign_keys(sql),
            [(
                Some("fk_roles_parent".to_string()),
                vec!["parent_id".to_string()],
                "roles".to_string(),
                vec!["id".to_string()]
            )]
        );
        assert_eq!(
            parse_uniques(sql),
            [
                (None, vec!["name".to_string()]),
                (
                    Some("uq x".to_string()),
                    vec!["name".to_string(), "id".to_string()]
                )
            ]
        );
    }
}
