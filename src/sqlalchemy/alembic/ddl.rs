//! The DDL Alembic 1.x sends on SQLite, as text: a table as Alembic's
//! operations see it ([`TableSpec`]: columns and constraints in creation
//! order, from `op.create_table(...)` arguments or from reflection), and
//! the statements of `alembic/ddl/base.py` and `ddl/sqlite.py`
//! (`ALTER TABLE t ADD COLUMN …`, `DROP COLUMN`, `RENAME TO`,
//! `RENAME COLUMN … TO …`, `ALTER COLUMN …`), with SQLAlchemy's
//! `CREATE TABLE` / `CREATE INDEX` / `DROP INDEX` text.
//!
//! The same model serves batch mode's move-and-copy and, later,
//! autogenerate's comparison of `MetaData` with the database.

use crate::sql::dialect::Dialect;

/// One column as its DDL needs it: the type already as SQL
/// (`VARCHAR(50)`), `server_default` as its DDL text (`'x'`).
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnSpec {
    pub name: String,
    pub type_sql: String,
    pub nullable: bool,
    pub server_default: Option<String>,
    /// A reflected column's `autoincrement` (PostgreSQL reflects `True`
    /// for a sequence or identity column, else `False`); `None` where
    /// SQLAlchemy leaves it `"auto"` (SQLite's reflection, the model's).
    pub autoincrement: Option<bool>,
}

/// A table-level constraint, named or not, as `CREATE TABLE` lists it.
#[derive(Debug, Clone, PartialEq)]
pub enum ConstraintSpec {
    PrimaryKey {
        name: Option<String>,
        columns: Vec<String>,
    },
    ForeignKey {
        name: Option<String>,
        columns: Vec<String>,
        referred_table: String,
        referred_columns: Vec<String>,
        ondelete: Option<String>,
    },
    Unique {
        name: Option<String>,
        columns: Vec<String>,
    },
    Check {
        name: Option<String>,
        sql: String,
    },
}

impl ConstraintSpec {
    /// The constraint's name, if it has one.
    pub fn name(&self) -> Option<&str> {
        match self {
            ConstraintSpec::PrimaryKey { name, .. }
            | ConstraintSpec::ForeignKey { name, .. }
            | ConstraintSpec::Unique { name, .. }
            | ConstraintSpec::Check { name, .. } => name.as_deref(),
        }
    }

    /// As `CREATE TABLE` writes it (SQLAlchemy's `DDLCompiler`
    /// `visit_primary_key_constraint`, `visit_foreign_key_constraint`,
    /// `visit_unique_constraint`, `visit_check_constraint`):
    /// `CONSTRAINT fk FOREIGN KEY(a) REFERENCES t (id)`.
    pub fn ddl(&self, dialect: &Dialect) -> String {
        let list = |cols: &[String]| {
            cols.iter()
                .map(|c| dialect.quote(c).to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let body = match self {
            ConstraintSpec::PrimaryKey { columns, .. } => {
                format!("PRIMARY KEY ({})", list(columns))
            }
            ConstraintSpec::ForeignKey {
                columns,
                referred_table,
                referred_columns,
                ondelete,
                ..
            } => format!(
                "FOREIGN KEY({}) REFERENCES {} ({}){}",
                list(columns),
                dialect.quote(referred_table),
                list(referred_columns),
                ondelete
                    .as_ref()
                    .map_or(String::new(), |d| format!(" ON DELETE {d}"))
            ),
            ConstraintSpec::Unique { columns, .. } => format!("UNIQUE ({})", list(columns)),
            ConstraintSpec::Check { sql, .. } => format!("CHECK ({sql})"),
        };
        match self.name() {
            Some(n) => format!("CONSTRAINT {} {body}", dialect.quote(n)),
            None => body,
        }
    }
}

/// A table as Alembic's operations see it: columns in order, then its
/// constraints in creation order (the primary key is written first
/// whatever its place, as SQLAlchemy's `create_table_constraints`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableSpec {
    pub name: String,
    pub columns: Vec<ColumnSpec>,
    pub constraints: Vec<ConstraintSpec>,
}

impl TableSpec {
    /// The primary key's columns (empty when it has none).
    pub fn primary_key(&self) -> Vec<String> {
        self.constraints
            .iter()
            .find_map(|c| match c {
                ConstraintSpec::PrimaryKey { columns, .. } => Some(columns.clone()),
                _ => None,
            })
            .unwrap_or_default()
    }
}

/// `name TYPE [DEFAULT d] [NOT NULL]`: SQLAlchemy's
/// `get_column_specification` (a primary-key column is `NOT NULL`).
pub fn column_spec(c: &ColumnSpec, primary_key: bool, dialect: &Dialect) -> String {
    let mut spec = format!("{} {}", dialect.quote(&c.name), c.type_sql);
    if let Some(d) = &c.server_default {
        spec.push_str(&format!(" DEFAULT {d}"));
    }
    if !c.nullable || primary_key {
        spec.push_str(" NOT NULL");
    }
    spec
}

/// The column PostgreSQL's DDL writes as `SERIAL`: as
/// `sql::ddl::serial_column`, the lone `INTEGER` primary-key column without
/// a foreign key; `None` on SQLite, which keeps `INTEGER`.
fn serial_column<'a>(t: &TableSpec, pk: &'a [String], dialect: &Dialect) -> Option<&'a str> {
    if dialect.statement_compiler == crate::sql::dialect::StatementCompiler::SQLite {
        return None;
    }
    let [only] = pk else {
        return None;
    };
    let column = t.columns.iter().find(|c| &c.name == only)?;
    let referencing = t
        .constraints
        .iter()
        .any(|c| matches!(c, ConstraintSpec::ForeignKey { columns, .. } if columns.contains(only)));
    (column.type_sql == "INTEGER" && !referencing).then_some(only.as_str())
}

