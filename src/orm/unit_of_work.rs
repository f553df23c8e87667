//! The unit of work: what a flush sends and in which order, as SQLAlchemy's
//! `orm/unitofwork.py` and `orm/persistence.py` do it: per table in
//! dependency order, UPDATEs then INSERTs; DELETEs last, children first;
//! foreign keys synchronized from related objects before each table.

use std::rc::Rc;

use crate::outcome::Cause;
use crate::python::exceptions::{PyErr, PyResult};
use crate::python::value::Value;
use crate::sql::compiler;
use crate::sql::elements::{Delete, Insert};
use crate::sql::schema::{ColumnDefault, SqlType, SqlValue, TableRef};

use super::attributes::{get_attribute, objects_in, set_column_attribute};
use super::expression::{bind_value, result_value};
use super::mapper::{Direction, Mapper};
use super::persistence::{UpdateRow, emit_inserts, emit_updates, self_referential_rounds};
use super::session::Session;
use super::state::Obj;

/// What a successful flush changed, for the session to record.
#[derive(Debug, Default)]
pub struct FlushResult {
    pub inserted: Vec<Obj>,
    pub deleted: Vec<Obj>,
}

/// One step of a flush, as SQLAlchemy's unit of work plans it
/// (`SaveUpdateAll`, `DeleteAll`, `ProcessAll` in `orm/unitofwork.py`).
#[derive(Debug, Clone)]
enum Action {
    /// INSERTs and UPDATEs of one mapper.
    Save(Rc<Mapper>),
    /// DELETEs of one mapper.
    Delete(Rc<Mapper>),
    /// A relationship's dependency processing: for a many-to-many, the
    /// secondary rows (`isdelete`: those of deleted parents).
    Process(Rc<super::mapper::Relationship>, bool),
}

impl Action {
    /// SQLAlchemy's `sort_key`: `("SaveUpdateAll", "module.Class")`,
    /// `("DeleteAll", …)`, `("ProcessAll", "module.Class_key", isdelete)`.
    fn sort_key(&self) -> (String, String, bool) {
        match self {
            Action::Save(m) => ("SaveUpdateAll".into(), m.sort_key(), false),
            Action::Delete(m) => ("DeleteAll".into(), m.sort_key(), false),
            Action::Process(r, isdelete) => {
                let parent = r.parent().map(|p| p.sort_key()).unwrap_or_default();
                (
                    "ProcessAll".into(),
                    format!("{parent}_{}", r.key),
                    *isdelete,
                )
            }
        }
    }

    fn same(&self, other: &Action) -> bool {
        match (self, other) {
            (Action::Save(a), Action::Save(b)) | (Action::Delete(a), Action::Delete(b)) => {
                Rc::ptr_eq(a, b)
            }
            (Action::Process(a, x), Action::Process(b, y)) => Rc::ptr_eq(a, b) && x == y,
            _ => false,
        }
    }
}

/// The flush plan: actions and "runs before" edges, sorted in layers as
/// SQLAlchemy's `topological.sort` does (each layer in sort-key order).
#[derive(Default)]
struct Plan {
    actions: Vec<Action>,
    edges: Vec<(usize, usize)>,
}

impl Plan {
    fn node(&mut self, a: Action) -> usize {
        if let Some(i) = self.actions.iter().position(|x| x.same(&a)) {
            return i;
        }
        self.actions.push(a);
        self.actions.len() - 1
    }

    fn edge(&mut self, before: Action, after: Action) {
        let b = self.node(before);
        let a = self.node(after);
        if !self.edges.contains(&(b, a)) {
            self.edges.push((b, a));
        }
    }

    /// The actions in execution order.
    fn sorted(&self) -> Vec<Action> {
        let mut order: Vec<usize> = (0..self.actions.len()).collect();
        order.sort_by(|a, b| {
            self.actions[*a]
                .sort_key()
                .cmp(&self.actions[*b].sort_key())
        });
        let mut done = vec![false; self.actions.len()];
        let mut out = Vec::new();
        while out.len() < self.actions.len() {
            let layer: Vec<usize> = order
                .iter()
                .copied()
                .filter(|n| !done[*n])
                .filter(|n| self.edges.iter().all(|(b, a)| a != n || done[*b] || b == n))
                .collect();
            if layer.is_empty() {
                // A cycle: run what is left in sort-key order.
                for n in order
                    .iter()
                    .copied()
                    .filter(|n| !done[*n])
                    .collect::<Vec<_>>()
                {
                    done[n] = true;
                    out.push(self.actions[n].clone());
                }
                break;
            }
            for n in layer {
                done[n] = true;
                out.push(self.actions[n].clone());
            }
        }
        out
    }
}

/// True when a relationship's dependency processor takes part in this
/// flush: one of `states` changed it, or its target class has objects in
/// the flush too (SQLAlchemy's `DependencyProcessor.prop_has_changes`).
fn processor_active(
    rel: &super::mapper::Relationship,
    states: &[Obj],
    mappers: &[Rc<Mapper>],
) -> PyResult<bool> {
    let res = rel.resolve()?;
    for s in states {
        let b = s.borrow();
        if b.modified_relationships().contains(&rel.key) {
            return Ok(true);
        }
        match b.dict.get(&rel.key) {
            Some(Value::None) | None => {}
            Some(Value::List(l)) if l.items.borrow().is_empty() && b.key.is_none() => {}
            Some(_) if b.key.is_none() || b.marked_deleted => return Ok(true),
            Some(_) => {}
        }
    }
    let parent = rel.parent()?;
    let self_referential = Rc::ptr_eq(&parent, &res.target);
    Ok(!states.is_empty()
        && !self_referential
        && mappers.iter().any(|m| Rc::ptr_eq(m, &res.target)))
}

