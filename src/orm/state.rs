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

    /// A new shared object made from a row, as loaded: clean, so it starts
    /// off the touched list (the first change to it puts it there). A
    /// query's thousands of new objects then cost the dirty check nothing.
    pub fn new_clean(instance: Instance) -> Obj {
        Rc::new_cyclic(|this| InstanceCell {
            cell: RefCell::new(instance),
            touched: Cell::new(false),
            this: this.clone(),
        })
    }

    /// Whether the object is on the touched list now.
    pub fn is_touched(&self) -> bool {
        self.touched.get()
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

pub use crate::python::hash_index::{FastHash, FastHasher};

/// Objects in first-seen order, each once (by identity), with a set of
/// their addresses so that adding one costs O(1). A small set (a parent's
/// few joined children) is searched in place, without the hash set; the
/// object added last is recognized without a look-up (a joined load's
/// parent repeats on consecutive rows).
#[derive(Debug, Default)]
pub struct ObjSet {
    objs: Vec<Obj>,
    /// The addresses of `objs`, once there are more than [`SMALL_OBJ_SET`].
    seen: Option<std::collections::HashSet<*const InstanceCell, FastHash>>,
    /// Room to make in `seen` when it is made.
    expected: usize,
}

/// Up to this many objects, an [`ObjSet`] is searched in place.
const SMALL_OBJ_SET: usize = 8;

impl ObjSet {
    /// An empty set expecting up to `n` objects (a result's row count):
    /// its hash set is made that large once, not grown step by step.
    pub fn with_expected(n: usize) -> ObjSet {
        ObjSet {
            expected: n,
            ..ObjSet::default()
        }
    }

    /// Adds `obj` unless it is there; true when added.
    pub fn insert(&mut self, obj: &Obj) -> bool {
        let ptr = Rc::as_ptr(obj);
        if self.objs.last().is_some_and(|o| Rc::as_ptr(o) == ptr) {
            return false;
        }
        let added = match &mut self.seen {
            Some(seen) => seen.insert(ptr),
            None if self.objs.len() < SMALL_OBJ_SET => {
                !self.objs.iter().any(|o| Rc::as_ptr(o) == ptr)
            }
            None => {
                let mut seen = std::collections::HashSet::with_capacity_and_hasher(
                    self.expected.max(2 * SMALL_OBJ_SET),
                    FastHash::default(),
                );
                seen.extend(self.objs.iter().map(Rc::as_ptr));
                let added = seen.insert(ptr);
                self.seen = Some(seen);
                added
            }
        };
        if added {
            self.objs.push(obj.clone());
        }
        added
    }

    /// Adds `obj`, known to be in no set yet (an object just made from a
    /// row): no search, and no hash set is made for it.
    pub fn push_new(&mut self, obj: &Obj) {
        if let Some(seen) = &mut self.seen {
            seen.insert(Rc::as_ptr(obj));
        }
        self.objs.push(obj.clone());
    }

    /// Forgets every object.
    pub fn clear(&mut self) {
        self.objs.clear();
        self.seen = None;
    }

    /// The objects, in the order first added.
    pub fn iter(&self) -> impl Iterator<Item = &Obj> {
        self.objs.iter()
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

/// The attribute name `name`, interned: one shared allocation per distinct
/// name on this thread, so the thousands of objects a query loads share
/// their attribute keys instead of each holding its own copies.
pub fn intern(name: &str) -> Rc<str> {
    thread_local! {
        static NAMES: RefCell<std::collections::HashSet<Rc<str>, FastHash>> = RefCell::default();
    }
    NAMES.with(|names| {
        let mut names = names.borrow_mut();
        if let Some(found) = names.get(name) {
            return found.clone();
        }
        let key: Rc<str> = Rc::from(name);
        names.insert(key.clone());
        key
    })
}

/// The sorted attribute names of an [`AttrDict`]: one shared list per
/// distinct set of names ([`Shapes`]), so the objects a query loads hold
/// one pointer for their names, not one key pointer per attribute.
type Names = Rc<Vec<Rc<str>>>;

/// The name lists dicts share (as CPython's split-table dicts share their
/// keys), at most [`Shapes::MAX`] of them, most recently made last. A dict
/// whose names are not here (a learner's many distinct attributes) holds a
/// list of its own.
struct Shapes {
    shapes: Vec<Names>,
    /// The two lists [`AttrDict::from_sorted`] gave last, looked at first.
    recent: [Option<Names>; 2],
}

impl Shapes {
    const MAX: usize = 64;

    /// The shared list equal to `len` names, `name(i)` the i-th one (by
    /// pointer: every name is interned), made with `make` and kept if
    /// there is none yet.
    fn find_or_add(
        &mut self,
        len: usize,
        name: impl Fn(usize) -> *const str,
        make: impl FnOnce() -> Vec<Rc<str>>,
    ) -> Option<Names> {
        if len == 0 {
            return None;
        }
        for s in self.shapes.iter().rev() {
            if s.len() == len
                && s.iter()
                    .enumerate()
                    .all(|(i, k)| std::ptr::eq(Rc::as_ptr(k), name(i)))
            {
                return Some(s.clone());
            }
        }
        let made: Names = Rc::new(make());
        if self.shapes.len() < Shapes::MAX {
            self.shapes.push(made.clone());
        }
        Some(made)
    }
}

thread_local! {
    static SHAPES: RefCell<Shapes> = const {
        RefCell::new(Shapes {
            shapes: Vec::new(),
            recent: [None, None],
        })
    };
}

/// A sorted list of attribute names as the dicts holding exactly those
/// names share it (a mapper's column keys, [`Mapper::column_names`]): a
/// row that loads every column is made into a dict with it, without
/// matching its names against the shared lists row by row.
#[derive(Debug, Clone, Default)]
pub struct AttrNames(Option<Names>);

impl AttrNames {
    /// The shared list of `keys` (interned, in ascending order, no key
    /// twice).
    pub fn of_sorted<'a>(keys: impl Iterator<Item = &'a Rc<str>>) -> AttrNames {
        let keys: Vec<Rc<str>> = keys.cloned().collect();
        debug_assert!(keys.windows(2).all(|w| w[0] < w[1]));
        AttrNames(SHAPES.with(|s| {
            s.borrow_mut()
                .find_or_add(keys.len(), |i| Rc::as_ptr(&keys[i]), || keys.clone())
        }))
    }

    /// How many names.
    pub fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |n| n.len())
    }

    /// No names.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// An object's loaded attributes (SQLAlchemy's `InstanceState.dict`): the
/// values by attribute name, iterated in name order like the `BTreeMap` it
/// replaces. The names are interned ([`intern`]) and kept sorted in one
/// list shared by every dict with the same names ([`Names`]), the values
/// beside them in one vector, so a loaded object costs one allocation for
/// its attributes and 24 bytes for each (a name pointer each cost 16 more).
#[derive(Clone)]
pub struct AttrDict {
    /// `None` while empty, so a new dict touches no shared list.
    names: Option<Names>,
    values: Vec<Value>,
}

impl Default for AttrDict {
    fn default() -> AttrDict {
        AttrDict::with_capacity(0)
    }
}

impl std::fmt::Debug for AttrDict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl AttrDict {
    /// An empty dict with room for `n` attributes.
    pub fn with_capacity(n: usize) -> AttrDict {
        AttrDict {
            names: None,
            values: Vec::with_capacity(n),
        }
    }

    /// Room for `n` attributes in all, without a reallocation.
    pub fn reserve_total(&mut self, n: usize) {
        self.values.reserve(n.saturating_sub(self.values.len()));
    }

    /// The names, in order.
    fn names(&self) -> &[Rc<str>] {
        self.names.as_deref().map_or(&[], |n| n.as_slice())
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        self.names().binary_search_by(|k| (**k).cmp(key))
    }

    /// The names with `key` (interned) put at `at`.
    fn names_with(&self, at: usize, key: &Rc<str>) -> Option<Names> {
        let names = self.names();
        let name = |i: usize| match i.cmp(&at) {
            std::cmp::Ordering::Less => Rc::as_ptr(&names[i]),
            std::cmp::Ordering::Equal => Rc::as_ptr(key),
            std::cmp::Ordering::Greater => Rc::as_ptr(&names[i - 1]),
        };
        SHAPES.with(|s| {
            s.borrow_mut().find_or_add(names.len() + 1, name, || {
                let mut v = Vec::with_capacity(names.len() + 1);
                v.extend_from_slice(&names[..at]);
                v.push(key.clone());
                v.extend_from_slice(&names[at..]);
                v
            })
        })
    }

    /// The names without the one at `at`.
    fn names_without(&self, at: usize) -> Option<Names> {
        let names = self.names();
        let name = |i: usize| Rc::as_ptr(&names[if i < at { i } else { i + 1 }]);
        SHAPES.with(|s| {
            s.borrow_mut().find_or_add(names.len() - 1, name, || {
                let mut v = names.to_vec();
                v.remove(at);
                v
            })
        })
    }

    /// Puts `value` under `key` (interned), new at `at`.
    fn insert_at(&mut self, at: usize, key: &Rc<str>, value: Value) {
        self.names = self.names_with(at, key);
        self.values.insert(at, value);
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.find(key).ok().map(|i| &self.values[i])
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.find(key).ok().map(|i| &mut self.values[i])
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }

    /// [`AttrDict::get`] for a key made by [`intern`]: every key here is
    /// interned, so the entry is found by pointer, comparing no text (a
    /// few entries, walked in order).
    pub fn get_interned(&self, key: &Rc<str>) -> Option<&Value> {
        self.names()
            .iter()
            .position(|k| Rc::ptr_eq(k, key))
            .map(|i| &self.values[i])
    }

    /// A dict of `entries` given in ascending key order with no key twice
    /// (a mapper's [`Mapper::column_order`] with its interned keys), taken
    /// as they come, without a comparison. The names are matched against
    /// the shared lists by pointer, the two used last first, so a row of a
    /// shape met before allocates only its values.
    pub fn from_sorted(entries: impl Iterator<Item = (Rc<str>, Value)>) -> AttrDict {
        thread_local! {
            static SCRATCH: std::cell::Cell<Vec<Rc<str>>> = const { std::cell::Cell::new(Vec::new()) };
        }
        let mut keys = SCRATCH.with(|s| s.take());
        let mut values = Vec::with_capacity(entries.size_hint().1.unwrap_or(0));
        for (key, value) in entries {
            keys.push(key);
            values.push(value);
        }
        debug_assert!(keys.windows(2).all(|w| w[0] < w[1]));
        let names = SHAPES.with(|s| {
            let mut s = s.borrow_mut();
            let same = |names: &Names| {
                names.len() == keys.len() && names.iter().zip(&keys).all(|(a, b)| Rc::ptr_eq(a, b))
            };
            // The lists made last here (a query's one or two mappers).
            if let Some(hit) = s.recent.iter().flatten().find(|n| same(n)) {
                return Some(hit.clone());
            }
            let found = s.find_or_add(keys.len(), |i| Rc::as_ptr(&keys[i]), || keys.clone());
            if found.is_some() {
                s.recent = [found.clone(), s.recent[0].take()];
            }
            found
        });
        keys.clear();
        SCRATCH.with(|s| s.set(keys));
        AttrDict { names, values }
    }

    /// A dict of `values` under `names`, the i-th value under the i-th
    /// name (as many of each): the names shared as they are.
    pub fn from_names(names: &AttrNames, values: Vec<Value>) -> AttrDict {
        debug_assert_eq!(names.len(), values.len());
        AttrDict {
            names: names.0.clone(),
            values,
        }
    }

    /// True when every key of `keys` (interned, in ascending order) is
    /// here. One walk of the names, comparing pointers first, so the
    /// usual case (the keys a row loaded) compares no text.
    pub fn contains_all_interned<'a>(&self, keys: impl Iterator<Item = &'a Rc<str>>) -> bool {
        let mut at = 0;
        for key in keys {
            loop {
                let Some(k) = self.names().get(at) else {
                    return false;
                };
                at += 1;
                if Rc::ptr_eq(k, key) || **k == **key {
                    break;
                }
                if **k > **key {
                    return false;
                }
            }
        }
        true
    }

    /// [`AttrDict::insert`] with a key already interned (a mapper's
    /// [`Mapper::column_keys`]), sharing it without a lookup.
    pub fn insert_interned(&mut self, key: &Rc<str>, value: Value) -> Option<Value> {
        match self.find(key) {
            Ok(i) => Some(std::mem::replace(&mut self.values[i], value)),
            Err(i) => {
                self.insert_at(i, key, value);
                None
            }
        }
    }

    /// [`AttrDict::insert_interned`] for keys given in ascending order
    /// (a mapper's [`Mapper::column_order`]): a key after the last one is
    /// appended with one comparison; any other is inserted in its place.
    pub fn push_interned(&mut self, key: &Rc<str>, value: Value) {
        match self.names().last() {
            Some(last) if **last >= **key => {
                self.insert_interned(key, value);
            }
            _ => {
                let at = self.names().len();
                self.insert_at(at, key, value);
            }
        }
    }

    /// Sets `key` to `value`; the value it replaces, if any.
    pub fn insert(&mut self, key: impl AsRef<str>, value: Value) -> Option<Value> {
        let key = key.as_ref();
        match self.find(key) {
            Ok(i) => Some(std::mem::replace(&mut self.values[i], value)),
            Err(i) => {
                self.insert_at(i, &intern(key), value);
                None
            }
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let i = self.find(key).ok()?;
        self.names = self.names_without(i);
        Some(self.values.remove(i))
    }

    /// (name, value) pairs in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.names().iter().map(|k| &**k).zip(self.values.iter())
    }

    /// The names, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.names().iter().map(|k| &**k)
    }

    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.values.iter()
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    pub fn clear(&mut self) {
        self.names = None;
        self.values.clear();
    }
}

