//! PostgreSQL through psycopg2, as SQLAlchemy's `PGDialect_psycopg2`
//! (`sqlalchemy/dialects/postgresql/`).

pub mod asyncpg;
pub mod reflection;

use super::{Dialect, ParamStyle, StatementCompiler};
pub use asyncpg::POSTGRESQL_ASYNCPG;

/// `postgresql+psycopg2`: `%(name_1)s` parameters, native boolean, native
/// `ILIKE`, `LIMIT %(param_1)s` with no forced `OFFSET`, `RETURNING`,
/// multi-row VALUES.
pub const POSTGRESQL: Dialect = Dialect {
    name: "postgresql",
    driver: "psycopg2",
    paramstyle: ParamStyle::Pyformat,
    render_bind_cast: false,
    reserved_words: RESERVED_WORDS,
    native_boolean: true,
    supports_native_ilike: true,
    insert_returning: true,
    update_returning: true,
    supports_multivalues_insert: true,
    postfetch_lastrowid: false,
    supports_sequences: true,
    insertmanyvalues_sentinel: true,
    use_insertmanyvalues_wo_returning: true,
    insertmanyvalues_page_size: 1000,
    statement_compiler: StatementCompiler::PostgreSQL,
    literal_binds: false,
};

/// PostgreSQL's reserved words, as
/// `sqlalchemy.dialects.postgresql.base.RESERVED_WORDS`.
pub(crate) const RESERVED_WORDS: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "binary",
    "both",
    "case",
    "cast",
    "check",
    "collate",
    "column",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "false",
    "fetch",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "group",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "intersect",
    "into",
    "is",
    "isnull",
    "join",
    "leading",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "natural",
    "new",
    "not",
    "notnull",
    "null",
    "of",
    "off",
    "offset",
    "old",
    "on",
    "only",
    "or",
    "order",
    "outer",
    "over",
    "overlaps",
    "placing",
    "primary",
    "references",
    "returning",
    "right",
    "select",
    "session_user",
    "similar",
    "some",
    "symmetric",
    "table",
    "then",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
];

/// `PGDialect.has_type(connection, name)`'s query, as `create_all` and
/// `drop_all` send it before a native `Enum`'s `CREATE TYPE` / `DROP TYPE`
/// (`pg_catalog.pg_type` joined to its namespace, visible on the search
/// path): a row back means the type exists. An `Enum` with no name
/// compares `typname IS NULL`, as SQLAlchemy's does.
pub fn has_type_query(name: Option<&str>) -> crate::sql::compiler::Compiled {
    use crate::sql::compiler::{BoundParam, Compiled};
    use crate::sql::schema::SqlValue;
    let param = |n: &str, v: &str| BoundParam {
        name: n.to_string(),
        value: SqlValue::Text(v.to_string()),
        callable_: None,
    };
    let mut params = Vec::new();
    let typname = match name {
        Some(name) => {
            params.push(param("typname_1", name));
            "= %(typname_1)s"
        }
        None => "IS NULL",
    };
    params.push(param("nspname_1", "pg_catalog"));
    Compiled {
        sql: format!(
            "SELECT pg_catalog.pg_type.typname \nFROM pg_catalog.pg_type JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_type.typnamespace \nWHERE pg_catalog.pg_type.typname {typname} AND pg_catalog.pg_type_is_visible(pg_catalog.pg_type.oid) AND pg_catalog.pg_namespace.nspname != %(nspname_1)s"
        ),
        params,
    }
}

