//! The SQL layer: table metadata ([`schema`]), the expression tree
//! ([`elements`]), the dialects ([`dialect`]: SQLite/pysqlite,
//! PostgreSQL/psycopg2, the `str()` dialect) and the compiler that renders a
//! tree for a dialect as SQLAlchemy 2.0 does ([`compiler`], with the DDL in
//! [`ddl`]). Nothing here depends on the interpreter.

pub mod compiler;
pub mod ddl;
pub mod dialect;
pub mod elements;
pub mod schema;