/// Key values as Python values: an object's identity key, or the parent
/// key a child row of a selectin or subquery load carries. A lone value
/// (the usual single-column key) is held inline, without an allocation;
/// more in a `Vec`. Reads as a slice of the values.
#[derive(Debug, Clone)]
pub enum KeyValues {
    One(Value),
    /// Several values, boxed without spare room, so a key is as small as
    /// one value (24 bytes).
    Many(Box<[Value]>),
}

impl KeyValues {
    /// The values of `values`, a lone one moved inline.
    pub fn from_vec(mut values: Vec<Value>) -> KeyValues {
        match values.len() {
            1 => KeyValues::One(values.pop().unwrap_or(Value::None)),
            _ => KeyValues::Many(values.into_boxed_slice()),
        }
    }
}

impl From<Vec<Value>> for KeyValues {
    fn from(values: Vec<Value>) -> KeyValues {
        KeyValues::from_vec(values)
    }
}

impl std::ops::Deref for KeyValues {
    type Target = [Value];
    fn deref(&self) -> &[Value] {
        match self {
            KeyValues::One(v) => std::slice::from_ref(v),
            KeyValues::Many(v) => v,
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
    pub dict: AttrDict,
    /// The identity key: primary-key values, once flushed or loaded (a
    /// lone primary key inline, without an allocation).
    pub key: Option<KeyValues>,
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
    /// Which of the first 64 mapped attributes are expired (bit `i`: the
    /// attribute at [`Mapper::attribute_index`] `i`), so expiring every
    /// object at commit allocates nothing; a later one, or a name the
    /// mapper does not know, is in [`Rare::expired_beyond`]. Read and
    /// change it through [`Instance::is_expired`],
    /// [`Instance::expire_attribute`], [`Instance::unexpire`] ….
    expired_bits: u64,
    /// What few objects need ([`Rare`]): allocated on first use, so a
    /// loaded row costs less memory.
    pub rare: Option<Box<Rare>>,
}

/// [`Rare::committed_collections`]: each relationship's collection as last
/// loaded or flushed, by key, in one small vector sorted by the interned
/// key. An object has one or two of them, so a `BTreeMap` (a node of
/// eleven slots, about 550 bytes, for the one loaded collection of each
/// of 100k parents) cost far more than the entries.
#[derive(Debug, Default, Clone)]
pub struct CommittedCollections(Vec<(Rc<str>, Vec<Value>)>);

impl CommittedCollections {
    fn find(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| (**k).cmp(key))
    }

    /// The collection of `key`, when one is recorded.
    pub fn get(&self, key: &str) -> Option<&Vec<Value>> {
        self.find(key).ok().map(|i| &self.0[i].1)
    }

    /// Whether a collection of `key` is recorded.
    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }

