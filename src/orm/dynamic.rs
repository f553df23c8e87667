//! `relationship(lazy="dynamic")`, as SQLAlchemy 2.0's `orm/dynamic.py`:
//! reading the attribute gives an `AppenderQuery`, a legacy `Query` of the
//! target class already filtered by the relationship's lazy clause
//! (`WHERE ? = books.author_id`), which also takes `append()`, `extend()`
//! and `remove()`. What is appended or removed waits in the owner's state
//! until the flush, which sets or clears the children's foreign keys.

use std::rc::Rc;

use crate::python::exceptions::{PyErr, PyResult};
use crate::python::value::{ListObj, Value};
use crate::sql::elements::{Expr, Operator, Selectable};

use super::expression::bind_value;
use super::mapper::{Direction, Relationship};
use super::query::{Entity, Query, QueryStyle};
use super::session::session_by_id;
use super::state::{Obj, as_instance};

/// The object and relationship an `AppenderQuery` belongs to.
#[derive(Debug, Clone)]
pub struct DynamicParent {
    pub owner: Obj,
    pub rel: Rc<Relationship>,
}

/// `parent.books` for a `lazy="dynamic"` relationship: the `AppenderQuery`
/// (SQLAlchemy's `AppenderMixin`), bound to the owner's session; the
/// owner's key is read now (loading it when expired).
///
/// Errors: `NotImplementedError` for an owner outside a Session or a
/// many-to-many, many-to-one or `primaryjoin=` relationship.
pub fn appender_query(owner: &Obj, rel: &Rc<Relationship>) -> PyResult<Value> {
    let res = rel.resolve()?;
    if res.direction != Direction::OneToMany || res.extra.is_some() {
        return Err(PyErr::unsupported(
            "a lazy=\"dynamic\" relationship other than a plain one-to-many",
        ));
    }
    let session = owner.borrow().session.and_then(session_by_id);
    let Some(session) = session else {
        // Outside a Session the query cannot run, but takes appends.
        let mut query = Query::new(
            QueryStyle::Select,
            vec![Entity::Mapper(res.target.clone(), None, None)],
        );
        query.dynamic = Some(DynamicParent {
            owner: owner.clone(),
            rel: rel.clone(),
        });
        return Ok(Value::native(query));
    };
    let target = Selectable::Table(res.target.table.clone());
    let mut query = Query::new(
        QueryStyle::Legacy(session.clone()),
        vec![Entity::Mapper(res.target.clone(), None, None)],
    );
    query.order_by = super::strategies::relationship_order_by(rel, &target)?;
    query.dynamic = Some(DynamicParent {
        owner: owner.clone(),
        rel: rel.clone(),
    });
    Ok(Value::native(query))
}

/// The lazy clause of an `AppenderQuery` (`? = books.author_id`), bound
/// to the owner's key as it is now (loading it when expired).
///
/// Errors: the owner's refresh errors.
pub fn criterion(parent: &DynamicParent) -> PyResult<Vec<Expr>> {
    let res = parent.rel.resolve()?;
    let target = Selectable::Table(res.target.table.clone());
    let mut out = Vec::new();
    for (p, t) in &res.pairs {
        let key = parent
            .owner
            .borrow()
            .mapper
            .column_key(*p)
            .map(str::to_string);
        let v = match key {
            Some(k) => super::attributes::get_attribute(&parent.owner, &k)?,
            None => Value::None,
        };
        let ty = res.target.table.columns.get(*t).map(|c| c.sql_type.clone());
        out.push(Expr::binary(
            super::strategies::lazy_bind(bind_value(&v, ty.as_ref())?),
            Operator::Eq,
            Expr::column(&target, *t),
        ));
    }
    Ok(out)
}

