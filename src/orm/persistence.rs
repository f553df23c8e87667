//! Sending a flush's rows, as SQLAlchemy's `orm/persistence.py`: the
//! UPDATEs and INSERTs of one mapper's table, batched as executemany or
//! insertmanyvalues where SQLAlchemy batches them, primary keys and server
//! defaults read back; and the rounds a self-referential table's rows are
//! inserted in. The unit of work ([`super::unit_of_work`]) decides what to
//! send and in which order.

use std::rc::Rc;

use crate::outcome::Cause;
use crate::python::exceptions::PyResult;
use crate::python::value::Value;
use crate::sql::compiler;
use crate::sql::elements::{Insert, Update};
use crate::sql::schema::{ColumnDefault, SqlValue, TableRef};

use super::attributes::objects_in;
use super::expression::result_value;
use super::mapper::{Direction, Mapper};
use super::session::Session;
use super::state::{FastHash, InstanceCell, Obj};
use super::unit_of_work::set_key_from_values;

/// The objects of `mapper` to save in the rounds SQLAlchemy saves them:
/// one round when the mapper has no self-referential relationship; else
/// (an adjacency list, `parent_id` → `Node.children` / `Node.parent`) the
/// objects whose parent is not saved with them, then their children, and
/// so on (the per-state sort of a cycle in `unitofwork.py`), each round in
/// the order of `objects`. A persistent object waits for its parent before
/// and after the change (its relationship history), as
/// `per_state_dependencies` orders them.
pub(super) fn self_referential_rounds(
    mapper: &Rc<Mapper>,
    objects: &[Obj],
) -> PyResult<Vec<Vec<Obj>>> {
    let Some(parent_of) = self_referential_parents(mapper, objects)? else {
        return Ok(vec![objects.to_vec()]);
    };
    Ok(rounds_of(&parent_of)
        .into_iter()
        .map(|round| round.into_iter().map(|i| objects[i].clone()).collect())
        .collect())
}

/// The deleted objects of `mapper` in the rounds SQLAlchemy deletes them:
/// on a self-referential mapper, children before their parents (the
/// per-state sort of `DeleteState`s), each round in the order of `objects`.
pub(super) fn self_referential_delete_rounds(
    mapper: &Rc<Mapper>,
    objects: &[Obj],
) -> PyResult<Vec<Vec<Obj>>> {
    let Some(parent_of) = self_referential_parents(mapper, objects)? else {
        return Ok(vec![objects.to_vec()]);
    };
    let mut children_of: Vec<Vec<usize>> = vec![Vec::new(); objects.len()];
    for (i, parents) in parent_of.iter().enumerate() {
        for &p in parents {
            children_of[p].push(i);
        }
    }
    Ok(rounds_of(&children_of)
        .into_iter()
        .map(|round| round.into_iter().map(|i| objects[i].clone()).collect())
        .collect())
}