    /// Records `items` as the collection of `key`, replacing any before.
    pub fn insert(&mut self, key: &str, items: Vec<Value>) {
        match self.find(key) {
            Ok(i) => self.0[i].1 = items,
            Err(i) => self.0.insert(i, (intern(key), items)),
        }
    }

    /// The collection of `key`, recorded empty first when there is none
    /// (`BTreeMap::entry(key).or_default()`).
    pub fn get_or_default(&mut self, key: &str) -> &mut Vec<Value> {
        let i = match self.find(key) {
            Ok(i) => i,
            Err(i) => {
                self.0.insert(i, (intern(key), Vec::new()));
                i
            }
        };
        &mut self.0[i].1
    }

    /// Forgets the collection of `key`, returning it.
    pub fn remove(&mut self, key: &str) -> Option<Vec<Value>> {
        self.find(key).ok().map(|i| self.0.remove(i).1)
    }
}

/// The parts of an [`Instance`] that most objects never use (changes since
/// the last flush, expired and deferred attributes, load-option marks,
/// backref appends to unloaded collections, INSERT defaults), kept out of
/// line: [`Instance::rare`] is `None` until one is set, so an object loaded
/// and left alone carries one null pointer for all of them. Read them
/// through [`Instance::committed`], [`Instance::expired`] … (empty when
/// unset); change them through [`Instance::rare_mut`], or clear them
/// without allocating through [`Instance::rare_if_any`].
#[derive(Debug, Default)]
pub struct Rare {
    /// Values of modified column attributes as last loaded or flushed
    /// (SQLAlchemy's `committed_state`); present keys are the dirty ones.
    pub committed: BTreeMap<String, Value>,
    /// Relationship collections as last loaded or flushed, to compute what a
    /// flush must add or remove.
    pub committed_collections: CommittedCollections,
    /// Attributes expired by commit, rollback or `expire()` that
    /// [`Instance`]'s bitset cannot hold (an attribute index of 64 or
    /// more, or a name that is not a mapped attribute).
    pub expired_beyond: std::collections::BTreeSet<String>,
    /// Relationships assigned since the last flush (dirty even when their
    /// old value was never loaded).
    pub modified_relationships: std::collections::BTreeSet<String>,
    /// Column attributes a `load_only()`/`defer()` or a `deferred()` column
    /// left unloaded, with `true` when reading one raises
    /// (`raiseload=True`) instead of loading it with its own SELECT.
    pub deferred: BTreeMap<String, bool>,
    /// Relationships a `raiseload()` option marked when the object loaded.
    pub raise_on_load: std::collections::BTreeSet<String>,
    /// Relationships `raiseload(..., sql_only=True)` marked: their lazy
    /// load raises only where it would send SQL.
    pub raise_on_sql: std::collections::BTreeSet<String>,
    /// The loader options chained below a lazily loaded relationship
    /// (`defaultload(Role.users).selectinload(User.messages)`), applied
    /// when it loads, as SQLAlchemy keeps an object's load path.
    pub lazy_options: BTreeMap<String, Vec<Rc<super::strategy_options::LoaderOption>>>,
    /// `lazyload(User.messages.and_(…))`: the criteria (against the target
    /// table) the relationship's lazy load ANDs to its WHERE, by key.
    pub lazy_criteria: BTreeMap<String, Rc<crate::sql::elements::Expr>>,
    /// Objects a backref appended to a collection of this persistent object
    /// while that collection was not loaded (SQLAlchemy's
    /// `_pending_mutations`), by relationship key; the next flush reads them
    /// (to warn about one outside the Session) and forgets them.
    pub pending_appends: Vec<(String, Weak<InstanceCell>)>,
    /// The `delete-orphan` relationships (`A.bs`) this object was taken out
    /// of since it was last given a parent through them (SQLAlchemy's
    /// `hasparent` False): any one left at flush makes it an orphan, deleted
    /// then ([`crate::orm::collections::parent_lost`]).
    pub lost_parents: std::collections::BTreeSet<String>,
    /// What each callable `default=` of a column returned when the object
    /// was made (`ColumnDefault::Callable`), by attribute key: the INSERT
    /// sends it if the attribute is still unset then.
    pub prefetched: BTreeMap<String, Value>,
    /// What each callable `onupdate=` of a column returned when a column
    /// attribute of this object was last set, by attribute key: the next
    /// UPDATE sends it for a column it does not set.
    pub prefetched_onupdate: BTreeMap<String, Value>,
    /// What a callable `default=`/`onupdate=` raised when called ahead of
    /// the flush, by attribute key (`onupdate:` before the key for an
    /// `onupdate=`): the flush raises it, as SQLAlchemy calls the function
    /// there.
    pub prefetch_errors: BTreeMap<String, crate::python::PyErr>,
    /// The columns the last INSERT built for this object filled from a
    /// `default=` (SQLAlchemy compiles those into the statement rather than
    /// the ORM's parameters, so they do not split a batch).
    pub default_filled: Vec<usize>,
}

