//! orm-tutor: teaches the SQLAlchemy ORM by running a learner's code against
//! an embedded SQLite database and showing the SQL that SQLAlchemy 2.0 sends.
//!
//! The pipeline, one module each: [`language`] (parse) → [`interpreter`]
//! (run) → [`sqlalchemy`] (SQLAlchemy's Python face) → [`orm`] (models,
//! queries, session, loading) → [`sql`] (compile, dialects) → [`engine`]
//! (SQLite, statement log) → [`render`] (what the learner sees) →
//! [`lessons`]; [`python`] (values, exceptions, builtins) sits below them
//! all. `ARCHITECTURE.md` maps the rooms.

pub mod cli;
pub mod engine;
pub mod fixture;
pub mod interpreter;
pub mod language;
pub mod lessons;
pub mod orm;
pub mod outcome;
pub mod python;
pub mod render;
pub mod repl;
pub mod sql;
pub mod sqlalchemy;
pub mod teaching;
pub mod trace;
pub mod tutor;
