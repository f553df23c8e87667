//! `CREATE TABLE` as `metadata.create_all()` emits it for a dialect (SQLite,
//! PostgreSQL), and the order it creates tables in (SQLAlchemy's
//! `DDLCompiler.visit_create_table`, `PGDDLCompiler.get_column_specification`
//! and `sql/ddl.py` `sort_tables_and_constraints`).

use super::dialect::{Dialect, StatementCompiler};
use super::schema::{Column, NativeEnum, SqlType, Table, TableRef};

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
    // A column with an `Identity` or a (non-optional) `Sequence` is not
    // `SERIAL`: its values come from those (`PGDDLCompiler.get_column_specification`).
    let serial = if pg {
        serial_column(table).filter(|&i| {
            let c = &table.columns[i];
            c.identity.is_none() && c.sequence.as_ref().is_none_or(|s| s.optional)
        })
    } else {
        None
    };
    // `sqlite_autoincrement=True` (`SQLiteDDLCompiler.get_column_specification`):
    // the single integer key column without a foreign key says `PRIMARY KEY
    // AUTOINCREMENT` itself, and the table-level `PRIMARY KEY` is left out.
    let sqlite_autoincrement = match table.primary_key().as_slice() {
        [i] if !pg
            && table.options.sqlite_autoincrement
            && table.columns[*i].sql_type == SqlType::Integer
            && table.columns[*i].foreign_key.is_none() =>
        {
            Some(*i)
        }
        _ => None,
    };
    let mut lines: Vec<String> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let ty = match &c.sql_type {
                _ if serial == Some(i) => "SERIAL".to_string(),
                other => type_ddl(other, dialect),
            };
            let mut spec = format!("{} {ty}", quote_identifier(&c.name));
            if let Some(d) = &c.server_default {
                spec.push_str(&format!(" DEFAULT {}", default_clause(d, pg)));
            }
            let identity = c.identity.as_ref().filter(|_| pg);
            if let Some(identity) = identity {
                spec.push_str(&format!(" {}", identity.ddl()));
            }
            match identity {
                None if !c.nullable || c.primary_key => spec.push_str(" NOT NULL"),
                Some(_) if c.nullable && !c.primary_key => spec.push_str(" NULL"),
                _ => {}
            }
            if sqlite_autoincrement == Some(i) {
                spec.push_str(" PRIMARY KEY AUTOINCREMENT");
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
    if !pk.is_empty() && sqlite_autoincrement.is_none() {
        lines.push(match &table.options.primary_key_name {
            Some(n) => format!(
                "CONSTRAINT {} PRIMARY KEY ({})",
                quote_identifier(n),
                pk.join(", ")
            ),
            None => format!("PRIMARY KEY ({})", pk.join(", ")),
        });
    }
    // `__table_args__` constraints were made before the columns' own.
    for c in &table.constraints {
        lines.push(c.ddl(|n| quote_identifier(n).to_string()));
    }
    for c in &table.columns {
        if c.unique && !c.index {
            lines.push(format!("UNIQUE ({})", quote_identifier(&c.name)));
        }
        if let (Some(name), SqlType::Enum(values, _, native)) = (&c.enum_check, &c.sql_type)
            && !(pg && *native != NativeEnum::Off)
        {
            let values: Vec<String> = values
                .iter()
                .map(|v| format!("'{}'", v.replace('\'', "''")))
                .collect();
            let check = format!(
                "CHECK ({} IN ({}))",
                quote_identifier(&c.name),
                values.join(", ")
            );
            lines.push(match name {
                Some(n) => format!("CONSTRAINT {} {check}", quote_identifier(n)),
                None => check,
            });
        }
        if let Some(fk) = &c.foreign_key {
            lines.push(format!(
                "FOREIGN KEY({}) REFERENCES {} ({}){}",
                quote_identifier(&c.name),
                quote_identifier(&fk.table),
                quote_identifier(&fk.column),
                fk.ondelete
                    .as_ref()
                    .map_or(String::new(), |d| format!(" ON DELETE {d}"))
            ));
        }
    }
    format!(
        "\nCREATE TABLE {} (\n\t{}\n)\n\n",
        quote_identifier(&table.name),
        lines.join(", \n\t")
    )
}

