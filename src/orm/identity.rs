//! Identity keys and the identity map (SQLAlchemy's `orm/identity.py`):
//! one object per primary key per session, held weakly.

use std::collections::BTreeMap;
use std::rc::{Rc, Weak};

use crate::python::format::repr_plain;
use crate::python::value::Value;

use super::mapper::Mapper;
use super::state::Obj;

/// A hashable form of a primary-key value, for the identity map.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyPart {
    Null,
    Int(i64),
    Text(String),
    Float(u64),
}

impl KeyPart {
    pub fn of(v: &Value) -> KeyPart {
        match v {
            Value::None => KeyPart::Null,
            Value::Bool(b) => KeyPart::Int(*b as i64),
            Value::Int(i) => KeyPart::Int(*i),
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 9e15 => KeyPart::Int(*f as i64),
            Value::Float(f) => KeyPart::Float(f.to_bits()),
            Value::Str(s) => KeyPart::Text(s.to_string()),
            other => KeyPart::Text(repr_plain(other)),
        }
    }
}

/// Identity map key: class name and primary-key values.
pub type IdentityKey = (String, Vec<KeyPart>);

/// The identity map: one object per row, held weakly (SQLAlchemy's
/// `WeakInstanceDict`), so an object nothing refers to any more leaves it and
/// the next `get()` sends SQL again, as in Python.
#[derive(Debug, Default)]
pub struct IdentityMap {
    map: BTreeMap<IdentityKey, Weak<super::state::InstanceCell>>,
}

impl IdentityMap {
    /// The live object under `key`; a dead entry is dropped.
    pub fn get(&mut self, key: &IdentityKey) -> Option<Obj> {
        let found = self.map.get(key).map(Weak::upgrade)?;
        if found.is_none() {
            self.map.remove(key);
        }
        found
    }

    /// Puts `obj` under `key`; the object is touched, so the next dirty
    /// check looks at it.
    pub fn insert(&mut self, key: IdentityKey, obj: Obj) {
        obj.touch();
        self.map.insert(key, Rc::downgrade(&obj));
    }

    pub fn remove(&mut self, key: &IdentityKey) {
        self.map.remove(key);
    }

    pub fn clear(&mut self) {
        self.map.clear();
    }

    /// The live object under `key` if it is `obj` itself.
    pub fn holds(&self, key: &IdentityKey, obj: &Obj) -> bool {
        self.map
            .get(key)
            .is_some_and(|w| std::ptr::eq(w.as_ptr(), Rc::as_ptr(obj)))
    }

    /// Every live object, in key order.
    pub fn values(&mut self) -> Vec<Obj> {
        self.map.retain(|_, w| w.strong_count() > 0);
        self.map.values().filter_map(Weak::upgrade).collect()
    }
}

/// `(User, (1,), None)`-style identity key text for messages.
pub fn identity_key_repr(mapper: &Mapper, key: &[Value]) -> String {
    let parts: Vec<String> = key.iter().map(repr_plain).collect();
    let tuple = if parts.len() == 1 {
        format!("({},)", parts[0])
    } else {
        format!("({})", parts.join(", "))
    };
    format!(
        "(<class '__main__.{}'>, {}, None)",
        mapper.class_name, tuple
    )
}

/// The identity key of a row of `mapper` with primary key `key`
/// (SQLAlchemy's `Mapper.identity_key_from_primary_key`).
pub fn identity_key(mapper: &Mapper, key: &[Value]) -> IdentityKey {
    (
        mapper.class_name.clone(),
        key.iter().map(KeyPart::of).collect(),
    )
}

/// The identity key of an object that has one (persistent, detached or
/// deleted; an empty key otherwise), as SQLAlchemy's `InstanceState.key`.
pub fn instance_key(obj: &Obj) -> IdentityKey {
    let b = obj.borrow();
    identity_key(&b.mapper, b.key.as_deref().unwrap_or_default())
}
