//! Autogenerate's comparison: the database reflected as Alembic 1.x
//! reflects it (`autogenerate/compare/tables.py`, `_InspectorConv.
//! pre_cache_tables`: every table's columns, then every table's primary
//! key, foreign keys, indexes and unique constraints, each kind for all
//! tables before the next, in SQLAlchemy 2.0's SQLite queries), diffed
//! against the models' `MetaData` into Alembic's operations, in Alembic's
//! order:
//!
//! 1. tables only the models have (`add_table`, in `sorted_tables` order),
//!    each followed by its indexes (`add_index`);
//! 2. tables only the database has (`remove_index` …, `remove_table`);
//! 3. the tables both have, by name: added columns (model order), changed
//!    columns (`modify_type`, `modify_nullable`), indexes and unique
//!    constraints (removed, changed, added, each by name), foreign keys,
//!    then removed columns.
//!
//! As Alembic's defaults: types are compared (`compare_type=True`, by the
//! DDL's tokens, `DefaultImpl.compare_type`), server defaults are not
//! (`compare_server_default=False`), and a renamed column is a drop plus
//! an add. `alembic_version` is never compared.

use crate::python::PyResult;
use crate::sql::compiler::Compiled;
use crate::sql::schema::{SqlType, Table, TableConstraint};

use super::autogenerate::{AgType, GenName, MigrateOp, RenderColumn, TableSource, py_str};
use super::ddl::{ColumnSpec, ConstraintSpec};
use super::reflection::{self, ReflectedIndex, ReflectedTable, Runner};

use super::reflection::TABLE_NAMES_SQL;

/// Alembic's version table, left out of every comparison.
const VERSION_TABLE: &str = "alembic_version";

/// Every table of the database (but `alembic_version`) by name, reflected
/// with the queries and in the order Alembic's autogenerate sends them.
///
/// Errors: the database's, as SQLAlchemy's `OperationalError`.
///
/// On PostgreSQL (`postgresql`) the queries are SQLAlchemy's `pg_catalog`
/// ones for all tables at once (`reflection::reflect_postgresql`), then
/// Alembic's `autogen_column_reflect` asks for each `SERIAL`'s sequence:
/// the tables only the database has first, then those `meta` has too.
pub fn reflect_database(
    run: &dyn Runner,
    postgresql: bool,
    meta: &[Table],
) -> PyResult<Vec<ReflectedTable>> {
    if postgresql {
        return reflect_postgresql_database(run, meta);
    }
    let names: Vec<String> = run
        .rows(&Compiled::text(TABLE_NAMES_SQL))?
        .iter()
        .map(|r| reflection::text(r.first()))
        .filter(|n| n != VERSION_TABLE)
        .collect();
    let mut tables: Vec<ReflectedTable> = Vec::new();
    // get_multi_columns
    for name in &names {
        let info = reflection::pragma(run, "table_xinfo", name)?;
        let (columns, primary_key) = reflection::columns_of(&info);
        tables.push(ReflectedTable {
            name: name.clone(),
            columns,
            primary_key,
            ..Default::default()
        });
    }
    // get_multi_pk_constraint: each table's SQL, for a named key
    for name in &names {
        reflection::table_sql(run, name)?;
    }
    // get_multi_foreign_keys
    for t in tables.iter_mut() {
        let rows = reflection::pragma(run, "foreign_key_list", &t.name)?;
        let sql = reflection::table_sql(run, &t.name)?.unwrap_or_default();
        t.constraints = reflection::foreign_keys(&rows, &sql);
    }
    // get_multi_indexes
    for t in tables.iter_mut() {
        t.indexes = reflection::indexes(run, &t.name, false)?
            .into_iter()
            .filter(|i| !i.name.starts_with("sqlite_autoindex"))
            .collect();
    }
    // get_multi_unique_constraints (check constraints and the rest send
    // nothing more: the table's SQL is cached by then)
    for t in tables.iter_mut() {
        let autos: Vec<Vec<String>> = reflection::indexes(run, &t.name, true)?
            .into_iter()
            .filter(|i| i.name.starts_with("sqlite_autoindex"))
            .map(|i| i.columns)
            .collect();
        let sql = reflection::table_sql(run, &t.name)?.unwrap_or_default();
        for (name, columns) in reflection::parse_uniques(&sql) {
            if autos.contains(&columns) {
                t.constraints.push(ConstraintSpec::Unique { name, columns });
            }
        }
    }
    Ok(tables)
}

