//! The unit of work: what a flush sends and in which order, as SQLAlchemy's
//! `orm/unitofwork.py` and `orm/persistence.py` do it: per table in
//! dependency order, UPDATEs then INSERTs; DELETEs last, children first;
//! foreign keys synchronized from related objects before each table.

use std::rc::Rc;

use chrono::{Local, Utc};

use crate::interpreter::errors::PyResult;
use crate::interpreter::value::Value;
use crate::outcome::Cause;
use crate::sql::compiler;
use crate::sql::elements::{Delete, Insert, Update};
use crate::sql::schema::{ColumnDefault, SqlType, SqlValue, TableRef};

use super::expression::{bind_value, result_value};
use super::mapper::{Direction, Mapper};
use super::session::{Session, get_attribute, objects_in, set_column_attribute};
use super::state::Obj;

/// What a successful flush changed, for the session to record.
#[derive(Debug, Default)]
pub struct FlushResult {
    pub inserted: Vec<Obj>,
    pub deleted: Vec<Obj>,
}

/// Table order for saves: referenced tables first (SQLAlchemy's
/// dependency sort), ties in declaration order.
fn mapper_order(session: &Session) -> Vec<Rc<Mapper>> {
    let tables = session.registry.tables_in_dependency_order();
    tables
        .iter()
        .filter_map(|t| session.registry.mapper_for_table(t))
        .collect()
}