impl Instance {
    /// The identity key's values (empty while it has none), as a new
    /// `Vec`.
    pub fn key_values(&self) -> Vec<Value> {
        self.key
            .as_deref()
            .map(<[Value]>::to_vec)
            .unwrap_or_default()
    }

    /// The object's [`Rare`] parts, if any was ever set.
    pub fn rare(&self) -> Option<&Rare> {
        self.rare.as_deref()
    }

    /// The object's [`Rare`] parts, to change (made empty on first use).
    pub fn rare_mut(&mut self) -> &mut Rare {
        self.rare.get_or_insert_default()
    }

    /// The object's [`Rare`] parts to change when it has any, for a change
    /// that only empties (`clear`, `remove`): never allocates.
    pub fn rare_if_any(&mut self) -> Option<&mut Rare> {
        self.rare.as_deref_mut()
    }

    /// The [`Rare`] parts, or an empty one shared by every object of this
    /// thread when the object has none.
    fn rare_or_empty(&self) -> &Rare {
        thread_local! {
            static EMPTY: &'static Rare = Box::leak(Box::default());
        }
        match &self.rare {
            Some(r) => r,
            None => EMPTY.with(|e| *e),
        }
    }

    /// [`Rare::committed`]: values of modified column attributes as last
    /// loaded or flushed (SQLAlchemy's `committed_state`); empty for an
    /// unchanged object.
    pub fn committed(&self) -> &BTreeMap<String, Value> {
        &self.rare_or_empty().committed
    }