/// `CREATE SEQUENCE public.s AS BIGINT INCREMENT BY 2 START WITH 5`, as
/// `DDLCompiler.visit_create_sequence` (`schema=`, `data_type=`, then the options of
/// [`super::schema::IdentityOptions::ddl`]).
pub fn create_sequence(sequence: &super::schema::Sequence, dialect: &Dialect) -> String {
    let mut text = format!(
        "CREATE SEQUENCE {}",
        sequence.qualified_name(|n| dialect.quote(n))
    );
    if let Some(ty) = &sequence.data_type {
        text.push_str(" AS ");
        text.push_str(&ty.ddl());
    }
    let options = sequence.options.ddl();
    if !options.is_empty() {
        text.push(' ');
        text.push_str(&options);
    }
    text
}

/// `DROP SEQUENCE s`, as `DDLCompiler.visit_drop_sequence`.
pub fn drop_sequence(sequence: &super::schema::Sequence, dialect: &Dialect) -> String {
    format!(
        "DROP SEQUENCE {}",
        sequence.qualified_name(|n| dialect.quote(n))
    )
}

/// A server default's text after `DEFAULT`: on SQLite, an expression
/// that does not start with a quote or parenthesis and holds a non-word
/// character is parenthesized (`SQLiteDDLCompiler.get_column_specification`:
/// `DEFAULT (datetime('now'))`, but `DEFAULT 'open'`, `DEFAULT
/// CURRENT_TIMESTAMP`).
fn default_clause(text: &str, pg: bool) -> String {
    let t = text.trim_start();
    let quoted = t.starts_with(['\'', '"', '(']);
    let has_non_word = text.chars().any(|c| !(c.is_alphanumeric() || c == '_'));
    if !pg && !quoted && has_non_word {
        format!("({text})")
    } else {
        text.to_string()
    }
}

/// A column type as `CREATE TABLE` writes it on `dialect`: SQLite's
/// ([`SqlType::ddl`]), or on PostgreSQL (`PGTypeCompiler`) `DateTime` as
/// `TIMESTAMP WITHOUT TIME ZONE`, `Time` as `TIME WITHOUT TIME ZONE`, `LargeBinary` as `BYTEA`, `Uuid` as `UUID`
/// and a named native `Enum` as its type's name.
pub fn type_ddl(ty: &SqlType, dialect: &Dialect) -> String {
    let pg = dialect.statement_compiler == StatementCompiler::PostgreSQL;
    match ty {
        SqlType::DateTime if pg => "TIMESTAMP WITHOUT TIME ZONE".to_string(),
        SqlType::Time if pg => "TIME WITHOUT TIME ZONE".to_string(),
        SqlType::Timestamp(tz) if pg => super::schema::timestamp_pg(*tz).to_string(),
        SqlType::LargeBinary if pg => "BYTEA".to_string(),
        SqlType::Uuid if pg => "UUID".to_string(),
        SqlType::Enum(_, _, NativeEnum::Named(name)) if pg => dialect.quote(name),
        other => other.ddl(),
    }
}

/// `CREATE TYPE status AS ENUM ('ACTIVE', 'BANNED')`: a native `Enum`'s
/// type, as PostgreSQL's `create_all()` sends it before the first table
/// that uses it (SQLAlchemy's `PGDDLCompiler.visit_create_enum_type`).
pub fn create_enum_type(name: &str, labels: &[String], dialect: &Dialect) -> String {
    let labels: Vec<String> = labels
        .iter()
        .map(|v| format!("'{}'", v.replace('\'', "''")))
        .collect();
    format!(
        "CREATE TYPE {} AS ENUM ({})",
        dialect.quote(name),
        labels.join(", ")
    )
}

/// `DROP TYPE status`, as PostgreSQL's `drop_all()` sends it after the
/// tables (`visit_drop_enum_type`).
pub fn drop_enum_type(name: &str, dialect: &Dialect) -> String {
    format!("DROP TYPE {}", dialect.quote(name))
}

/// The native `Enum` types of `tables` on PostgreSQL, each name once, in
/// table and column order (the order SQLAlchemy's metadata events create
/// them in): the name (`None` for an `Enum` with no name) and labels.
pub fn native_enum_types(tables: &[TableRef]) -> Vec<(Option<String>, Vec<String>)> {
    let mut out: Vec<(Option<String>, Vec<String>)> = Vec::new();
    for t in tables {
        for c in &t.columns {
            let (labels, name) = match &c.sql_type {
                SqlType::Enum(labels, _, NativeEnum::Named(n)) => (labels, Some(n.clone())),
                SqlType::Enum(labels, _, NativeEnum::Unnamed) => (labels, None),
                _ => continue,
            };
            if name.is_some() && out.iter().any(|(n, _)| *n == name) {
                continue;
            }
            out.push((name, labels.clone()));
        }
    }
    out
}

