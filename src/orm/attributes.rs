//! Attribute access on mapped objects (SQLAlchemy's `orm/attributes.py`):
//! reading a column or relationship attribute (loading expired columns and
//! lazy relationships), setting one with its history kept for the unit of
//! work, backrefs kept in step, committed values of loaded collections, and
//! expiry.

use std::cell::RefCell;
use std::rc::Rc;

use crate::outcome::Cause;
use crate::python::ExcType;
use crate::python::exceptions::{PyErr, PyResult, invalid_request};
use crate::python::value::{ListObj, Value};

use super::collections::{parent_found, parent_lost, reverse_add, reverse_remove};
use super::mapper::{Lazy, Relationship};
use super::session::{Session, session_by_id};
use super::state::{Instance, Obj, ObjectState, state_str};

/// Reads an attribute of a mapped object as SQLAlchemy's instrumentation
/// does: loaded values as they are, expired columns reloaded, relationships
/// lazy loaded (or eager-loaded values read), detached objects refusing to
/// load.
///
/// Errors: `DetachedInstanceError`, `ObjectDeletedError`,
/// `InvalidRequestError` for `lazy="raise"`, `AttributeError` for unknown
/// attributes.
pub fn get_attribute(obj: &Obj, key: &str) -> PyResult<Value> {
    get_attribute_for(obj, key, None)
}

/// [`get_attribute`], with the cause a lazy load is logged under when it is
/// not the learner's own access (a flush loading what it must update).
pub fn get_attribute_for(obj: &Obj, key: &str, cause: Option<Cause>) -> PyResult<Value> {
    let dynamic = {
        let o = obj.borrow();
        if o.mapper.column(key).is_some() || o.mapper.expression(key).is_some() {
            None
        } else {
            o.mapper.relationship(key).filter(|r| {
                matches!(
                    r.decl.lazy,
                    super::mapper::Lazy::Dynamic | super::mapper::Lazy::WriteOnly
                )
            })
        }
    };
    if let Some(rel) = dynamic {
        if rel.decl.lazy == super::mapper::Lazy::WriteOnly {
            return super::dynamic::write_only_collection(obj, &rel);
        }
        return super::dynamic::appender_query(obj, &rel);
    }
    if let Some(v) = obj.borrow().dict.get(key) {
        return Ok(v.clone());
    }
    let (mapper, state, session_id) = {
        let o = obj.borrow();
        (o.mapper.clone(), o.state(), o.session)
    };
    let expression = mapper
        .expression(key)
        .and_then(|k| mapper.expressions.get(k));
    if mapper.column(key).is_some() || expression.is_some() {
        if expression.is_some_and(|p| p.expr.is_none()) {
            // A `query_expression()` no query filled: `None`, no SQL.
            return Ok(Value::None);
        }
        return match state {
            ObjectState::Transient | ObjectState::Pending => Ok(Value::None),
            ObjectState::Detached => Err(PyErr::new(
                ExcType::DetachedInstanceError,
                format!(
                    "Instance {} is not bound to a Session; attribute refresh operation cannot proceed",
                    state_str(obj)
                ),
            )),
            ObjectState::Persistent | ObjectState::Deleted => {
                let deferred = obj.borrow().deferred().get(key).copied();
                if deferred == Some(true) {
                    return Err(invalid_request(format!(
                        "'{}.{key}' is not available due to raiseload=True",
                        mapper.class_name
                    )));
                }
                let session = session_id
                    .and_then(session_by_id)
                    .ok_or_else(|| invalid_request("session is gone"))?;
                if deferred.is_some() {
                    session.load_deferred(obj, key)?;
                } else {
                    session.load_expired(obj, key)?;
                }
                Ok(obj.borrow().dict.get(key).cloned().unwrap_or(Value::None))
            }
        };
    }
    if let Some(rel) = mapper.relationship(key) {
        let res = rel.resolve()?;
        let empty = || {
            if res.uselist { Some(Value::None) } else { None }
        };
        match state {
            ObjectState::Transient | ObjectState::Pending => {
                if res.uselist {
                    let list = Rc::new(ListObj {
                        items: RefCell::new(Vec::new()),
                        owner: Some((crate::orm::state::owner_ref(obj), key.to_string())),
                    });
                    obj.borrow_mut().dict.insert(key, Value::List(list.clone()));
                    return Ok(Value::List(list));
                }
                let _ = empty;
                return Ok(Value::None);
            }
            ObjectState::Detached => {
                return Err(PyErr::new(
                    ExcType::DetachedInstanceError,
                    format!(
                        "Parent instance {} is not bound to a Session; lazy load operation of attribute '{}' cannot proceed",
                        state_str(obj),
                        key
                    ),
                ));
            }
            _ => {}
        }
        match rel.decl.lazy {
            Lazy::Raise => {
                return Err(invalid_request(format!(
                    "'{}' is not available due to lazy='raise'",
                    rel.qualified_name()
                )));
            }
            Lazy::Noload => {
                let v = if res.uselist {
                    Value::list(Vec::new())
                } else {
                    Value::None
                };
                return Ok(v);
            }
            _ => {}
        }
        if obj
            .borrow()
            .rare()
            .is_some_and(|r| r.raise_on_load.contains(key))
        {
            return Err(invalid_request(format!(
                "'{}' is not available due to lazy='raise'",
                rel.qualified_name()
            )));
        }
        let session = session_id
            .and_then(session_by_id)
            .ok_or_else(|| invalid_request("session is gone"))?;
        let cause = cause.unwrap_or_else(|| Cause::LazyLoad(rel.qualified_name()));
        let v = session.lazy_load(obj, &rel, cause)?;
        match &v {
            Value::List(l) => {
                let items = l.items.borrow().clone();
                session.set_loaded_collection(obj, key, items);
                return Ok(obj.borrow().dict.get(key).cloned().unwrap_or(Value::None));
            }
            other => session.set_loaded_scalar(obj, key, other.clone()),
        }
        return Ok(v);
    }
    if let Some((_, v)) = mapper.class_attrs.borrow().iter().find(|(k, _)| k == key) {
        return Ok(v.clone());
    }
    let hint = crate::python::exceptions::did_you_mean(
        key,
        mapper.attribute_names().iter().map(String::as_str),
    );
    let err = crate::python::exceptions::attribute_error(format!(
        "'{}' object has no attribute '{}'",
        mapper.class_name, key
    ));
    Err(match hint {
        Some(h) => err.with_hint(format!("did you mean '{h}'?")),
        None => err,
    })
}