fn reflect_postgresql_database(run: &dyn Runner, meta: &[Table]) -> PyResult<Vec<ReflectedTable>> {
    use crate::sql::dialect::postgresql::reflection as pgr;
    let names: Vec<String> = run
        .rows(&pgr::table_names_query())?
        .iter()
        .map(|r| reflection::text(r.first()))
        .filter(|n| n != VERSION_TABLE)
        .collect();
    let mut tables = reflection::reflect_postgresql(run, &names, pgr::Relations::Tables)?;
    let in_meta = |t: &ReflectedTable| meta.iter().any(|m| m.name == t.name);
    for only_db in [true, false] {
        for t in tables.iter_mut().filter(|t| in_meta(t) != only_db) {
            reflection::drop_serial_defaults(run, t)?;
        }
    }
    tables.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(tables)
}

/// One difference, as an entry of `compare_metadata()`'s list, and the
/// operation `upgrade()` / `downgrade()` renders for it.
#[derive(Debug, Clone, PartialEq)]
pub enum Diff {
    /// A table only the models have.
    AddTable(Table),
    /// A table only the database has.
    RemoveTable(ReflectedTable),
    /// Table and the model's column.
    AddColumn(String, RenderColumn),
    /// Table and the database's column.
    RemoveColumn(String, RenderColumn),
    /// A column both have that changed: `existing_*` are the database's,
    /// `type_` / `nullable` the model's when they differ (Alembic's
    /// `AlterColumnOp`, whose diff is a list of `modify_type`,
    /// `modify_nullable` tuples).
    AlterColumn {
        table: String,
        column: String,
        existing_type: AgType,
        existing_nullable: bool,
        existing_server_default: Option<String>,
        type_: Option<AgType>,
        nullable: Option<bool>,
    },
    AddIndex(String, MetaIndex),
    RemoveIndex(String, MetaIndex),
    AddUnique(String, Option<GenName>, Vec<String>),
    /// Table, name, columns, and whether it was reflected from PostgreSQL
    /// (whose reflection gives it `postgresql_nulls_not_distinct`).
    RemoveUnique(String, Option<GenName>, Vec<String>, bool),
    AddForeignKey(String, ForeignKeySig),
    RemoveForeignKey(String, ForeignKeySig),
}

/// An index by name, columns and uniqueness.
#[derive(Debug, Clone, PartialEq)]
pub struct MetaIndex {
    pub name: GenName,
    pub columns: Vec<String>,
    pub unique: bool,
    /// Reflected from the database (not the models').
    pub reflected: bool,
}

/// A foreign key as Alembic compares it: columns, referred table and
/// columns, `ondelete` (SQLite reflects its options).
#[derive(Debug, Clone, PartialEq)]
pub struct ForeignKeySig {
    pub name: Option<GenName>,
    pub columns: Vec<String>,
    pub referred_table: String,
    pub referred_columns: Vec<String>,
    pub ondelete: Option<String>,
}

impl ForeignKeySig {
    fn same(&self, o: &ForeignKeySig) -> bool {
        self.columns == o.columns
            && self.referred_table == o.referred_table
            && self.referred_columns == o.referred_columns
            && self.ondelete == o.ondelete
    }
}