/// Plans the flush of `saves` and `deletes` (SQLAlchemy's
/// `UOWTransaction._generate_actions` and each dependency processor's
/// `per_property_dependencies`).
fn plan_flush(saves: &[Obj], deletes: &[Obj]) -> PyResult<Vec<Action>> {
    let mut mappers: Vec<Rc<Mapper>> = Vec::new();
    for o in saves.iter().chain(deletes) {
        let m = o.borrow().mapper.clone();
        if !mappers.iter().any(|x| Rc::ptr_eq(x, &m)) {
            mappers.push(m);
        }
    }
    let mut plan = Plan::default();
    for m in &mappers {
        plan.edge(Action::Save(m.clone()), Action::Delete(m.clone()));
    }
    for m in &mappers {
        let states: Vec<Obj> = saves
            .iter()
            .chain(deletes)
            .filter(|o| Rc::ptr_eq(&o.borrow().mapper, m))
            .cloned()
            .collect();
        let rels = m.relationships.borrow().clone();
        for rel in rels {
            if rel.decl.viewonly || !processor_active(&rel, &states, &mappers)? {
                continue;
            }
            let res = rel.resolve()?;
            if Rc::ptr_eq(&res.target, m) && res.secondary.is_none() {
                // A cycle on one mapper: its saves and deletes order the
                // objects themselves (`self_referential_rounds`), as
                // SQLAlchemy breaks the cycle into per-state actions.
                continue;
            }
            let after_save = Action::Process(rel.clone(), false);
            let before_delete = Action::Process(rel.clone(), true);
            let parent_saves = Action::Save(m.clone());
            let child_saves = Action::Save(res.target.clone());
            let parent_deletes = Action::Delete(m.clone());
            let child_deletes = Action::Delete(res.target.clone());
            plan.node(after_save.clone());
            plan.node(before_delete.clone());
            let edges: Vec<(Action, Action)> = match (res.direction, &res.secondary) {
                (_, Some(_)) | (Direction::ManyToMany, _) => vec![
                    (parent_saves.clone(), after_save.clone()),
                    (child_saves.clone(), after_save.clone()),
                    (after_save.clone(), child_deletes.clone()),
                    (before_delete.clone(), parent_saves.clone()),
                    (before_delete.clone(), parent_deletes.clone()),
                    (before_delete.clone(), child_deletes.clone()),
                    (before_delete.clone(), child_saves.clone()),
                ],
                (Direction::OneToMany, None) => vec![
                    (parent_saves.clone(), after_save.clone()),
                    (after_save.clone(), child_saves.clone()),
                    (after_save.clone(), child_deletes.clone()),
                    (child_saves.clone(), parent_deletes.clone()),
                    (child_deletes.clone(), parent_deletes.clone()),
                    (before_delete.clone(), child_saves.clone()),
                    (before_delete.clone(), child_deletes.clone()),
                ],
                (Direction::ManyToOne, None) => vec![
                    (child_saves.clone(), after_save.clone()),
                    (after_save.clone(), parent_saves.clone()),
                    (parent_saves.clone(), child_deletes.clone()),
                    (parent_deletes.clone(), child_deletes.clone()),
                ],
            };
            for (b, a) in edges {
                plan.edge(b, a);
            }
        }
    }
    Ok(plan.sorted())
}

/// Runs one flush. On error nothing is recorded in the session; the caller
/// rolls the transaction back.
pub fn flush(session: &Rc<Session>, cause: Cause) -> PyResult<FlushResult> {
    session.delete_orphans()?;
    let deleted = session.deleted_objects();
    let secondary_deletes = prepare_deletes(&deleted)?;
    prepare_replaced_one_to_one(session, &session.flush_persistent())?;
    let new = session.new_objects();
    // save-update cascade from everything being saved
    let mut pending = new.clone();
    let mut i = 0;
    while i < pending.len() {
        let o = pending[i].clone();
        for related in related_objects(&o) {
            if related.borrow().session.is_none() && related.borrow().key.is_none() {
                session.add_pending(&related);
                pending.push(related);
            }
        }
        i += 1;
    }
    // Foreign keys follow relationships before the plan is made, so the
    // objects they change take part in it.
    let mut dirty = session.dirty_objects();
    for o in pending.iter().chain(dirty.clone().iter()) {
        sync_foreign_keys(o)?;
    }
    dirty = session.dirty_objects();
    let persistent: Vec<Obj> = dirty;
    let saves: Vec<Obj> = pending.iter().chain(persistent.iter()).cloned().collect();
    warn_children_not_in_session(session, &saves, &cause);
    warn_pending_appends_not_in_session(session, &cause);
    let actions = plan_flush(&saves, &deleted)?;
    let mut result = FlushResult::default();
    let mut began = false;
    let mut assigned_keys: Vec<Obj> = Vec::new();
    let mut processed_links: Vec<(TableRef, Vec<(usize, SqlValue)>)> = Vec::new();
    let outcome = (|| -> PyResult<()> {
        for action in &actions {
            match action {
                Action::Save(mapper) => save_mapper(
                    session,
                    mapper,
                    &pending,
                    &persistent,
                    &cause,
                    &mut began,
                    &mut assigned_keys,
                    &mut result,
                )?,
                Action::Delete(mapper) => {
                    delete_mapper(session, mapper, &deleted, &cause, &mut began, &mut result)?
                }
                Action::Process(rel, isdelete) => {
                    let res = rel.resolve()?;
                    let Some((sec, _)) = &res.secondary else {
                        if !*isdelete && res.direction == Direction::OneToMany {
                            process_one_to_many_saves(rel, &res, &pending, &persistent)?;
                        }
                        continue;
                    };
                    let groups = if *isdelete {
                        secondary_deletes
                            .iter()
                            .filter(|(r, _, _)| Rc::ptr_eq(r, rel))
                            .map(|(_, t, rows)| (t.clone(), rows.clone(), true))
                            .collect::<Vec<_>>()
                    } else {
                        let (dels, ins) = secondary_changes(rel, &pending, &persistent)?;
                        let mut g = Vec::new();
                        if !dels.is_empty() {
                            g.push((sec.clone(), dels, true));
                        }
                        if !ins.is_empty() {
                            g.push((sec.clone(), ins, false));
                        }
                        g
                    };
                    for (table, rows, is_delete) in groups {
                        let rows: Vec<Vec<(usize, SqlValue)>> = rows
                            .into_iter()
                            .filter(|r| {
                                let seen = processed_links
                                    .iter()
                                    .any(|(t, x)| Rc::ptr_eq(t, &table) && x == r);
                                if !seen {
                                    processed_links.push((table.clone(), r.clone()));
                                }
                                !seen
                            })
                            .collect();
                        if rows.is_empty() {
                            continue;
                        }
                        if !began {
                            session.begin_for_flush()?;
                            began = true;
                        }
                        let compiled = if is_delete {
                            compiler::compile_delete(
                                &Delete {
                                    table: table.clone(),
                                    key: rows[0].clone(),
                                },
                                session.dialect(),
                            )
                        } else {
                            compiler::compile_insert(
                                &Insert {
                                    table: table.clone(),
                                    values: rows[0].clone(),
                                    returning: Vec::new(),
                                },
                                session.dialect(),
                            )
                        };
                        run_batched(session, &compiled, &table, &rows, is_delete, &cause)?;
                    }
                }
            }
        }
        Ok(())
    })();
    if let Err(e) = outcome {
        for o in assigned_keys {
            o.borrow_mut().key = None;
        }
        return Err(e);
    }
    // Snapshot collections as flushed.
    for o in result.inserted.iter().chain(persistent.iter()) {
        let mut b = o.borrow_mut();
        let mapper = b.mapper.clone();
        for rel in mapper.relationships.borrow().iter() {
            if let Some(v) = b.dict.get_interned(&rel.interned_key) {
                let items = match v {
                    Value::List(l) => l.items.borrow().clone(),
                    other => vec![other.clone()],
                };
                b.rare_mut().committed_collections.insert(&rel.key, items);
            }
        }
        if let Some(r) = b.rare_if_any() {
            r.committed.clear();
            r.modified_relationships.clear();
        }
    }
    Ok(result)
}

