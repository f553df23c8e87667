//! The SQL layer: table metadata ([`schema`]), the expression tree
//! ([`elements`]) and the compiler that renders it as SQLAlchemy 2.0 does on
//! SQLite ([`compiler`], with the DDL in [`ddl`]).

pub mod compiler;
pub mod ddl;
pub mod dialect;
pub mod elements;
pub mod schema;