impl Diff {
    /// The tuple's first item: `'add_table'`, `'modify_nullable'`, …
    pub fn kind(&self) -> &'static str {
        match self {
            Diff::AddTable(_) => "add_table",
            Diff::RemoveTable(_) => "remove_table",
            Diff::AddColumn(..) => "add_column",
            Diff::RemoveColumn(..) => "remove_column",
            Diff::AlterColumn { type_: Some(_), .. } => "modify_type",
            Diff::AlterColumn { .. } => "modify_nullable",
            Diff::AddIndex(..) => "add_index",
            Diff::RemoveIndex(..) => "remove_index",
            Diff::AddUnique(..) => "add_constraint",
            Diff::RemoveUnique(..) => "remove_constraint",
            Diff::AddForeignKey(..) => "add_fk",
            Diff::RemoveForeignKey(..) => "remove_fk",
        }
    }

    /// The operation `upgrade()` renders.
    pub fn upgrade(&self) -> MigrateOp {
        match self {
            Diff::AddTable(t) => {
                let (columns, constraints) = meta_table_parts(t);
                MigrateOp::CreateTable(t.name.clone(), columns, constraints, TableSource::Metadata)
            }
            Diff::RemoveTable(t) => MigrateOp::DropTable(t.name.clone()),
            Diff::AddColumn(t, c) => MigrateOp::AddColumn(t.clone(), c.clone()),
            Diff::RemoveColumn(t, c) => MigrateOp::DropColumn(t.clone(), c.name.clone()),
            Diff::AlterColumn {
                table,
                column,
                existing_type,
                existing_nullable,
                existing_server_default,
                type_,
                nullable,
            } => MigrateOp::AlterColumn {
                table: table.clone(),
                column: column.clone(),
                existing_type: existing_type.clone(),
                type_: type_.clone(),
                nullable: *nullable,
                existing_nullable: Some(*existing_nullable),
                existing_server_default: existing_server_default.clone(),
            },
            Diff::AddIndex(t, i) => create_index(t, i),
            Diff::RemoveIndex(t, i) => drop_index(t, i),
            Diff::AddUnique(t, name, columns) => MigrateOp::CreateUniqueConstraint {
                name: name.clone(),
                table: t.clone(),
                columns: columns.clone(),
                dialect_kwargs: Vec::new(),
            },
            Diff::RemoveUnique(t, name, _, _) => MigrateOp::DropConstraint {
                name: name.clone(),
                table: t.clone(),
                type_: "unique",
            },
            Diff::AddForeignKey(t, fk) => create_fk(t, fk),
            Diff::RemoveForeignKey(t, fk) => MigrateOp::DropConstraint {
                name: fk.name.clone(),
                table: t.clone(),
                type_: "foreignkey",
            },
        }
    }

    /// The operation `downgrade()` renders: the upgrade's reverse
    /// (`MigrateOperation.reverse()`).
    pub fn downgrade(&self) -> MigrateOp {
        match self {
            Diff::AddTable(t) => MigrateOp::DropTable(t.name.clone()),
            Diff::RemoveTable(t) => {
                let columns = t
                    .columns
                    .iter()
                    .map(|c| reflected_column(c, &t.primary_key))
                    .collect();
                let mut constraints = t.constraints.clone();
                if !t.primary_key.is_empty() {
                    constraints.push(ConstraintSpec::PrimaryKey {
                        name: t.primary_key_name.clone(),
                        columns: t.primary_key.clone(),
                    });
                }
                MigrateOp::CreateTable(
                    t.name.clone(),
                    columns,
                    constraints,
                    TableSource::Reflected {
                        postgresql: t.postgresql,
                    },
                )
            }
            Diff::AddColumn(t, c) => MigrateOp::DropColumn(t.clone(), c.name.clone()),
            Diff::RemoveColumn(t, c) => MigrateOp::AddColumn(t.clone(), c.clone()),
            // `AlterColumnOp.reverse()`: what changed and what it was swap
            Diff::AlterColumn {
                table,
                column,
                existing_type,
                existing_nullable,
                existing_server_default,
                type_,
                nullable,
            } => MigrateOp::AlterColumn {
                table: table.clone(),
                column: column.clone(),
                existing_type: type_.clone().unwrap_or_else(|| existing_type.clone()),
                type_: type_.as_ref().map(|_| existing_type.clone()),
                nullable: nullable.map(|_| *existing_nullable),
                existing_nullable: Some(nullable.unwrap_or(*existing_nullable)),
                existing_server_default: existing_server_default.clone(),
            },
            Diff::AddIndex(t, i) => drop_index(t, i),
            Diff::RemoveIndex(t, i) => create_index(t, i),
            Diff::AddUnique(t, name, _) => MigrateOp::DropConstraint {
                name: name.clone(),
                table: t.clone(),
                type_: "unique",
            },
            Diff::RemoveUnique(t, name, columns, postgresql) => MigrateOp::CreateUniqueConstraint {
                name: name.clone(),
                table: t.clone(),
                columns: columns.clone(),
                // the reflected dialect option; the tutor's tables never
                // have NULLS NOT DISTINCT (SQLAlchemy's option not built)
                dialect_kwargs: if *postgresql {
                    vec![("postgresql_nulls_not_distinct".into(), "False".into())]
                } else {
                    Vec::new()
                },
            },
            Diff::AddForeignKey(t, fk) => MigrateOp::DropConstraint {
                name: fk.name.clone(),
                table: t.clone(),
                type_: "foreignkey",
            },
            Diff::RemoveForeignKey(t, fk) => create_fk(t, fk),
        }
    }
}

fn create_index(table: &str, i: &MetaIndex) -> MigrateOp {
    MigrateOp::CreateIndex {
        name: i.name.clone(),
        table: table.to_string(),
        columns: i.columns.clone(),
        unique: i.unique,
        reflected: i.reflected,
    }
}

