//! Instance state: what the Session knows of each mapped object (SQLAlchemy's
//! `InstanceState`): its loaded attributes, committed values of modified
//! ones, expired attributes, identity key and session.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use crate::python::value::Value;

use super::mapper::Mapper;

/// A mapped object, shared: `a is b` compares these pointers. It reaches
/// Python as a [`Value::Native`]; [`as_instance`] finds it back.
pub type Obj = Rc<RefCell<Instance>>;

/// A mapped object as a Python value.
pub fn instance_value(obj: Obj) -> Value {
    Value::Native(obj)
}

/// `obj` held weakly, as a collection's owner ([`crate::python::value::ListObj::owner`]).
pub fn owner_ref(obj: &Obj) -> std::rc::Weak<dyn crate::python::PyObject> {
    let strong: Rc<dyn crate::python::PyObject> = obj.clone();
    Rc::downgrade(&strong)
}

/// `v` as a mapped object, when it is one.
pub fn as_instance(v: &Value) -> Option<Obj> {
    v.downcast::<RefCell<Instance>>()
}

/// An instance of a mapped class: `type(user).__name__` is the class name,
/// its default `repr` is Python's `<__main__.User object at 0x…>` (a
/// `__repr__` of the class is called by the interpreter's repr hook).
impl crate::python::PyObject for RefCell<Instance> {
    fn type_name(&self) -> String {
        match self.try_borrow() {
            Ok(i) => i.mapper.class_name.clone(),
            Err(_) => "object".into(),
        }
    }
    fn repr(&self) -> String {
        match self.try_borrow() {
            Ok(i) => i.default_repr(),
            Err(_) => "<object>".into(),
        }
    }
    fn class_of(&self) -> Option<Value> {
        let mapper = self.try_borrow().ok()?.mapper.clone();
        Some(Value::Native(mapper))
    }
    fn id(&self) -> Option<u64> {
        self.try_borrow().ok().map(|i| i.address)
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// The lifecycle state of an object, as `inspect(obj)` reports it
/// (SQLAlchemy's object states).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectState {
    Transient,
    Pending,
    Persistent,
    Deleted,
    Detached,
}

impl ObjectState {
    pub fn name(self) -> &'static str {
        match self {
            ObjectState::Transient => "transient",
            ObjectState::Pending => "pending",
            ObjectState::Persistent => "persistent",
            ObjectState::Deleted => "deleted",
            ObjectState::Detached => "detached",
        }
    }
}

/// One mapped object.
#[derive(Debug)]
pub struct Instance {
    pub mapper: Rc<Mapper>,
    /// Loaded attributes by key: columns, relationships, and any plain
    /// attribute the learner set. A column attribute missing here while the
    /// object is persistent is unloaded or expired.
    pub dict: BTreeMap<String, Value>,
    /// Values of modified column attributes as last loaded or flushed
    /// (SQLAlchemy's `committed_state`); present keys are the dirty ones.
    pub committed: BTreeMap<String, Value>,
    /// Relationship collections as last loaded or flushed, to compute what a
    /// flush must add or remove.
    pub committed_collections: BTreeMap<String, Vec<Value>>,
    /// Attributes expired by commit, rollback or `expire()`.
    pub expired: std::collections::BTreeSet<String>,
    /// The identity key: primary-key values, once flushed or loaded.
    pub key: Option<Vec<Value>>,
    /// The unique id (`Session::uid`) of the Session holding the object.
    pub session: Option<u64>,
    /// Marked by `session.delete()`, not yet flushed.
    pub marked_deleted: bool,
    /// Its DELETE was flushed; the transaction has not ended.
    pub deleted_flushed: bool,
    /// The row was found gone on refresh.
    pub gone: bool,
    /// A fake `id()`, for `<__main__.User object at 0x7f…>`.
    pub address: u64,
    /// Relationships assigned since the last flush (dirty even when their
    /// old value was never loaded).
    pub modified_relationships: std::collections::BTreeSet<String>,
    /// Relationships a `raiseload()` option marked when the object loaded.
    pub raise_on_load: std::collections::BTreeSet<String>,
}

impl Instance {
    pub fn new(mapper: Rc<Mapper>, address: u64) -> Instance {
        Instance {
            mapper,
            dict: BTreeMap::new(),
            committed: BTreeMap::new(),
            committed_collections: BTreeMap::new(),
            expired: Default::default(),
            key: None,
            session: None,
            marked_deleted: false,
            deleted_flushed: false,
            gone: false,
            address,
            raise_on_load: Default::default(),
            modified_relationships: Default::default(),
        }
    }

    /// The object's state, from its key and session (SQLAlchemy's rules).
    pub fn state(&self) -> ObjectState {
        match (&self.key, self.session) {
            (None, None) => ObjectState::Transient,
            (None, Some(_)) => ObjectState::Pending,
            (Some(_), Some(_)) if self.deleted_flushed => ObjectState::Deleted,
            (Some(_), Some(_)) => ObjectState::Persistent,
            (Some(_), None) => ObjectState::Detached,
        }
    }

    /// Python's default repr: `<__main__.User object at 0x7f…>`.
    pub fn default_repr(&self) -> String {
        format!(
            "<__main__.{} object at 0x{:012x}>",
            self.mapper.class_name, self.address
        )
    }
}

thread_local! {
    static NEXT_ADDRESS: std::cell::Cell<u64> = const { std::cell::Cell::new(0x7f3a_2c1e_4b50) };
}

/// A fresh fake object address for `<__main__.User object at 0x…>`.
pub fn next_address() -> u64 {
    NEXT_ADDRESS.with(|a| {
        let v = a.get();
        a.set(v + 0x90);
        v
    })
}

/// `<User at 0x7f…>`, as SQLAlchemy's `state_str` names an instance in errors.
pub fn state_str(obj: &Obj) -> String {
    let o = obj.borrow();
    format!("<{} at 0x{:012x}>", o.mapper.class_name, o.address)
}
