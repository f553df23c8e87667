//! Instrumented collections (SQLAlchemy's `orm/collections.py`):
//! `append`/`remove` on a relationship list, with the reverse side of a
//! `back_populates`/`backref` kept in step in memory.

use std::cell::RefCell;
use std::rc::Rc;

use crate::python::exceptions::PyResult;
use crate::python::value::{ListObj, Value};

use super::attributes::{cascade_into_session, hold_modified};
use super::session::session_by_id;
use super::state::{Obj, ObjectState};

/// `owner.collection.append(item)`: the other side follows in memory and a
/// transient item joins the owner's session.
pub fn collection_append(owner: &Obj, key: &str, item: &Value) -> PyResult<()> {
    let Some(rel) = owner.borrow().mapper.relationship(key) else {
        return Ok(());
    };
    let Some(child) = crate::orm::state::as_instance(item) else {
        return Err(crate::python::exceptions::type_error(format!(
            "Incompatible item for {}: {} is not a mapped object",
            rel.qualified_name(),
            item.type_name()
        )));
    };
    if let Some(r) = rel.reverse_key() {
        reverse_add(&child, &r, owner);
    }
    owner
        .borrow_mut()
        .rare_mut()
        .modified_relationships
        .insert(key.to_string());
    hold_modified(owner);
    hold_modified(&child);
    if !rel.decl.cascade.save_update {
        // `viewonly=True` or `cascade="none"`: the item stays out.
        return Ok(());
    }
    cascade_into_session(owner, item)
}

/// `owner.collection.remove(item)`: the other side follows; with
/// `delete-orphan` the item is deleted at the next flush.
pub fn collection_remove(owner: &Obj, key: &str, item: &Value) -> PyResult<()> {
    let Some(rel) = owner.borrow().mapper.relationship(key) else {
        return Ok(());
    };
    let Some(child) = crate::orm::state::as_instance(item) else {
        return Ok(());
    };
    if let Some(r) = rel.reverse_key() {
        reverse_remove(&child, &r, owner);
    }
    owner
        .borrow_mut()
        .rare_mut()
        .modified_relationships
        .insert(key.to_string());
    hold_modified(owner);
    hold_modified(&child);
    if rel.decl.cascade.delete_orphan && child.borrow().state() == ObjectState::Persistent {
        let session = child.borrow().session.and_then(session_by_id);
        if let Some(session) = session {
            session.delete(&child)?;
        }
    }
    Ok(())
}

/// Puts `parent` on `child`'s reverse attribute, without loading it.
pub(super) fn reverse_add(child: &Obj, reverse: &str, parent: &Obj) {
    let Some(rel) = child.borrow().mapper.relationship(reverse) else {
        return;
    };
    let uselist = rel.resolve().map(|r| r.uselist).unwrap_or(false);
    if uselist {
        let list = child.borrow().dict.get(reverse).cloned();
        match list {
            Some(Value::List(l)) => {
                if !l.items.borrow().iter().any(|i| {
                    crate::orm::state::as_instance(i)
                        .as_ref()
                        .is_some_and(|x| Rc::ptr_eq(x, parent))
                }) {
                    child.touch();
                    l.items_mut()
                        .push(crate::orm::state::instance_value(parent.clone()));
                }
            }
            _ => {
                if child.borrow().key.is_some() {
                    child
                        .borrow_mut()
                        .rare_mut()
                        .pending_appends
                        .push((reverse.to_string(), Rc::downgrade(parent)));
                    child.touch();
                }
                if child.borrow().key.is_none() {
                    let list = Rc::new(ListObj {
                        items: RefCell::new(vec![crate::orm::state::instance_value(
                            parent.clone(),
                        )]),
                        owner: Some((crate::orm::state::owner_ref(child), reverse.to_string())),
                    });
                    child.borrow_mut().dict.insert(reverse, Value::List(list));
                }
            }
        }
    } else {
        // The object replaced loses `child` from its loaded collection, as
        // SQLAlchemy's backref handler pops it from the old value.
        if let Some(old) = scalar_without_sql(child, &rel)
            && !Rc::ptr_eq(&old, parent)
            && let Some(back) = rel.reverse_key()
        {
            reverse_remove(&old, &back, child);
        }
        child
            .borrow_mut()
            .dict
            .insert(reverse, crate::orm::state::instance_value(parent.clone()));
    }
}

/// The object the many-to-one `rel` of `child` refers to, found without
/// SQL: its loaded value, or the object of its foreign key in the
/// session's identity map (SQLAlchemy's get with `PASSIVE_NO_FETCH`, whose
/// lazy loader looks a primary key up in the identity map).
pub(super) fn scalar_without_sql(child: &Obj, rel: &super::mapper::Relationship) -> Option<Obj> {
    if let Some(v) = child.borrow().dict.get(&rel.key) {
        return crate::orm::state::as_instance(v);
    }
    let res = rel.resolve().ok()?;
    if res.direction != super::mapper::Direction::ManyToOne
        || res.extra.is_some()
        || res.pairs.iter().map(|(_, t)| *t).collect::<Vec<_>>() != res.target.primary_key()
    {
        return None;
    }
    let b = child.borrow();
    b.key.as_ref()?;
    let session = b.session.and_then(session_by_id)?;
    let mut key = Vec::new();
    for (fk, _) in &res.pairs {
        let k = b.mapper.column_key(*fk)?;
        match b.dict.get(k) {
            None | Some(Value::None) => return None,
            Some(v) => key.push(v.clone()),
        }
    }
    drop(b);
    session.identity_lookup(&res.target, &key)
}

/// Takes `parent` off `child`'s reverse attribute, if loaded.
pub(super) fn reverse_remove(child: &Obj, reverse: &str, parent: &Obj) {
    let current = child.borrow().dict.get(reverse).cloned();
    match current {
        Some(Value::List(l)) => l.items.borrow_mut().retain(|i| {
            !crate::orm::state::as_instance(i)
                .as_ref()
                .is_some_and(|x| Rc::ptr_eq(x, parent))
        }),
        Some(inst)
            if let Some(o) = crate::orm::state::as_instance(&inst)
                && Rc::ptr_eq(&o, parent) =>
        {
            child.borrow_mut().dict.insert(reverse, Value::None);
        }
        None => {
            // An unloaded many-to-one is set to None without loading it, as
            // SQLAlchemy's backref handler does.
            let scalar = child
                .borrow()
                .mapper
                .relationship(reverse)
                .and_then(|r| r.resolve().ok())
                .is_some_and(|r| !r.uselist);
            if scalar {
                child.borrow_mut().dict.insert(reverse, Value::None);
            }
        }
        _ => {}
    }
}