/// For a mapper with a self-referential relationship: for each of
/// `objects`, the indexes of the others it refers to as its parent (its
/// many-to-one value, loaded or found by foreign key in the identity map,
/// or a one-to-many collection holding it), now or as last flushed.
/// `None` when the mapper has no self-referential relationship.
fn self_referential_parents(
    mapper: &Rc<Mapper>,
    objects: &[Obj],
) -> PyResult<Option<Vec<Vec<usize>>>> {
    let mut self_rels = Vec::new();
    for rel in mapper.relationships.borrow().iter() {
        let res = rel.resolve()?;
        if Rc::ptr_eq(&res.target, mapper) && res.secondary.is_none() && !rel.decl.viewonly {
            self_rels.push((rel.clone(), res));
        }
    }
    if self_rels.is_empty() {
        return Ok(None);
    }
    // Each object's index by address: one look-up per reference
    // (a search of the list per reference was quadratic).
    let mut index: std::collections::HashMap<*const InstanceCell, usize, FastHash> =
        std::collections::HashMap::with_capacity_and_hasher(objects.len(), FastHash::default());
    for (i, p) in objects.iter().enumerate() {
        index.entry(Rc::as_ptr(p)).or_insert(i);
    }
    let index_of = |v: &Obj| index.get(&Rc::as_ptr(v)).copied();
    // parent_of[i]: indexes of the objects row i's foreign key needs.
    let mut parent_of: Vec<Vec<usize>> = vec![Vec::new(); objects.len()];
    for (i, o) in objects.iter().enumerate() {
        for (rel, res) in &self_rels {
            let mut related: Vec<Obj> = match o.borrow().dict.get(&rel.key) {
                Some(v) => objects_in(v),
                None => Vec::new(),
            };
            if res.direction == Direction::ManyToOne && related.is_empty() {
                related.extend(super::collections::scalar_without_sql(o, rel));
            }
            if let Some(before) = o.borrow().committed_collections().get(&rel.key) {
                related.extend(objects_in(&Value::list(before.clone())));
            }
            for other in related {
                let Some(j) = index_of(&other) else { continue };
                let (child, parent) = match res.direction {
                    Direction::ManyToOne => (i, j),
                    _ => (j, i),
                };
                if child != parent && !parent_of[child].contains(&parent) {
                    parent_of[child].push(parent);
                }
            }
        }
    }
    Ok(Some(parent_of))
}

/// The rounds of indexes `0..parent_of.len()`: a round holds, in index
/// order, every index not yet placed whose parents (`parent_of[i]`, itself
/// aside) are all in earlier rounds; when none is ready (a cycle), every
/// index left goes in one last round. Each index is handled once per
/// parent reference (Kahn's order, level by level), so a deep chain costs
/// its length, not its length squared.
fn rounds_of(parent_of: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = parent_of.len();
    // waiting[i]: parent references of i not yet placed; children[p]: the
    // indexes waiting on p, once per reference.
    let mut waiting = vec![0usize; n];
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, parents) in parent_of.iter().enumerate() {
        for &p in parents {
            if p != i {
                waiting[i] += 1;
                children[p].push(i);
            }
        }
    }
    let mut done = vec![false; n];
    let mut placed = 0;
    let mut rounds = Vec::new();
    let mut ready: Vec<usize> = (0..n).filter(|i| waiting[*i] == 0).collect();
    while placed < n {
        if ready.is_empty() {
            // A cycle of pending rows: the rest in one round, as added.
            rounds.push((0..n).filter(|i| !done[*i]).collect());
            break;
        }
        ready.sort_unstable();
        for &i in &ready {
            done[i] = true;
        }
        placed += ready.len();
        let mut next = Vec::new();
        for &i in &ready {
            for &c in &children[i] {
                waiting[c] -= 1;
                if waiting[c] == 0 {
                    next.push(c);
                }
            }
        }
        rounds.push(std::mem::replace(&mut ready, next));
    }
    rounds
}

/// One changed persistent object's UPDATE: SET columns, their values, and
/// the primary key.
pub(super) type UpdateRow = (Vec<usize>, Vec<SqlValue>, Vec<(usize, SqlValue)>);

/// Sends the UPDATEs, consecutive ones with the same SET columns as one
/// executemany (SQLAlchemy's `persistence._emit_update_statements`).
pub(super) fn emit_updates(
    session: &Rc<Session>,
    table: &TableRef,
    updates: &[UpdateRow],
    cause: &Cause,
    began: &mut bool,
) -> PyResult<()> {
    let mut u = 0;
    while u < updates.len() {
        let mut end = u + 1;
        while end < updates.len() && updates[end].0 == updates[u].0 {
            end += 1;
        }
        if !*began {
            session.begin_for_flush()?;
            *began = true;
        }
        let first = &updates[u];
        let stmt = Update {
            table: table.clone(),
            set: first
                .0
                .iter()
                .cloned()
                .zip(first.1.iter().cloned())
                .collect(),
            key: first.2.clone(),
        };
        let inline = inline_defaults(table, &first.0, |c| c.onupdate.as_ref());
        let compiled = compiler::compile_update_inline(&stmt, &inline, session.dialect());
        if end - u == 1 {
            session.run_dml(&compiled, cause.clone())?;
        } else {
            let rows: Vec<Vec<SqlValue>> = updates[u..end]
                .iter()
                .map(|(_, vals, key)| {
                    vals.iter()
                        .cloned()
                        .chain(key.iter().map(|(_, v)| v.clone()))
                        .collect()
                })
                .collect();
            session
                .db
                .execute_many(&compiled, &rows, cause.clone())
                .map_err(|e| super::session::db_error_many(e, &compiled, &rows))?;
        }
        u = end;
    }
    Ok(())
}