/// `CREATE TABLE` with SQLAlchemy's newlines and tabs
/// (`DDLCompiler.visit_create_table`): columns, then the primary key, then
/// the other constraints in order.
pub fn create_table(t: &TableSpec, dialect: &Dialect) -> String {
    let pk = t.primary_key();
    let serial = serial_column(t, &pk, dialect);
    let mut lines: Vec<String> = t
        .columns
        .iter()
        .map(|c| {
            if serial == Some(c.name.as_str()) {
                let serial = ColumnSpec {
                    type_sql: "SERIAL".into(),
                    ..c.clone()
                };
                return column_spec(&serial, true, dialect);
            }
            column_spec(c, pk.contains(&c.name), dialect)
        })
        .collect();
    let (pks, others): (Vec<&ConstraintSpec>, Vec<&ConstraintSpec>) = t
        .constraints
        .iter()
        .partition(|c| matches!(c, ConstraintSpec::PrimaryKey { .. }));
    for c in pks.into_iter().chain(others) {
        lines.push(c.ddl(dialect));
    }
    format!(
        "\nCREATE TABLE {} (\n\t{}\n)\n\n",
        dialect.quote(&t.name),
        lines.join(", \n\t")
    )
}

/// `ALTER TABLE t ADD COLUMN spec` (Alembic's `visit_add_column`).
pub fn add_column(table: &str, c: &ColumnSpec, dialect: &Dialect) -> String {
    format!(
        "ALTER TABLE {} ADD COLUMN {}",
        dialect.quote(table),
        column_spec(c, false, dialect)
    )
}

/// `ALTER TABLE t DROP COLUMN c` (Alembic's `visit_drop_column`).
pub fn drop_column(table: &str, column: &str, dialect: &Dialect) -> String {
    format!(
        "ALTER TABLE {} DROP COLUMN {}",
        dialect.quote(table),
        dialect.quote(column)
    )
}

/// `ALTER TABLE old RENAME TO new` (Alembic's `visit_rename_table`).
pub fn rename_table(old: &str, new: &str, dialect: &Dialect) -> String {
    format!(
        "ALTER TABLE {} RENAME TO {}",
        dialect.quote(old),
        dialect.quote(new)
    )
}

/// `DROP TABLE t`.
pub fn drop_table(table: &str, dialect: &Dialect) -> String {
    format!("\nDROP TABLE {}", dialect.quote(table))
}

/// What `op.alter_column()` changes, in the order Alembic's
/// `DefaultImpl.alter_column` sends its statements.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AlterColumn {
    pub nullable: Option<bool>,
    /// `server_default=`: `Some(None)` drops the default.
    pub server_default: Option<Option<String>>,
    pub type_sql: Option<String>,
    pub new_name: Option<String>,
}

