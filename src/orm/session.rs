//! The Session: identity map, unit of work and transaction, as SQLAlchemy
//! 2.0's `Session` with its defaults (autoflush on, expire_on_commit on).
//!
//! Transaction events are logged where SQLAlchemy's engine events fire:
//! `BEGIN` when the session first uses its connection in a transaction,
//! `COMMIT`/`ROLLBACK` when it ends one that had begun.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::{Rc, Weak};

use crate::engine::{Database, DbError};
use crate::outcome::{Cause, TxEvent};
use crate::python::exceptions::{PyErr, PyResult, invalid_request};
use crate::python::format::repr_plain;
use crate::python::value::{ListObj, Value};
use crate::sql::compiler::{self, Compiled};
use crate::sql::elements::{Expr, LabelStyle, Operator, Select, Selectable};
use crate::sql::schema::SqlValue;

use super::expression::{bind_value, result_value};
use super::loading::{LoaderOption, Strategy, selectin_load, strategy_for};
use super::mapper::{AttrKind, Direction, Lazy, Mapper, Registry, Relationship};
use super::query::{Entity, Query};
use super::state::{Instance, Obj, ObjectState};
use crate::python::ExcType;

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
    map: BTreeMap<IdentityKey, Weak<RefCell<Instance>>>,
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

    pub fn insert(&mut self, key: IdentityKey, obj: Obj) {
        self.map.insert(key, Rc::downgrade(&obj));
    }

    pub fn remove(&mut self, key: &IdentityKey) {
        self.map.remove(key);
    }

    pub fn clear(&mut self) {
        self.map.clear();
    }

    /// Every live object, in key order.
    pub fn values(&mut self) -> Vec<Obj> {
        self.map.retain(|_, w| w.strong_count() > 0);
        self.map.values().filter_map(Weak::upgrade).collect()
    }
}

/// The session's transaction (SQLAlchemy's `SessionTransaction`).
#[derive(Debug, Default)]
struct SessionTx {
    /// The connection has begun (a `BEGIN` event was logged).
    connection_begun: bool,
    /// The transaction was rolled back by a failed flush; holds the original
    /// error's message until `rollback()`.
    failed: Option<String>,
    /// Objects inserted in this transaction (transient again on rollback).
    inserted: Vec<Obj>,
    /// Objects deleted in this transaction (persistent again on rollback).
    deleted: Vec<Obj>,
}

thread_local! {
    static SESSIONS: RefCell<Vec<Weak<Session>>> = const { RefCell::new(Vec::new()) };
    static NEXT_ADDRESS: Cell<u64> = const { Cell::new(0x7f3a_2c1e_4b50) };
    static NEXT_UID: Cell<u64> = const { Cell::new(1) };
}

/// A fresh fake object address for `<__main__.User object at 0x…>`.
pub fn next_address() -> u64 {
    NEXT_ADDRESS.with(|a| {
        let v = a.get();
        a.set(v + 0x90);
        v
    })
}

/// The number a session is known by in messages (`Session(engine)`
/// numbers them 1, 2, … per tutor), from its unique id.
pub fn display_id(uid: u64) -> u32 {
    session_by_id(uid).map(|s| s.id).unwrap_or(0)
}

/// The live session with this unique id.
pub fn session_by_id(id: u64) -> Option<Rc<Session>> {
    SESSIONS.with(|s| {
        s.borrow()
            .iter()
            .filter_map(Weak::upgrade)
            .find(|sess| sess.uid == id)
    })
}

fn push_unique(list: &mut Vec<Obj>, obj: &Obj) {
    if !list.iter().any(|o| Rc::ptr_eq(o, obj)) {
        list.push(obj.clone());
    }
}

/// Rows an ORM query produced: one value per entity per row.
#[derive(Debug, Clone)]
pub struct LoadedRows {
    pub rows: Vec<Vec<Value>>,
    /// Row keys, one per entity (`User`, `name`, `count`).
    pub keys: Vec<String>,
    /// A joined eager load of a collection was part of the query
    /// (`select()` results then need `.unique()`).
    pub joined_collection: bool,
}

/// A Session.
#[derive(Debug)]
pub struct Session {
    /// The number shown in messages (`session '2'`), per tutor.
    pub id: u32,
    /// Unique among every session of the process: what objects refer to,
    /// so two tutors in one thread never share objects.
    pub uid: u64,
    pub db: Rc<Database>,
    pub registry: Rc<Registry>,
    identity_map: RefCell<IdentityMap>,
    /// Objects with changes not yet flushed: held strongly, as SQLAlchemy
    /// holds modified objects, while the identity map holds the rest weakly.
    modified: RefCell<Vec<Obj>>,
    new: RefCell<Vec<Obj>>,
    deleted: RefCell<Vec<Obj>>,
    tx: RefCell<Option<SessionTx>>,
    pub autoflush: Cell<bool>,
    /// Depth of `with session.no_autoflush:` blocks.
    pub autoflush_paused: Cell<u32>,
    /// Inside `flush()`: no autoflush, no nested flush.
    flushing: Cell<bool>,
}

fn db_error(e: DbError, compiled: Option<&Compiled>) -> PyErr {
    let mut message = e.to_string();
    if let Some(c) = compiled {
        message.push_str(&format!(
            "\n[SQL: {}]\n[parameters: {}]",
            c.sql,
            params_repr(&c.positional_values())
        ));
    }
    PyErr::new(
        ExcType::from_name(e.kind).unwrap_or(ExcType::DatabaseError),
        message,
    )
}

/// Parameters as SQLAlchemy's error messages show them: a Python tuple.
pub fn params_repr(params: &[SqlValue]) -> String {
    let items: Vec<String> = params
        .iter()
        .map(|p| match p {
            SqlValue::Null => "None".to_string(),
            SqlValue::Integer(i) => i.to_string(),
            SqlValue::Real(f) => crate::python::value::float_repr(*f),
            SqlValue::Text(s) => crate::python::value::str_repr(s),
            SqlValue::Blob(_) => "b'…'".to_string(),
        })
        .collect();
    if items.len() == 1 {
        format!("({},)", items[0])
    } else {
        format!("({})", items.join(", "))
    }
}

/// `<User at 0x7f…>`, as SQLAlchemy's `state_str` names an instance in errors.
pub fn state_str(obj: &Obj) -> String {
    let o = obj.borrow();
    format!("<{} at 0x{:012x}>", o.mapper.class_name, o.address)
}

impl Session {
    /// A new session on `db`, registered so instances can find it by id.
    pub fn new(id: u32, db: Rc<Database>, registry: Rc<Registry>) -> Rc<Session> {
        let uid = NEXT_UID.with(|n| {
            let v = n.get();
            n.set(v + 1);
            v
        });
        let s = Rc::new(Session {
            id,
            uid,
            db,
            registry,
            identity_map: RefCell::new(IdentityMap::default()),
            modified: RefCell::new(Vec::new()),
            new: RefCell::new(Vec::new()),
            deleted: RefCell::new(Vec::new()),
            tx: RefCell::new(None),
            autoflush: Cell::new(true),
            autoflush_paused: Cell::new(0),
            flushing: Cell::new(false),
        });
        SESSIONS.with(|all| {
            let mut all = all.borrow_mut();
            all.retain(|w| w.strong_count() > 0);
            all.push(Rc::downgrade(&s));
        });
        s
    }

