//! Python's object model as the tutor's language sees it: values
//! ([`value`]), the exception classes and `PyErr` ([`exceptions`]),
//! `repr`/`str` ([`format`]), operators ([`ops`]), the built-in types'
//! methods ([`types`]) and functions ([`builtins`]), iteration ([`iter`]),
//! and the guards against runaway recursion through containers ([`recursion`]).
//!
//! This room sits below everything that runs code: the interpreter, the ORM
//! and SQLAlchemy's Python face all build on it.

pub mod bigint;
pub mod builtins;
pub mod class;
pub mod collections;
pub mod coroutine;
pub mod exception_classes;
pub mod exceptions;
pub mod format;
pub mod format_spec;
pub mod generator;
pub mod hash;
pub mod hash_index;
pub mod iter;
pub mod iterators;
pub mod itertools;
pub mod json;
pub mod math;
pub mod object;
pub mod ops;
pub mod printf;
pub mod random;
pub mod recursion;
pub mod rounding;
pub mod scope;
pub mod signature;
pub mod types;
pub mod value;
pub mod vm;
pub mod warnings;

pub use exception_classes::ExcType;
pub use exceptions::{PyErr, PyResult};
pub use object::PyObject;
pub use signature::{Bound, Signature};
pub use value::Value;
pub use vm::{Kwargs, Vm};
