//! PostgreSQL through asyncpg, as SQLAlchemy 2.0's `PGDialect_asyncpg`
//! (`sqlalchemy/dialects/postgresql/asyncpg.py`): the dialect of
//! `create_async_engine("postgresql+asyncpg://…")`.
//!
//! It differs from psycopg2's [`POSTGRESQL`](super::POSTGRESQL) only in
//! how parameters are written and sent: `numeric_dollar` markers (`$1`,
//! numbered in order of first use, a name used twice keeping its number,
//! an expanding `IN`'s values numbered after all the others) sent as a
//! sequence, each with `render_bind_cast`'s `::TYPE` (`$1::INTEGER`,
//! `$2::VARCHAR`: the `Asyncpg*` types of its `colspecs`), and no
//! `use_insertmanyvalues_wo_returning`: an executemany INSERT without
//! RETURNING goes to asyncpg's own `executemany`.

use super::super::{Dialect, ParamStyle};

/// `postgresql+asyncpg`: PostgreSQL's SQL with `$1::INTEGER` parameters —
/// psycopg2's dialect value with the three differences above, as
/// `PGDialect_asyncpg` subclasses `PGDialect`.
pub const POSTGRESQL_ASYNCPG: Dialect = Dialect {
    driver: "asyncpg",
    paramstyle: ParamStyle::NumericDollar,
    render_bind_cast: true,
    use_insertmanyvalues_wo_returning: false,
    ..super::POSTGRESQL
};

/// `PGDialect.has_table`'s query ([`super::has_table_query`]) as the
/// asyncpg dialect sends it: each parameter a `$n::VARCHAR`, in order.
pub fn has_table_query(name: &str) -> crate::sql::compiler::Compiled {
    varchar_binds(super::has_table_query(name))
}

/// `PGDialect.has_sequence`'s query ([`super::has_sequence_query`]) as the
/// asyncpg dialect sends it: each parameter a `$n::VARCHAR`, in order.
pub fn has_sequence_query(name: &str, schema: Option<&str>) -> crate::sql::compiler::Compiled {
    varchar_binds(super::has_sequence_query(name, schema))
}

/// `PGDialect.has_type`'s query ([`super::has_type_query`]) as the asyncpg
/// dialect sends it: each parameter a `$n::VARCHAR`, in order.
pub fn has_type_query(name: Option<&str>) -> crate::sql::compiler::Compiled {
    varchar_binds(super::has_type_query(name))
}

/// A psycopg2 catalog query's `%(name)s` parameters as asyncpg's
/// `$1::VARCHAR`, `$2::VARCHAR`, … in order.
fn varchar_binds(mut compiled: crate::sql::compiler::Compiled) -> crate::sql::compiler::Compiled {
    for (i, p) in compiled.params.iter().enumerate() {
        compiled.sql = compiled
            .sql
            .replace(&format!("%({})s", p.name), &format!("${}::VARCHAR", i + 1));
    }
    compiled
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asyncpg_is_postgresql_with_numeric_dollar_casts() {
        let d = &POSTGRESQL_ASYNCPG;
        assert_eq!((d.name, d.driver), ("postgresql", "asyncpg"));
        assert_eq!(d.paramstyle, ParamStyle::NumericDollar);
        assert!(d.render_bind_cast);
        assert!(!d.use_insertmanyvalues_wo_returning);
        assert_eq!(d.quote("user"), "\"user\"");
    }

    #[test]
    fn has_table_binds_each_name_as_varchar() {
        // as SQLAlchemy 2.0.58 + asyncpg sent it (tests/golden/postgresql/
        // expected/c85-async-context-managers.json)
        let c = has_table_query("users");
        assert!(c.sql.contains("relname = $1::VARCHAR AND"), "{}", c.sql);
        assert!(
            c.sql
                .contains("ARRAY[$2::VARCHAR, $3::VARCHAR, $4::VARCHAR, $5::VARCHAR, $6::VARCHAR]")
        );
        assert!(c.sql.ends_with("nspname != $7::VARCHAR"));
        assert_eq!(c.params.len(), 7);
    }
}