fn drop_index(table: &str, i: &MetaIndex) -> MigrateOp {
    MigrateOp::DropIndex {
        name: i.name.clone(),
        table: table.to_string(),
    }
}

fn create_fk(table: &str, fk: &ForeignKeySig) -> MigrateOp {
    MigrateOp::CreateForeignKey {
        name: fk.name.clone(),
        source: table.to_string(),
        referent: fk.referred_table.clone(),
        local: fk.columns.clone(),
        remote: fk.referred_columns.clone(),
        ondelete: fk.ondelete.clone(),
    }
}

/// `upgrade()`'s operations, in order.
pub fn upgrade_ops(diffs: &[Diff]) -> Vec<MigrateOp> {
    diffs.iter().map(Diff::upgrade).collect()
}

/// `downgrade()`'s operations: the upgrade's reversed, last first
/// (`UpgradeOps.reverse_into`).
pub fn downgrade_ops(diffs: &[Diff]) -> Vec<MigrateOp> {
    diffs.iter().rev().map(Diff::downgrade).collect()
}

/// A model column's server default as autogenerate renders it: a string
/// literal default as the Python string (`'0'`), other SQL as `sa.text(…)`.
fn meta_server_default(ddl: &str) -> String {
    let quoted = ddl.len() >= 2 && ddl.starts_with('\'') && ddl.ends_with('\'');
    if quoted {
        py_str(&ddl[1..ddl.len() - 1].replace("''", "'"))
    } else {
        format!("sa.text({})", py_str(ddl))
    }
}

/// A reflected server default: `sa.text("'0'")`.
fn reflected_server_default(ddl: &str) -> String {
    format!("sa.text({})", py_str(ddl))
}

/// A model column: nullable unless NOT NULL or in the primary key.
fn meta_column(c: &crate::sql::schema::Column) -> RenderColumn {
    RenderColumn {
        name: c.name.clone(),
        sql_type: AgType::Meta(c.sql_type.clone()),
        nullable: c.nullable && !c.primary_key,
        server_default: c.server_default.as_deref().map(meta_server_default),
        autoincrement: None,
    }
}

fn reflected_column(c: &ColumnSpec, primary_key: &[String]) -> RenderColumn {
    RenderColumn {
        name: c.name.clone(),
        sql_type: AgType::Reflected(c.type_sql.clone()),
        nullable: c.nullable && !primary_key.contains(&c.name),
        server_default: c.server_default.as_deref().map(reflected_server_default),
        autoincrement: c.autoincrement,
    }
}

/// A model table's columns and constraints as `create_table` lists them.
fn meta_table_parts(t: &Table) -> (Vec<RenderColumn>, Vec<ConstraintSpec>) {
    let columns = t.columns.iter().map(meta_column).collect();
    let mut constraints: Vec<ConstraintSpec> = meta_fks(t)
        .into_iter()
        .map(|fk| ConstraintSpec::ForeignKey {
            name: None,
            columns: fk.columns,
            referred_table: fk.referred_table,
            referred_columns: fk.referred_columns,
            ondelete: fk.ondelete,
        })
        .collect();
    let pk: Vec<String> = t
        .columns
        .iter()
        .filter(|c| c.primary_key)
        .map(|c| c.name.clone())
        .collect();
    if !pk.is_empty() {
        constraints.push(ConstraintSpec::PrimaryKey {
            name: None,
            columns: pk,
        });
    }
    for (name, columns) in meta_uniques(t) {
        constraints.push(ConstraintSpec::Unique { name, columns });
    }
    for c in &t.constraints {
        if let TableConstraint::Check { name, sql } = c {
            constraints.push(ConstraintSpec::Check {
                name: name.clone(),
                sql: sql.clone(),
            });
        }
    }
    (columns, constraints)
}

fn meta_fks(t: &Table) -> Vec<ForeignKeySig> {
    t.columns
        .iter()
        .filter_map(|c| {
            c.foreign_key.as_ref().map(|fk| ForeignKeySig {
                name: None,
                columns: vec![c.name.clone()],
                referred_table: fk.table.clone(),
                referred_columns: vec![fk.column.clone()],
                ondelete: fk.ondelete.clone(),
            })
        })
        .collect()
}