/// Sets a column attribute, recording the old value for the unit of work.
pub fn set_column_attribute(obj: &Obj, key: &str, value: Value) -> PyResult<()> {
    hold_modified(obj);
    let mut o = obj.borrow_mut();
    let persistent = o.key.is_some();
    if persistent && !o.committed().contains_key(key) {
        let old = o.dict.get(key).cloned();
        if let Some(old) = old {
            o.rare_mut().committed.insert(key.to_string(), old);
        } else {
            // Setting an expired attribute: SQLAlchemy records it as changed
            // without loading the old value.
            o.rare_mut()
                .committed
                .insert(key.to_string(), Value::Tuple(Rc::from(Vec::new())));
        }
    }
    o.unexpire(key);
    if let Some(r) = o.rare_if_any() {
        r.deferred.remove(key);
    }
    o.dict.insert(key, value);
    Ok(())
}

/// `obj.rel = value`: sets a relationship, keeping the other side in step
/// in memory (`back_populates`/`backref`) and cascading `save-update` into
/// the object's session.
pub fn set_relationship(obj: &Obj, rel: &Rc<Relationship>, value: Value) -> PyResult<()> {
    let res = rel.resolve()?;
    let reverse = rel.reverse_key();
    if res.uselist {
        // Replacing a collection of a persistent object loads the old one
        // first (its history), as SQLAlchemy does at assignment.
        let unloaded = {
            let b = obj.borrow();
            b.key.is_some() && b.session.is_some() && !b.dict.contains_key(&rel.key)
        };
        if unloaded {
            get_attribute(obj, &rel.key)?;
        }
        let items = match &value {
            Value::List(l) => l.items.borrow().clone(),
            Value::Tuple(t) => t.to_vec(),
            other => {
                return Err(crate::python::exceptions::type_error(format!(
                    "Incompatible collection type: {} is not list-like",
                    other.type_name()
                )));
            }
        };
        let old = obj
            .borrow()
            .dict
            .get(&rel.key)
            .map(objects_in)
            .unwrap_or_default();
        for o in &old {
            if !items.iter().any(|i| {
                crate::orm::state::as_instance(i)
                    .as_ref()
                    .is_some_and(|x| Rc::ptr_eq(x, o))
            }) {
                if let Some(r) = &reverse {
                    reverse_remove(o, r, obj);
                }
                parent_lost(o, rel);
            }
        }
        for item in &items {
            let Some(child) = crate::orm::state::as_instance(item) else {
                return Err(crate::python::exceptions::type_error(format!(
                    "Incompatible item for {}: {} is not a mapped object",
                    rel.qualified_name(),
                    item.type_name()
                )));
            };
            if let Some(r) = &reverse {
                reverse_add(&child, r, obj);
            }
            parent_found(&child, rel);
        }
        let list = Rc::new(ListObj {
            items: RefCell::new(items),
            owner: Some((crate::orm::state::owner_ref(obj), rel.key.clone())),
        });
        obj.borrow_mut()
            .dict
            .insert(rel.key.clone(), Value::List(list));
    } else {
        if !matches!(value, Value::None) && crate::orm::state::as_instance(&value).is_none() {
            return Err(crate::python::exceptions::type_error(format!(
                "{} takes a mapped object or None, not {}",
                rel.qualified_name(),
                value.type_name()
            )));
        }
        let old = super::collections::scalar_without_sql(obj, rel);
        let new = crate::orm::state::as_instance(&value);
        if let Some(o) = old
            && !new.as_ref().is_some_and(|n| Rc::ptr_eq(n, &o))
        {
            if let Some(r) = &reverse {
                reverse_remove(&o, r, obj);
                // `obj` leaves the old parent's collection: with
                // `delete-orphan` there it is an orphan until it has another.
                if let Some(back) = o.borrow().mapper.relationship(r) {
                    parent_lost(obj, &back);
                }
            }
            // A one-to-one `delete-orphan` on this side orphans the old value.
            parent_lost(&o, rel);
        }
        if let Some(n) = &new {
            if let Some(r) = &reverse {
                reverse_add(n, r, obj);
                if let Some(back) = n.borrow().mapper.relationship(r) {
                    parent_found(obj, &back);
                }
            }
            parent_found(n, rel);
        }
        let mut o = obj.borrow_mut();
        o.dict.insert(&rel.key, value.clone());
        o.unexpire(&rel.key);
    }
    obj.borrow_mut()
        .rare_mut()
        .modified_relationships
        .insert(rel.key.clone());
    hold_modified(obj);
    if !rel.decl.cascade.save_update {
        return Ok(());
    }
    cascade_into_session(obj, &value)
}