/// The statements `op.alter_column()` sends outside batch mode
/// (`alembic/ddl/base.py`: `ColumnNullable`, `ColumnDefault`,
/// `ColumnType`, then `ColumnName`; on PostgreSQL the type first, as
/// `PostgresqlImpl`); SQLite itself rejects all but the
/// rename, with `near "ALTER": syntax error`.
pub fn alter_column(table: &str, column: &str, a: &AlterColumn, dialect: &Dialect) -> Vec<String> {
    let head = format!(
        "ALTER TABLE {} ALTER COLUMN {}",
        dialect.quote(table),
        dialect.quote(column)
    );
    let mut out = Vec::new();
    let postgresql = dialect.name == "postgresql";
    // `PostgresqlImpl.alter_column` sends the type first, as
    // `PostgresqlColumnType`: "TYPE t", then an empty "USING" slot
    if let Some(t) = &a.type_sql
        && postgresql
    {
        out.push(format!("{head} TYPE {t} "));
    }
    if let Some(n) = a.nullable {
        out.push(format!(
            "{head} {}",
            if n { "DROP NOT NULL" } else { "SET NOT NULL" }
        ));
    }
    if let Some(d) = &a.server_default {
        out.push(match d {
            Some(d) => format!("{head} SET DEFAULT {d}"),
            None => format!("{head} DROP DEFAULT"),
        });
    }
    if let Some(t) = &a.type_sql
        && !postgresql
    {
        out.push(format!("{head} TYPE {t}"));
    }
    if let Some(n) = &a.new_name {
        out.push(format!(
            "ALTER TABLE {} RENAME {}{} TO {}",
            dialect.quote(table),
            // Alembic's `visit_column_name` for PostgreSQL omits COLUMN
            if postgresql { "" } else { "COLUMN " },
            dialect.quote(column),
            dialect.quote(n)
        ));
    }
    out
}

/// `ALTER TABLE t ADD CONSTRAINT name …` (SQLAlchemy's `AddConstraint`,
/// as Alembic's `add_constraint` sends it where the database alters
/// constraints: not SQLite).
pub fn add_constraint(table: &str, c: &ConstraintSpec, dialect: &Dialect) -> String {
    format!(
        "ALTER TABLE {} ADD {}",
        dialect.quote(table),
        c.ddl(dialect)
    )
}

/// `ALTER TABLE t DROP CONSTRAINT name` (SQLAlchemy's `DropConstraint`).
pub fn drop_constraint(table: &str, name: &str, dialect: &Dialect) -> String {
    format!(
        "ALTER TABLE {} DROP CONSTRAINT {}",
        dialect.quote(table),
        dialect.quote(name)
    )
}