/// INSERTs and UPDATEs of one mapper's objects: foreign keys synchronized,
/// UPDATEs in primary-key order, then INSERTs in the order added
/// (SQLAlchemy's `persistence.save_obj`).
#[allow(clippy::too_many_arguments)]
fn save_mapper(
    session: &Rc<Session>,
    mapper: &Rc<Mapper>,
    pending: &[Obj],
    persistent: &[Obj],
    cause: &Cause,
    began: &mut bool,
    assigned_keys: &mut Vec<Obj>,
    result: &mut FlushResult,
) -> PyResult<()> {
    let mine_pending: Vec<Obj> = pending
        .iter()
        .filter(|o| Rc::ptr_eq(&o.borrow().mapper, mapper))
        .cloned()
        .collect();
    let mine_persistent: Vec<Obj> = persistent
        .iter()
        .filter(|o| Rc::ptr_eq(&o.borrow().mapper, mapper) && !o.borrow().marked_deleted)
        .cloned()
        .collect();
    // `MapperEvents.before_insert`/`before_update`, pending objects first
    // (SQLAlchemy's `_organize_states_for_save`), before any value is read
    if super::events::active() && (!mine_pending.is_empty() || !mine_persistent.is_empty()) {
        if !*began {
            session.begin_for_flush()?;
            *began = true;
        }
        super::events::mapper_event("before_insert", session, mapper, &mine_pending)?;
        super::events::mapper_event("before_update", session, mapper, &mine_persistent)?;
    }
    save_mapper_rows(
        session,
        mapper,
        &mine_pending,
        &mine_persistent,
        cause,
        began,
        assigned_keys,
        result,
    )?;
    super::events::mapper_event("after_insert", session, mapper, &mine_pending)?;
    super::events::mapper_event("after_update", session, mapper, &mine_persistent)
}

/// [`save_mapper`]'s statements.
#[allow(clippy::too_many_arguments)]
fn save_mapper_rows(
    session: &Rc<Session>,
    mapper: &Rc<Mapper>,
    mine_pending: &[Obj],
    mine_persistent: &[Obj],
    cause: &Cause,
    began: &mut bool,
    assigned_keys: &mut Vec<Obj>,
    result: &mut FlushResult,
) -> PyResult<()> {
    let mapper = mapper.clone();
    let cause = cause.clone();
    // On a self-referential mapper (an adjacency list), the objects are
    // saved a round at a time, parents before their children, each round's
    // UPDATEs then INSERTs with foreign keys taken from the rows saved in
    // the round before (SQLAlchemy's per-state sort of the cycle).
    if has_self_referential(&mapper)? {
        let mut all: Vec<Obj> = mine_pending.to_vec();
        all.extend(mine_persistent.iter().cloned());
        let mut previous: Vec<Obj> = Vec::new();
        for round in self_referential_rounds(&mapper, &all)? {
            for o in previous.iter().chain(&round) {
                sync_foreign_keys(o)?;
            }
            let (round_pending, round_persistent): (Vec<Obj>, Vec<Obj>) = round
                .iter()
                .cloned()
                .partition(|o| o.borrow().key.is_none());
            save_updates(session, &mapper, &round_persistent, &cause, began)?;
            save_inserts(
                session,
                &mapper,
                &round_pending,
                &cause,
                began,
                assigned_keys,
                result,
            )?;
            previous = round;
        }
        return Ok(());
    }
    for o in mine_pending.iter().chain(mine_persistent) {
        sync_foreign_keys(o)?;
    }
    save_updates(session, &mapper, mine_persistent, &cause, began)?;
    save_inserts(
        session,
        &mapper,
        mine_pending,
        &cause,
        began,
        assigned_keys,
        result,
    )
}

