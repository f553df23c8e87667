//! SQLAlchemy's Python face: the modules a learner imports (`sqlalchemy`,
//! `sqlalchemy.orm`, `sqlalchemy.exc`, …, plus `datetime` and `typing`), the
//! names each exports, and one method table per SQLAlchemy type (`Session`,
//! `Query`, `Result`, …) that serves dispatch, completion and errors alike.
//!
//! Semantics live in [`crate::orm`]; this room binds Python arguments
//! ([`crate::python::Signature`]) and calls them.

pub mod alembic;
pub mod aliased;
pub mod asyncio;
pub mod asyncio_engine;
pub mod asyncio_scoping;
pub mod compiled;
pub mod compound;
pub mod connection;
pub mod connection_execute;
pub mod core;
pub mod dir_names;
pub mod dml;
pub mod engine;
pub mod event;
pub mod help;
pub mod inspection;
pub mod inspector;
pub mod join;
pub mod mapper_inspection;
pub mod method;
pub mod modules;
pub mod names;
pub mod objects;
pub mod query;
pub mod reflect_table;
pub mod result;
pub mod schema;
pub mod session;
pub mod session_nested;
pub mod strategy_options;
pub mod subquery;
pub mod table;
pub mod table_items;
pub mod url;

/// `obj.name` for the objects of [`aliased`], [`inspection`], [`mapper_inspection`],
/// [`compiled`] and [`engine`]'s execution context; `None` when `obj` is none of theirs.
pub fn get_attr(
    obj: &crate::python::Value,
    name: &str,
) -> Option<crate::python::PyResult<crate::python::Value>> {
    aliased::get_attr(obj, name)
        .or_else(|| inspection::get_attr(obj, name))
        .or_else(|| mapper_inspection::get_attr(obj, name))
        .or_else(|| compiled::get_attr(obj, name))
        .or_else(|| engine::context_attr(obj, name))
        .or_else(|| query::write_only_attr(obj, name))
        .or_else(|| dml::dml_attr(obj, name))
        .or_else(|| event::get_attr(obj, name))
}