    // ----- transaction -------------------------------------------------

    fn check_not_failed(&self) -> PyResult<()> {
        if let Some(Some(msg)) = self.tx.borrow().as_ref().map(|t| t.failed.clone()) {
            return Err(PyErr::new(
                ExcType::PendingRollbackError,
                format!(
                    "This Session's transaction has been rolled back due to a previous exception during flush. To begin a new transaction with this Session, first issue Session.rollback(). Original exception was: {msg}"
                ),
            ));
        }
        Ok(())
    }

    /// Autobegins the session transaction and its connection (logging
    /// `BEGIN`), as the first SQL of a transaction does.
    fn begin_connection(&self) -> PyResult<()> {
        self.check_not_failed()?;
        let mut tx = self.tx.borrow_mut();
        let t = tx.get_or_insert_with(SessionTx::default);
        if !t.connection_begun {
            t.connection_begun = true;
            self.db.log_tx(TxEvent::Begin);
        }
        Ok(())
    }

    /// The transaction as words: `none`, `begun (BEGIN sent)`, or
    /// `rolled back by a failed flush: call session.rollback()`.
    pub fn transaction_state(&self) -> &'static str {
        match self.tx.borrow().as_ref() {
            None => "none",
            Some(t) if t.failed.is_some() => {
                "rolled back by a failed flush: call session.rollback()"
            }
            Some(t) if t.connection_begun => "begun (BEGIN sent, not yet committed)",
            Some(_) => "begun (no SQL sent yet)",
        }
    }

    /// `session.begin()`: starts the session transaction explicitly.
    ///
    /// Errors: `InvalidRequestError` when one is already begun (autobegun
    /// by earlier SQL, or begun explicitly).
    pub fn begin(&self) -> PyResult<()> {
        let mut tx = self.tx.borrow_mut();
        if tx.is_some() {
            return Err(invalid_request(
                "A transaction is already begun on this Session.",
            ));
        }
        *tx = Some(SessionTx::default());
        Ok(())
    }

    /// True while the session's connection is in a transaction.
    pub fn in_transaction(&self) -> bool {
        self.tx
            .borrow()
            .as_ref()
            .is_some_and(|t| t.connection_begun)
    }

    /// The dialect of the session's database: what its statements are
    /// compiled for (SQLAlchemy's `session.get_bind().dialect`).
    pub fn dialect(&self) -> &'static crate::sql::dialect::Dialect {
        self.db.dialect()
    }

    /// Compiles and runs a SELECT under `cause`.
    pub fn run_select(&self, select: &Select, cause: Cause) -> PyResult<Vec<Vec<SqlValue>>> {
        self.begin_connection()?;
        let compiled = compiler::compile_select(select, self.dialect());
        self.db
            .query(&compiled, cause)
            .map_err(|e| db_error(e, Some(&compiled)))
    }

    /// Flushes pending changes before a query, when autoflush is on.
    pub fn autoflush(self: &Rc<Self>) -> PyResult<()> {
        self.check_not_failed()?;
        if self.autoflush.get()
            && self.autoflush_paused.get() == 0
            && !self.flushing.get()
            && self.has_changes()
        {
            self.flush_with(Cause::Autoflush)?;
        }
        Ok(())
    }

    // ----- identity map ------------------------------------------------

    /// The identity-map key of an object with a key.
    fn object_key(obj: &Obj) -> IdentityKey {
        let b = obj.borrow();
        Self::key_of(&b.mapper, b.key.as_deref().unwrap_or_default())
    }

    fn key_of(mapper: &Mapper, key: &[Value]) -> IdentityKey {
        (
            mapper.class_name.clone(),
            key.iter().map(KeyPart::of).collect(),
        )
    }

    /// The object with this primary key in the identity map, if any.
    pub fn identity_lookup(&self, mapper: &Mapper, key: &[Value]) -> Option<Obj> {
        self.identity_map
            .borrow_mut()
            .get(&Self::key_of(mapper, key))
    }

    /// Every object in the identity map, in key order.
    pub fn identity_objects(&self) -> Vec<Obj> {
        self.identity_map.borrow_mut().values()
    }

    /// Keeps a modified object alive until the next flush.
    pub fn hold(&self, obj: &Obj) {
        let mut held = self.modified.borrow_mut();
        if !held.iter().any(|o| Rc::ptr_eq(o, obj)) {
            held.push(obj.clone());
        }
    }

    /// `session.new`: pending objects, in the order added.
    pub fn new_objects(&self) -> Vec<Obj> {
        self.new.borrow().clone()
    }

    /// `session.deleted`: objects marked for deletion.
    pub fn deleted_objects(&self) -> Vec<Obj> {
        self.deleted.borrow().clone()
    }

    /// `session.dirty`: persistent objects with changed attributes.
    pub fn dirty_objects(&self) -> Vec<Obj> {
        self.identity_map
            .borrow_mut()
            .values()
            .into_iter()
            .filter(|o| {
                let o = o.borrow();
                !o.marked_deleted && (!o.committed.is_empty() || collections_changed(&o))
            })
            .collect()
    }

    fn has_changes(&self) -> bool {
        !self.new.borrow().is_empty()
            || !self.deleted.borrow().is_empty()
            || !self.dirty_objects().is_empty()
    }

    /// `obj in session`
    pub fn contains(&self, obj: &Obj) -> bool {
        obj.borrow().session == Some(self.uid)
    }

    /// Builds or finds the object for a row whose mapper columns start at
    /// `offset` (SQLAlchemy's `loading._instance`). An existing object keeps
    /// its loaded attributes and gets its expired ones from the row. `None`
    /// when the primary key is all NULL (no row on an outer join).
    pub fn load_row(
        &self,
        mapper: &Rc<Mapper>,
        row: &[SqlValue],
        offset: usize,
    ) -> PyResult<Option<Obj>> {
        let table = &mapper.table;
        let pk = mapper.primary_key();
        let mut key = Vec::with_capacity(pk.len());
        for &i in &pk {
            let v = row.get(offset + i).cloned().unwrap_or(SqlValue::Null);
            key.push(result_value(&v, Some(&table.columns[i].sql_type)));
        }
        if key.iter().all(|v| matches!(v, Value::None)) {
            return Ok(None);
        }
        if let Some(existing) = self.identity_lookup(mapper, &key) {
            let mut o = existing.borrow_mut();
            for (attr, col) in &mapper.columns {
                if o.expired.contains(attr)
                    || (!o.dict.contains_key(attr) && !o.committed.contains_key(attr))
                {
                    let v = row.get(offset + col).cloned().unwrap_or(SqlValue::Null);
                    o.dict.insert(
                        attr.clone(),
                        result_value(&v, Some(&table.columns[*col].sql_type)),
                    );
                    o.expired.remove(attr);
                }
            }
            drop(o);
            return Ok(Some(existing));
        }
        let mut inst = Instance::new(mapper.clone(), next_address());
        for (attr, col) in &mapper.columns {
            let v = row.get(offset + col).cloned().unwrap_or(SqlValue::Null);
            inst.dict.insert(
                attr.clone(),
                result_value(&v, Some(&table.columns[*col].sql_type)),
            );
        }
        inst.key = Some(key.clone());
        inst.session = Some(self.uid);
        let obj = Rc::new(RefCell::new(inst));
        self.identity_map
            .borrow_mut()
            .insert(Self::key_of(mapper, &key), obj.clone());
        Ok(Some(obj))
    }

    // ----- queries -----------------------------------------------------

    /// Runs an ORM query: autoflush, the SELECT, objects from the identity
    /// map, joined eager loads from the same rows, then the selectin and
    /// subquery eager loads and loader-option marks (raiseload, noload).
    pub fn execute_query(
        self: &Rc<Self>,
        query: &Query,
        select_override: Option<Select>,
    ) -> PyResult<LoadedRows> {
        self.autoflush()?;
        let (select, plan) = query.to_select()?;
        let select = select_override.unwrap_or(select);
        let raw = self.run_select(&select, Cause::Query)?;
        let mut rows = Vec::with_capacity(raw.len());
        let mut per_entity: Vec<Vec<Obj>> = vec![Vec::new(); query.entities.len()];
        let mut per_joined: Vec<Vec<Obj>> = vec![Vec::new(); plan.joined.len()];
        // (joined index, parent, children in order, parent's attribute was unloaded)
        let mut collected: Vec<(usize, Obj, Vec<Value>, bool)> = Vec::new();
        let mut joined_collection = false;
        let mut targets = Vec::with_capacity(plan.joined.len());
        for j in &plan.joined {
            let AttrKind::Relationship(rel) = &j.attr.kind else {
                return Err(invalid_request("joined load of a column"));
            };
            let res = rel.resolve()?;
            joined_collection |= res.uselist;
            targets.push(res);
        }
        for r in &raw {
            let mut out = Vec::with_capacity(query.entities.len());
            for (i, e) in query.entities.iter().enumerate() {
                let offset = plan.offsets[i];
                match e {
                    Entity::Mapper(m) => match self.load_row(m, r, offset)? {
                        Some(obj) => {
                            push_unique(&mut per_entity[i], &obj);
                            out.push(Value::Object(obj));
                        }
                        None => out.push(Value::None),
                    },
                    Entity::Column(c) => {
                        let v = r.get(offset).cloned().unwrap_or(SqlValue::Null);
                        out.push(result_value(&v, c.ty.as_ref()));
                    }
                }
            }
            let mut row_joined: Vec<Option<Obj>> = vec![None; plan.joined.len()];
            for (ji, j) in plan.joined.iter().enumerate() {
                let parent = match j.parent {
                    super::query::JoinedParent::Entity(i) => match out.get(i) {
                        Some(Value::Object(o)) => o.clone(),
                        _ => continue,
                    },
                    super::query::JoinedParent::Joined(k) => {
                        match row_joined.get(k).cloned().flatten() {
                            Some(o) => o,
                            None => continue,
                        }
                    }
                };
                let child = self.load_row(&targets[ji].target, r, j.offset)?;
                row_joined[ji] = child.clone();
                let slot = match collected
                    .iter()
                    .position(|(k, p, _, _)| *k == ji && Rc::ptr_eq(p, &parent))
                {
                    Some(n) => n,
                    None => {
                        let fresh = !parent.borrow().dict.contains_key(&j.attr.key);
                        collected.push((ji, parent.clone(), Vec::new(), fresh));
                        collected.len() - 1
                    }
                };
                if let Some(c) = child {
                    let list = &mut collected[slot].2;
                    if !list
                        .iter()
                        .any(|v| matches!(v, Value::Object(o) if Rc::ptr_eq(o, &c)))
                    {
                        list.push(Value::Object(c.clone()));
                    }
                    push_unique(&mut per_joined[ji], &c);
                }
            }
            rows.push(out);
        }
        for (ji, parent, values, fresh) in collected {
            if !fresh {
                continue;
            }
            let key = &plan.joined[ji].attr.key;
            if targets[ji].uselist {
                self.set_loaded_collection(&parent, key, values);
            } else {
                self.set_loaded_scalar(
                    &parent,
                    key,
                    values.into_iter().next().unwrap_or(Value::None),
                );
            }
        }
        for (i, e) in query.entities.iter().enumerate() {
            if let Entity::Mapper(m) = e {
                let objs = std::mem::take(&mut per_entity[i]);
                self.post_load_query(m, &objs, &query.options, Some((query, i)))?;
            }
        }
        for (ji, j) in plan.joined.iter().enumerate() {
            let objs = std::mem::take(&mut per_joined[ji]);
            self.post_load_query(&targets[ji].target, &objs, &j.child_options, None)?;
        }
        let keys = query
            .entities
            .iter()
            .map(|e| match e {
                Entity::Mapper(m) => m.class_name.clone(),
                Entity::Column(c) => c.key.clone().unwrap_or_else(|| expr_key(&c.expr)),
            })
            .collect();
        Ok(LoadedRows {
            rows,
            keys,
            joined_collection,
        })
    }

    /// Eager loads after a lazy load or `get()`: the relationships' own
    /// `lazy="selectin"`/`"subquery"`.
    pub fn post_load(
        self: &Rc<Self>,
        mapper: &Rc<Mapper>,
        objs: &[Obj],
        options: &[Rc<LoaderOption>],
    ) -> PyResult<()> {
        self.post_load_query(mapper, objs, options, None)
    }

    /// Runs, for freshly loaded `objs` of `mapper`, what `options` (or the
    /// relationships' own `lazy=`) ask after the main SELECT: selectin and
    /// subquery eager loads (a subquery load needs the query it came from),
    /// and marks for `raiseload`/`noload`.
    pub fn post_load_query(
        self: &Rc<Self>,
        mapper: &Rc<Mapper>,
        objs: &[Obj],
        options: &[Rc<LoaderOption>],
        query: Option<(&Query, usize)>,
    ) -> PyResult<()> {
        if objs.is_empty() {
            return Ok(());
        }
        let rels: Vec<Rc<Relationship>> = mapper.relationships.borrow().clone();
        for rel in rels {
            let strategy = strategy_for(options, mapper, &rel);
            let attr = super::mapper::AttrRef {
                mapper: mapper.clone(),
                key: rel.key.clone(),
                kind: AttrKind::Relationship(rel.clone()),
            };
            let below = super::loading::child_options(options, mapper, &rel);
            match strategy {
                Strategy::Selectin => selectin_load(self, &attr, objs, &below)?,
                Strategy::Subquery => match query {
                    Some((q, entity)) => {
                        super::loading::subquery_load(self, &attr, objs, q, entity, &below)?
                    }
                    None => selectin_load(self, &attr, objs, &below)?,
                },
                Strategy::Raise => {
                    for o in objs {
                        let mut b = o.borrow_mut();
                        if !b.dict.contains_key(&rel.key) {
                            b.raise_on_load.insert(rel.key.clone());
                        }
                    }
                }
                Strategy::Noload => {
                    let uselist = rel.resolve()?.uselist;
                    for o in objs {
                        if !o.borrow().dict.contains_key(&rel.key) {
                            if uselist {
                                self.set_loaded_collection(o, &rel.key, Vec::new());
                            } else {
                                self.set_loaded_scalar(o, &rel.key, Value::None);
                            }
                        }
                    }
                }
                Strategy::Lazy | Strategy::Joined => {
                    for o in objs {
                        o.borrow_mut().raise_on_load.remove(&rel.key);
                    }
                }
            }
        }
        Ok(())
    }

    /// `session.get(Model, pk)`: from the identity map without SQL when the
    /// object is there and not expired, else `SELECT … WHERE pk = ?`.
    pub fn get(self: &Rc<Self>, mapper: &Rc<Mapper>, key: Vec<Value>) -> PyResult<Value> {
        let pk = mapper.primary_key();
        if key.len() != pk.len() {
            return Err(invalid_request(format!(
                "Incorrect number of values in identifier formed from argument to Session.get(); primary key columns are {}",
                pk.iter()
                    .map(|i| format!("'{}.{}'", mapper.table.name, mapper.table.columns[*i].name))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        if let Some(obj) = self.identity_lookup(mapper, &key) {
            let (expired, deleted) = {
                let o = obj.borrow();
                (!o.expired.is_empty(), o.marked_deleted || o.deleted_flushed)
            };
            if deleted {
                return Ok(Value::None);
            }
            if !expired {
                return Ok(Value::Object(obj));
            }
        }
        self.autoflush()?;
        let from = Selectable::Table(mapper.table.clone());
        let mut select = Select::new(
            (0..mapper.table.columns.len())
                .map(|i| Expr::column(&from, i))
                .collect(),
            LabelStyle::TablenamePlusCol,
        );
        for (&col, v) in pk.iter().zip(&key) {
            let ty = mapper.table.columns.get(col).map(|c| c.sql_type.clone());
            select.where_.push(match v {
                Value::None => Expr::binary(Expr::column(&from, col), Operator::Is, Expr::Null),
                v => Expr::binary(
                    Expr::column(&from, col),
                    Operator::Eq,
                    Expr::Bind(bind_value(v, ty.as_ref())?),
                ),
            });
        }
        let rows = self.run_select(&select, Cause::Query)?;
        match rows.first() {
            Some(row) => {
                let obj = self.load_row(mapper, row, 0)?;
                if let Some(o) = &obj {
                    self.post_load(mapper, std::slice::from_ref(o), &[])?;
                }
                Ok(obj.map(Value::Object).unwrap_or(Value::None))
            }
            None => Ok(Value::None),
        }
    }

    // ----- attributes --------------------------------------------------

    /// The value of table column `col` of `obj`, loading expired attributes
    /// if needed.
    pub fn column_value(&self, obj: &Obj, col: usize) -> PyResult<Value> {
        let mapper = obj.borrow().mapper.clone();
        let Some(key) = mapper.column_key(col).map(str::to_string) else {
            return Ok(Value::None);
        };
        get_attribute(obj, &key)
    }

    /// Loads the expired or unloaded column attributes of a persistent object
    /// with one SELECT by primary key (SQLAlchemy's `load_scalar_attributes`).
    ///
    /// Errors: `ObjectDeletedError` when the row is gone.
    pub fn load_expired(self: &Rc<Self>, obj: &Obj, attr: &str) -> PyResult<()> {
        let mapper = obj.borrow().mapper.clone();
        self.load_by_key(
            obj,
            LabelStyle::TablenamePlusCol,
            Cause::ExpiredReload(format!("{}.{}", mapper.class_name, attr)),
        )
    }

    /// SELECT of every column by primary key, filling the object's unloaded
    /// attributes: an expired-attribute reload labels its columns
    /// (`users_id`), `refresh()` does not (SQLAlchemy 2.0).
    fn load_by_key(self: &Rc<Self>, obj: &Obj, style: LabelStyle, cause: Cause) -> PyResult<()> {
        let columns: Vec<usize> = {
            let o = obj.borrow();
            o.mapper
                .columns
                .iter()
                .filter(|(a, _)| {
                    o.expired.contains(a)
                        || (!o.dict.contains_key(a) && !o.committed.contains_key(a))
                })
                .map(|(_, c)| *c)
                .collect()
        };
        self.load_columns(obj, &columns, style, cause)
    }

    /// SELECT of the given columns by primary key (SQLAlchemy's
    /// `load_on_ident` for only the attributes it needs), stored on `obj`.
    ///
    /// Errors: `ObjectDeletedError` when the row is gone.
    pub fn load_columns(
        self: &Rc<Self>,
        obj: &Obj,
        columns: &[usize],
        style: LabelStyle,
        cause: Cause,
    ) -> PyResult<()> {
        let (mapper, key) = {
            let o = obj.borrow();
            (o.mapper.clone(), o.key.clone())
        };
        let Some(key) = key else {
            return Ok(());
        };
        if columns.is_empty() {
            return Ok(());
        }
        self.autoflush()?;
        let from = Selectable::Table(mapper.table.clone());
        let mut select = Select::new(
            columns.iter().map(|i| Expr::column(&from, *i)).collect(),
            style,
        );
        for (&col, v) in mapper.primary_key().iter().zip(&key) {
            let ty = mapper.table.columns.get(col).map(|c| c.sql_type.clone());
            select.where_.push(Expr::binary(
                Expr::column(&from, col),
                Operator::Eq,
                Expr::Bind(bind_value(v, ty.as_ref())?),
            ));
        }
        let rows = self.run_select(&select, cause)?;
        match rows.first() {
            Some(row) => {
                let mut o = obj.borrow_mut();
                for (i, col) in columns.iter().enumerate() {
                    let Some(a) = mapper.column_key(*col).map(str::to_string) else {
                        continue;
                    };
                    if o.committed.contains_key(&a) && !o.expired.contains(&a) {
                        continue;
                    }
                    let v = row.get(i).cloned().unwrap_or(SqlValue::Null);
                    o.dict.insert(
                        a.clone(),
                        result_value(&v, Some(&mapper.table.columns[*col].sql_type)),
                    );
                    o.expired.remove(&a);
                }
                Ok(())
            }
            None => {
                obj.borrow_mut().gone = true;
                Err(PyErr::new(
                    ExcType::ObjectDeletedError,
                    format!(
                        "Instance '{}' has been deleted, or its row is otherwise not present.",
                        state_str(obj)
                    ),
                ))
            }
        }
    }

    /// Lazy load of `rel` for `obj` with SQLAlchemy's statement
    /// (`WHERE ? = messages.user_id`); a many-to-one on the target's primary
    /// key looks in the identity map first and sends nothing on a hit.
    pub fn lazy_load(
        self: &Rc<Self>,
        obj: &Obj,
        rel: &Rc<Relationship>,
        cause: Cause,
    ) -> PyResult<Value> {
        let res = rel.resolve()?;
        let parent_mapper = obj.borrow().mapper.clone();
        let parent_sel = Selectable::Table(parent_mapper.table.clone());
        let _ = parent_sel;
        let target = Selectable::Table(res.target.table.clone());
        let columns: Vec<Expr> = (0..res.target.table.columns.len())
            .map(|i| Expr::column(&target, i))
            .collect();
        let mut select = Select::new(columns, LabelStyle::TablenamePlusCol);
        match res.direction {
            Direction::ManyToOne => {
                let mut key = Vec::new();
                for (fk, _) in &res.pairs {
                    key.push(self.column_value(obj, *fk)?);
                }
                if key.iter().any(|v| matches!(v, Value::None)) {
                    return Ok(Value::None);
                }
                let target_pk = res.target.primary_key();
                let on_pk = res.pairs.iter().map(|(_, t)| *t).collect::<Vec<_>>() == target_pk;
                if on_pk && let Some(found) = self.identity_lookup(&res.target, &key) {
                    return Ok(Value::Object(found));
                }
                self.autoflush()?;
                for ((_, t), v) in res.pairs.iter().zip(&key) {
                    let ty = res.target.table.columns.get(*t).map(|c| c.sql_type.clone());
                    select.where_.push(Expr::binary(
                        Expr::column(&target, *t),
                        Operator::Eq,
                        Expr::Bind(bind_value(v, ty.as_ref())?),
                    ));
                }
            }
            Direction::OneToMany => {
                self.autoflush()?;
                for (p, t) in &res.pairs {
                    let v = self.column_value(obj, *p)?;
                    let ty = res.target.table.columns.get(*t).map(|c| c.sql_type.clone());
                    select.where_.push(Expr::binary(
                        Expr::Bind(bind_value(&v, ty.as_ref())?),
                        Operator::Eq,
                        Expr::column(&target, *t),
                    ));
                }
            }
            Direction::ManyToMany => {
                self.autoflush()?;
                let Some((sec, target_pairs)) = &res.secondary else {
                    return Ok(Value::None);
                };
                let sec_sel = Selectable::Table(sec.clone());
                for (p, s) in &res.pairs {
                    let v = self.column_value(obj, *p)?;
                    let ty = sec.columns.get(*s).map(|c| c.sql_type.clone());
                    select.where_.push(Expr::binary(
                        Expr::Bind(bind_value(&v, ty.as_ref())?),
                        Operator::Eq,
                        Expr::column(&sec_sel, *s),
                    ));
                }
                for (t, s) in target_pairs {
                    select.where_.push(Expr::binary(
                        Expr::column(&target, *t),
                        Operator::Eq,
                        Expr::column(&sec_sel, *s),
                    ));
                }
            }
        }
        select.order_by = super::loading::relationship_order_by(self, rel, &target)?;
        let rows = self.run_select(&select, cause)?;
        let mut items = Vec::new();
        let mut objs = Vec::new();
        for row in &rows {
            if let Some(o) = self.load_row(&res.target, row, 0)? {
                objs.push(o.clone());
                items.push(Value::Object(o));
            }
        }
        self.post_load(&res.target, &objs, &[])?;
        if res.uselist {
            Ok(Value::list(items))
        } else {
            Ok(items.into_iter().next().unwrap_or(Value::None))
        }
    }

    /// Stores a loaded collection as an instrumented list owned by `obj`.
    pub fn set_loaded_collection(&self, obj: &Obj, key: &str, items: Vec<Value>) {
        let list = Rc::new(ListObj {
            items: RefCell::new(items.clone()),
            owner: Some((Rc::downgrade(obj), key.to_string())),
        });
        let mut o = obj.borrow_mut();
        o.dict.insert(key.to_string(), Value::List(list));
        o.committed_collections.insert(key.to_string(), items);
        o.expired.remove(key);
    }

    /// Stores a loaded many-to-one or one-to-one value.
    pub fn set_loaded_scalar(&self, obj: &Obj, key: &str, value: Value) {
        let mut o = obj.borrow_mut();
        o.dict.insert(key.to_string(), value.clone());
        o.committed_collections.insert(key.to_string(), vec![value]);
        o.expired.remove(key);
    }

    // ----- state changes -----------------------------------------------

    /// `session.add(obj)`: transient → pending; cascades along
    /// relationships with `save-update`.
    ///
    /// Errors: `InvalidRequestError` when the object belongs to another session.
    pub fn add(self: &Rc<Self>, obj: &Obj) -> PyResult<()> {
        self.check_not_failed_for_add()?;
        let mut stack = vec![obj.clone()];
        let mut seen: Vec<Obj> = Vec::new();
        while let Some(o) = stack.pop() {
            if seen.iter().any(|s| Rc::ptr_eq(s, &o)) {
                continue;
            }
            seen.push(o.clone());
            let (session, state) = {
                let b = o.borrow();
                (b.session, b.state())
            };
            match session {
                Some(uid) if uid != self.uid => {
                    return Err(invalid_request(format!(
                        "Object '{}' is already attached to session '{}' (this is '{}')",
                        state_str(&o),
                        display_id(uid),
                        self.id
                    )));
                }
                Some(_) => {}
                None => match state {
                    ObjectState::Transient => {
                        o.borrow_mut().session = Some(self.uid);
                        self.new.borrow_mut().push(o.clone());
                    }
                    ObjectState::Detached => {
                        let (mapper, key) = {
                            let b = o.borrow();
                            (b.mapper.clone(), b.key.clone().unwrap_or_default())
                        };
                        if let Some(existing) = self.identity_lookup(&mapper, &key)
                            && !Rc::ptr_eq(&existing, &o)
                        {
                            return Err(invalid_request(format!(
                                "Can't attach instance {}; another instance with key {} is already present in this session.",
                                state_str(&o),
                                identity_key_repr(&mapper, &key)
                            )));
                        }
                        o.borrow_mut().session = Some(self.uid);
                        self.identity_map
                            .borrow_mut()
                            .insert(Self::key_of(&mapper, &key), o.clone());
                    }
                    _ => {}
                },
            }
            // cascade save-update along loaded relationships
            // depth first, in relationship and collection order
            let related = cascade_targets(&o);
            stack.extend(related.into_iter().rev());
        }
        Ok(())
    }

    fn check_not_failed_for_add(&self) -> PyResult<()> {
        Ok(())
    }

    /// `session.delete(obj)`: marks a persistent object for deletion at the
    /// next flush.
    ///
    /// Errors: `InvalidRequestError` for an object that is not persisted.
    pub fn delete(self: &Rc<Self>, obj: &Obj) -> PyResult<()> {
        let state = obj.borrow().state();
        match state {
            ObjectState::Transient | ObjectState::Pending => Err(invalid_request(format!(
                "Instance '{}' is not persisted",
                state_str(obj)
            ))),
            ObjectState::Detached => {
                self.add(obj)?;
                self.delete(obj)
            }
            ObjectState::Deleted => Ok(()),
            ObjectState::Persistent => {
                if obj.borrow().session != Some(self.uid) {
                    return Err(invalid_request(format!(
                        "Object '{}' is already attached to session '{}' (this is '{}')",
                        state_str(obj),
                        obj.borrow().session.map(display_id).unwrap_or(0),
                        self.id
                    )));
                }
                if obj.borrow().marked_deleted {
                    return Ok(());
                }
                // The delete cascade loads what it needs without autoflush,
                // then marks the object and its children.
                let was = self.autoflush.replace(false);
                let result = (|| -> PyResult<Vec<Obj>> {
                    let mapper = obj.borrow().mapper.clone();
                    let rels: Vec<Rc<Relationship>> = mapper.relationships.borrow().clone();
                    let mut children = Vec::new();
                    for rel in rels {
                        if rel.decl.cascade.delete {
                            let v = get_attribute(obj, &rel.key)?;
                            children.extend(objects_in(&v));
                        }
                    }
                    Ok(children)
                })();
                self.autoflush.set(was);
                let children = result?;
                obj.borrow_mut().marked_deleted = true;
                self.deleted.borrow_mut().push(obj.clone());
                for child in children {
                    let persistent = child.borrow().state() == ObjectState::Persistent;
                    if persistent {
                        self.delete(&child)?;
                    }
                }
                Ok(())
            }
        }
    }

    /// An object a bulk DELETE matched: it leaves the identity map as
    /// deleted (detached at commit, back on rollback).
    pub fn mark_bulk_deleted(&self, obj: &Obj) {
        let (mapper, key) = {
            let b = obj.borrow();
            (b.mapper.clone(), b.key.clone().unwrap_or_default())
        };
        self.identity_map
            .borrow_mut()
            .remove(&Self::key_of(&mapper, &key));
        obj.borrow_mut().deleted_flushed = true;
        if let Some(t) = self.tx.borrow_mut().as_mut() {
            t.deleted.push(obj.clone());
        }
    }

    /// `session.expunge(obj)`: detaches one object.
    ///
    /// Errors: `InvalidRequestError` when it is not in this session.
    pub fn expunge(&self, obj: &Obj) -> PyResult<()> {
        if obj.borrow().session != Some(self.uid) {
            return Err(invalid_request(format!(
                "Instance {} is not present in this Session",
                state_str(obj)
            )));
        }
        self.detach(obj);
        Ok(())
    }

    fn detach(&self, obj: &Obj) {
        self.new.borrow_mut().retain(|o| !Rc::ptr_eq(o, obj));
        self.deleted.borrow_mut().retain(|o| !Rc::ptr_eq(o, obj));
        let (mapper, key) = {
            let o = obj.borrow();
            (o.mapper.clone(), o.key.clone())
        };
        if let Some(k) = key {
            let ik = Self::key_of(&mapper, &k);
            let mut map = self.identity_map.borrow_mut();
            if map.get(&ik).is_some_and(|o| Rc::ptr_eq(&o, obj)) {
                map.remove(&ik);
            }
        }
        let mut o = obj.borrow_mut();
        o.session = None;
        o.marked_deleted = false;
    }

    /// `session.expunge_all()`
    pub fn expunge_all(&self) {
        let all: Vec<Obj> = self
            .identity_map
            .borrow_mut()
            .values()
            .into_iter()
            .chain(self.new.borrow().iter().cloned())
            .collect();
        for o in all {
            let mut b = o.borrow_mut();
            b.session = None;
            b.marked_deleted = false;
        }
        self.identity_map.borrow_mut().clear();
        self.modified.borrow_mut().clear();
        self.new.borrow_mut().clear();
        self.deleted.borrow_mut().clear();
    }

    /// `session.expire(obj[, attrs])`: forgets loaded values so the next
    /// access reloads them.
    pub fn expire(&self, obj: &Obj, attrs: Option<&[String]>) -> PyResult<()> {
        if obj.borrow().session != Some(self.uid) {
            return Err(invalid_request(format!(
                "Instance '{}' is not persistent within this Session",
                state_str(obj)
            )));
        }
        expire_instance(obj, attrs);
        Ok(())
    }

    /// `session.expire_all()`
    pub fn expire_all(&self) {
        for o in self.identity_objects() {
            expire_instance(&o, None);
        }
    }

    /// `session.refresh(obj)`: expires then reloads every column now.
    pub fn refresh(self: &Rc<Self>, obj: &Obj, attrs: Option<&[String]>) -> PyResult<()> {
        if obj.borrow().session != Some(self.uid) || obj.borrow().key.is_none() {
            return Err(invalid_request(format!(
                "Instance '{}' is not persistent within this Session",
                state_str(obj)
            )));
        }
        let mapper = obj.borrow().mapper.clone();
        let columns: Vec<usize> = match attrs {
            None => (0..mapper.table.columns.len()).collect(),
            Some(names) => {
                let mut cols = Vec::new();
                for n in names {
                    match mapper.column(n) {
                        Some(c) => cols.push(c),
                        None if mapper.relationship(n).is_some() => {}
                        None => {
                            return Err(invalid_request(format!(
                                "Entity namespace for \"{}\" has no property \"{n}\"",
                                mapper.table.name
                            )));
                        }
                    }
                }
                cols.sort();
                cols
            }
        };
        expire_instance(obj, attrs);
        self.load_columns(obj, &columns, LabelStyle::DisambiguateOnly, Cause::Query)
    }

    /// `session.merge(obj)`: the persistent copy of `obj` in this session
    /// (loaded by primary key when needed), with `obj`'s loaded column values
    /// copied onto it.
    pub fn merge(self: &Rc<Self>, obj: &Obj) -> PyResult<Value> {
        let (mapper, key, values) = {
            let o = obj.borrow();
            let values: Vec<(String, Value)> = o
                .mapper
                .columns
                .iter()
                .filter_map(|(k, _)| o.dict.get(k).map(|v| (k.clone(), v.clone())))
                .collect();
            (o.mapper.clone(), o.key.clone(), values)
        };
        if obj.borrow().session == Some(self.uid) {
            return Ok(Value::Object(obj.clone()));
        }
        // A transient object with its primary key set is looked up by it
        // too (SQLAlchemy's merge loads the row first).
        let key = key.or_else(|| {
            let pk: Vec<Value> = mapper
                .primary_key()
                .iter()
                .filter_map(|c| mapper.column_key(*c))
                .map(|k| {
                    values
                        .iter()
                        .find(|(n, _)| n == k)
                        .map(|(_, v)| v.clone())
                        .unwrap_or(Value::None)
                })
                .collect();
            (!pk.is_empty() && pk.iter().all(|v| !matches!(v, Value::None))).then_some(pk)
        });
        let target = match &key {
            Some(k) => match self.get(&mapper, k.clone())? {
                Value::Object(t) => Some(t),
                _ => None,
            },
            None => None,
        };
        let target = match target {
            Some(t) => t,
            None => {
                let t = Rc::new(RefCell::new(Instance::new(mapper.clone(), next_address())));
                self.add(&t)?;
                t
            }
        };
        for (k, v) in values {
            set_column_attribute(&target, &k, v)?;
        }
        Ok(Value::Object(target))
    }

    // ----- flush and transaction end ------------------------------------

    /// `session.flush()`: sends pending INSERTs, UPDATEs and DELETEs in
    /// SQLAlchemy's order, inside the transaction.
    pub fn flush(self: &Rc<Self>) -> PyResult<()> {
        if self.has_changes() {
            self.check_not_failed()?;
            self.flush_with(Cause::Flush)?;
        }
        Ok(())
    }

    fn flush_with(self: &Rc<Self>, cause: Cause) -> PyResult<()> {
        self.flushing.set(true);
        let result = super::unit_of_work::flush(self, cause);
        self.flushing.set(false);
        match result {
            Ok(done) => {
                self.after_flush(done);
                Ok(())
            }
            Err(e) => {
                // The session transaction is rolled back at once (SQLAlchemy's
                // `_rollback_impl` on flush failure): objects go back to their
                // state before it, and queries need rollback() first.
                let begun = self.in_transaction();
                let _ = self.db.rollback();
                if begun {
                    self.db.log_tx(TxEvent::Rollback);
                }
                let t = self.tx.borrow_mut().take().unwrap_or_default();
                self.restore_snapshot(&t);
                *self.tx.borrow_mut() = Some(SessionTx {
                    failed: Some(e.message.clone()),
                    ..SessionTx::default()
                });
                Err(e)
            }
        }
    }

    fn after_flush(&self, done: super::unit_of_work::FlushResult) {
        self.modified.borrow_mut().clear();
        for obj in &done.inserted {
            self.identity_map
                .borrow_mut()
                .insert(Self::object_key(obj), obj.clone());
        }
        self.new
            .borrow_mut()
            .retain(|o| !done.inserted.iter().any(|i| Rc::ptr_eq(i, o)));
        for obj in &done.deleted {
            self.identity_map
                .borrow_mut()
                .remove(&Self::object_key(obj));
            let mut o = obj.borrow_mut();
            o.marked_deleted = false;
            o.deleted_flushed = true;
        }
        self.deleted.borrow_mut().clear();
        if let Some(t) = self.tx.borrow_mut().as_mut() {
            t.inserted.extend(done.inserted);
            t.deleted.extend(done.deleted);
        }
    }

    /// Called by the unit of work before its first statement.
    pub fn begin_for_flush(&self) -> PyResult<()> {
        self.begin_connection()
    }

    /// Runs one flush statement.
    pub fn run_dml(
        &self,
        compiled: &Compiled,
        cause: Cause,
    ) -> PyResult<crate::engine::ExecResult> {
        self.db
            .execute(compiled, cause)
            .map_err(|e| db_error(e, Some(compiled)))
    }

    /// `session.commit()`: flush, COMMIT, then expire every object.
    pub fn commit(self: &Rc<Self>) -> PyResult<()> {
        self.check_not_failed()?;
        if self.has_changes() {
            self.flush_with(Cause::Flush)?;
        }
        let tx = self.tx.borrow_mut().take();
        if let Some(t) = tx {
            if t.connection_begun {
                self.db.commit().map_err(|e| db_error(e, None))?;
                self.db.log_tx(TxEvent::Commit);
            }
            for o in &t.deleted {
                let mut b = o.borrow_mut();
                b.session = None;
                b.deleted_flushed = true;
            }
        }
        self.expire_all();
        Ok(())
    }

    /// `session.rollback()`: ROLLBACK; pending objects are expunged, objects
    /// inserted in the transaction become transient, deleted ones persistent
    /// again, and every object is expired.
    pub fn rollback(self: &Rc<Self>) -> PyResult<()> {
        let tx = self.tx.borrow_mut().take();
        let Some(t) = tx else {
            // No transaction yet: pending objects still leave the session.
            self.restore_snapshot(&SessionTx::default());
            return Ok(());
        };
        if t.connection_begun && t.failed.is_none() {
            self.db.rollback().map_err(|e| db_error(e, None))?;
            self.db.log_tx(TxEvent::Rollback);
        }
        self.restore_snapshot(&t);
        Ok(())
    }

    /// Puts the objects back as they were before the transaction
    /// (SQLAlchemy's `SessionTransaction._restore_snapshot`): pending
    /// objects are expunged, objects inserted in it become transient,
    /// deleted ones persistent again, and every object is expired.
    fn restore_snapshot(&self, t: &SessionTx) {
        for o in &t.inserted {
            self.identity_map.borrow_mut().remove(&Self::object_key(o));
            let mut b = o.borrow_mut();
            b.session = None;
            b.key = None;
            b.committed.clear();
        }
        for o in self.new.borrow_mut().drain(..) {
            o.borrow_mut().session = None;
        }
        for o in &t.deleted {
            let (mapper, key) = {
                let b = o.borrow();
                (b.mapper.clone(), b.key.clone().unwrap_or_default())
            };
            let mut b = o.borrow_mut();
            b.deleted_flushed = false;
            b.session = Some(self.uid);
            drop(b);
            self.identity_map
                .borrow_mut()
                .insert(Self::key_of(&mapper, &key), o.clone());
        }
        for o in self.deleted.borrow_mut().drain(..) {
            o.borrow_mut().marked_deleted = false;
        }
        self.modified.borrow_mut().clear();
        self.expire_all();
    }

    /// `session.close()`: ends the transaction (ROLLBACK) and detaches every
    /// object, which keeps what it had loaded.
    pub fn close(&self) -> PyResult<()> {
        let tx = self.tx.borrow_mut().take();
        if let Some(t) = tx
            && t.connection_begun
            && t.failed.is_none()
        {
            self.db.rollback().map_err(|e| db_error(e, None))?;
            self.db.log_tx(TxEvent::Rollback);
        }
        self.expunge_all();
        Ok(())
    }

    /// Pending objects and persistent ones, for the unit of work.
    pub fn flush_candidates(&self) -> (Vec<Obj>, Vec<Obj>, Vec<Obj>) {
        (
            self.new.borrow().clone(),
            self.identity_objects(),
            self.deleted.borrow().clone(),
        )
    }

    /// Adds objects found by cascade during flush as pending.
    pub fn add_pending(&self, obj: &Obj) {
        if obj.borrow().session.is_none() && obj.borrow().key.is_none() {
            obj.borrow_mut().session = Some(self.uid);
            self.new.borrow_mut().push(obj.clone());
        }
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

/// True when a loaded collection differs from what was loaded or flushed.
pub fn collections_changed(o: &Instance) -> bool {
    if !o.modified_relationships.is_empty() {
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
        match o.committed_collections.get(&rel.key) {
            Some(before) => {
                if before.len() != now.len() || before.iter().zip(&now).any(|(a, b)| !a.is(b)) {
                    return true;
                }
            }
            None => {
                if !now.is_empty() && !(now.len() == 1 && matches!(now[0], Value::None)) {
                    return true;
                }
            }
        }
    }
    false
}

/// Objects held by a relationship value (an object, a list of them, None).
pub fn objects_in(v: &Value) -> Vec<Obj> {
    match v {
        Value::Object(o) => vec![o.clone()],
        Value::List(l) => l
            .items
            .borrow()
            .iter()
            .filter_map(|i| match i {
                Value::Object(o) => Some(o.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Related objects a `save-update` cascade reaches from `obj`.
fn cascade_targets(obj: &Obj) -> Vec<Obj> {
    let o = obj.borrow();
    let mut out = Vec::new();
    for rel in o.mapper.relationships.borrow().iter() {
        if !rel.decl.cascade.save_update {
            continue;
        }
        if let Some(v) = o.dict.get(&rel.key) {
            out.extend(objects_in(v));
        }
    }
    out
}

/// Expires the given attributes (all column and relationship attributes
/// when `None`) of an object.
pub fn expire_instance(obj: &Obj, attrs: Option<&[String]>) {
    let mut o = obj.borrow_mut();
    if o.key.is_none() {
        return;
    }
    let mapper = o.mapper.clone();
    let keys: Vec<String> = match attrs {
        Some(a) => a.to_vec(),
        None => mapper.attribute_names(),
    };
    for k in keys {
        let was_loaded = o.dict.remove(&k).is_some();
        o.committed.remove(&k);
        o.committed_collections.remove(&k);
        let _ = was_loaded;
        o.expired.insert(k);
    }
}

/// Keeps a changed persistent object alive in its session until flushed.
fn hold_modified(obj: &Obj) {
    let session = obj.borrow().session.and_then(session_by_id);
    if let Some(s) = session {
        s.hold(obj);
    }
}

/// Sets a column attribute, recording the old value for the unit of work.
pub fn set_column_attribute(obj: &Obj, key: &str, value: Value) -> PyResult<()> {
    hold_modified(obj);
    let mut o = obj.borrow_mut();
    let persistent = o.key.is_some();
    if persistent && !o.committed.contains_key(key) {
        let old = o.dict.get(key).cloned();
        if let Some(old) = old {
            o.committed.insert(key.to_string(), old);
        } else {
            // Setting an expired attribute: SQLAlchemy records it as changed
            // without loading the old value.
            o.committed
                .insert(key.to_string(), Value::Tuple(Rc::from(Vec::new())));
        }
    }
    o.expired.remove(key);
    o.dict.insert(key.to_string(), value);
    Ok(())
}

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
    if let Some(v) = obj.borrow().dict.get(key) {
        return Ok(v.clone());
    }
    let (mapper, state, session_id) = {
        let o = obj.borrow();
        (o.mapper.clone(), o.state(), o.session)
    };
    if mapper.column(key).is_some() {
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
                let session = session_id
                    .and_then(session_by_id)
                    .ok_or_else(|| invalid_request("session is gone"))?;
                session.load_expired(obj, key)?;
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
                        owner: Some((Rc::downgrade(obj), key.to_string())),
                    });
                    obj.borrow_mut()
                        .dict
                        .insert(key.to_string(), Value::List(list.clone()));
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
        if obj.borrow().raise_on_load.contains(key) {
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

/// The row key for a column expression without a name (`count` for
/// `func.count(...)`).
pub fn expr_key(e: &Expr) -> String {
    match e {
        Expr::Function { name, .. } => name.clone(),
        Expr::Label {
            name: crate::sql::elements::Name::Fixed(n),
            ..
        } => n.clone(),
        Expr::Column(c) => match &c.from {
            Selectable::Table(t) => t
                .columns
                .get(c.index)
                .map(|c| c.name.clone())
                .unwrap_or_default(),
            Selectable::Alias(a) => a
                .table
                .columns
                .get(c.index)
                .map(|c| c.name.clone())
                .unwrap_or_default(),
            Selectable::Subquery(_) => String::new(),
        },
        Expr::Asc(inner) | Expr::Desc(inner) | Expr::Distinct(inner) => expr_key(inner),
        _ => "anon_1".to_string(),
    }
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
            if !items
                .iter()
                .any(|i| matches!(i, Value::Object(x) if Rc::ptr_eq(x, o)))
                && let Some(r) = &reverse
            {
                reverse_remove(o, r, obj);
            }
        }
        for item in &items {
            let Value::Object(child) = item else {
                return Err(crate::python::exceptions::type_error(format!(
                    "Incompatible item for {}: {} is not a mapped object",
                    rel.qualified_name(),
                    item.type_name()
                )));
            };
            if let Some(r) = &reverse {
                reverse_add(child, r, obj);
            }
        }
        let list = Rc::new(ListObj {
            items: RefCell::new(items),
            owner: Some((Rc::downgrade(obj), rel.key.clone())),
        });
        obj.borrow_mut()
            .dict
            .insert(rel.key.clone(), Value::List(list));
    } else {
        if !matches!(value, Value::None | Value::Object(_)) {
            return Err(crate::python::exceptions::type_error(format!(
                "{} takes a mapped object or None, not {}",
                rel.qualified_name(),
                value.type_name()
            )));
        }
        let old = obj.borrow().dict.get(&rel.key).cloned();
        if let (Some(Value::Object(o)), Some(r)) = (&old, &reverse)
            && !matches!(&value, Value::Object(n) if Rc::ptr_eq(n, o))
        {
            reverse_remove(o, r, obj);
        }
        if let (Value::Object(n), Some(r)) = (&value, &reverse) {
            reverse_add(n, r, obj);
        }
        let mut o = obj.borrow_mut();
        o.dict.insert(rel.key.clone(), value.clone());
        o.expired.remove(&rel.key);
    }
    obj.borrow_mut()
        .modified_relationships
        .insert(rel.key.clone());
    hold_modified(obj);
    cascade_into_session(obj, &value)
}

/// Adds newly related transient objects to `obj`'s session (save-update
/// cascade on attribute events).
fn cascade_into_session(obj: &Obj, value: &Value) -> PyResult<()> {
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

/// Puts `parent` on `child`'s reverse attribute, without loading it.
fn reverse_add(child: &Obj, reverse: &str, parent: &Obj) {
    let Some(rel) = child.borrow().mapper.relationship(reverse) else {
        return;
    };
    let uselist = rel.resolve().map(|r| r.uselist).unwrap_or(false);
    if uselist {
        let list = child.borrow().dict.get(reverse).cloned();
        match list {
            Some(Value::List(l)) => {
                if !l
                    .items
                    .borrow()
                    .iter()
                    .any(|i| matches!(i, Value::Object(x) if Rc::ptr_eq(x, parent)))
                {
                    l.items.borrow_mut().push(Value::Object(parent.clone()));
                }
            }
            _ => {
                if child.borrow().key.is_none() {
                    let list = Rc::new(ListObj {
                        items: RefCell::new(vec![Value::Object(parent.clone())]),
                        owner: Some((Rc::downgrade(child), reverse.to_string())),
                    });
                    child
                        .borrow_mut()
                        .dict
                        .insert(reverse.to_string(), Value::List(list));
                }
            }
        }
    } else {
        child
            .borrow_mut()
            .dict
            .insert(reverse.to_string(), Value::Object(parent.clone()));
    }
}

/// Takes `parent` off `child`'s reverse attribute, if loaded.
fn reverse_remove(child: &Obj, reverse: &str, parent: &Obj) {
    let current = child.borrow().dict.get(reverse).cloned();
    match current {
        Some(Value::List(l)) => l
            .items
            .borrow_mut()
            .retain(|i| !matches!(i, Value::Object(x) if Rc::ptr_eq(x, parent))),
        Some(Value::Object(o)) if Rc::ptr_eq(&o, parent) => {
            child
                .borrow_mut()
                .dict
                .insert(reverse.to_string(), Value::None);
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
                child
                    .borrow_mut()
                    .dict
                    .insert(reverse.to_string(), Value::None);
            }
        }
        _ => {}
    }
}

/// `owner.collection.append(item)`: the other side follows in memory and a
/// transient item joins the owner's session.
pub fn collection_append(owner: &Obj, key: &str, item: &Value) -> PyResult<()> {
    let Some(rel) = owner.borrow().mapper.relationship(key) else {
        return Ok(());
    };
    let Value::Object(child) = item else {
        return Err(crate::python::exceptions::type_error(format!(
            "Incompatible item for {}: {} is not a mapped object",
            rel.qualified_name(),
            item.type_name()
        )));
    };
    if let Some(r) = rel.reverse_key() {
        reverse_add(child, &r, owner);
    }
    owner
        .borrow_mut()
        .modified_relationships
        .insert(key.to_string());
    hold_modified(owner);
    hold_modified(child);
    cascade_into_session(owner, item)
}

/// `owner.collection.remove(item)`: the other side follows; with
/// `delete-orphan` the item is deleted at the next flush.
pub fn collection_remove(owner: &Obj, key: &str, item: &Value) -> PyResult<()> {
    let Some(rel) = owner.borrow().mapper.relationship(key) else {
        return Ok(());
    };
    let Value::Object(child) = item else {
        return Ok(());
    };
    if let Some(r) = rel.reverse_key() {
        reverse_remove(child, &r, owner);
    }
    owner
        .borrow_mut()
        .modified_relationships
        .insert(key.to_string());
    hold_modified(owner);
    hold_modified(child);
    if rel.decl.cascade.delete_orphan && child.borrow().state() == ObjectState::Persistent {
        let session = child.borrow().session.and_then(session_by_id);
        if let Some(session) = session {
            session.delete(child)?;
        }
    }
    Ok(())
}