    /// [`Rare::lost_parents`]: the `delete-orphan` relationships this object
    /// was taken out of and not given back to.
    pub fn lost_parents(&self) -> &std::collections::BTreeSet<String> {
        &self.rare_or_empty().lost_parents
    }

    /// [`Rare::committed_collections`]: relationship collections as last
    /// loaded or flushed.
    pub fn committed_collections(&self) -> &CommittedCollections {
        &self.rare_or_empty().committed_collections
    }

    /// Whether attribute `key` is expired by commit, rollback or
    /// `expire()` (SQLAlchemy's `key in state.expired_attributes`).
    pub fn is_expired(&self, key: &str) -> bool {
        if !self.has_expired() {
            return false;
        }
        match self.mapper.attribute_index(key) {
            Some(i) if i < 64 => self.expired_bits & (1 << i) != 0,
            _ => self.rare_or_empty().expired_beyond.contains(key),
        }
    }

    /// Whether any attribute is expired (SQLAlchemy's
    /// `bool(state.expired_attributes)`).
    pub fn has_expired(&self) -> bool {
        self.expired_bits != 0 || !self.rare_or_empty().expired_beyond.is_empty()
    }

    /// The expired attributes' names, in name order (SQLAlchemy's
    /// `state.expired_attributes`, sorted).
    pub fn expired_attributes(&self) -> Vec<String> {
        let mut names: Vec<String> = (0..64)
            .filter(|i| self.expired_bits & (1u64 << i) != 0)
            .filter_map(|i| self.mapper.attribute_name(i))
            .collect();
        names.extend(self.rare_or_empty().expired_beyond.iter().cloned());
        names.sort();
        names.dedup();
        names
    }

