//! `select(User).from_statement(stmt)`: SQLAlchemy 2.0's `FromStatement`
//! (`orm/context.py`): the entity loaded from the rows of a statement of
//! the learner's own, a `text()` or a `select()`.
//!
//! - With `text("SELECT * FROM users …")` the statement is sent as it is
//!   (its `:name` parameters bound from `.params()` / `bindparams()`), and
//!   each row's columns are matched to the entity's columns by name; the
//!   columns the statement leaves out are expired on a new object, and load
//!   together (one SELECT) at the first access of one.
//! - With `select(User).where(…)` of the same entity the rows are the
//!   entities that statement loads; with `union_all(select(User)…, …)`
//!   those its rows load.

use std::rc::Rc;

use crate::python::{PyErr, PyObject, PyResult, Value};
use crate::sql::elements::TextClause;
use crate::sql::schema::SqlValue;

use super::mapper::Mapper;
use super::query::{Entity, Query};
use super::session::Session;
use super::strategy_options::LoadedColumns;

/// The statement the entity is loaded from.
#[derive(Debug, Clone)]
pub enum Source {
    Text(TextClause),
    Select(Rc<Query>),
}

/// `select(User).from_statement(stmt)`.
#[derive(Debug, Clone)]
pub struct FromStatement {
    pub mapper: Rc<Mapper>,
    pub source: Source,
}

impl PyObject for FromStatement {
    fn type_name(&self) -> String {
        "FromStatement".into()
    }
    fn repr(&self) -> String {
        format!(
            "<sqlalchemy.orm.context.FromStatement object at {}>",
            crate::python::format::address_of(self as *const Self)
        )
    }
    fn str(&self) -> String {
        match &self.source {
            Source::Text(t) => t.text.clone(),
            Source::Select(_) => self.repr(),
        }
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

impl FromStatement {
    /// `select(entity).from_statement(stmt)` for `stmt` a `text()` or a
    /// `select()` of the same entity.
    ///
    /// Errors: `NotImplementedError` for a `select()` of anything else.
    pub fn new(mapper: Rc<Mapper>, source: Source) -> PyResult<FromStatement> {
        if let Source::Select(q) = &source {
            let same = matches!(q.entities.as_slice(),
                [Entity::Mapper(m, None, _)] if Rc::ptr_eq(m, &mapper));
            if !same {
                return Err(PyErr::unsupported(
                    "from_statement() of a select() of other columns than the entity's",
                ));
            }
        }
        Ok(FromStatement { mapper, source })
    }

    /// `.params(name=value)`: the `text()`'s parameters bound.
    ///
    /// Errors: `NotImplementedError` on a `select()` source; a value's
    /// bind processing errors.
    pub fn with_params(&self, params: &[(String, Value)]) -> PyResult<FromStatement> {
        let Source::Text(t) = &self.source else {
            return Err(PyErr::unsupported(
                "params() on from_statement(select(...))",
            ));
        };
        let mut t = t.clone();
        for (k, v) in params {
            let v = super::expression::bind_value(v, None)?;
            t.binds.retain(|(n, _)| n != k);
            t.binds.push((k.clone(), v));
        }
        Ok(FromStatement {
            mapper: self.mapper.clone(),
            source: Source::Text(t),
        })
    }

    /// Runs the statement in `session` and loads the entity from each row:
    /// the result's keys (the class name) and rows (one object each).
    ///
    /// Errors: `NotImplementedError` when a text's rows lack a primary-key
    /// column; the database's errors.
    pub fn execute(&self, session: &Rc<Session>) -> PyResult<(Vec<String>, Vec<Vec<Value>>)> {
        let t = match &self.source {
            Source::Select(q) if q.compound.is_some() => {
                session.autoflush()?;
                session.begin_connection()?;
                let (select, plan) = q.to_select_for_statement()?;
                let loaded = session.execute_query_select(q, &select, &plan)?;
                let keys = loaded.keys.clone();
                return Ok((keys, loaded.into_rows()));
            }
            Source::Select(q) => {
                let loaded = session.execute_query(q, None)?;
                let keys = loaded.keys.clone();
                return Ok((keys, loaded.into_rows()));
            }
            Source::Text(t) => t,
        };
        session.autoflush()?;
        let (names, rows, _) = session.execute_text(t, &[])?;
        let names = names.unwrap_or_default();
        let table = &self.mapper.table;
        // Each table column, in table order, and where the row holds it.
        let mut loaded = LoadedColumns {
            exprs: Vec::new(),
            cols: Vec::new(),
            deferred: Vec::new(),
            gap: 0,
        };
        let mut positions = Vec::new();
        let mut missing = Vec::new();
        for (i, c) in table.columns.iter().enumerate() {
            match names.iter().position(|n| *n == c.name) {
                Some(p) => {
                    loaded.cols.push(i);
                    positions.push(p);
                }
                None => {
                    if let Some(key) = self.mapper.column_key(i) {
                        missing.push(key.to_string());
                    }
                }
            }
        }
        if self
            .mapper
            .primary_key()
            .iter()
            .any(|p| !loaded.cols.contains(p))
        {
            return Err(PyErr::unsupported(
                "from_statement() of a text() whose rows lack the primary key",
            ));
        }
        let mut out = Vec::new();
        for row in rows {
            let compact: Vec<SqlValue> = positions
                .iter()
                .map(|p| row.get(*p).cloned().unwrap_or(SqlValue::Null))
                .collect();
            let obj = session.load_row_columns(&self.mapper, &compact, 0, Some(&loaded), false)?;
            // The columns the text left out are expired on a new object,
            // and load together at the first access of one, as SQLAlchemy's.
            if let Some(o) = &obj {
                let mut b = o.borrow_mut();
                for key in &missing {
                    if b.dict.get(key).is_none() {
                        b.expire_attribute(key);
                    }
                }
            }
            out.push(vec![obj.map_or(Value::None, super::state::instance_value)]);
        }
        Ok((vec![self.mapper.class_name.clone()], out))
    }
}
