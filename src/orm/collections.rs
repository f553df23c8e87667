//! Instrumented collections (SQLAlchemy's `orm/collections.py`):
//! `append`/`remove` on a relationship list, with the reverse side of a
//! `back_populates`/`backref` kept in step in memory.

use std::cell::RefCell;
use std::rc::Rc;

use crate::python::exceptions::PyResult;
use crate::python::value::{ListObj, Value};

use super::attributes::{cascade_into_session, hold_modified};
use super::session::session_by_id;
use super::state::Obj;

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
    parent_found(&child, &rel);
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
/// `delete-orphan` the item is deleted at the next flush unless it is given
/// a parent again before it ([`parent_lost`]).
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
    parent_lost(&child, &rel);
    Ok(())
}

/// `child` was taken out of `rel` (a collection remove, a replaced
/// collection or scalar, a backref setting its many-to-one elsewhere): with
/// `delete-orphan` it is an orphan candidate, which the next flush deletes
/// (with its own cascades, loading what they need then) unless
/// [`parent_found`] gives it a parent through `rel` first — SQLAlchemy's
/// `hasparent` flag, read by `Mapper._is_orphan` at flush. A pending child
/// leaves its Session at once, as SQLAlchemy's remove event expunges
/// pending orphans.
pub(super) fn parent_lost(child: &Obj, rel: &super::mapper::Relationship) {
    if !rel.decl.cascade.delete_orphan {
        return;
    }
    if child.borrow().state() == super::state::ObjectState::Pending {
        let session = child.borrow().session.and_then(session_by_id);
        if let Some(session) = session {
            // `expunge` fails only for another Session's object.
            let _ = session.expunge(child);
        }
        return;
    }
    child
        .borrow_mut()
        .rare_mut()
        .lost_parents
        .insert(rel.qualified_name());
    hold_modified(child);
}

/// `child` was put in `rel` (appended, assigned, or a backref set its
/// many-to-one to the owner): it is no orphan of `rel` any more.
pub(super) fn parent_found(child: &Obj, rel: &super::mapper::Relationship) {
    if !rel.decl.cascade.delete_orphan {
        return;
    }
    if let Some(r) = child.borrow_mut().rare_if_any() {
        r.lost_parents.remove(&rel.qualified_name());
    }
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
            set_reverse_none(child, reverse);
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
                set_reverse_none(child, reverse);
            }
        }
        _ => {}
    }
}

/// A backref sets `child`'s many-to-one `reverse` to None: a change of
/// `child` (it is in `session.dirty`, as SQLAlchemy's set event records).
fn set_reverse_none(child: &Obj, reverse: &str) {
    let mut c = child.borrow_mut();
    c.dict.insert(reverse, Value::None);
    c.rare_mut()
        .modified_relationships
        .insert(reverse.to_string());
    drop(c);
    hold_modified(child);
}