/// Adds newly related transient objects to `obj`'s session (save-update
/// cascade on attribute events).
pub(super) fn cascade_into_session(obj: &Obj, value: &Value) -> PyResult<()> {
    let Some(session) = obj.borrow().session.and_then(session_by_id) else {
        return Ok(());
    };
    for o in objects_in(value) {
        if o.borrow().session.is_none() && o.borrow().key.is_none() {
            session.add(&o)?;
        }
    }
    Ok(())
}

/// Keeps a changed persistent object alive in its session until flushed.
pub(super) fn hold_modified(obj: &Obj) {
    let session = obj.borrow().session.and_then(session_by_id);
    if let Some(s) = session {
        s.hold(obj);
    }
}

/// Expires the given attributes (all column and relationship attributes
/// when `None`) of an object.
pub fn expire_instance(obj: &Obj, attrs: Option<&[String]>) {
    let mut o = obj.borrow_mut();
    if o.key.is_none() {
        return;
    }
    let mapper = o.mapper.clone();
    let Some(attrs) = attrs else {
        // A full expiry: the query's load_only()/defer() are forgotten;
        // the mapper's deferred() columns load on their own again.
        let deferred: std::collections::BTreeMap<String, bool> = mapper
            .columns
            .iter()
            .filter_map(|(k, i)| {
                let d = mapper.table.columns.get(*i)?.deferred.as_ref()?;
                Some((k.clone(), d.raiseload))
            })
            .chain(
                mapper
                    .expressions
                    .iter()
                    .filter(|p| p.deferred)
                    .map(|p| (p.key.clone(), false)),
            )
            .collect();
        if !deferred.is_empty() || o.rare.is_some() {
            o.rare_mut().deferred = deferred;
        }
        let relationships = mapper.relationships.borrow();
        let keys = (mapper.columns.iter().map(|(k, _)| k.as_str()))
            .chain(mapper.expressions.iter().map(|p| p.key.as_str()))
            .chain(relationships.iter().map(|r| r.key.as_str()));
        for k in keys {
            o.dict.remove(k);
            if let Some(r) = o.rare_if_any() {
                r.committed.remove(k);
                r.committed_collections.remove(k);
            }
        }
        // As SQLAlchemy's `InstanceState._expire`: no change is left to
        // flush (the object leaves `session.dirty`), pending backref appends
        // and `hasparent` flags are forgotten.
        if let Some(r) = o.rare_if_any() {
            r.modified_relationships.clear();
            r.pending_appends.clear();
            r.lost_parents.clear();
        }
        o.expire_every_attribute();
        return;
    };
    for k in attrs {
        o.dict.remove(k);
        if let Some(r) = o.rare_if_any() {
            r.committed.remove(k);
            r.committed_collections.remove(k);
            r.modified_relationships.remove(k);
        }
        o.expire_attribute(k);
    }
}