/// The model's unique constraints: `unique=True` columns without an index,
/// then `UniqueConstraint(...)`s.
fn meta_uniques(t: &Table) -> Vec<(Option<String>, Vec<String>)> {
    let mut out: Vec<(Option<String>, Vec<String>)> = t
        .columns
        .iter()
        .filter(|c| c.unique && !c.index)
        .map(|c| (None, vec![c.name.clone()]))
        .collect();
    for c in &t.constraints {
        if let TableConstraint::Unique { name, columns } = c {
            out.push((name.clone(), columns.clone()));
        }
    }
    out
}

/// The model's indexes: `index=True` columns' (names SQLAlchemy made:
/// `op.f(…)`), then `Index(...)`s.
fn meta_indexes(t: &Table) -> Vec<MetaIndex> {
    let mut out: Vec<MetaIndex> = t
        .columns
        .iter()
        .filter(|c| c.index)
        .map(|c| MetaIndex {
            name: GenName {
                name: format!("ix_{}_{}", t.name, c.name),
                conv: true,
            },
            columns: vec![c.name.clone()],
            unique: c.unique,
            reflected: false,
        })
        .collect();
    out.extend(t.indexes.iter().map(|i| MetaIndex {
        name: GenName {
            name: i.name.clone(),
            conv: false,
        },
        columns: i.columns.clone(),
        unique: i.unique,
        reflected: false,
    }));
    out
}

/// `impl.compare_type`: the two types' DDL tokenized (`varchar`, `(100)`);
/// different when the first words differ (NUMERIC and DECIMAL are one),
/// or when both have as many arguments and they differ.
pub fn types_differ(reflected: &str, meta: &SqlType) -> bool {
    fn tokens(sql: &str) -> (Vec<String>, Vec<String>) {
        let lower = sql.to_lowercase();
        let (words, args) = match lower.split_once('(') {
            Some((w, rest)) => {
                let inner = rest.split(')').next().unwrap_or("");
                let after = rest.split_once(')').map_or("", |(_, a)| a);
                (
                    format!("{w} {after}"),
                    inner
                        .split(',')
                        .map(|a| a.trim().to_string())
                        .filter(|a| !a.is_empty())
                        .collect(),
                )
            }
            None => (lower.clone(), Vec::new()),
        };
        (words.split_whitespace().map(str::to_string).collect(), args)
    }
    let (iw, ia) = tokens(reflected);
    let (mw, ma) = tokens(&meta.ddl());
    let first = |w: &[String]| w.first().cloned().unwrap_or_default();
    let synonyms = ["numeric", "decimal"];
    let same_kind = first(&iw) == first(&mw)
        || (synonyms.contains(&first(&iw).as_str()) && synonyms.contains(&first(&mw).as_str()));
    if !same_kind {
        return true;
    }
    (iw.len() == mw.len() && iw[1..] != mw[1..]) || (ia.len() == ma.len() && ia != ma)
}

/// `PostgresqlImpl.compare_type`: both types in PostgreSQL's DDL (a
/// reflected `TIMESTAMP()` and a model's `DateTime` are both `TIMESTAMP
/// WITHOUT TIME ZONE`), `FLOAT` and `DOUBLE PRECISION` one type, then
/// compared as [`types_differ`] does.
pub fn postgresql_types_differ(reflected: &str, meta: &SqlType) -> bool {
    let reflected_ddl = match reflected {
        "TIMESTAMP" => "TIMESTAMP WITHOUT TIME ZONE".to_string(),
        "TIME" => "TIME WITHOUT TIME ZONE".to_string(),
        r if r.starts_with("DOUBLE_PRECISION") => "FLOAT".to_string(),
        r => r.to_string(),
    };
    match meta {
        SqlType::DateTime => reflected_ddl != "TIMESTAMP WITHOUT TIME ZONE",
        SqlType::Float => reflected_ddl != "FLOAT",
        _ => types_differ(&reflected_ddl, meta),
    }
}

/// Alembic's `compare_metadata(context, metadata)`: what it takes to make
/// the database (`conn`, reflected by [`reflect_database`]) match the
/// models' tables (`meta`, in `sorted_tables` order).
pub fn compare(conn: &[ReflectedTable], meta: &[Table]) -> Vec<Diff> {
    let mut out = Vec::new();
    let meta: Vec<&Table> = meta.iter().filter(|t| t.name != VERSION_TABLE).collect();
    let in_conn = |n: &str| conn.iter().any(|t| t.name == n);
    let in_meta = |n: &str| meta.iter().any(|t| t.name == n);
    for t in meta.iter().filter(|t| !in_conn(&t.name)) {
        out.push(Diff::AddTable((*t).clone()));
        let mut indexes = meta_indexes(t);
        indexes.sort_by(|a, b| a.name.name.cmp(&b.name.name));
        for i in indexes {
            out.push(Diff::AddIndex(t.name.clone(), i));
        }
    }
    for t in conn.iter().filter(|t| !in_meta(&t.name)) {
        for i in &t.indexes {
            out.push(Diff::RemoveIndex(t.name.clone(), reflected_index(i)));
        }
        out.push(Diff::RemoveTable(t.clone()));
    }
    for c in conn {
        if let Some(m) = meta.iter().find(|t| t.name == c.name) {
            compare_table(c, m, &mut out);
        }
    }
    out
}