/// `CREATE [UNIQUE] INDEX name ON t (a, b)`.
pub fn create_index(
    name: &str,
    table: &str,
    columns: &[String],
    unique: bool,
    dialect: &Dialect,
) -> String {
    format!(
        "CREATE {}INDEX {} ON {} ({})",
        if unique { "UNIQUE " } else { "" },
        dialect.quote(name),
        dialect.quote(table),
        columns
            .iter()
            .map(|c| dialect.quote(c).to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// `DROP INDEX name`, with SQLAlchemy's leading newline (`visit_drop_index`).
pub fn drop_index(name: &str, dialect: &Dialect) -> String {
    format!("\nDROP INDEX {}", dialect.quote(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::compiler::fold_whitespace;
    use crate::sql::dialect::SQLITE;

    fn col(name: &str, ty: &str, nullable: bool) -> ColumnSpec {
        ColumnSpec {
            autoincrement: None,
            name: name.into(),
            type_sql: ty.into(),
            nullable,
            server_default: None,
        }
    }

    /// Expected text as Alembic 1.20 + SQLAlchemy 2.0 sent it on SQLite
    /// (tests/golden/expected/a01…a03).
    #[test]
    fn statements_as_alembic_sends_them() {
        let mut nick = col("nickname", "VARCHAR(50)", false);
        nick.server_default = Some("'x'".into());
        assert_eq!(
            add_column("users", &nick, &SQLITE),
            "ALTER TABLE users ADD COLUMN nickname VARCHAR(50) DEFAULT 'x' NOT NULL"
        );
        assert_eq!(
            drop_column("users", "nickname", &SQLITE),
            "ALTER TABLE users DROP COLUMN nickname"
        );
        assert_eq!(
            rename_table("notes", "memos", &SQLITE),
            "ALTER TABLE notes RENAME TO memos"
        );
        let a = AlterColumn {
            nullable: Some(true),
            ..Default::default()
        };
        assert_eq!(
            alter_column("users", "name", &a, &SQLITE),
            ["ALTER TABLE users ALTER COLUMN name DROP NOT NULL"]
        );
        let a = AlterColumn {
            new_name: Some("full_name".into()),
            ..Default::default()
        };
        assert_eq!(
            alter_column("users", "name", &a, &SQLITE),
            ["ALTER TABLE users RENAME COLUMN name TO full_name"]
        );
        assert_eq!(
            create_index(
                "ix_m",
                "messages",
                &["user_id".into(), "content".into()],
                true,
                &SQLITE
            ),
            "CREATE UNIQUE INDEX ix_m ON messages (user_id, content)"
        );
    }

    #[test]
    fn create_table_puts_the_primary_key_first() {
        let t = TableSpec {
            name: "tags".into(),
            columns: vec![col("id", "INTEGER", false), col("user_id", "INTEGER", true)],
            constraints: vec![
                ConstraintSpec::ForeignKey {
                    name: Some("fk_u".into()),
                    columns: vec!["user_id".into()],
                    referred_table: "users".into(),
                    referred_columns: vec!["id".into()],
                    ondelete: None,
                },
                ConstraintSpec::PrimaryKey {
                    name: None,
                    columns: vec!["id".into()],
                },
                ConstraintSpec::Unique {
                    name: None,
                    columns: vec!["user_id".into()],
                },
            ],
        };
        assert_eq!(
            fold_whitespace(&create_table(&t, &SQLITE)),
            "CREATE TABLE tags ( id INTEGER NOT NULL, user_id INTEGER, PRIMARY KEY (id), \
             CONSTRAINT fk_u FOREIGN KEY(user_id) REFERENCES users (id), UNIQUE (user_id) )"
        );
        // PostgreSQL: the lone integer primary key is SERIAL, as
        // SQLAlchemy's PGDDLCompiler writes it
        assert_eq!(
            fold_whitespace(&create_table(&t, &crate::sql::dialect::POSTGRESQL)),
            "CREATE TABLE tags ( id SERIAL NOT NULL, user_id INTEGER, PRIMARY KEY (id), \
             CONSTRAINT fk_u FOREIGN KEY(user_id) REFERENCES users (id), UNIQUE (user_id) )"
        );
    }

    #[test]
    fn postgresql_alters_the_type_first_and_renames_without_column() {
        use crate::sql::dialect::POSTGRESQL;
        let a = AlterColumn {
            nullable: Some(true),
            type_sql: Some("VARCHAR(80)".into()),
            new_name: Some("title".into()),
            ..AlterColumn::default()
        };
        // as Alembic 1.x's PostgresqlImpl sends them (golden a13, a03)
        assert_eq!(
            alter_column("roles", "name", &a, &POSTGRESQL),
            [
                "ALTER TABLE roles ALTER COLUMN name TYPE VARCHAR(80) ",
                "ALTER TABLE roles ALTER COLUMN name DROP NOT NULL",
                "ALTER TABLE roles RENAME name TO title",
            ]
        );
        assert_eq!(
            alter_column("roles", "name", &a, &SQLITE),
            [
                "ALTER TABLE roles ALTER COLUMN name DROP NOT NULL",
                "ALTER TABLE roles ALTER COLUMN name TYPE VARCHAR(80)",
                "ALTER TABLE roles RENAME COLUMN name TO title",
            ]
        );
    }

    #[test]
    fn constraints_are_added_and_dropped_with_alter_table() {
        use crate::sql::dialect::POSTGRESQL;
        let fk = ConstraintSpec::ForeignKey {
            name: Some("fk_users_profile".into()),
            columns: vec!["id".into()],
            referred_table: "profiles".into(),
            referred_columns: vec!["user_id".into()],
            ondelete: None,
        };
        assert_eq!(
            add_constraint("users", &fk, &POSTGRESQL),
            "ALTER TABLE users ADD CONSTRAINT fk_users_profile FOREIGN KEY(id) REFERENCES profiles (user_id)"
        );
        assert_eq!(
            drop_constraint("users", "uq_users_name", &POSTGRESQL),
            "ALTER TABLE users DROP CONSTRAINT uq_users_name"
        );
    }
}