/// The owner's list of children appended since the last flush (kept under
/// the relationship's key, where the flush's one-to-many sync reads it).
fn pending_list(parent: &DynamicParent) -> Rc<ListObj> {
    let mut o = parent.owner.borrow_mut();
    if let Some(Value::List(l)) = o.dict.get(&parent.rel.key) {
        return l.clone();
    }
    let l = ListObj::new(Vec::new());
    o.dict.insert(&parent.rel.key, Value::List(l.clone()));
    o.rare_mut()
        .committed_collections
        .get_or_default(&parent.rel.key);
    l
}

/// `parent.transactions` for a `lazy="write_only"` relationship
/// (`WriteOnlyMapped[...]`): SQLAlchemy 2.0's `WriteOnlyCollection`, which
/// never loads: `select()` gives the statement to run, `add()`/`add_all()`/
/// `remove()` wait for the flush.
pub fn write_only_collection(owner: &Obj, rel: &Rc<Relationship>) -> PyResult<Value> {
    let res = rel.resolve()?;
    if res.direction != Direction::OneToMany || res.extra.is_some() {
        return Err(PyErr::unsupported(
            "a lazy=\"write_only\" relationship other than a plain one-to-many",
        ));
    }
    Ok(Value::native(WriteOnlyCollection(DynamicParent {
        owner: owner.clone(),
        rel: rel.clone(),
    })))
}

/// A `WriteOnlyCollection` (see [`write_only_collection`]).
#[derive(Debug)]
pub struct WriteOnlyCollection(pub DynamicParent);