fn reflected_index(i: &ReflectedIndex) -> MetaIndex {
    MetaIndex {
        name: GenName {
            name: i.name.clone(),
            conv: true,
        },
        columns: i.columns.clone(),
        unique: i.unique,
        reflected: true,
    }
}

fn compare_table(conn: &ReflectedTable, meta: &Table, out: &mut Vec<Diff>) {
    let table = &meta.name;
    let conn_col = |n: &str| conn.columns.iter().find(|c| c.name == n);
    for c in &meta.columns {
        if conn_col(&c.name).is_none() {
            out.push(Diff::AddColumn(table.clone(), meta_column(c)));
        }
    }
    for c in &meta.columns {
        let Some(cc) = conn_col(&c.name) else {
            continue;
        };
        let conn_nullable = cc.nullable && !conn.primary_key.contains(&cc.name);
        let meta_nullable = c.nullable && !c.primary_key;
        let existing_server_default = cc.server_default.as_deref().map(reflected_server_default);
        let type_ = if conn.postgresql {
            postgresql_types_differ(&cc.type_sql, &c.sql_type)
        } else {
            types_differ(&cc.type_sql, &c.sql_type)
        }
        .then(|| AgType::Meta(c.sql_type.clone()));
        let nullable = (conn_nullable != meta_nullable).then_some(meta_nullable);
        if type_.is_some() || nullable.is_some() {
            out.push(Diff::AlterColumn {
                table: table.clone(),
                column: c.name.clone(),
                existing_type: AgType::Reflected(cc.type_sql.clone()),
                existing_nullable: conn_nullable,
                existing_server_default,
                type_,
                nullable,
            });
        }
    }
    compare_indexes_and_uniques(conn, meta, out);
    compare_foreign_keys(conn, meta, out);
    for cc in &conn.columns {
        if !meta.columns.iter().any(|c| c.name == cc.name) {
            out.push(Diff::RemoveColumn(
                table.clone(),
                reflected_column(cc, &conn.primary_key),
            ));
        }
    }
}

/// A named index or unique constraint on one side.
#[derive(Clone)]
enum Named {
    Index(MetaIndex),
    Unique(GenName, Vec<String>),
}

