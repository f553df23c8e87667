//! The SQL layer: table metadata ([`schema`]), the expression tree
//! ([`elements`]) and the compiler that renders it as SQLAlchemy 2.0 does on
//! SQLite ([`compiler`]).

pub mod compiler;
pub mod elements;
pub mod schema;