impl crate::python::object::PyObject for WriteOnlyCollection {
    fn type_name(&self) -> String {
        "WriteOnlyCollection".into()
    }
    fn repr(&self) -> String {
        format!(
            "<sqlalchemy.orm.writeonly.WriteOnlyCollection object at {}>",
            crate::python::format::address_of(self as *const Self)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

impl WriteOnlyCollection {
    /// `collection.select()`: `select(Target).where(<parent criterion>)`
    /// with the relationship's `order_by`, the criterion bound when the
    /// statement runs.
    ///
    /// Errors: the relationship's `order_by` errors.
    pub fn select(&self) -> PyResult<Value> {
        let res = self.0.rel.resolve()?;
        let target = Selectable::Table(res.target.table.clone());
        let mut query = Query::new(
            QueryStyle::Select,
            vec![Entity::Mapper(res.target.clone(), None, None)],
        );
        query.order_by = super::strategies::relationship_order_by(&self.0.rel, &target)?;
        query.dynamic = Some(self.0.clone());
        Ok(Value::native(query))
    }
}

impl WriteOnlyCollection {
    /// `collection.update()` / `collection.delete()`: `update(Target)` /
    /// `delete(Target)` with the collection's criterion (`WHERE ? =
    /// account_transactions.account_id`), as SQLAlchemy 2.0
    /// `WriteOnlyCollection.update()`/`.delete()`. The owner's key is read
    /// now and again when the statement runs ([`bind_owner`]), so a
    /// statement made before a pending owner's flush has its new key.
    ///
    /// Errors: the owner's refresh errors.
    pub fn dml(&self, kind: super::bulk::DmlKind) -> PyResult<super::bulk::DmlStatement> {
        let res = self.0.rel.resolve()?;
        let mut stmt = super::bulk::DmlStatement::new(kind, res.target.clone());
        stmt.where_ = criterion(&self.0)?;
        stmt.owner = Some(self.0.clone());
        Ok(stmt)
    }

    /// `collection.insert()`: `insert(Target).values(account_id=<the
    /// owner's key>)`, for rows added in terms of the owner, as SQLAlchemy
    /// 2.0 `WriteOnlyCollection.insert()`.
    ///
    /// Errors: the owner's refresh errors.
    pub fn insert(&self) -> PyResult<super::bulk::DmlStatement> {
        let res = self.0.rel.resolve()?;
        let mut stmt =
            super::bulk::DmlStatement::new(super::bulk::DmlKind::Insert, res.target.clone());
        for (p, t) in &res.pairs {
            let key = self
                .0
                .owner
                .borrow()
                .mapper
                .column_key(*p)
                .map(str::to_string);
            let v = match key {
                Some(k) => super::attributes::get_attribute(&self.0.owner, &k)?,
                None => Value::None,
            };
            // `bindparam(None, callable_=…)`: an anonymous `:param_1`.
            let ty = res.target.table.columns.get(*t).map(|c| c.sql_type.clone());
            let bind = super::strategies::lazy_bind(bind_value(&v, ty.as_ref())?);
            stmt.values.push((*t, super::expression::sql(bind, ty)));
        }
        stmt.owner = Some(self.0.clone());
        Ok(stmt)
    }
}

/// A statement of a `WriteOnlyCollection` with its owner's key read now:
/// the collection's criterion (the first `WHERE` clauses of an UPDATE or
/// DELETE) or foreign key values (an INSERT's) bound again, as SQLAlchemy's
/// `bindparam(callable_=…)` reads the key when the statement is executed.
///
/// Errors: the owner's refresh errors.
pub fn bind_owner(stmt: &super::bulk::DmlStatement) -> PyResult<super::bulk::DmlStatement> {
    let mut out = stmt.clone();
    let Some(parent) = &stmt.owner else {
        return Ok(out);
    };
    let collection = WriteOnlyCollection(parent.clone());
    match stmt.kind {
        super::bulk::DmlKind::Insert => {
            for (col, v) in collection.insert()?.values {
                if let Some(slot) = out.values.iter_mut().find(|(c, _)| *c == col) {
                    slot.1 = v;
                }
            }
        }
        _ => {
            let fresh = criterion(parent)?;
            let n = fresh.len().min(out.where_.len());
            out.where_.splice(0..n, fresh);
        }
    }
    Ok(out)
}

/// The owner's relationship changed: both objects go to the next flush.
fn mark_modified(parent: &DynamicParent, child: &Obj) {
    parent
        .owner
        .borrow_mut()
        .rare_mut()
        .modified_relationships
        .insert(parent.rel.key.clone());
    super::attributes::hold_modified(&parent.owner);
    super::attributes::hold_modified(child);
}

/// `AppenderQuery.append(item)`: the child joins the collection at the
/// next flush (its foreign key set to the owner's key) and, through the
/// save-update cascade, the owner's Session now.
///
/// Errors: `TypeError` for a value that is not a mapped object.
pub fn append(parent: &DynamicParent, item: &Value) -> PyResult<()> {
    let Some(child) = as_instance(item) else {
        return Err(crate::python::exceptions::type_error(format!(
            "'{}' object is not a mapped instance",
            item.type_name()
        )));
    };
    let list = pending_list(parent);
    if !list.items.borrow().iter().any(|v| v.is(item)) {
        list.items.borrow_mut().push(item.clone());
    }
    if let Some(r) = parent.rel.reverse_key() {
        super::collections::reverse_add(&child, &r, &parent.owner);
    }
    super::collections::parent_found(&child, &parent.rel);
    mark_modified(parent, &child);
    super::attributes::cascade_into_session(&parent.owner, item)
}

/// `AppenderQuery.remove(item)`: at the next flush the child's foreign key
/// is set to NULL (SQLAlchemy's one-to-many dependency), or with
/// `delete-orphan` the child is deleted then unless it finds a parent first.
pub fn remove(parent: &DynamicParent, item: &Value) -> PyResult<()> {
    let Some(child) = as_instance(item) else {
        return Ok(());
    };
    if let Some(r) = parent.rel.reverse_key() {
        super::collections::reverse_remove(&child, &r, &parent.owner);
    }
    mark_modified(parent, &child);
    super::collections::parent_lost(&child, &parent.rel);
    let list = pending_list(parent);
    let pending = list.items.borrow().iter().position(|v| v.is(item));
    match pending {
        Some(i) => {
            list.items.borrow_mut().remove(i);
        }
        None => {
            let mut o = parent.owner.borrow_mut();
            let before = o
                .rare_mut()
                .committed_collections
                .get_or_default(&parent.rel.key);
            if !before.iter().any(|v| v.is(item)) {
                before.push(item.clone());
            }
        }
    }
    Ok(())
}