/// The columns outside `bound` whose default (`which`: a column's
/// `default` or `onupdate`) is a SQL expression, with that expression: what
/// an INSERT or UPDATE renders in place of a parameter (`func.now()` as
/// `CURRENT_TIMESTAMP` on SQLite).
fn inline_defaults(
    table: &TableRef,
    bound: &[usize],
    which: impl Fn(&crate::sql::schema::Column) -> Option<&ColumnDefault>,
) -> Vec<(usize, crate::sql::elements::Expr)> {
    table
        .columns
        .iter()
        .enumerate()
        .filter(|(i, _)| !bound.contains(i))
        .filter_map(|(i, c)| match which(c) {
            Some(ColumnDefault::Sql(e)) => Some((i, e.clone())),
            _ => None,
        })
        .collect()
}

/// [`inline_defaults`] of an INSERT, with each `Sequence` column not
/// bound as `nextval('s')` on a dialect with sequences, in table order.
fn inline_insert_defaults(
    table: &TableRef,
    bound: &[usize],
    dialect: &crate::sql::dialect::Dialect,
) -> Vec<(usize, crate::sql::elements::Expr)> {
    let mut inline = inline_defaults(table, bound, |c| c.default.as_ref());
    inline.extend(crate::sql::compiler::sequence_defaults(
        table, bound, dialect,
    ));
    inline.sort_by_key(|(i, _)| *i);
    inline
}