    /// Marks attribute `key` expired (its value, if any, is removed by the
    /// caller); allocates only for a name the bitset cannot hold.
    pub fn expire_attribute(&mut self, key: &str) {
        match self.mapper.attribute_index(key) {
            Some(i) if i < 64 => self.expired_bits |= 1 << i,
            _ => {
                self.rare_mut().expired_beyond.insert(key.to_string());
            }
        }
    }

    /// Marks every mapped attribute expired, as a full `expire()` or a
    /// commit does: no allocation when the mapper has at most 64.
    pub fn expire_every_attribute(&mut self) {
        let count = self.mapper.attribute_count();
        self.expired_bits = if count >= 64 {
            u64::MAX
        } else {
            (1u64 << count) - 1
        };
        if count > 64 {
            let beyond: Vec<String> = (64..count)
                .filter_map(|i| self.mapper.attribute_name(i))
                .collect();
            self.rare_mut().expired_beyond.extend(beyond);
        }
    }

    /// Attribute `key` is no longer expired (it was loaded or set).
    pub fn unexpire(&mut self, key: &str) {
        if !self.has_expired() {
            return;
        }
        match self.mapper.attribute_index(key) {
            Some(i) if i < 64 => self.expired_bits &= !(1 << i),
            _ => {
                if let Some(r) = self.rare_if_any() {
                    r.expired_beyond.remove(key);
                }
            }
        }
    }