/// `_compare_indexes_and_uniques`: by name (removed, changed, added, each
/// sorted), then the model's unnamed unique constraints the database
/// lacks.
fn compare_indexes_and_uniques(conn: &ReflectedTable, meta: &Table, out: &mut Vec<Diff>) {
    let table = &meta.name;
    let conn_uniques: Vec<(Option<String>, Vec<String>)> = conn
        .constraints
        .iter()
        .filter_map(|c| match c {
            ConstraintSpec::Unique { name, columns } => Some((name.clone(), columns.clone())),
            _ => None,
        })
        .collect();
    let meta_uniques = meta_uniques(meta);
    let mut conn_named: Vec<(String, Named)> = conn
        .indexes
        .iter()
        .map(|i| (i.name.clone(), Named::Index(reflected_index(i))))
        .collect();
    for (name, columns) in &conn_uniques {
        if let Some(n) = name {
            let g = GenName {
                name: n.clone(),
                conv: true,
            };
            conn_named.push((n.clone(), Named::Unique(g, columns.clone())));
        }
    }
    let mut meta_named: Vec<(String, Named)> = meta_indexes(meta)
        .into_iter()
        .map(|i| (i.name.name.clone(), Named::Index(i)))
        .collect();
    for (name, columns) in &meta_uniques {
        if let Some(n) = name {
            let g = GenName {
                name: n.clone(),
                conv: false,
            };
            meta_named.push((n.clone(), Named::Unique(g, columns.clone())));
        }
    }
    conn_named.sort_by(|a, b| a.0.cmp(&b.0));
    meta_named.sort_by(|a, b| a.0.cmp(&b.0));
    let unnamed_meta: Vec<&Vec<String>> = meta_uniques
        .iter()
        .filter(|(n, _)| n.is_none())
        .map(|(_, c)| c)
        .collect();
    let removed = |n: &Named, out: &mut Vec<Diff>| match n {
        Named::Index(i) => out.push(Diff::RemoveIndex(table.clone(), i.clone())),
        Named::Unique(g, c) => out.push(Diff::RemoveUnique(
            table.clone(),
            Some(g.clone()),
            c.clone(),
            conn.postgresql,
        )),
    };
    let added = |n: &Named, out: &mut Vec<Diff>| match n {
        Named::Index(i) => out.push(Diff::AddIndex(table.clone(), i.clone())),
        Named::Unique(g, c) => out.push(Diff::AddUnique(table.clone(), Some(g.clone()), c.clone())),
    };
    for (name, c) in &conn_named {
        if meta_named.iter().any(|(m, _)| m == name) {
            continue;
        }
        if let Named::Unique(_, cols) = c
            && unnamed_meta.contains(&cols)
        {
            continue;
        }
        removed(c, out);
    }
    for (name, m) in &meta_named {
        let Some((_, c)) = conn_named.iter().find(|(n, _)| n == name) else {
            continue;
        };
        let differs = match (c, m) {
            (Named::Index(a), Named::Index(b)) => a.columns != b.columns || a.unique != b.unique,
            (Named::Unique(_, a), Named::Unique(_, b)) => a != b,
            _ => true,
        };
        if differs {
            removed(c, out);
            added(m, out);
        }
    }
    for (name, m) in &meta_named {
        if !conn_named.iter().any(|(n, _)| n == name) {
            added(m, out);
        }
    }
    for cols in unnamed_meta {
        if !conn_uniques.iter().any(|(_, c)| c == cols) {
            out.push(Diff::AddUnique(table.clone(), None, cols.clone()));
        }
    }
}