/// True when a loaded collection differs from what was loaded or flushed.
pub fn collections_changed(o: &Instance) -> bool {
    if !o.modified_relationships().is_empty()
        || o.rare().is_some_and(|r| !r.pending_appends.is_empty())
    {
        return true;
    }
    for rel in o.mapper.relationships.borrow().iter() {
        let Some(v) = o.dict.get(&rel.key) else {
            continue;
        };
        let now: Vec<Value> = match v {
            Value::List(l) => l.items.borrow().clone(),
            other => vec![other.clone()],
        };
        match o.committed_collections().get(&rel.key) {
            Some(before) => {
                if !same_members(before, &now) {
                    return true;
                }
            }
            None => {
                if !matches!(now.as_slice(), [] | [Value::None]) {
                    return true;
                }
            }
        }
    }
    false
}

/// Whether a collection holds the same objects as before, in any order:
/// reordering it in place (`reverse()`, `sort()`) is no change, as those
/// list methods fire no SQLAlchemy collection event.
fn same_members(before: &[Value], now: &[Value]) -> bool {
    if before.len() != now.len() {
        return false;
    }
    if before.iter().zip(now).all(|(a, b)| a.is(b)) {
        return true;
    }
    let addresses = |items: &[Value]| -> Option<Vec<*const super::state::InstanceCell>> {
        let mut v = items
            .iter()
            .map(|i| crate::orm::state::as_instance(i).map(|o| Rc::as_ptr(&o)))
            .collect::<Option<Vec<_>>>()?;
        v.sort_unstable();
        Some(v)
    };
    match (addresses(before), addresses(now)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// Objects held by a relationship value (an object, a list of them, None).
pub fn objects_in(v: &Value) -> Vec<Obj> {
    match v {
        inst if let Some(o) = crate::orm::state::as_instance(inst) => vec![o.clone()],
        Value::List(l) => l
            .items
            .borrow()
            .iter()
            .filter_map(|i| match i {
                inst if let Some(o) = crate::orm::state::as_instance(inst) => Some(o.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

impl Session {
    /// The value of table column `col` of `obj`, loading expired attributes
    /// if needed.
    pub fn column_value(&self, obj: &Obj, col: usize) -> PyResult<Value> {
        let mapper = obj.borrow().mapper.clone();
        let Some(key) = mapper.column_key(col).map(str::to_string) else {
            return Ok(Value::None);
        };
        get_attribute(obj, &key)
    }

    /// Stores a loaded collection as an instrumented list owned by `obj`.
    pub fn set_loaded_collection(&self, obj: &Obj, key: &str, items: Vec<Value>) {
        let list = Rc::new(ListObj {
            items: RefCell::new(items.clone()),
            owner: Some((crate::orm::state::owner_ref(obj), key.to_string())),
        });
        let mut o = obj.borrow_mut();
        o.dict.insert(key, Value::List(list));
        o.rare_mut().committed_collections.insert(key, items);
        o.unexpire(key);
    }

    /// Stores a loaded many-to-one or one-to-one value.
    pub fn set_loaded_scalar(&self, obj: &Obj, key: &str, value: Value) {
        let mut o = obj.borrow_mut();
        o.dict.insert(key, value.clone());
        o.rare_mut().committed_collections.insert(key, vec![value]);
        o.unexpire(key);
    }
}

/// An attribute's change history since it was loaded or flushed, as
/// SQLAlchemy's `History(added, unchanged, deleted)` named tuple (from
/// `inspect(obj).attrs.name.history`).
#[derive(Debug, Clone, Default)]
pub struct History {
    pub added: Vec<Value>,
    pub unchanged: Vec<Value>,
    pub deleted: Vec<Value>,
}

/// The [`History`] of attribute `key` of `obj`, without loading anything,
/// as SQLAlchemy's `AttributeState.history`: an unloaded attribute has an
/// empty history; a value set on a new object is added; a changed value of
/// a persistent one is added with its old value deleted (or no deleted
/// value when it was set while expired); a collection compares its items
/// with those loaded.
pub fn history(obj: &Obj, key: &str) -> History {
    let o = obj.borrow();
    let Some(current) = o.dict.get(key) else {
        return History::default();
    };
    if let Value::List(l) = current {
        let items = l.items.borrow().clone();
        let Some(old) = o.committed_collections().get(key) else {
            return History {
                unchanged: items,
                ..History::default()
            };
        };
        let same = |a: &Value, b: &Value| match (
            crate::orm::state::as_instance(a),
            crate::orm::state::as_instance(b),
        ) {
            (Some(x), Some(y)) => Rc::ptr_eq(&x, &y),
            _ => false,
        };
        let has = |list: &[Value], v: &Value| list.iter().any(|x| same(x, v));
        return History {
            added: items.iter().filter(|v| !has(old, v)).cloned().collect(),
            unchanged: items.iter().filter(|v| has(old, v)).cloned().collect(),
            deleted: old.iter().filter(|v| !has(&items, v)).cloned().collect(),
        };
    }
    if o.key.is_none() {
        return History {
            added: vec![current.clone()],
            ..History::default()
        };
    }
    match o.committed().get(key) {
        None => History {
            unchanged: vec![current.clone()],
            ..History::default()
        },
        // set while expired: the old value was never loaded
        Some(Value::Tuple(t)) if t.is_empty() => History {
            added: vec![current.clone()],
            ..History::default()
        },
        Some(old)
            if crate::python::ops::key_equal(
                std::slice::from_ref(old),
                std::slice::from_ref(current),
            ) =>
        {
            History {
                unchanged: vec![current.clone()],
                ..History::default()
            }
        }
        Some(old) => History {
            added: vec![current.clone()],
            unchanged: Vec::new(),
            deleted: vec![old.clone()],
        },
    }
}
