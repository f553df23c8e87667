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
//!   those its rows load. Columns the statement selects after the entity
//!   (`select(User, func.count(Book.id).label("book_count"))`) are not
//!   loaded, unless `.options(with_expression(User.book_count,
//!   stmt.selected_columns.book_count))` names one for a
//!   `query_expression()` attribute.

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
    /// `.options(with_expression(...))`: the query expressions filled
    /// from the statement's columns.
    pub options: Vec<Rc<super::strategy_options::LoaderOption>>,
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
    /// `select()` of the same entity, maybe followed by column entities.
    ///
    /// Errors: `NotImplementedError` for a `select()` of anything else.
    pub fn new(mapper: Rc<Mapper>, source: Source) -> PyResult<FromStatement> {
        if let Source::Select(q) = &source {
            let first = q
                .compound
                .as_ref()
                .and_then(|c| c.selects.first())
                .unwrap_or(q);
            let same = matches!(first.entities.as_slice(),
                [Entity::Mapper(m, None, _), rest @ ..] if Rc::ptr_eq(m, &mapper)
                    && rest.iter().all(|e| matches!(e, Entity::Column(_))));
            if !same {
                return Err(PyErr::unsupported(
                    "from_statement() of a select() of other columns than the entity's",
                ));
            }
        }
        Ok(FromStatement {
            mapper,
            source,
            options: Vec::new(),
        })
    }

    /// `.options(with_expression(User.x, stmt.selected_columns.x))`: each
    /// `query_expression()` attribute read from the statement's column of
    /// that name.
    ///
    /// Errors: `NotImplementedError` for other options, and on a `text()`.
    pub fn with_options(
        &self,
        options: Vec<Rc<super::strategy_options::LoaderOption>>,
    ) -> PyResult<FromStatement> {
        use super::strategy_options::ColumnOption;
        for o in &options {
            let ok = o.path.is_empty()
                && o.wildcard.is_none()
                && matches!(&o.column, Some(ColumnOption::WithExpression(a, _))
                    if Rc::ptr_eq(&a.mapper, &self.mapper));
            if !ok || matches!(self.source, Source::Text(_)) {
                return Err(PyErr::unsupported(
                    "FromStatement.options() other than with_expression() on a select()",
                ));
            }
        }
        let mut out = self.clone();
        out.options.extend(options);
        Ok(out)
    }

    /// The row positions and attribute keys `with_expression()` options
    /// fill, matched by name among the statement's column entities.
    ///
    /// Errors: `NotImplementedError` for an expression that is not one of
    /// the statement's columns.
    fn expression_positions(&self, q: &Query) -> PyResult<Vec<(usize, String)>> {
        use super::strategy_options::ColumnOption;
        let first = q
            .compound
            .as_ref()
            .and_then(|c| c.selects.first())
            .unwrap_or(q);
        let mut out = Vec::new();
        for o in &self.options {
            let Some(ColumnOption::WithExpression(a, e)) = &o.column else {
                continue;
            };
            let name = super::query::expr_key(e);
            let pos = first.entities.iter().position(|ent| {
                matches!(ent, Entity::Column(c)
                    if c.key.clone().unwrap_or_else(|| super::query::expr_key(&c.expr)) == name)
            });
            match pos {
                Some(p) => out.push((p, a.key.clone())),
                None => {
                    return Err(PyErr::unsupported(
                        "with_expression() on from_statement() of an expression that is not one of the statement's columns",
                    ));
                }
            }
        }
        Ok(out)
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
            options: self.options.clone(),
        })
    }

    /// Runs the statement in `session` and loads the entity from each row:
    /// the result's keys (the class name) and rows (one object each).
    ///
    /// Errors: `NotImplementedError` when a text's rows lack a primary-key
    /// column; the database's errors.
    pub fn execute(&self, session: &Rc<Session>) -> PyResult<(Vec<String>, Vec<Vec<Value>>)> {
        let t = match &self.source {
            Source::Select(q) => {
                let filled = self.expression_positions(q)?;
                let loaded = if q.compound.is_some() {
                    session.autoflush()?;
                    session.begin_connection()?;
                    let (select, plan) = q.to_select_for_statement()?;
                    session.execute_query_select(q, &select, &plan)?
                } else {
                    session.execute_query(q, None)?
                };
                let keys = loaded.keys.clone();
                let mut rows = loaded.into_rows();
                for row in &mut rows {
                    if let Some(o) = row.first().and_then(super::state::as_instance) {
                        let mut b = o.borrow_mut();
                        for (p, key) in &filled {
                            let v = row.get(*p).cloned().unwrap_or(Value::None);
                            b.dict.insert(key, v);
                            b.unexpire(key);
                        }
                    }
                    row.truncate(1);
                }
                return Ok((keys.into_iter().take(1).collect(), rows));
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