/// `_compare_foreign_keys`: by columns, referred table and columns and
/// `ondelete`; removed ones first.
fn compare_foreign_keys(conn: &ReflectedTable, meta: &Table, out: &mut Vec<Diff>) {
    let conn_fks: Vec<ForeignKeySig> = conn
        .constraints
        .iter()
        .filter_map(|c| match c {
            ConstraintSpec::ForeignKey {
                name,
                columns,
                referred_table,
                referred_columns,
                ondelete,
            } => Some(ForeignKeySig {
                name: name.as_ref().map(|n| GenName {
                    name: n.clone(),
                    conv: true,
                }),
                columns: columns.clone(),
                referred_table: referred_table.clone(),
                referred_columns: referred_columns.clone(),
                ondelete: ondelete.clone(),
            }),
            _ => None,
        })
        .collect();
    let meta_fks = meta_fks(meta);
    for fk in &conn_fks {
        if !meta_fks.iter().any(|m| m.same(fk)) {
            out.push(Diff::RemoveForeignKey(meta.name.clone(), fk.clone()));
        }
    }
    for fk in &meta_fks {
        if !conn_fks.iter().any(|c| c.same(fk)) {
            out.push(Diff::AddForeignKey(meta.name.clone(), fk.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::schema::{Column, ForeignKey, Index};

    fn spec(name: &str, type_sql: &str, nullable: bool) -> ColumnSpec {
        ColumnSpec {
            autoincrement: None,
            name: name.into(),
            type_sql: type_sql.into(),
            nullable,
            server_default: None,
        }
    }

    fn users_in_db() -> ReflectedTable {
        ReflectedTable {
            postgresql: false,
            name: "users".into(),
            columns: vec![
                spec("id", "INTEGER", false),
                spec("name", "VARCHAR(100)", true),
                spec("email", "TEXT", false),
                spec("old", "INTEGER", true),
            ],
            primary_key: vec!["id".into()],
            primary_key_name: None,
            constraints: vec![ConstraintSpec::Unique {
                name: None,
                columns: vec!["email".into()],
            }],
            indexes: vec![ReflectedIndex {
                name: "ix_users_old".into(),
                columns: vec!["old".into()],
                unique: false,
            }],
        }
    }

    fn users_model() -> Table {
        let mut id = Column::new("id", SqlType::Integer);
        id.primary_key = true;
        let mut name = Column::new("name", SqlType::String(Some(100)));
        name.nullable = false;
        let mut email = Column::new("email", SqlType::String(Some(255)));
        email.nullable = false;
        email.unique = true;
        let mut age = Column::new("age", SqlType::Integer);
        age.index = true;
        Table::new("users", vec![id, name, email, age])
    }

    fn kinds(d: &[Diff]) -> Vec<&'static str> {
        d.iter().map(Diff::kind).collect()
    }

    /// The order of Alembic 1.20's `compare_metadata` for the same change:
    /// added column, altered columns, indexes (removed then added), then
    /// removed columns.
    #[test]
    fn an_existing_table_is_compared_in_alembics_order() {
        let d = compare(&[users_in_db()], &[users_model()]);
        assert_eq!(
            kinds(&d),
            [
                "add_column",
                "modify_nullable",
                "modify_type",
                "remove_index",
                "add_index",
                "remove_column"
            ]
        );
        let up = super::super::autogenerate::render_python_code(&upgrade_ops(&d));
        assert!(
            up.contains("op.alter_column('users', 'name',\n               existing_type=sa.VARCHAR(length=100),\n               nullable=False)"),
            "{up}"
        );
        assert!(
            up.contains("op.drop_index(op.f('ix_users_old'), table_name='users')"),
            "{up}"
        );
        let down = super::super::autogenerate::render_python_code(&downgrade_ops(&d));
        assert!(
            down.starts_with("# ### commands auto generated by Alembic - please adjust! ###\n    op.add_column('users', sa.Column('old', sa.INTEGER(), nullable=True))"),
            "{down}"
        );
    }

    #[test]
    fn tables_added_and_removed() {
        let mut tag_user = Column::new("user_id", SqlType::Integer);
        tag_user.foreign_key = Some(ForeignKey {
            table: "users".into(),
            column: "id".into(),
            ondelete: None,
        });
        let mut id = Column::new("id", SqlType::Integer);
        id.primary_key = true;
        let mut tags = Table::new("tags", vec![id, tag_user]);
        tags.indexes.push(Index {
            name: "ix_pair".into(),
            columns: vec!["user_id".into()],
            unique: false,
        });
        let legacy = ReflectedTable {
            name: "legacy".into(),
            columns: vec![spec("id", "INTEGER", false)],
            primary_key: vec!["id".into()],
            ..Default::default()
        };
        let mut users = users_in_db();
        users.columns.retain(|c| c.name != "old");
        users.indexes.clear();
        let mut model = users_model();
        model.columns.pop();
        model.columns[1].nullable = true;
        model.columns[2].sql_type = SqlType::Text;
        let d = compare(&[legacy, users], &[model, tags]);
        assert_eq!(kinds(&d), ["add_table", "add_index", "remove_table"]);
        let down = super::super::autogenerate::render_python_code(&downgrade_ops(&d));
        assert_eq!(
            down,
            "# ### commands auto generated by Alembic - please adjust! ###\n    op.create_table('legacy',\n    sa.Column('id', sa.INTEGER(), nullable=False),\n    sa.PrimaryKeyConstraint('id')\n    )\n    op.drop_index('ix_pair', table_name='tags')\n    op.drop_table('tags')\n    # ### end Alembic commands ###"
        );
    }

    #[test]
    fn types_compare_as_alembics_tokens() {
        assert!(!types_differ("VARCHAR(100)", &SqlType::String(Some(100))));
        assert!(types_differ("VARCHAR(100)", &SqlType::String(Some(200))));
        assert!(types_differ("TEXT", &SqlType::String(Some(255))));
        assert!(!types_differ("INTEGER", &SqlType::Integer));
        assert!(!types_differ(
            "DECIMAL(10, 2)",
            &SqlType::Numeric(Some(10), Some(2))
        ));
        assert!(!types_differ("DATETIME", &SqlType::DateTime));
        assert!(types_differ("INTEGER", &SqlType::Text));
    }

    #[test]
    fn unique_constraints_by_name_and_by_columns() {
        let mut db = users_in_db();
        db.constraints.push(ConstraintSpec::Unique {
            name: Some("uq_gone".into()),
            columns: vec!["name".into()],
        });
        let mut model = users_model();
        model.constraints.push(TableConstraint::Unique {
            name: Some("uq_new".into()),
            columns: vec!["name".into(), "email".into()],
        });
        let d = compare(&[db], &[model]);
        let up = super::super::autogenerate::render_python_code(&upgrade_ops(&d));
        assert!(
            up.contains("op.drop_constraint(op.f('uq_gone'), 'users', type_='unique')"),
            "{up}"
        );
        assert!(
            up.contains("op.create_unique_constraint('uq_new', 'users', ['name', 'email'])"),
            "{up}"
        );
    }
}