    /// No attribute is expired any more (the object was refreshed).
    pub fn clear_expired(&mut self) {
        self.expired_bits = 0;
        if let Some(r) = self.rare_if_any() {
            r.expired_beyond.clear();
        }
    }

    /// [`Rare::modified_relationships`]: relationships assigned since the
    /// last flush.
    pub fn modified_relationships(&self) -> &std::collections::BTreeSet<String> {
        &self.rare_or_empty().modified_relationships
    }

    /// [`Rare::deferred`]: column attributes a loader option or a
    /// `deferred()` column left unloaded (`true`: reading one raises).
    pub fn deferred(&self) -> &BTreeMap<String, bool> {
        &self.rare_or_empty().deferred
    }

    /// SQLAlchemy's `InstanceState.expired` after an expiry: some column
    /// attribute is expired (an expired relationship alone just lazy-loads
    /// again, and does not make `get()` or a many-to-one load refresh).
    pub fn has_expired_columns(&self) -> bool {
        let columns = self.mapper.columns.len().min(64);
        let mask = if columns == 64 {
            u64::MAX
        } else {
            (1u64 << columns) - 1
        };
        self.expired_bits & mask != 0
            || self
                .rare_or_empty()
                .expired_beyond
                .iter()
                .any(|k| self.mapper.column(k).is_some())
    }

