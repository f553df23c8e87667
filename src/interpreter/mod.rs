//! The interpreter: runs the syntax tree of [`crate::language`], turning ORM
//! calls into queries and session operations ([`crate::orm`]).
//!
//! [`Interpreter`] holds the global namespace; [`eval`] walks statements and
//! expressions; [`builtins`] and [`methods`] are what names and attributes
//! resolve to; [`models`] turns `class X(Base):` bodies into mappers.

pub mod builtins;
pub mod errors;
pub mod eval;
pub mod format;
pub mod methods;
pub mod models;
pub mod ops;
pub mod value;

pub use errors::{PyErr, PyResult};
pub use eval::Interpreter;
pub use value::Value;
