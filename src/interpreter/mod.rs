//! The interpreter: runs the syntax tree of [`crate::language`], turning ORM
//! calls into queries and session operations ([`crate::orm`]).
//!
//! [`Interpreter`] holds the global namespace; [`eval`] runs statements,
//! scopes and calls; [`calls`] makes `def`/`lambda` functions with their
//! closures and binds call arguments; [`raising`] raises, handles and chains exceptions; [`expr`] evaluates expressions and operators;
//! [`builtins`] and [`methods`] are what names and attributes resolve to; [`models`] turns `class X(Base):` bodies into mappers, reading
//! `Mapped[...]` annotations through [`annotations`]. Values,
//! exceptions, `repr` and operators live in [`crate::python`].

pub mod annotations;
pub mod builtins;
pub mod calls;
pub mod class_builtins;
pub mod classes;
pub mod contextlib;
pub mod coroutines;
pub mod dataclasses;
pub mod declared_attr;
pub mod enums;
pub mod eval;
pub mod event_loop;
pub mod expr;
pub mod functools;
pub mod future;
pub mod generators;
pub mod hybrid;
pub mod introspect;
pub mod methods;
pub mod models;
pub mod operator;
pub mod pprint;
pub mod raising;

pub use crate::python::{PyErr, PyResult, Value};
pub use eval::Interpreter;