/// Sends the INSERTs, consecutive ones with the same columns and their
/// primary key given as one executemany; others one by one, the new key
/// read back (SQLAlchemy's `persistence._emit_insert_statements`).
pub(super) fn emit_inserts(
    session: &Rc<Session>,
    mapper: &Rc<Mapper>,
    inserts: &[(Obj, Vec<(usize, SqlValue)>)],
    cause: &Cause,
    began: &mut bool,
    assigned_keys: &mut Vec<Obj>,
) -> PyResult<()> {
    let table = &mapper.table;
    let pk = table.primary_key();
    let mut k = 0;
    // SQLAlchemy batches records with the same parameter keys: the
    // columns the object sets, not those a `default=` fills
    // Whether two records bind the same columns and have the same
    // parameter keys.
    let same_keys = |(a, a_values): &(Obj, Vec<(usize, SqlValue)>),
                     (b, b_values): &(Obj, Vec<(usize, SqlValue)>)|
     -> bool {
        let (a, b) = (a.borrow(), b.borrow());
        let empty = Vec::new();
        let a_filled = a.rare().map_or(&empty, |r| &r.default_filled);
        let b_filled = b.rare().map_or(&empty, |r| &r.default_filled);
        a_values.len() == b_values.len()
            && a_values.iter().zip(b_values).all(|((x, _), (y, _))| x == y)
            && a_values
                .iter()
                .map(|(c, _)| *c)
                .filter(|c| !a_filled.contains(c))
                .eq(b_values
                    .iter()
                    .map(|(c, _)| *c)
                    .filter(|c| !b_filled.contains(c)))
    };
    while k < inserts.len() {
        let cols: Vec<usize> = inserts[k].1.iter().map(|(c, _)| *c).collect();
        let mut end = k + 1;
        while end < inserts.len() && same_keys(&inserts[k], &inserts[end]) {
            end += 1;
        }
        if !*began {
            session.begin_for_flush()?;
            *began = true;
        }
        let has_pk = pk.iter().all(|p| cols.contains(p));
        // Server-default columns the INSERT leaves out, fetched back with
        // RETURNING (SQLAlchemy's `eager_defaults="auto"`).
        // So are the columns whose `default=` is a SQL expression, rendered
        // in the statement.
        let inline = inline_defaults(table, &cols, |c| c.default.as_ref());
        let inline_insert = inline_insert_defaults(table, &cols, session.dialect());
        let fetch: Vec<usize> = (0..table.columns.len())
            .filter(|i| {
                (table.columns[*i].server_default.is_some() || inline.iter().any(|(c, _)| c == i))
                    && !cols.contains(i)
            })
            .collect();
        let batch = &inserts[k..end];
        let dialect = session.dialect();
        let sentinel = crate::sql::compiler::serial_column(table);
        if batch.len() > 1
            && fetch.is_empty()
            && ((has_pk && dialect.use_insertmanyvalues_wo_returning)
                || (!has_pk && dialect.insertmanyvalues_sentinel && sentinel.is_some()))
        {
            emit_insert_many_values(
                session,
                mapper,
                &cols,
                batch,
                if has_pk { None } else { sentinel },
                cause,
            )?;
            assigned_keys.extend(batch.iter().map(|(o, _)| o.clone()));
        } else if has_pk && batch.len() > 1 && fetch.is_empty() {
            let stmt = Insert {
                table: table.clone(),
                values: batch[0].1.clone(),
                returning: Vec::new(),
            };
            let compiled = compiler::compile_insert(&stmt, session.dialect());
            let rows: Vec<Vec<SqlValue>> = batch
                .iter()
                .map(|(_, v)| v.iter().map(|(_, x)| x.clone()).collect())
                .collect();
            session
                .db
                .execute_many(&compiled, &rows, cause.clone())
                .map_err(|e| super::session::db_error_many(e, &compiled, &rows))?;
            for (o, values) in batch {
                set_key_from_values(o, mapper, values, &[]);
                assigned_keys.push(o.clone());
            }
        } else {
            // `cursor.lastrowid` gives the key only of a table with an
            // autoincrement column (crud.py's `postfetch_lastrowid`); else
            // RETURNING does.
            let lastrowid = dialect.postfetch_lastrowid && sentinel.is_some();
            let mut returning = if !has_pk && (batch.len() > 1 || !lastrowid || !fetch.is_empty()) {
                // One row returns the key columns it did not give
                // (crud.py's `_append_param_insert_pk_returning`).
                match batch.len() {
                    1 => pk.iter().copied().filter(|p| !cols.contains(p)).collect(),
                    _ => pk.clone(),
                }
            } else {
                Vec::new()
            };
            returning.extend(fetch.iter().copied());
            // One statement compiled for the batch, its parameters rebound
            // for each row (the batch's rows bind the same columns).
            let reuse = inline_insert.is_empty() && compiler::insert_rebinds(dialect);
            let mut template: Option<compiler::Compiled> = None;
            for (at, (o, values)) in batch.iter().enumerate() {
                let rebound = template
                    .as_mut()
                    .is_some_and(|t| compiler::rebind_insert_into(t, values));
                let mut fresh = None;
                if !rebound {
                    let stmt = Insert {
                        table: table.clone(),
                        values: values.clone(),
                        returning: returning.clone(),
                    };
                    let c = compiler::compile_insert_inline(&stmt, &inline_insert, dialect);
                    if reuse && template.is_none() {
                        template = Some(c);
                    } else {
                        fresh = Some(c);
                    }
                }
                let Some(compiled) = fresh.as_ref().or(template.as_ref()) else {
                    continue;
                };
                let insertmany = batch.len() > 1 && !returning.is_empty();
                if insertmany {
                    // SQLAlchemy's insertmanyvalues, one row a statement
                    // where the dialect cannot keep RETURNING's order
                    session.echo_insertmanyvalues(at + 1, batch.len(), true, true);
                    if session.db.has_cursor_listeners() {
                        session.db.set_many_context(Some(many_context(
                            compiled,
                            batch
                                .iter()
                                .map(|(_, v)| v.iter().map(|(_, x)| x.clone()).collect()),
                            dialect,
                        )));
                    }
                }
                let res = session.run_dml(compiled, cause.clone());
                if insertmany {
                    session.db.set_many_context(None);
                }
                let res = res?;
                let mut key_values = Vec::new();
                if let Some(row) = res.returned.first() {
                    for (i, c) in returning.iter().enumerate() {
                        let v = row.get(i).cloned().unwrap_or(SqlValue::Null);
                        if fetch.contains(c) {
                            let key = mapper.column_key(*c).unwrap_or(&table.columns[*c].name);
                            let v = result_value(&v, Some(&table.columns[*c].sql_type));
                            o.borrow_mut().dict.insert(key, v);
                        } else {
                            key_values.push((*c, v));
                        }
                    }
                } else if !has_pk && let [p] = pk.as_slice() {
                    key_values.push((*p, SqlValue::Integer(res.last_insert_rowid)));
                }
                set_key_from_values(o, mapper, values, &key_values);
                assigned_keys.push(o.clone());
            }
        }
        k = end;
    }
    Ok(())
}