/// `PGDialect.has_sequence(connection, name, schema)`'s query, as
/// `create_all` and `drop_all` send it before a `CREATE SEQUENCE` / `DROP
/// SEQUENCE` (`pg_catalog.pg_class` of kind `S`, visible on the search
/// path — or, with a `schema`, in that namespace): a row back means the
/// sequence exists.
pub fn has_sequence_query(name: &str, schema: Option<&str>) -> crate::sql::compiler::Compiled {
    use crate::sql::compiler::{BoundParam, Compiled};
    use crate::sql::schema::SqlValue;
    let param = |n: &str, v: &str| BoundParam {
        name: n.to_string(),
        value: SqlValue::Text(v.to_string()),
        callable_: None,
    };
    let select = "SELECT pg_catalog.pg_class.relname \nFROM pg_catalog.pg_class JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_class.relnamespace \nWHERE pg_catalog.pg_class.relkind = %(relkind_1)s AND pg_catalog.pg_class.relname = %(relname_1)s";
    let (sql, nspname) = match schema {
        Some(schema) => (
            format!("{select} AND pg_catalog.pg_namespace.nspname = %(nspname_1)s"),
            schema,
        ),
        None => (
            format!(
                "{select} AND pg_catalog.pg_table_is_visible(pg_catalog.pg_class.oid) AND pg_catalog.pg_namespace.nspname != %(nspname_1)s"
            ),
            "pg_catalog",
        ),
    };
    Compiled {
        sql,
        params: vec![
            param("relkind_1", "S"),
            param("relname_1", name),
            param("nspname_1", nspname),
        ],
    }
}

/// `PGDialect.has_table(connection, name)`'s query, as `create_all` sends
/// it for each table (`pg_catalog.pg_class` joined to its namespace, the
/// relation kinds SQLAlchemy counts as a table, visible on the search
/// path): a row back means the table exists.
pub fn has_table_query(name: &str) -> crate::sql::compiler::Compiled {
    use crate::sql::compiler::{BoundParam, Compiled};
    use crate::sql::schema::SqlValue;
    let param = |n: &str, v: &str| BoundParam {
        name: n.to_string(),
        value: SqlValue::Text(v.to_string()),
        callable_: None,
    };
    Compiled {
        sql: "SELECT pg_catalog.pg_class.relname \nFROM pg_catalog.pg_class JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_class.relnamespace \nWHERE pg_catalog.pg_class.relname = %(table_name)s AND pg_catalog.pg_class.relkind = ANY (ARRAY[%(param_1)s, %(param_2)s, %(param_3)s, %(param_4)s, %(param_5)s]) AND pg_catalog.pg_table_is_visible(pg_catalog.pg_class.oid) AND pg_catalog.pg_namespace.nspname != %(nspname_1)s".to_string(),
        params: vec![
            param("table_name", name),
            param("param_1", "r"),
            param("param_2", "p"),
            param("param_3", "f"),
            param("param_4", "v"),
            param("param_5", "m"),
            param("nspname_1", "pg_catalog"),
        ],
    }
}

#[cfg(test)]
mod has_type_tests {
    /// As SQLAlchemy 2.0.58 compiles `PGDialect.has_type`'s query for
    /// psycopg2 and asyncpg.
    #[test]
    fn has_sequence_query_as_sqlalchemy_sends_it() {
        let c = super::has_sequence_query("ticket_seq_p46", None);
        assert!(c.sql.contains("pg_catalog.pg_class.relkind = %(relkind_1)s AND pg_catalog.pg_class.relname = %(relname_1)s"));
        let params: Vec<_> = c.params.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(params, ["relkind_1", "relname_1", "nspname_1"]);
    }

    #[test]
    fn has_type_query_as_sqlalchemy_sends_it() {
        let c = super::has_type_query(Some("status"));
        assert_eq!(
            c.sql,
            "SELECT pg_catalog.pg_type.typname \nFROM pg_catalog.pg_type JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_type.typnamespace \nWHERE pg_catalog.pg_type.typname = %(typname_1)s AND pg_catalog.pg_type_is_visible(pg_catalog.pg_type.oid) AND pg_catalog.pg_namespace.nspname != %(nspname_1)s"
        );
        assert_eq!(c.positiontup(), ["typname_1", "nspname_1"]);
        let c = super::has_type_query(None);
        assert!(c.sql.contains("typname IS NULL AND"), "{}", c.sql);
        assert_eq!(c.positiontup(), ["nspname_1"]);
        let c = super::asyncpg::has_type_query(Some("status"));
        assert!(c.sql.contains("typname = $1::VARCHAR AND"), "{}", c.sql);
        assert!(c.sql.ends_with("nspname != $2::VARCHAR"), "{}", c.sql);
    }
}
