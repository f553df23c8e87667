//! Instance state: what the Session knows of each mapped object (SQLAlchemy's
//! `InstanceState`): its loaded attributes, committed values of modified
//! ones, expired attributes, identity key and session.

use std::cell::{Cell, Ref, RefCell, RefMut};
use std::collections::BTreeMap;
use std::rc::{Rc, Weak};

use crate::python::value::Value;

use super::mapper::Mapper;

/// A mapped object, shared: `a is b` compares these pointers. It reaches
/// Python as a [`Value::Native`]; [`as_instance`] finds it back.
pub type Obj = Rc<InstanceCell>;

/// The cell holding a mapped object's [`Instance`]: a `RefCell` that also
/// remembers whether the object may have changed since a Session last
/// looked. Every mutable borrow (and every change to a collection it owns,
/// through [`InstanceCell::touch`]) puts the object on this thread's list of
/// touched objects, once; `Session::dirty_objects` then examines only those,
/// as SQLAlchemy's identity map examines only its `_modified` states, so an
/// autoflush costs the work done since the last one, not the size of the
/// identity map.
#[derive(Debug)]
pub struct InstanceCell {
    cell: RefCell<Instance>,
    /// On the touched list now.
    touched: Cell<bool>,
    /// This cell itself, to put on the touched list from a `&self`.
    this: Weak<InstanceCell>,
}

thread_local! {
    static TOUCHED: RefCell<Vec<Weak<InstanceCell>>> = const { RefCell::new(Vec::new()) };
}

impl InstanceCell {
    /// A new shared object holding `instance`; it starts touched.
    pub fn new(instance: Instance) -> Obj {
        let obj = Rc::new_cyclic(|this| InstanceCell {
            cell: RefCell::new(instance),
            touched: Cell::new(false),
            this: this.clone(),
        });
        obj.touch();
        obj
    }

    /// Shared borrow of the instance (panics while mutably borrowed, as
    /// `RefCell::borrow`).
    pub fn borrow(&self) -> Ref<'_, Instance> {
        self.cell.borrow()
    }

    /// Mutable borrow of the instance; marks it touched.
    pub fn borrow_mut(&self) -> RefMut<'_, Instance> {
        let b = self.cell.borrow_mut();
        self.touch();
        b
    }

    /// `RefCell::try_borrow`.
    pub fn try_borrow(&self) -> Result<Ref<'_, Instance>, std::cell::BorrowError> {
        self.cell.try_borrow()
    }

    /// `RefCell::try_borrow_mut`; marks it touched when it succeeds.
    pub fn try_borrow_mut(&self) -> Result<RefMut<'_, Instance>, std::cell::BorrowMutError> {
        let b = self.cell.try_borrow_mut()?;
        self.touch();
        Ok(b)
    }

    /// Puts the object on the touched list (a change the Session must look
    /// at: a collection it owns changed in place, it entered an identity
    /// map), without borrowing it.
    pub fn touch(&self) {
        if !self.touched.replace(true) {
            TOUCHED.with(|t| t.borrow_mut().push(self.this.clone()));
        }
    }

    /// Takes it off the touched list's count: the caller dropped it from
    /// the list after finding it clean.
    fn untouch(&self) {
        self.touched.set(false);
    }
}

/// Objects in first-seen order, each once (by identity), with a set of
/// their addresses so that adding one costs O(1).
#[derive(Debug, Default)]
pub struct ObjSet {
    objs: Vec<Obj>,
    seen: std::collections::HashSet<*const InstanceCell>,
}

impl ObjSet {
    /// Adds `obj` unless it is there; true when added.
    pub fn insert(&mut self, obj: &Obj) -> bool {
        let added = self.seen.insert(Rc::as_ptr(obj));
        if added {
            self.objs.push(obj.clone());
        }
        added
    }

    /// The objects, in the order first added.
    pub fn into_vec(self) -> Vec<Obj> {
        self.objs
    }
}

/// Takes this thread's touched objects that are still alive, for a Session
/// to examine; `keep` decides for each whether it stays on the list (an
/// object of another Session, or one still dirty). Linear in the list.
pub fn drain_touched(mut keep: impl FnMut(&Obj) -> bool) {
    let taken = TOUCHED.with(|t| std::mem::take(&mut *t.borrow_mut()));
    let mut kept = Vec::new();
    for w in taken {
        let Some(obj) = w.upgrade() else {
            continue;
        };
        if keep(&obj) {
            kept.push(w);
        } else {
            obj.untouch();
        }
    }
    TOUCHED.with(|t| {
        let mut t = t.borrow_mut();
        // Objects touched while `keep` ran are already on the new list.
        kept.append(&mut t);
        *t = kept;
    });
}

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
    v.downcast::<InstanceCell>()
}

/// An instance of a mapped class: `type(user).__name__` is the class name,
/// its default `repr` is Python's `<__main__.User object at 0x…>` (a
/// `__repr__` of the class is called by the interpreter's repr hook).
impl crate::python::PyObject for InstanceCell {
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
    fn collection_changed(&self) {
        self.touch();
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
    /// Relationships `raiseload(..., sql_only=True)` marked: their lazy
    /// load raises only where it would send SQL.
    pub raise_on_sql: std::collections::BTreeSet<String>,
    /// The loader options chained below a lazily loaded relationship
    /// (`defaultload(Role.users).selectinload(User.messages)`), applied
    /// when it loads, as SQLAlchemy keeps an object's load path.
    pub lazy_options: BTreeMap<String, Vec<Rc<super::strategy_options::LoaderOption>>>,
    /// Column attributes a `load_only()`/`defer()` or a `deferred()` column
    /// left unloaded, with `true` when reading one raises
    /// (`raiseload=True`) instead of loading it with its own SELECT.
    pub deferred: BTreeMap<String, bool>,
    /// Objects a backref appended to a collection of this persistent object
    /// while that collection was not loaded (SQLAlchemy's
    /// `_pending_mutations`), by relationship key; the next flush reads them
    /// (to warn about one outside the Session) and forgets them.
    pub pending_appends: Vec<(String, Weak<InstanceCell>)>,
    /// What each callable `default=` of a column returned when the object
    /// was made (`ColumnDefault::Callable`), by attribute key: the INSERT
    /// sends it if the attribute is still unset then.
    pub prefetched: BTreeMap<String, Value>,
    /// The columns the last INSERT built for this object filled from a
    /// `default=` (SQLAlchemy compiles those into the statement rather than
    /// the ORM's parameters, so they do not split a batch).
    pub default_filled: Vec<usize>,
}

impl Instance {
    /// SQLAlchemy's `InstanceState.expired` after an expiry: some column
    /// attribute is expired (an expired relationship alone just lazy-loads
    /// again, and does not make `get()` or a many-to-one load refresh).
    pub fn has_expired_columns(&self) -> bool {
        self.expired.iter().any(|k| self.mapper.column(k).is_some())
    }

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
            raise_on_sql: Default::default(),
            lazy_options: BTreeMap::new(),
            deferred: BTreeMap::new(),
            pending_appends: Vec::new(),
            prefetched: BTreeMap::new(),
            default_filled: Vec::new(),
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