/// A batch of INSERTs as insertmanyvalues statements of up to
/// `insertmanyvalues_page_size` rows each (PostgreSQL): with `sentinel`,
/// the new primary keys come back in order through `RETURNING` and are set
/// on the objects; without, the objects had their keys already.
pub(super) fn emit_insert_many_values(
    session: &Rc<Session>,
    mapper: &Rc<Mapper>,
    cols: &[usize],
    batch: &[(Obj, Vec<(usize, SqlValue)>)],
    sentinel: Option<usize>,
    cause: &Cause,
) -> PyResult<()> {
    let dialect = session.dialect();
    for page in session.insertmanyvalues_pages(batch, sentinel.is_some()) {
        let rows: Vec<Vec<SqlValue>> = page
            .iter()
            .map(|(_, v)| v.iter().map(|(_, x)| x.clone()).collect())
            .collect();
        let compiled =
            compiler::compile_insert_many_values(&mapper.table, cols, &rows, sentinel, dialect);
        let listened = session.db.has_cursor_listeners();
        if listened && let Some((_, first)) = page.first() {
            let single = compiler::compile_insert(
                &Insert {
                    table: mapper.table.clone(),
                    values: first.clone(),
                    returning: sentinel.into_iter().collect(),
                },
                dialect,
            );
            session.db.set_many_context(Some(many_context(
                &single,
                batch
                    .iter()
                    .map(|(_, v)| v.iter().map(|(_, x)| x.clone()).collect()),
                dialect,
            )));
        }
        let res = session.run_dml(&compiled, cause.clone());
        if listened {
            session.db.set_many_context(None);
        }
        let res = res?;
        for (n, (o, values)) in page.iter().enumerate() {
            let mut key_values = Vec::new();
            if let (Some(pk), Some(row)) = (sentinel, res.returned.get(n)) {
                key_values.push((pk, row.first().cloned().unwrap_or(SqlValue::Null)));
            }
            set_key_from_values(o, mapper, values, &key_values);
        }
    }
    Ok(())
}

/// The insertmanyvalues execution of `rows` whose one-row statement is
/// `single`, as the cursor events are given it.
pub(crate) fn many_context(
    single: &compiler::Compiled,
    rows: impl Iterator<Item = Vec<SqlValue>>,
    dialect: &crate::sql::dialect::Dialect,
) -> crate::engine::events::ManyContext {
    let named = matches!(
        dialect.paramstyle,
        crate::sql::dialect::ParamStyle::Named | crate::sql::dialect::ParamStyle::Pyformat
    ) && single.params.iter().all(|p| !p.name.is_empty());
    crate::engine::events::ManyContext {
        statement: single.sql.clone(),
        rows: rows.collect(),
        names: named.then(|| single.params.iter().map(|p| p.name.clone()).collect()),
    }
}