    pub fn new(mapper: Rc<Mapper>, address: u64) -> Instance {
        Instance {
            mapper,
            dict: AttrDict::default(),
            key: None,
            session: None,
            marked_deleted: false,
            deleted_flushed: false,
            gone: false,
            address,
            expired_bits: 0,
            rare: None,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attr_dict_keeps_name_order_and_replaces_in_place() {
        let mut d = AttrDict::default();
        assert!(d.insert("name", Value::Int(1)).is_none());
        d.insert(String::from("email"), Value::Int(2));
        d.insert_interned(&intern("id"), Value::Int(3));
        assert!(matches!(
            d.insert("name", Value::Int(4)),
            Some(Value::Int(1))
        ));
        assert_eq!(d.keys().collect::<Vec<_>>(), ["email", "id", "name"]);
        assert!(matches!(d.get("name"), Some(Value::Int(4))));
        assert!(d.contains_key("id") && !d.contains_key("role"));
        assert!(matches!(d.remove("id"), Some(Value::Int(3))));
        assert_eq!(d.remove("id").map(|_| ()), None);
        assert_eq!(d.len(), 2);
        d.clear();
        assert!(d.is_empty());
    }

    /// Keys pushed in order append; one out of order still lands in its
    /// place, replacing an equal key.
    #[test]
    fn attr_dict_push_keeps_name_order() {
        let mut d = AttrDict::default();
        for k in ["content", "id", "user_id"] {
            d.push_interned(&intern(k), Value::Int(1));
        }
        d.push_interned(&intern("created_at"), Value::Int(2));
        d.push_interned(&intern("id"), Value::Int(3));
        assert_eq!(
            d.keys().collect::<Vec<_>>(),
            ["content", "created_at", "id", "user_id"]
        );
        assert!(matches!(d.get("id"), Some(Value::Int(3))));
    }

    /// `contains_all_interned` finds sorted keys among others, by pointer
    /// or by text, and misses one that is absent.
    #[test]
    fn attr_dict_contains_all_of_sorted_keys() {
        let mut d = AttrDict::default();
        for k in ["content", "id", "messages", "user_id"] {
            d.insert(k, Value::None);
        }
        let keys: Vec<Rc<str>> = ["content", "id", "user_id"].map(intern).to_vec();
        assert!(d.contains_all_interned(keys.iter()));
        let copied: Vec<Rc<str>> = vec![Rc::from("id"), Rc::from("user_id")];
        assert!(d.contains_all_interned(copied.iter()));
        let missing: Vec<Rc<str>> = ["content", "created_at", "id"].map(intern).to_vec();
        assert!(!d.contains_all_interned(missing.iter()));
        let past_end: Vec<Rc<str>> = ["user_id", "zzz"].map(intern).to_vec();
        assert!(!d.contains_all_interned(past_end.iter()));
        let sorted = AttrDict::from_sorted(keys.iter().map(|k| (k.clone(), Value::Int(1))));
        assert_eq!(
            sorted.keys().collect::<Vec<_>>(),
            ["content", "id", "user_id"]
        );
    }

    /// A lone key value is held inline; more in a `Vec`; both read as the
    /// slice of values.
    #[test]
    fn key_values_hold_a_lone_value_inline() {
        let one = KeyValues::from_vec(vec![Value::Int(7)]);
        assert!(matches!(one, KeyValues::One(Value::Int(7))));
        assert!(matches!(&*one, [Value::Int(7)]));
        let two: KeyValues = vec![Value::Int(1), Value::Int(2)].into();
        assert!(matches!(&*two, [Value::Int(1), Value::Int(2)]));
        let none = KeyValues::from_vec(Vec::new());
        assert!(none.is_empty());
    }

    /// A loaded object stays small: what few objects use lives in
    /// [`Rare`], allocated on first use (the memory of a 1M-row load).
    #[test]
    fn an_instance_keeps_rare_parts_out_of_line() {
        let size = std::mem::size_of::<Instance>();
        assert!(size <= 112, "{size}");
    }

    /// A key takes no more room than one value (a selectin child row's
    /// parent key, an object's identity key), and an object's attributes
    /// take one pointer beside their values (the memory of a 1M-row load).
    #[test]
    fn keys_and_attribute_dicts_stay_small() {
        assert!(std::mem::size_of::<Option<KeyValues>>() <= std::mem::size_of::<Value>());
        assert!(std::mem::size_of::<AttrDict>() <= 32);
        let many = KeyValues::from_vec(vec![Value::Int(1), Value::Int(2)]);
        assert!(matches!(&*many, [Value::Int(1), Value::Int(2)]));
    }

    /// Dicts with the same names share one list of them: made from rows,
    /// or reaching the same names by inserts, in any order; a change to
    /// one leaves the other as it was.
    #[test]
    fn attribute_dicts_share_their_names() {
        let same = |a: &AttrDict, b: &AttrDict| match (&a.names, &b.names) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            _ => false,
        };
        let keys: Vec<Rc<str>> = ["content", "id", "user_id"].map(intern).to_vec();
        let a = AttrDict::from_sorted(keys.iter().map(|k| (k.clone(), Value::Int(1))));
        let mut b = AttrDict::from_sorted(keys.iter().map(|k| (k.clone(), Value::Int(2))));
        assert!(same(&a, &b));
        let mut c = AttrDict::default();
        c.insert("user_id", Value::Int(3));
        c.insert("content", Value::Int(3));
        c.insert_interned(&intern("id"), Value::Int(3));
        assert!(same(&a, &c));
        b.insert("zzz", Value::None);
        assert_eq!(a.keys().collect::<Vec<_>>(), ["content", "id", "user_id"]);
        assert_eq!(
            b.keys().collect::<Vec<_>>(),
            ["content", "id", "user_id", "zzz"]
        );
        assert!(matches!(b.remove("zzz"), Some(Value::None)));
        assert!(same(&a, &b));
        assert!(matches!(b.get("id"), Some(Value::Int(2))));
        // A prefix of known names, and names never met, read back as given.
        let prefix = AttrDict::from_sorted(keys[..2].iter().map(|k| (k.clone(), Value::None)));
        assert_eq!(prefix.keys().collect::<Vec<_>>(), ["content", "id"]);
        let other: Vec<Rc<str>> = ["content", "email"].map(intern).to_vec();
        let d = AttrDict::from_sorted(other.iter().map(|k| (k.clone(), Value::None)));
        assert_eq!(d.keys().collect::<Vec<_>>(), ["content", "email"]);
        assert!(AttrDict::from_sorted(std::iter::empty()).is_empty());
    }

    /// Objects share their attribute names: one allocation per name, not
    /// one per object (the memory of a 100k-object load).
    #[test]
    fn attribute_names_are_shared_between_objects() {
        let mut a = AttrDict::default();
        let mut b = AttrDict::default();
        a.insert("content", Value::None);
        b.insert(String::from("content"), Value::None);
        let (ka, kb) = (&a.names()[0], &b.names()[0]);
        assert!(Rc::ptr_eq(ka, kb));
        assert!(Rc::ptr_eq(ka, &intern("content")));
    }
}