/// Runs one flush. On error nothing is recorded in the session; the caller
/// rolls the transaction back.
pub fn flush(session: &Rc<Session>, cause: Cause) -> PyResult<FlushResult> {
    let (new, persistent, deleted) = session.flush_candidates();
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
    for o in &persistent {
        for related in related_objects(o) {
            if related.borrow().session.is_none() && related.borrow().key.is_none() {
                session.add_pending(&related);
                pending.push(related);
            }
        }
    }
    let mut result = FlushResult::default();
    let mut began = false;
    let mut assigned_keys: Vec<Obj> = Vec::new();
    let outcome = (|| -> PyResult<()> {
        for mapper in mapper_order(session) {
            let table = mapper.table.clone();
            let mine_pending: Vec<Obj> = pending
                .iter()
                .filter(|o| Rc::ptr_eq(&o.borrow().mapper, &mapper))
                .cloned()
                .collect();
            let mine_persistent: Vec<Obj> = persistent
                .iter()
                .filter(|o| Rc::ptr_eq(&o.borrow().mapper, &mapper) && !o.borrow().marked_deleted)
                .cloned()
                .collect();
            for o in mine_pending.iter().chain(&mine_persistent) {
                sync_foreign_keys(o)?;
            }
            // UPDATEs for changed persistent objects, in primary-key order.
            let mut updates: Vec<(Vec<usize>, Vec<SqlValue>, Vec<(usize, SqlValue)>)> = Vec::new();
            for o in &mine_persistent {
                let (set, key) = changed_columns(o, &table)?;
                if set.is_empty() {
                    o.borrow_mut().committed.clear();
                    continue;
                }
                let cols: Vec<usize> = set.iter().map(|(c, _)| *c).collect();
                let vals: Vec<SqlValue> = set.into_iter().map(|(_, v)| v).collect();
                updates.push((cols, vals, key));
            }
            let mut u = 0;
            while u < updates.len() {
                let mut end = u + 1;
                while end < updates.len() && updates[end].0 == updates[u].0 {
                    end += 1;
                }
                if !began {
                    session.begin_for_flush()?;
                    began = true;
                }
                let first = &updates[u];
                let stmt = Update {
                    table: table.clone(),
                    set: first.0.iter().cloned().zip(first.1.iter().cloned()).collect(),
                    key: first.2.clone(),
                };
                let compiled = compiler::compile_update(&stmt);
                if end - u == 1 {
                    session.run_dml(&compiled, cause.clone())?;
                } else {
                    let rows: Vec<Vec<SqlValue>> = updates[u..end]
                        .iter()
                        .map(|(_, vals, key)| {
                            vals.iter().cloned().chain(key.iter().map(|(_, v)| v.clone())).collect()
                        })
                        .collect();
                    session
                        .db
                        .execute_many(&compiled.sql, &rows, cause.clone())
                        .map_err(|e| crate::interpreter::errors::PyErr::new(e.kind, e.to_string()))?;
                }
                u = end;
            }
            for o in &mine_persistent {
                o.borrow_mut().committed.clear();
            }
            // INSERTs for pending objects, in the order they were added.
            let mut inserts: Vec<(Obj, Vec<(usize, SqlValue)>)> = Vec::new();
            for o in &mine_pending {
                let values = insert_values(o, &table)?;
                inserts.push((o.clone(), values));
            }
            let pk = table.primary_key();
            let mut k = 0;
            while k < inserts.len() {
                let cols: Vec<usize> = inserts[k].1.iter().map(|(c, _)| *c).collect();
                let mut end = k + 1;
                while end < inserts.len()
                    && inserts[end].1.iter().map(|(c, _)| *c).collect::<Vec<_>>() == cols
                {
                    end += 1;
                }
                if !began {
                    session.begin_for_flush()?;
                    began = true;
                }
                let has_pk = pk.iter().all(|p| cols.contains(p));
                let batch = &inserts[k..end];
                if has_pk && batch.len() > 1 {
                    let stmt = Insert {
                        table: table.clone(),
                        values: batch[0].1.clone(),
                        returning: Vec::new(),
                    };
                    let compiled = compiler::compile_insert(&stmt);
                    let rows: Vec<Vec<SqlValue>> = batch
                        .iter()
                        .map(|(_, v)| v.iter().map(|(_, x)| x.clone()).collect())
                        .collect();
                    session
                        .db
                        .execute_many(&compiled.sql, &rows, cause.clone())
                        .map_err(|e| crate::interpreter::errors::PyErr::new(e.kind, e.to_string()))?;
                    for (o, values) in batch {
                        set_key_from_values(o, &mapper, values);
                        assigned_keys.push(o.clone());
                    }
                } else {
                    let returning = if !has_pk && batch.len() > 1 { pk.clone() } else { Vec::new() };
                    for (o, values) in batch {
                        let stmt = Insert {
                            table: table.clone(),
                            values: values.clone(),
                            returning: returning.clone(),
                        };
                        let compiled = compiler::compile_insert(&stmt);
                        let res = session.run_dml(&compiled, cause.clone())?;
                        let mut key_values = values.clone();
                        if !has_pk {
                            if let Some(row) = res.returned.first() {
                                for (i, p) in pk.iter().enumerate() {
                                    key_values.push((*p, row.get(i).cloned().unwrap_or(SqlValue::Null)));
                                }
                            } else if let [p] = pk.as_slice() {
                                key_values.push((*p, SqlValue::Integer(res.last_insert_rowid)));
                            }
                        }
                        set_key_from_values(o, &mapper, &key_values);
                        assigned_keys.push(o.clone());
                    }
                }
                k = end;
            }
            for (o, _) in &inserts {
                result.inserted.push(o.clone());
            }
        }
        // DELETEs, children first.
        let mut order = mapper_order(session);
        order.reverse();
        for mapper in order {
            let mine: Vec<Obj> = deleted
                .iter()
                .filter(|o| Rc::ptr_eq(&o.borrow().mapper, &mapper))
                .cloned()
                .collect();
            if mine.is_empty() {
                continue;
            }
            if !began {
                session.begin_for_flush()?;
                began = true;
            }
            let table = mapper.table.clone();
            let keys: Vec<Vec<(usize, SqlValue)>> = mine
                .iter()
                .map(|o| primary_key_binds(o, &table))
                .collect::<PyResult<_>>()?;
            let stmt = Delete {
                table: table.clone(),
                key: keys[0].clone(),
            };
            let compiled = compiler::compile_delete(&stmt);
            if keys.len() == 1 {
                session.run_dml(&compiled, cause.clone())?;
            } else {
                let rows: Vec<Vec<SqlValue>> = keys
                    .iter()
                    .map(|k| k.iter().map(|(_, v)| v.clone()).collect())
                    .collect();
                session
                    .db
                    .execute_many(&compiled.sql, &rows, cause.clone())
                    .map_err(|e| crate::interpreter::errors::PyErr::new(e.kind, e.to_string()))?;
            }
            result.deleted.extend(mine);
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
        let rels: Vec<String> = b.mapper.relationships.borrow().iter().map(|r| r.key.clone()).collect();
        for key in rels {
            if let Some(v) = b.dict.get(&key).cloned() {
                let items = match &v {
                    Value::List(l) => l.items.borrow().clone(),
                    other => vec![other.clone()],
                };
                b.committed_collections.insert(key, items);
            }
        }
        b.committed.clear();
    }
    Ok(result)
}

/// Objects a save-update cascade reaches from `o` (loaded relationships only).
fn related_objects(o: &Obj) -> Vec<Obj> {
    let b = o.borrow();
    let mut out = Vec::new();
    for rel in b.mapper.relationships.borrow().iter() {
        if !rel.decl.cascade.save_update {
            continue;
        }
        if let Some(v) = b.dict.get(&rel.key) {
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
    let rels = mapper.relationships.borrow().clone();
    for rel in rels {
        let Some(v) = o.borrow().dict.get(&rel.key).cloned() else {
            continue;
        };
        let res = rel.resolve()?;
        match res.direction {
            Direction::ManyToOne => {
                let changed = match o.borrow().committed_collections.get(&rel.key) {
                    Some(before) => before.len() != 1 || !before[0].is(&v),
                    None => true,
                };
                if !changed {
                    continue;
                }
                for (fk, target_col) in &res.pairs {
                    let new_value = match &v {
                        Value::Object(parent) => {
                            let key = res.target.column_key(*target_col).unwrap_or("").to_string();
                            parent.borrow().dict.get(&key).cloned().unwrap_or(Value::None)
                        }
                        _ => Value::None,
                    };
                    let key = mapper.column_key(*fk).unwrap_or("").to_string();
                    let current = o.borrow().dict.get(&key).cloned();
                    if current.as_ref().is_none_or(|c| !crate::interpreter::ops::values_equal(c, &new_value)) {
                        set_column_attribute(o, &key, new_value)?;
                    }
                }
            }
            Direction::OneToMany => {
                let parent_values: Vec<Value> = res
                    .pairs
                    .iter()
                    .map(|(p, _)| {
                        let key = mapper.column_key(*p).unwrap_or("").to_string();
                        o.borrow().dict.get(&key).cloned().unwrap_or(Value::None)
                    })
                    .collect();
                let children = objects_in(&v);
                for child in &children {
                    let child_mapper = child.borrow().mapper.clone();
                    for ((_, fk), pv) in res.pairs.iter().zip(&parent_values) {
                        let key = child_mapper.column_key(*fk).unwrap_or("").to_string();
                        let current = child.borrow().dict.get(&key).cloned();
                        if current.as_ref().is_none_or(|c| !crate::interpreter::ops::values_equal(c, pv)) {
                            set_column_attribute(child, &key, pv.clone())?;
                        }
                    }
                }
                // removed children: foreign key to NULL
                let before = o.borrow().committed_collections.get(&rel.key).cloned().unwrap_or_default();
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

fn column_type(table: &TableRef, col: usize) -> Option<SqlType> {
    table.columns.get(col).map(|c| c.sql_type.clone())
}

/// The changed columns of a persistent object with their new values, and
/// its primary key binds.
fn changed_columns(o: &Obj, table: &TableRef) -> PyResult<(Vec<(usize, SqlValue)>, Vec<(usize, SqlValue)>)> {
    let b = o.borrow();
    let mut set = Vec::new();
    for (key, col) in &b.mapper.columns {
        let Some(old) = b.committed.get(key) else {
            continue;
        };
        let new = b.dict.get(key).cloned().unwrap_or(Value::None);
        if crate::interpreter::ops::values_equal(old, &new) && !matches!(old, Value::Tuple(t) if t.is_empty()) {
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
    let key = b.key.clone().unwrap_or_default();
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
    let mut values = Vec::new();
    for (i, col) in table.columns.iter().enumerate() {
        let key = mapper.column_key(i).unwrap_or(&col.name).to_string();
        let v = o.borrow().dict.get(&key).cloned();
        match v {
            Some(Value::None) | None => {
                if let Some(default) = &col.default {
                    let dv = match default {
                        ColumnDefault::Value(v) => result_value(v, Some(&col.sql_type)),
                        ColumnDefault::UtcNow => Value::DateTime(Utc::now().naive_utc()),
                        ColumnDefault::Now => Value::DateTime(Local::now().naive_local()),
                    };
                    values.push((i, bind_value(&dv, Some(&col.sql_type))?));
                    o.borrow_mut().dict.insert(key, dv);
                } else if col.primary_key {
                    continue;
                } else if v.is_some() || col.nullable {
                    values.push((i, SqlValue::Null));
                    o.borrow_mut().dict.insert(key, Value::None);
                }
            }
            Some(v) => values.push((i, bind_value(&v, Some(&col.sql_type))?)),
        }
    }
    Ok(values)
}

/// Sets an inserted object's identity key and primary-key attributes.
fn set_key_from_values(o: &Obj, mapper: &Mapper, values: &[(usize, SqlValue)]) {
    let pk = mapper.primary_key();
    let mut key = Vec::new();
    let mut b = o.borrow_mut();
    for p in &pk {
        let v = values
            .iter()
            .rev()
            .find(|(c, _)| c == p)
            .map(|(_, v)| result_value(v, Some(&mapper.table.columns[*p].sql_type)))
            .unwrap_or(Value::None);
        if let Some(k) = mapper.column_key(*p) {
            b.dict.insert(k.to_string(), v.clone());
        }
        key.push(v);
    }
    b.key = Some(key);
    b.committed.clear();
}

/// Reads an attribute during flush (for foreign keys of related objects).
pub fn attribute(o: &Obj, key: &str) -> PyResult<Value> {
    get_attribute(o, key)
}