/// `CREATE [UNIQUE] INDEX name ON table (col, …)`, as `create_all()` sends
/// it after its table (SQLAlchemy's `visit_create_index`).
pub fn create_index(table: &Table, index: &super::schema::Index, dialect: &Dialect) -> String {
    let quote_identifier = |name: &str| dialect.quote(name);
    format!(
        "CREATE {}INDEX {} ON {} ({})",
        if index.unique { "UNIQUE " } else { "" },
        quote_identifier(&index.name),
        quote_identifier(&table.name),
        index
            .columns
            .iter()
            .map(|c| quote_identifier(c))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// The column SQLAlchemy makes autoincrementing (`PrimaryKeyConstraint.
/// _autoincrement_column`): with `autoincrement="auto"` (or `"ignore_fk"`)
/// the only primary-key column, when it is an `Integer` without a
/// Python-side or server default and (unless `"ignore_fk"`) without a
/// foreign key; with `autoincrement=True` that column, also in a composite
/// key; with `autoincrement=False` none. PostgreSQL renders it `SERIAL`,
/// with a sequence named `<table>_<column>_seq`.
pub fn serial_column(table: &Table) -> Option<usize> {
    let flag = |c: &Column| {
        c.face
            .autoincrement
            .as_deref()
            .unwrap_or("'auto'")
            .to_string()
    };
    let pk = table.primary_key();
    match pk.as_slice() {
        [i] => {
            let c: &Column = &table.columns[*i];
            let flag = flag(c);
            let integer = c.sql_type == SqlType::Integer;
            match flag.as_str() {
                "True" => integer.then_some(*i),
                "'auto'" | "'ignore_fk'" => (integer
                    && c.default.is_none()
                    && c.server_default.is_none()
                    && (c.foreign_key.is_none() || flag == "'ignore_fk'"))
                    .then_some(*i),
                _ => None,
            }
        }
        _ => pk.iter().copied().find(|&i| {
            let c = &table.columns[i];
            flag(c) == "True" && c.sql_type == SqlType::Integer
        }),
    }
}

/// SQLite's `CompileError` message for `autoincrement=True` on a column of
/// a composite primary key (`SQLiteDDLCompiler.get_column_specification`,
/// wrapped by `visit_create_table`), or `None`.
pub fn sqlite_autoincrement_error(table: &Table) -> Option<String> {
    if table.primary_key().len() < 2 {
        return None;
    }
    serial_column(table).map(|i| {
        format!(
            "(in table '{}', column '{}'): SQLite does not support autoincrement for composite primary keys",
            table.name, table.columns[i].name
        )
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::schema::{Column, Index, SqlType};
    use std::rc::Rc;

    /// `schema=`, `data_type=` and `quote=` as SQLAlchemy 2.0.58 writes them
    /// on PostgreSQL (tests/golden/postgresql/expected/p49-sequence-schema-type.json).
    #[test]
    fn sequence_schema_type_and_quoting_as_sqlalchemy_writes_them() {
        use crate::sql::schema::{IdentityOptions, Sequence};
        let pg = &crate::sql::dialect::POSTGRESQL;
        let wide = Sequence {
            data_type: Some(SqlType::BigInteger),
            options: IdentityOptions {
                start: Some(3),
                ..IdentityOptions::default()
            },
            ..Sequence::named("wide_p49")
        };
        assert_eq!(
            create_sequence(&wide, pg),
            "CREATE SEQUENCE wide_p49 AS BIGINT START WITH 3"
        );
        let qualified = Sequence {
            schema: Some("public".into()),
            ..Sequence::named("qual_p49")
        };
        assert_eq!(
            create_sequence(&qualified, pg),
            "CREATE SEQUENCE public.qual_p49"
        );
        assert_eq!(
            drop_sequence(&qualified, pg),
            "DROP SEQUENCE public.qual_p49"
        );
        let quoted = Sequence {
            quote: Some(true),
            schema: Some("public".into()),
            quote_schema: Some(true),
            ..Sequence::named("quoted_p49")
        };
        assert_eq!(
            drop_sequence(&quoted, pg),
            "DROP SEQUENCE \"public\".\"quoted_p49\""
        );
        assert_eq!(
            drop_sequence(&Sequence::named("S1"), pg),
            "DROP SEQUENCE \"S1\""
        );
    }

    /// Sequences and identity columns as SQLAlchemy 2.0.58 sends them
    /// (tests/golden/postgresql/expected/p47-sequence-options.json); SQLite
    /// ignores both.
    #[test]
    fn sequences_and_identity_as_sqlalchemy_writes_them() {
        use crate::sql::schema::{Identity, IdentityOptions, Sequence};
        let pg = &crate::sql::dialect::POSTGRESQL;
        let sqlite = &crate::sql::dialect::SQLITE;
        let counter = Sequence {
            options: IdentityOptions {
                start: Some(5),
                increment: Some(2),
                ..IdentityOptions::default()
            },
            ..Sequence::named("counter_p47")
        };
        assert_eq!(
            create_sequence(&counter, pg),
            "CREATE SEQUENCE counter_p47 INCREMENT BY 2 START WITH 5"
        );
        assert_eq!(drop_sequence(&counter, pg), "DROP SEQUENCE counter_p47");
        let mut id = Column::new("id", SqlType::Integer);
        id.primary_key = true;
        id.nullable = false;
        id.identity = Some(Identity {
            always: true,
            on_null: None,
            options: IdentityOptions {
                start: Some(3),
                increment: Some(2),
                minvalue: Some(1),
                maxvalue: Some(1000),
                cache: Some(5),
                cycle: Some(true),
                ..IdentityOptions::default()
            },
        });
        let mut serial = Column::new("serial", SqlType::Integer);
        serial.sequence = Some(Rc::new(counter));
        let table = Table {
            name: "items".into(),
            columns: vec![id, serial],
            constraints: Vec::new(),
            indexes: Vec::new(),
            options: Default::default(),
        };
        let fold = |s: String| s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(
            fold(create_table(&table, pg)),
            "CREATE TABLE items ( id INTEGER GENERATED ALWAYS AS IDENTITY (INCREMENT BY 2 \
             START WITH 3 MINVALUE 1 MAXVALUE 1000 CACHE 5 CYCLE), serial INTEGER, PRIMARY KEY (id) )"
        );
        assert_eq!(
            fold(create_table(&table, sqlite)),
            "CREATE TABLE items ( id INTEGER NOT NULL, serial INTEGER, PRIMARY KEY (id) )"
        );
        // A sequence key is not SERIAL; a nullable identity column says NULL.
        let mut key = Column::new("id", SqlType::Integer);
        key.primary_key = true;
        key.nullable = false;
        key.sequence = table.columns[1].sequence.clone();
        let mut n = Column::new("n", SqlType::Integer);
        n.identity = Some(Identity::default());
        let table = Table {
            name: "t".into(),
            columns: vec![key, n],
            constraints: Vec::new(),
            indexes: Vec::new(),
            options: Default::default(),
        };
        assert_eq!(
            fold(create_table(&table, pg)),
            "CREATE TABLE t ( id INTEGER NOT NULL, n INTEGER GENERATED BY DEFAULT AS IDENTITY NULL, PRIMARY KEY (id) )"
        );
    }

    /// Native enum types as SQLAlchemy 2.0.58 sends them on PostgreSQL
    /// (tests/golden/postgresql/expected/v03-enum-columns.json, and
    /// `CreateEnumType(Enum("a", "b'c", name="Kind T"))` compiled).
    #[test]
    fn native_enum_types_as_sqlalchemy_writes_them_on_postgresql() {
        let pg = &crate::sql::dialect::POSTGRESQL;
        let labels = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            create_enum_type("kind_t", &labels(&["a", "bb"]), pg),
            "CREATE TYPE kind_t AS ENUM ('a', 'bb')"
        );
        assert_eq!(
            create_enum_type("Kind T", &labels(&["a", "b'c"]), pg),
            "CREATE TYPE \"Kind T\" AS ENUM ('a', 'b''c')"
        );
        assert_eq!(drop_enum_type("status", pg), "DROP TYPE status");
        let status = |n: NativeEnum| SqlType::Enum(labels(&["ACTIVE", "BANNED"]), None, n);
        let mut id = Column::new("id", SqlType::Integer);
        id.primary_key = true;
        let mut st = Column::new("status", status(NativeEnum::Named("status".into())));
        st.nullable = false;
        let table = Rc::new(Table::new(
            "acct",
            vec![
                id,
                st,
                Column::new("other", status(NativeEnum::Named("status".into()))),
                Column::new("plain", status(NativeEnum::Off)),
                Column::new("anon", status(NativeEnum::Unnamed)),
            ],
        ));
        assert_eq!(
            crate::sql::compiler::fold_whitespace(&create_table(&table, pg)),
            "CREATE TABLE acct ( id SERIAL NOT NULL, status status NOT NULL, other status, \
             plain VARCHAR(6), anon VARCHAR(6), PRIMARY KEY (id) )"
        );
        // each name once, in column order; the unnamed one too
        assert_eq!(
            native_enum_types(&[table]),
            [
                (Some("status".to_string()), labels(&["ACTIVE", "BANNED"])),
                (None, labels(&["ACTIVE", "BANNED"])),
            ]
        );
    }

    /// Server defaults as SQLAlchemy 2.0's `CreateTable` compiles them for
    /// SQLite: an expression with a non-word character is parenthesized.
    #[test]
    fn server_defaults_as_sqlalchemy_writes_them_on_sqlite() {
        let mut a = Column::new("a", SqlType::String(None));
        a.server_default = Some("datetime('now')".into());
        let mut b = Column::new("b", SqlType::Integer);
        b.server_default = Some("0".into());
        let mut c = Column::new("c", SqlType::String(None));
        c.server_default = Some("'x'".into());
        let mut d = Column::new("d", SqlType::DateTime);
        d.server_default = Some("CURRENT_TIMESTAMP".into());
        let table = Table::new("t", vec![a, b, c, d]);
        assert_eq!(
            create_table(&table, &crate::sql::dialect::SQLITE),
            "\nCREATE TABLE t (\n\ta VARCHAR DEFAULT (datetime('now')), \n\tb INTEGER DEFAULT 0, \n\tc VARCHAR DEFAULT 'x', \n\td DATETIME DEFAULT CURRENT_TIMESTAMP\n)\n\n"
        );
    }

    /// Expected text from SQLAlchemy 2.0's `CreateTable`/`CreateIndex`
    /// compiled for SQLite.
    #[test]
    fn column_types_defaults_and_indexes_as_sqlalchemy_writes_them() {
        let mut id = Column::new("id", SqlType::Integer);
        id.primary_key = true;
        let mut email = Column::new("email", SqlType::String(Some(100)));
        email.unique = true;
        email.index = true;
        email.nullable = false;
        let mut kind = Column::new(
            "kind",
            SqlType::Enum(vec!["a".into(), "bbb".into()], None, NativeEnum::Off),
        );
        kind.server_default = Some("'a'".into());
        let mut table = Table::new(
            "t",
            vec![
                id,
                email,
                kind,
                Column::new("price", SqlType::Decimal(Some(10), Some(2))),
                Column::new("n", SqlType::Numeric(None, None)),
                Column::new("data", SqlType::Json),
                Column::new("u", SqlType::Uuid),
            ],
        );
        table.indexes.push(Index {
            name: "idx_kind".into(),
            columns: vec!["kind".into(), "price".into()],
            unique: false,
        });
        assert_eq!(
            create_table(&table, &crate::sql::dialect::SQLITE),
            "\nCREATE TABLE t (\n\tid INTEGER NOT NULL, \n\temail VARCHAR(100) NOT NULL, \n\tkind VARCHAR(3) DEFAULT 'a', \n\tprice DECIMAL(10, 2), \n\tn NUMERIC, \n\tdata JSON, \n\tu CHAR(32), \n\tPRIMARY KEY (id)\n)\n\n"
        );
        let indexes: Vec<String> = table
            .all_indexes()
            .iter()
            .map(|i| create_index(&table, i, &crate::sql::dialect::SQLITE))
            .collect();
        assert_eq!(
            indexes,
            [
                "CREATE UNIQUE INDEX ix_t_email ON t (email)",
                "CREATE INDEX idx_kind ON t (kind, price)"
            ]
        );
    }
}