/// True when `mapper` has a relationship to itself (not through a
/// secondary table).
fn has_self_referential(mapper: &Rc<Mapper>) -> PyResult<bool> {
    for rel in mapper.relationships.borrow().iter() {
        if rel.decl.viewonly {
            continue;
        }
        let res = rel.resolve()?;
        if Rc::ptr_eq(&res.target, mapper) && res.secondary.is_none() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The UPDATEs of `mine_persistent`, changed objects of `mapper`, in the
/// order given (SQLAlchemy's `_collect_update_commands`).
fn save_updates(
    session: &Rc<Session>,
    mapper: &Rc<Mapper>,
    mine_persistent: &[Obj],
    cause: &Cause,
    began: &mut bool,
) -> PyResult<()> {
    let table = mapper.table.clone();
    // UPDATEs for changed persistent objects, in primary-key order.
    let mut updates: Vec<UpdateRow> = Vec::new();
    let mut updated: Vec<Obj> = Vec::new();
    for o in mine_persistent {
        if !o.borrow().committed().is_empty() {
            // The UPDATE reads the primary key from the object: an
            // expired one reloads the expired attributes first.
            let pk_expired = {
                let b = o.borrow();
                table
                    .primary_key()
                    .iter()
                    .filter_map(|c| mapper.column_key(*c))
                    .any(|k| b.is_expired(k))
            };
            if pk_expired {
                let first = mapper
                    .column_key(table.primary_key()[0])
                    .unwrap_or("id")
                    .to_string();
                session.load_expired(o, &first)?;
            }
        }
        let (mut set, key) = changed_columns(o, &table)?;
        if set.is_empty() {
            if let Some(r) = o.borrow_mut().rare_if_any() {
                r.committed.clear();
            }
            continue;
        }
        // `onupdate=` of the columns the UPDATE does not set: computed
        // and kept on the object, as SQLAlchemy's prefetched defaults.
        // A SQL expression (`onupdate=func.now()`) is rendered in the
        // statement and the attribute expired, to load on next access.
        for (key, i) in &mapper.columns {
            let col = &table.columns[*i];
            if let Some(d) = &col.onupdate
                && !set.iter().any(|(c, _)| c == i)
            {
                let v = match d {
                    ColumnDefault::Sql(_) => {
                        let mut b = o.borrow_mut();
                        b.dict.remove(key);
                        b.expire_attribute(key);
                        continue;
                    }
                    ColumnDefault::Callable(_) => prefetched_onupdate(o, key)?,
                    other => default_value(other, col),
                };
                set.push((*i, bind_value(&v, Some(&col.sql_type))?));
                o.borrow_mut().dict.insert(key, v);
            }
        }
        set.sort_by_key(|(c, _)| *c);
        let cols: Vec<usize> = set.iter().map(|(c, _)| *c).collect();
        let vals: Vec<SqlValue> = set.into_iter().map(|(_, v)| v).collect();
        updates.push((cols, vals, key));
        updated.push(o.clone());
    }
    emit_updates(session, &table, &updates, cause, began)?;
    for o in &updated {
        expire_column_properties(o);
    }
    for o in mine_persistent {
        if let Some(r) = o.borrow_mut().rare_if_any() {
            r.committed.clear();
        }
    }
    Ok(())
}

/// The INSERTs of `mine_pending`, pending objects of `mapper`, in the
/// order added; on a self-referential mapper whose rounds the caller has
/// not made, parents before their children.
fn save_inserts(
    session: &Rc<Session>,
    mapper: &Rc<Mapper>,
    mine_pending: &[Obj],
    cause: &Cause,
    began: &mut bool,
    assigned_keys: &mut Vec<Obj>,
    result: &mut FlushResult,
) -> PyResult<()> {
    let table = mapper.table.clone();
    // INSERTs for pending objects, in the order they were added; on a
    // self-referential mapper, parents before their children, a round at a
    // time, each round's foreign keys taken from the rows just inserted.
    // Each round's foreign keys come from its own objects and from the
    // round inserted just before (a parent's new primary key copied into
    // its children); an object in no later round has nothing left to copy,
    // so a deep tree costs its size, not its size times its depth.
    let mut previous: Vec<Obj> = Vec::new();
    for (n, round) in self_referential_rounds(mapper, mine_pending)?
        .into_iter()
        .enumerate()
    {
        let mut inserts: Vec<(Obj, Vec<(usize, SqlValue)>)> = Vec::new();
        if n == 0 {
            for o in mine_pending {
                sync_foreign_keys(o)?;
            }
        } else {
            for o in previous.iter().chain(&round) {
                sync_foreign_keys(o)?;
            }
        }
        for o in &round {
            let values = insert_values(o, &table)?;
            inserts.push((o.clone(), values));
        }
        emit_inserts(session, mapper, &inserts, cause, began, assigned_keys)?;
        for (o, _) in &inserts {
            result.inserted.push(o.clone());
        }
        previous = round;
    }
    Ok(())
}

/// Table column indexes with the values bound for them.
type ColumnValues = Vec<(usize, SqlValue)>;

/// SQLAlchemy's `SAWarning` for a child added to a collection of an object
/// being flushed while the child itself is in no Session (it got there by a
/// backref from an object outside the Session, which 2.0 does not cascade):
/// "Object of type <Message> not in session, add operation along
/// 'User.messages' will not proceed" (`UOWTransaction.register_object`, for
/// one-to-many) or "… won't proceed" (`ManyToManyDP._synchronize`). An
/// autoflush tags it as `Session._autoflush` does.
fn warn_children_not_in_session(session: &Rc<Session>, saves: &[Obj], cause: &Cause) {
    for o in saves {
        let b = o.borrow();
        for rel in b.mapper.relationships.borrow().iter() {
            if rel.decl.viewonly {
                continue;
            }
            let Some(current) = b.dict.get_interned(&rel.interned_key) else {
                continue;
            };
            let verb = match rel.resolve().map(|r| r.direction) {
                Ok(Direction::OneToMany) => "will not",
                Ok(Direction::ManyToMany) => "won't",
                _ => continue,
            };
            let before = b.committed_collections().get(&rel.key);
            if before.is_none() && b.key.is_some() {
                continue;
            }
            let was_there = |child: &Obj| {
                before.is_some_and(|items| {
                    items.iter().any(|v| {
                        crate::orm::state::as_instance(v).is_some_and(|i| Rc::ptr_eq(&i, child))
                    })
                })
            };
            for child in objects_in(current) {
                let outside = {
                    let c = child.borrow();
                    c.session != Some(session.uid) && !c.marked_deleted
                };
                if !outside || was_there(&child) {
                    continue;
                }
                let class = child.borrow().mapper.class_name.clone();
                let mut message = format!(
                    "Object of type <{class}> not in session, add operation along '{}.{}' {verb} proceed",
                    b.mapper.class_name, rel.key
                );
                if *cause == Cause::Autoflush {
                    message.push_str(AUTOFLUSH_WARNING_TAG);
                }
                crate::python::warnings::warn("SAWarning", message);
            }
        }
    }
}

/// The same warning for objects a backref appended to a collection that was
/// not loaded (SQLAlchemy's pending mutations, in the parent's history at
/// flush); every object's pending appends are forgotten afterwards, as
/// `InstanceState._commit_all` forgets them.
fn warn_pending_appends_not_in_session(session: &Rc<Session>, cause: &Cause) {
    for o in session.flush_persistent() {
        let appends = match o.borrow_mut().rare.as_deref_mut() {
            Some(r) => std::mem::take(&mut r.pending_appends),
            None => Vec::new(),
        };
        let b = o.borrow();
        for (key, child) in appends {
            let Some(child) = child.upgrade() else {
                continue;
            };
            let Some(rel) = b.mapper.relationship(&key) else {
                continue;
            };
            let verb = match rel.resolve().map(|r| r.direction) {
                Ok(Direction::OneToMany) => "will not",
                Ok(Direction::ManyToMany) => "won't",
                _ => continue,
            };
            let c = child.borrow();
            if c.session == Some(session.uid) || c.marked_deleted {
                continue;
            }
            let mut message = format!(
                "Object of type <{}> not in session, add operation along '{}.{key}' {verb} proceed",
                c.mapper.class_name, b.mapper.class_name
            );
            if *cause == Cause::Autoflush {
                message.push_str(AUTOFLUSH_WARNING_TAG);
            }
            crate::python::warnings::warn("SAWarning", message);
        }
    }
}

/// What SQLAlchemy 2.0 appends to a warning raised inside an autoflush
/// (`Session._autoflush`'s `tag_method_for_warnings`).
const AUTOFLUSH_WARNING_TAG: &str = " (This warning originated from the Session 'autoflush' process, \
which was invoked automatically in response to a user-initiated operation. Consider using \
``no_autoflush`` context manager if this warning happened while initializing objects.)";

/// DELETEs of one mapper's objects (SQLAlchemy's `persistence.delete_obj`).
fn delete_mapper(
    session: &Rc<Session>,
    mapper: &Rc<Mapper>,
    deleted: &[Obj],
    cause: &Cause,
    began: &mut bool,
    result: &mut FlushResult,
) -> PyResult<()> {
    let mapper = mapper.clone();
    let cause = cause.clone();
    // In primary-key order, as SQLAlchemy's `_sort_states` orders
    // persistent states (not in the order the cascade reached them).
    let mut keyed: Vec<(Option<super::identity::IdentityKey>, Obj)> = deleted
        .iter()
        .filter(|o| Rc::ptr_eq(&o.borrow().mapper, &mapper))
        .map(|o| {
            let b = o.borrow();
            let key = b
                .key
                .as_deref()
                .map(|k| super::identity::identity_key(&b.mapper, k));
            (key, o.clone())
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    let mine: Vec<Obj> = keyed.into_iter().map(|(_, o)| o).collect();
    if mine.is_empty() {
        return Ok(());
    }
    if !*began {
        session.begin_for_flush()?;
        *began = true;
    }
    super::events::mapper_event("before_delete", session, &mapper, &mine)?;
    let table = mapper.table.clone();
    // On a self-referential mapper, children before their parents, a
    // round at a time.
    let rounds = if has_self_referential(&mapper)? {
        super::persistence::self_referential_delete_rounds(&mapper, &mine)?
    } else {
        vec![mine.clone()]
    };
    for round in rounds {
        let keys: Vec<Vec<(usize, SqlValue)>> = round
            .iter()
            .map(|o| primary_key_binds(o, &table))
            .collect::<PyResult<_>>()?;
        let stmt = Delete {
            table: table.clone(),
            key: keys[0].clone(),
        };
        let compiled = compiler::compile_delete(&stmt, session.dialect());
        if keys.len() == 1 {
            session.run_dml(&compiled, cause.clone())?;
        } else {
            let rows: Vec<Vec<SqlValue>> = keys
                .iter()
                .map(|k| k.iter().map(|(_, v)| v.clone()).collect())
                .collect();
            session
                .db
                .execute_many(&compiled, &rows, cause.clone())
                .map_err(|e| super::session::db_error_many(e, &compiled, &rows))?;
        }
    }
    super::events::mapper_event("after_delete", session, &mapper, &mine)?;
    result.deleted.extend(mine);

    Ok(())
}

/// Objects a save-update cascade reaches from `o` (loaded relationships only).
fn related_objects(o: &Obj) -> Vec<Obj> {
    let b = o.borrow();
    let mut out = Vec::new();
    for rel in b.mapper.relationships.borrow().iter() {
        if !rel.decl.cascade.save_update {
            continue;
        }
        if let Some(v) = b.dict.get_interned(&rel.interned_key) {
            out.extend(objects_in(v));
        }
    }
    out
}

/// Copies primary keys of related objects into foreign-key columns:
/// `message.user = u` sets `message.user_id`; `u.messages.append(m)` sets
/// `m.user_id` (SQLAlchemy's `sync.populate`).
fn sync_foreign_keys(o: &Obj) -> PyResult<()> {
    let mapper = o.borrow().mapper.clone();
    // Most objects hold no relationship value: nothing to sync, and no
    // copy of the relationship list.
    let holds_any = {
        let b = o.borrow();
        let rels = mapper.relationships.borrow();
        rels.iter()
            .any(|r| !r.decl.viewonly && b.dict.get_interned(&r.interned_key).is_some())
    };
    if !holds_any {
        return Ok(());
    }
    let rels = mapper.relationships.borrow().clone();
    for rel in rels {
        if rel.decl.viewonly {
            continue;
        }
        let Some(v) = o.borrow().dict.get(&rel.key).cloned() else {
            continue;
        };
        let res = rel.resolve()?;
        match res.direction {
            Direction::ManyToOne => {
                let changed = match o.borrow().committed_collections().get(&rel.key) {
                    Some(before) => before.len() != 1 || !before[0].is(&v),
                    None => true,
                };
                if !changed {
                    continue;
                }
                for (fk, target_col) in &res.pairs {
                    let new_value = match &v {
                        inst if let Some(parent) = crate::orm::state::as_instance(inst) => {
                            let key = res.target.column_key(*target_col).unwrap_or("").to_string();
                            parent
                                .borrow()
                                .dict
                                .get(&key)
                                .cloned()
                                .unwrap_or(Value::None)
                        }
                        _ => Value::None,
                    };
                    let key = mapper.column_key(*fk).unwrap_or("").to_string();
                    let current = o.borrow().dict.get(&key).cloned();
                    if current
                        .as_ref()
                        .is_none_or(|c| !crate::python::ops::values_equal(c, &new_value))
                    {
                        set_column_attribute(o, &key, new_value)?;
                    }
                }
            }
            Direction::OneToMany => {
                let children = sync_children(o, &res, &v)?;
                // removed children: foreign key to NULL
                let before = o
                    .borrow()
                    .committed_collections()
                    .get(&rel.key)
                    .cloned()
                    .unwrap_or_default();
                for old in objects_in(&Value::list(before)) {
                    if children.iter().any(|c| Rc::ptr_eq(c, &old)) || old.borrow().marked_deleted {
                        continue;
                    }
                    let child_mapper = old.borrow().mapper.clone();
                    for (_, fk) in &res.pairs {
                        let key = child_mapper.column_key(*fk).unwrap_or("").to_string();
                        set_column_attribute(&old, &key, Value::None)?;
                    }
                }
            }
            Direction::ManyToMany => {}
        }
    }
    Ok(())
}

/// After the parents of a one-to-many relationship are saved, their keys
/// go to their children (`OneToManyDP.process_saves`), which matters when
/// no many-to-one side does it (`relationship("Book")` alone).
fn process_one_to_many_saves(
    rel: &Rc<super::mapper::Relationship>,
    res: &super::mapper::Resolved,
    pending: &[Obj],
    persistent: &[Obj],
) -> PyResult<()> {
    let parent = rel.parent()?;
    for o in pending.iter().chain(persistent) {
        if Rc::ptr_eq(&o.borrow().mapper, &parent) {
            let v = o.borrow().dict.get(&rel.key).cloned();
            if let Some(v) = v {
                sync_children(o, res, &v)?;
            }
        }
    }
    Ok(())
}

/// `parent`'s key columns copied to the foreign keys of the children in
/// `v`, its one-to-many collection (SQLAlchemy's `sync.populate`); returns
/// the children.
fn sync_children(parent: &Obj, res: &super::mapper::Resolved, v: &Value) -> PyResult<Vec<Obj>> {
    let mapper = parent.borrow().mapper.clone();
    let mut parent_values: Vec<Value> = Vec::with_capacity(res.pairs.len());
    for (p, _) in &res.pairs {
        let key = mapper.column_key(*p).unwrap_or("").to_string();
        let loaded = parent.borrow().dict.get(&key).cloned();
        parent_values.push(match loaded {
            Some(v) => v,
            // an expired key of a persistent parent is loaded first, as
            // SQLAlchemy's `sync.populate` reads it
            None if parent.borrow().key.is_some() && parent.borrow().is_expired(&key) => {
                super::attributes::get_attribute(parent, &key)?
            }
            None => Value::None,
        });
    }
    let children = objects_in(v);
    for child in &children {
        let child_mapper = child.borrow().mapper.clone();
        for ((_, fk), pv) in res.pairs.iter().zip(&parent_values) {
            let key = child_mapper.column_key(*fk).unwrap_or("").to_string();
            let current = child.borrow().dict.get(&key).cloned();
            if current
                .as_ref()
                .is_none_or(|c| !crate::python::ops::values_equal(c, pv))
            {
                set_column_attribute(child, &key, pv.clone())?;
            }
        }
    }
    Ok(children)
}

fn column_type(table: &TableRef, col: usize) -> Option<SqlType> {
    table.columns.get(col).map(|c| c.sql_type.clone())
}

/// The changed columns of a persistent object with their new values, and
/// its primary key binds.
fn changed_columns(o: &Obj, table: &TableRef) -> PyResult<(ColumnValues, ColumnValues)> {
    let b = o.borrow();
    let mut set = Vec::new();
    for (key, col) in &b.mapper.columns {
        let Some(old) = b.committed().get(key) else {
            continue;
        };
        let new = b.dict.get(key).cloned().unwrap_or(Value::None);
        if crate::python::ops::values_equal(old, &new)
            && !matches!(old, Value::Tuple(t) if t.is_empty())
        {
            continue;
        }
        set.push((*col, bind_value(&new, column_type(table, *col).as_ref())?));
    }
    drop(b);
    let key = primary_key_binds(o, table)?;
    Ok((set, key))
}

fn primary_key_binds(o: &Obj, table: &TableRef) -> PyResult<Vec<(usize, SqlValue)>> {
    let b = o.borrow();
    let key = b.key_values();
    let mut out = Vec::new();
    for (p, v) in table.primary_key().iter().zip(key.iter()) {
        out.push((*p, bind_value(v, column_type(table, *p).as_ref())?));
    }
    Ok(out)
}

/// The columns and values of an INSERT for a pending object: set values,
/// column defaults (`default=True`, `datetime.utcnow`), and NULL for
/// nullable columns without a default; a primary key left unset is omitted
/// for SQLite to assign (SQLAlchemy's `_collect_insert_commands`).
fn insert_values(o: &Obj, table: &TableRef) -> PyResult<Vec<(usize, SqlValue)>> {
    let mapper = o.borrow().mapper.clone();
    let mut values = Vec::with_capacity(table.columns.len());
    {
        // every column may get a value here, and the primary key after
        let mut b = o.borrow_mut();
        b.dict.reserve_total(mapper.columns.len());
        if let Some(r) = b.rare.as_deref_mut() {
            r.default_filled.clear();
        }
    }
    for (i, col) in table.columns.iter().enumerate() {
        // a mapped column's key as the object's dict holds it
        let interned = mapper
            .columns
            .iter()
            .position(|(_, c)| *c == i)
            .map(|at| &mapper.column_keys[at]);
        let key = interned.map_or(col.name.as_str(), |k| &**k);
        let v = {
            let b = o.borrow();
            match interned {
                Some(k) => b.dict.get_interned(k).cloned(),
                None => b.dict.get(key).cloned(),
            }
        };
        match v {
            Some(Value::None) | None => {
                if let Some(default) = &col.default {
                    let dv = match default {
                        ColumnDefault::Callable(_) => prefetched_default(o, key)?,
                        // rendered in the statement, read back by RETURNING
                        ColumnDefault::Sql(_) => continue,
                        other => default_value(other, col),
                    };
                    values.push((i, bind_value(&dv, Some(&col.sql_type))?));
                    let mut b = o.borrow_mut();
                    match interned {
                        Some(k) => b.dict.insert_interned(k, dv),
                        None => b.dict.insert(key, dv),
                    };
                    b.rare_mut().default_filled.push(i);
                } else if col.primary_key || col.server_default.is_some() {
                    // A server default is the database's to fill (read back
                    // through RETURNING).
                    continue;
                } else if col.sql_type == SqlType::Json {
                    // JSON evaluates None itself (`should_evaluate_none`):
                    // an unset JSON column is left out of the INSERT.
                    continue;
                } else {
                    // Columns without a default are sent as NULL, nullable
                    // or not (SQLAlchemy's `_insert_cols_as_none`).
                    values.push((i, SqlValue::Null));
                    let mut b = o.borrow_mut();
                    match interned {
                        Some(k) => b.dict.insert_interned(k, Value::None),
                        None => b.dict.insert(key, Value::None),
                    };
                }
            }
            Some(v) => values.push((i, bind_value(&v, Some(&col.sql_type))?)),
        }
    }
    Ok(values)
}

/// What a callable `default=` returned for `o` when it was made.
///
/// Errors: `NotImplementedError` for an object the interpreter did not make
/// (one the ORM made itself).
fn prefetched_default(o: &Obj, key: &str) -> PyResult<Value> {
    if let Some(e) = o.borrow().rare().and_then(|r| r.prefetch_errors.get(key)) {
        return Err(e.clone());
    }
    o.borrow()
        .rare()
        .and_then(|r| r.prefetched.get(key))
        .cloned()
        .ok_or_else(|| PyErr::unsupported(format!("calling the Python default of '{key}' here")))
}

/// What a callable `onupdate=` returned when a column attribute of `o`
/// was last set.
///
/// Errors: `NotImplementedError` for an object changed outside the
/// interpreter (by the ORM itself).
fn prefetched_onupdate(o: &Obj, key: &str) -> PyResult<Value> {
    if let Some(e) = o
        .borrow()
        .rare()
        .and_then(|r| r.prefetch_errors.get(&format!("onupdate:{key}")))
    {
        return Err(e.clone());
    }
    o.borrow()
        .rare()
        .and_then(|r| r.prefetched_onupdate.get(key))
        .cloned()
        .ok_or_else(|| PyErr::unsupported(format!("calling the Python onupdate of '{key}' here")))
}

/// The value a column default gives now (`datetime.utcnow` → the time).
fn default_value(default: &ColumnDefault, col: &crate::sql::schema::Column) -> Value {
    match default {
        // made with the object: see `prefetched_default`
        ColumnDefault::Callable(_) | ColumnDefault::Sql(_) => Value::None,
        ColumnDefault::Value(v) => result_value(v, Some(&col.sql_type)),
        ColumnDefault::UtcNow => Value::DateTime(crate::python::types::datetime::clock_now(false)),
        ColumnDefault::Now => Value::DateTime(crate::python::types::datetime::clock_now(true)),
    }
}

/// After an object's INSERT or UPDATE: its `column_property()` and
/// `query_expression()` values are forgotten, to load again on next access,
/// and a `deferred=True` one loads by itself again (SQLAlchemy's
/// `_finalize_insert_update_commands` expiring the mapper's
/// `_readonly_props`).
pub(super) fn expire_column_properties(o: &Obj) {
    let mut b = o.borrow_mut();
    if b.mapper.expressions.is_empty() {
        return;
    }
    let mapper = b.mapper.clone();
    for p in &mapper.expressions {
        b.dict.remove(&p.key);
        if p.deferred {
            b.rare_mut().deferred.insert(p.key.clone(), false);
        }
    }
}

/// Sets an inserted object's identity key and primary-key attributes, from
/// `values` and `returned` (what the INSERT sent and what it returned; a
/// column in both is taken from `returned`).
pub(super) fn set_key_from_values(
    o: &Obj,
    mapper: &Mapper,
    values: &[(usize, SqlValue)],
    returned: &[(usize, SqlValue)],
) {
    let table = &mapper.table;
    let mut key = Vec::with_capacity(1);
    let mut b = o.borrow_mut();
    for p in (0..table.columns.len()).filter(|&i| table.columns[i].primary_key) {
        let v = returned
            .iter()
            .rev()
            .chain(values.iter().rev())
            .find(|(c, _)| *c == p)
            .map(|(_, v)| result_value(v, Some(&table.columns[p].sql_type)))
            .unwrap_or(Value::None);
        if let Some(i) = mapper.columns.iter().position(|(_, c)| *c == p) {
            b.dict.insert_interned(&mapper.column_keys[i], v.clone());
        }
        key.push(v);
    }
    b.key = Some(key.into());
    if let Some(r) = b.rare_if_any() {
        r.committed.clear();
    }
    drop(b);
    expire_column_properties(o);
}

/// Reads an attribute during flush (for foreign keys of related objects).
pub fn attribute(o: &Obj, key: &str) -> PyResult<Value> {
    get_attribute(o, key)
}

/// Secondary rows of deleted parents, per many-to-many relationship.
type DeletedLinks = (
    Rc<super::mapper::Relationship>,
    TableRef,
    Vec<Vec<(usize, SqlValue)>>,
);

/// Before deleting objects, SQLAlchemy's dependency processors load their
/// one-to-many and many-to-many collections (logged as flush statements):
/// children that are not deleted too get their foreign key set to NULL, and
/// the secondary rows of many-to-many collections are returned for deletion.
fn prepare_deletes(deleted: &[Obj]) -> PyResult<Vec<DeletedLinks>> {
    let mut secondary: Vec<DeletedLinks> = Vec::new();
    for d in deleted {
        let mapper = d.borrow().mapper.clone();
        let rels = mapper.relationships.borrow().clone();
        for rel in rels {
            if rel.decl.viewonly {
                continue;
            }
            let res = rel.resolve()?;
            if res.direction == Direction::ManyToOne {
                continue;
            }
            // `passive_deletes=True`: an unloaded collection is left to the
            // database; `"all"`: no child's foreign key is nulled.
            let passive = rel.decl.passive_deletes;
            if passive == super::schema_items::PassiveDeletes::All
                && res.direction == Direction::OneToMany
            {
                continue;
            }
            let loaded = d.borrow().dict.get(&rel.key).cloned();
            let v = match loaded {
                Some(v) => v,
                None if passive != super::schema_items::PassiveDeletes::Off => continue,
                None => super::attributes::get_attribute_for(d, &rel.key, Some(Cause::Flush))?,
            };
            let children = objects_in(&v);
            match res.direction {
                Direction::OneToMany => {
                    for child in children {
                        if child.borrow().marked_deleted
                            || deleted.iter().any(|x| Rc::ptr_eq(x, &child))
                        {
                            continue;
                        }
                        let child_mapper = child.borrow().mapper.clone();
                        for (_, fk) in &res.pairs {
                            let key = child_mapper.column_key(*fk).unwrap_or("").to_string();
                            set_column_attribute(&child, &key, Value::None)?;
                        }
                    }
                }
                Direction::ManyToMany => {
                    let Some((sec, target_pairs)) = &res.secondary else {
                        continue;
                    };
                    for child in children {
                        let row = secondary_row(d, &res.pairs, &child, target_pairs, sec)?;
                        match secondary.iter_mut().find(|(r, _, _)| Rc::ptr_eq(r, &rel)) {
                            Some((_, _, rows)) => {
                                if !rows.contains(&row) {
                                    rows.push(row);
                                }
                            }
                            None => secondary.push((rel.clone(), sec.clone(), vec![row])),
                        }
                    }
                }
                Direction::ManyToOne => {}
            }
        }
    }
    Ok(secondary)
}

/// The secondary-table row linking `parent` and `child`, in table column order.
fn secondary_row(
    parent: &Obj,
    parent_pairs: &[(usize, usize)],
    child: &Obj,
    child_pairs: &[(usize, usize)],
    sec: &TableRef,
) -> PyResult<Vec<(usize, SqlValue)>> {
    let mut row = Vec::new();
    for (obj, pairs) in [(parent, parent_pairs), (child, child_pairs)] {
        let mapper = obj.borrow().mapper.clone();
        for (col, sec_col) in pairs {
            let key = mapper.column_key(*col).unwrap_or("").to_string();
            let present = obj.borrow().dict.get(&key).cloned();
            let v = match present {
                Some(v) => v,
                // An expired object (after a commit) is refreshed first, as
                // SQLAlchemy's `ManyToManyDP._synchronize` reads its key.
                None if obj.borrow().has_expired_columns() => {
                    super::attributes::get_attribute(obj, &key)?
                }
                None => Value::None,
            };
            row.push((
                *sec_col,
                bind_value(&v, column_type(sec, *sec_col).as_ref())?,
            ));
        }
    }
    row.sort_by_key(|(c, _)| *c);
    Ok(row)
}

/// Secondary rows to delete and insert for changed many-to-many collections
/// of saved objects, each link once whichever side changed.
#[allow(clippy::type_complexity)]
fn secondary_changes(
    rel: &Rc<super::mapper::Relationship>,
    pending: &[Obj],
    persistent: &[Obj],
) -> PyResult<SecondaryRows> {
    let mut deletes = Vec::new();
    let mut inserts = Vec::new();
    let res = rel.resolve()?;
    let Some((sec, target_pairs)) = &res.secondary else {
        return Ok((deletes, inserts));
    };
    let parent = rel.parent()?;
    for o in pending.iter().chain(persistent) {
        if !Rc::ptr_eq(&o.borrow().mapper, &parent) {
            continue;
        }
        let Some(now) = o.borrow().dict.get(&rel.key).cloned() else {
            continue;
        };
        let now = objects_in(&now);
        let before = objects_in(&Value::list(
            o.borrow()
                .committed_collections()
                .get(&rel.key)
                .cloned()
                .unwrap_or_default(),
        ));
        for child in &now {
            if !before.iter().any(|b| Rc::ptr_eq(b, child)) {
                let row = secondary_row(o, &res.pairs, child, target_pairs, sec)?;
                if !inserts.contains(&row) {
                    inserts.push(row);
                }
            }
        }
        for child in &before {
            if !now.iter().any(|n| Rc::ptr_eq(n, child)) {
                let row = secondary_row(o, &res.pairs, child, target_pairs, sec)?;
                if !deletes.contains(&row) {
                    deletes.push(row);
                }
            }
        }
    }
    Ok((deletes, inserts))
}

/// Secondary rows to delete and to insert, each in table column order.
type SecondaryRows = (Vec<Vec<(usize, SqlValue)>>, Vec<Vec<(usize, SqlValue)>>);

/// Runs one statement for each row, as one execute or one executemany.
fn run_batched(
    session: &Rc<Session>,
    compiled: &compiler::Compiled,
    table: &TableRef,
    rows: &[Vec<(usize, SqlValue)>],
    is_delete: bool,
    cause: &Cause,
) -> PyResult<()> {
    let params: Vec<Vec<SqlValue>> = rows
        .iter()
        .map(|r| r.iter().map(|(_, v)| v.clone()).collect())
        .collect();
    let dialect = session.dialect();
    if !is_delete && params.len() > 1 && dialect.use_insertmanyvalues_wo_returning {
        // psycopg2: an executemany INSERT of association rows goes out as
        // insertmanyvalues batches (`INSERT … VALUES (…), (…)`), as
        // SQLAlchemy 2.0 sends `ManyToManyDP`'s secondary inserts.
        let cols: Vec<usize> = rows[0].iter().map(|(c, _)| *c).collect();
        for page in params.chunks(dialect.insertmanyvalues_page_size.max(1)) {
            let compiled = compiler::compile_insert_many_values(table, &cols, page, None, dialect);
            session.run_dml(&compiled, cause.clone())?;
        }
        return Ok(());
    }
    if params.len() == 1 {
        // `compiled` was built from the first row.
        session.run_dml(compiled, cause.clone())?;
    } else {
        session
            .db
            .execute_many(compiled, &params, cause.clone())
            .map_err(|e| super::session::db_error_many(e, compiled, &params))?;
    }
    Ok(())
}

/// A one-to-one (`uselist=False` one-to-many) set without its old value
/// loaded: the flush loads the old value (one SELECT, as SQLAlchemy's
/// history does) and sets its foreign key to NULL when it was replaced.
fn prepare_replaced_one_to_one(session: &Rc<Session>, persistent: &[Obj]) -> PyResult<()> {
    for o in persistent {
        let mapper = o.borrow().mapper.clone();
        let rels = mapper.relationships.borrow().clone();
        for rel in rels {
            let res = rel.resolve()?;
            if res.direction != Direction::OneToMany || res.uselist || rel.decl.viewonly {
                continue;
            }
            let (set, known) = {
                let b = o.borrow();
                (
                    b.dict.get(&rel.key).cloned(),
                    b.committed_collections().contains_key(&rel.key),
                )
            };
            let Some(new_value) = set else { continue };
            if known {
                continue;
            }
            let old = session.lazy_load(o, &rel, Cause::Flush)?;
            o.borrow_mut()
                .rare_mut()
                .committed_collections
                .insert(&rel.key, vec![old.clone()]);
            if let Some(old_obj) = &crate::orm::state::as_instance(&old)
                && !crate::orm::state::as_instance(&new_value)
                    .as_ref()
                    .is_some_and(|n| Rc::ptr_eq(n, old_obj))
            {
                let child_mapper = old_obj.borrow().mapper.clone();
                for (_, fk) in &res.pairs {
                    let key = child_mapper.column_key(*fk).unwrap_or("").to_string();
                    set_column_attribute(old_obj, &key, Value::None)?;
                }
            }
        }
    }
    Ok(())
}
