//! ORM bulk INSERT and bulk UPDATE by primary key with a list of parameter
//! dicts, as SQLAlchemy 2.0's `orm/bulk_persistence.py`:
//! `session.execute(insert(User), [{…}, {…}])`,
//! `session.execute(update(User), [{"id": 1, …}, …])`, and the legacy
//! `Session.bulk_insert_mappings()` / `bulk_update_mappings()` /
//! `bulk_save_objects()` that share them.
//!
//! Records are grouped as SQLAlchemy's `persistence._emit_insert_statements`
//! and `_emit_update_statements` group them: consecutive records with the
//! same keys make one `executemany()`; a record alone is one `execute()`.
//! An INSERT with `returning()` sends each group of several records as one
//! "insertmanyvalues" statement (`VALUES (?, ?), (?, ?) RETURNING id`); on a
//! driver with `use_insertmanyvalues_wo_returning` (psycopg2) every group of
//! several records is sent that way. The statement of each record is the
//! Core one ([`DmlStatement::set_value`], [`DmlStatement::insert_values`]),
//! so Python-side column defaults are filled per record.

use std::rc::Rc;

use crate::outcome::Cause;
use crate::python::ExcType;
use crate::python::exceptions::{PyErr, PyResult};
use crate::python::value::Value;
use crate::sql::compiler::{self, Compiled};
use crate::sql::elements::{Insert, Update};
use crate::sql::schema::SqlValue;

use super::bulk::{DmlKind, DmlStatement};
use super::expression::{bind_value, result_value};
use super::identity::identity_key;
use super::mapper::Mapper;
use super::session::{Session, db_error};

/// One parameter dict: its keys (attribute names) and values, in order.
pub type Record = Vec<(String, Value)>;

/// What a bulk statement with RETURNING gave back: the returned columns'
/// names and rows (`None` without `returning()`).
pub type Returned = Option<(Vec<String>, Vec<Vec<Value>>)>;

/// `session.execute(insert(Model) | update(Model), [dicts])`: autoflushes,
/// begins, and sends the records (ORM bulk INSERT, or bulk UPDATE by
/// primary key, whose new values are also set on the objects of the
/// identity map that have those keys).
///
/// Errors: `InvalidRequestError` for an UPDATE with `where()` criteria or a
/// record without its primary key, as SQLAlchemy 2.0's; `StaleDataError`
/// when an UPDATE matched fewer rows than records; `InvalidRequestError`
/// for `delete()` with a list, as SQLAlchemy 2.0's; the database's errors.
pub fn execute(
    session: &Rc<Session>,
    stmt: &DmlStatement,
    records: &[Record],
) -> PyResult<Returned> {
    let Some(mapper) = stmt.mapper.clone() else {
        return Err(PyErr::unsupported(
            "a Core table statement with a list of parameter dicts in Session.execute()",
        ));
    };
    match stmt.kind {
        DmlKind::Insert => {
            session.autoflush()?;
            let stmt = super::dynamic::bind_owner(stmt)?;
            session.begin_for_flush()?;
            insert(session, &stmt, &mapper, records, false)
        }
        DmlKind::Update => {
            if !stmt.where_.is_empty() && stmt.synchronize_session {
                return Err(PyErr::new(
                    ExcType::InvalidRequestError,
                    "bulk synchronize of persistent objects not supported when using bulk update with additional WHERE criteria right now.  add synchronize_session=None execution option to bypass synchronize of persistent objects.",
                ));
            }
            if !stmt.where_.is_empty() || !stmt.values.is_empty() {
                return Err(PyErr::unsupported(
                    "update() with where() or values() and a list of parameter dicts",
                ));
            }
            session.autoflush()?;
            let rows = update_rows(&mapper, records)?;
            session.begin_for_flush()?;
            update(session, &mapper, &rows, stmt.synchronize_session)?;
            Ok(None)
        }
        // SQLAlchemy 2.0 `BulkORMDelete` refuses a parameter list, after
        // the session has begun.
        DmlKind::Delete => {
            session.autoflush()?;
            session.begin_for_flush()?;
            Err(PyErr::new(
                ExcType::InvalidRequestError,
                "Bulk ORM DELETE not supported right now. Statement may be invoked at the Core level using session.connection().execute(stmt, parameters)",
            ))
        }
    }
}

/// The records' INSERTs; with `return_defaults` (the legacy
/// `bulk_insert_mappings(…, return_defaults=True)`) each record is its own
/// `INSERT … RETURNING id`, and the new key is written into `dicts`.
fn insert(
    session: &Rc<Session>,
    stmt: &DmlStatement,
    mapper: &Rc<Mapper>,
    records: &[Record],
    return_defaults: bool,
) -> PyResult<Returned> {
    let dialect = session.dialect();
    let table = &mapper.table;
    // A record's statement: its keys that are mapped columns (others, such
    // as relationships or misspellings, are left out, as SQLAlchemy's).
    // Each record's given keys (a key set to `None` left out, unless
    // `render_nulls`: `persistence._collect_insert_commands`), which group
    // the records as SQLAlchemy's `_emit_insert_statements` groups them.
    let mut prepared: Vec<(Vec<(usize, SqlValue)>, Compiled)> = Vec::new();
    let mut given_keys: Vec<Vec<String>> = Vec::new();
    let bind_names = stmt.anonymous_bind_names()?;
    let inline = stmt.inline_sql_values()?;
    let empty = [Vec::new()];
    let records = if records.is_empty() {
        &empty[..]
    } else {
        records
    };
    for record in records {
        let mut one = stmt.clone();
        let mut keys = Vec::new();
        for (k, v) in record {
            if mapper.column(k).is_some() && (!matches!(v, Value::None) || stmt.render_nulls) {
                one.set_value(k, v.clone())?;
                keys.push(k.clone());
            }
        }
        keys.sort();
        given_keys.push(keys);
        let values = one.insert_values()?;
        let mut returning = stmt.returning.clone();
        if return_defaults && returning.is_empty() {
            returning = table
                .primary_key()
                .into_iter()
                .filter(|p| !values.iter().any(|(c, _)| c == p))
                .collect();
        }
        let mut compiled = if stmt.on_conflict.is_some() {
            // an upsert: the dialect's INSERT with its ON CONFLICT clause
            one.compile(dialect)?
        } else {
            compiler::compile_insert_inline(
                &Insert {
                    table: table.clone(),
                    values: values.clone(),
                    returning,
                },
                &inline,
                dialect,
            )
        };
        for (column, name) in &bind_names {
            compiled.rename_param(column, name, dialect);
        }
        prepared.push((values, compiled));
    }
    // `return_defaults` batches only where the new keys come back in order
    // (PostgreSQL's sentinel form); elsewhere one INSERT per record.
    let sentinel = compiler::serial_column(table);
    let batch_defaults = return_defaults && dialect.insertmanyvalues_sentinel && sentinel.is_some();
    let mut returned_rows: Vec<Vec<SqlValue>> = Vec::new();
    let mut k = 0;
    while k < prepared.len() {
        let mut end = k + 1;
        while (!return_defaults || batch_defaults)
            && end < prepared.len()
            && prepared[end].1.sql == prepared[k].1.sql
            && given_keys[end] == given_keys[k]
        {
            end += 1;
        }
        let group = &prepared[k..end];
        let (first_values, first) = &group[0];
        let cols: Vec<usize> = first_values.iter().map(|(c, _)| *c).collect();
        let rows: Vec<Vec<SqlValue>> = group
            .iter()
            .map(|(v, _)| v.iter().map(|(_, x)| x.clone()).collect())
            .collect();
        if stmt.on_conflict.is_some() && group.len() > 1 {
            // An upsert: with `returning()`, insertmanyvalues batches with the
            // ON CONFLICT clause after their VALUES; without, executemany
            // of the single-row statement (SQLAlchemy's `crud`).
            if stmt.returning.is_empty() {
                let rows: Vec<Vec<SqlValue>> =
                    group.iter().map(|(_, c)| c.positional_values()).collect();
                session
                    .db
                    .execute_many(first, &rows, Cause::Query)
                    .map_err(|e| db_error(e, Some(first)))?;
            } else {
                if stmt.sort_by_parameter_order
                    || !inline.is_empty()
                    || first.params.len() > cols.len()
                {
                    return Err(PyErr::unsupported(
                        "an upsert with returning(), a list of parameter dicts and parameters in its ON CONFLICT clause, SQL expressions in values() or sort_by_parameter_order",
                    ));
                }
                let tail = on_conflict_tail(first);
                let (_, returned) =
                    insert_many_values(session, table, &cols, &bind_names, &rows, &tail)?;
                returned_rows.extend(returned);
            }
        } else if stmt.on_conflict.is_some() {
            let done = session.run_dml(first, Cause::Query)?;
            if !stmt.returning.is_empty() {
                returned_rows.extend(done.returned);
            }
        } else if group.len() == 1 {
            // Without `lastrowid` (psycopg2) a single row's new key comes
            // back through RETURNING, as the Core INSERT's.
            let pk_missing: Vec<usize> = table
                .primary_key()
                .into_iter()
                .filter(|p| !cols.contains(p))
                .collect();
            let compiled = if stmt.returning.is_empty()
                && !return_defaults
                && !dialect.postfetch_lastrowid
                && !pk_missing.is_empty()
            {
                let mut compiled = compiler::compile_insert_inline(
                    &Insert {
                        table: table.clone(),
                        values: first_values.clone(),
                        returning: pk_missing,
                    },
                    &inline,
                    dialect,
                );
                for (column, name) in &bind_names {
                    compiled.rename_param(column, name, dialect);
                }
                compiled
            } else {
                first.clone()
            };
            let done = session.run_dml(&compiled, Cause::Query)?;
            if !stmt.returning.is_empty() || return_defaults {
                returned_rows.extend(done.returned);
            }
        } else if stmt.sort_by_parameter_order && !stmt.returning.is_empty() {
            if !inline.is_empty() && dialect.insertmanyvalues_sentinel {
                return Err(PyErr::unsupported(
                    "returning(sort_by_parameter_order=True) with SQL expressions in values()",
                ));
            }
            let singles: Vec<Compiled> = group.iter().map(|(_, c)| c.clone()).collect();
            let (_, returned) =
                insert_sorted(session, table, &cols, &singles, &rows, &stmt.returning)?;
            returned_rows.extend(returned);
        } else if batch_defaults {
            for page in rows.chunks(dialect.insertmanyvalues_page_size.max(1)) {
                let compiled =
                    compiler::compile_insert_many_values(table, &cols, page, sentinel, dialect);
                let done = session.run_dml(&compiled, Cause::Query)?;
                returned_rows.extend(done.returned);
            }
        } else if !inline.is_empty()
            && (!stmt.returning.is_empty() || dialect.use_insertmanyvalues_wo_returning)
        {
            // SQL expressions in `.values()`: each batch repeats the
            // single-row statement's VALUES tuple, as Core's executemany
            let tail = returning_tail(first, !stmt.returning.is_empty());
            let singles: Vec<Compiled> = group.iter().map(|(_, c)| c.clone()).collect();
            for page in singles.chunks(dialect.insertmanyvalues_page_size.max(1)) {
                let compiled = compiler::expand_insert_many_values(page, &tail, dialect)
                    .ok_or_else(|| {
                        PyErr::unsupported("this driver's executemany() of SQL expressions")
                    })?;
                let done = session.run_dml(&compiled, Cause::Query)?;
                returned_rows.extend(done.returned);
            }
        } else if !stmt.returning.is_empty() || dialect.use_insertmanyvalues_wo_returning {
            // insertmanyvalues: `VALUES (…), (…)` in pages, the RETURNING
            // clause of the single-row statement after it.
            let returning = returning_tail(first, !stmt.returning.is_empty());
            let (_, returned) =
                insert_many_values(session, table, &cols, &bind_names, &rows, &returning)?;
            returned_rows.extend(returned);
        } else {
            // each row's parameters as its statement binds them (with
            // those of `.values()`' SQL expressions)
            let rows: Vec<Vec<SqlValue>> = if inline.is_empty() {
                rows
            } else {
                group.iter().map(|(_, c)| c.positional_values()).collect()
            };
            session
                .db
                .execute_many(first, &rows, Cause::Query)
                .map_err(|e| db_error(e, Some(first)))?;
        }
        k = end;
    }
    if stmt.returning.is_empty() {
        if return_defaults {
            return Ok(Some((
                Vec::new(),
                returned_rows
                    .iter()
                    .map(|r| r.iter().map(|v| result_value(v, None)).collect())
                    .collect(),
            )));
        }
        return Ok(None);
    }
    if stmt.returning_entity {
        let mut objects = Vec::new();
        for row in &returned_rows {
            if let Some(o) = session.load_row(mapper, row, 0)? {
                objects.push(vec![super::state::instance_value(o)]);
            }
        }
        return Ok(Some((vec![mapper.class_name.to_string()], objects)));
    }
    Ok(Some(super::expression::returned_columns(
        table,
        &stmt.returning,
        &returned_rows,
    )))
}

/// The ` RETURNING …` tail of a single-row INSERT, which insertmanyvalues
/// repeats after each batch (`_deliver_insertmanyvalues_batches`); empty
/// when the statement returns nothing.
pub(crate) fn returning_tail(single_row: &Compiled, returning: bool) -> String {
    single_row
        .sql
        .find(" RETURNING ")
        .filter(|_| returning)
        .map(|i| single_row.sql[i..].to_string())
        .unwrap_or_default()
}

/// The ` ON CONFLICT … RETURNING …` tail of a single-row upsert, which
/// insertmanyvalues repeats after each batch's VALUES tuples.
pub(crate) fn on_conflict_tail(single_row: &Compiled) -> String {
    single_row
        .sql
        .find(" ON CONFLICT ")
        .map(|i| single_row.sql[i..].to_string())
        .unwrap_or_default()
}

/// Sends `rows` (the values of `cols`, in order) as insertmanyvalues
/// statements of up to `insertmanyvalues_page_size` rows each, as SQLAlchemy
/// 2.0's `DefaultDialect._deliver_insertmanyvalues_batches` without a
/// sentinel: `INSERT INTO t (a, b) VALUES (%(a__0)s, %(b__0)s), (…)`, then
/// `returning` (the single-row statement's ` RETURNING …`, or nothing).
/// `bind_names` renames a column's parameters after a `bindparam()` key
/// (`("name", "nm")`: `%(nm__0)s`), as a Core `values(name=bindparam("nm"))`.
/// Returns the summed `rowcount` and the returned rows.
///
/// Errors: the database's.
pub fn insert_many_values(
    session: &Rc<Session>,
    table: &crate::sql::schema::TableRef,
    cols: &[usize],
    bind_names: &[(String, String)],
    rows: &[Vec<SqlValue>],
    returning: &str,
) -> PyResult<(usize, Vec<Vec<SqlValue>>)> {
    let dialect = session.dialect();
    let mut rowcount = 0;
    let mut returned = Vec::new();
    for page in session.insertmanyvalues_pages(rows, false) {
        let mut compiled = compiler::compile_insert_many_values(table, cols, page, None, dialect);
        for n in 0..page.len() {
            for (column, key) in bind_names {
                compiled.rename_param(&format!("{column}__{n}"), &format!("{key}__{n}"), dialect);
            }
        }
        compiled.sql.push_str(returning);
        let listened = session.db.has_cursor_listeners();
        if listened && let Some(first) = page.first() {
            let mut single = compiler::compile_insert(
                &crate::sql::elements::Insert {
                    table: table.clone(),
                    values: cols.iter().copied().zip(first.iter().cloned()).collect(),
                    returning: Vec::new(),
                },
                dialect,
            );
            for (column, key) in bind_names {
                single.rename_param(column, key, dialect);
            }
            single.sql.push_str(returning);
            session
                .db
                .set_many_context(Some(super::persistence::many_context(
                    &single,
                    rows.iter().cloned(),
                    dialect,
                )));
        }
        let done = session.run_dml(&compiled, Cause::Query);
        if listened {
            session.db.set_many_context(None);
        }
        let done = done?;
        rowcount += done.rows_affected;
        returned.extend(done.returned);
    }
    Ok((rowcount, returned))
}

/// An executemany INSERT with `returning(..., sort_by_parameter_order=True)`,
/// its rows returned in the order of `rows` (the values of `cols`; `singles`
/// each row's single-row statement), as SQLAlchemy 2.0 sends it: one
/// statement per row where the dialect has no insertmanyvalues sentinel
/// (SQLite); on PostgreSQL, with a server-generated integer key, the
/// `INSERT … SELECT … FROM (VALUES …) AS imp_sen(…) ORDER BY sen_counter
/// RETURNING …, t.id AS id__1` form, rows sorted by that sentinel; with the
/// key given, plain batches returning the key too (after `returning`'s
/// columns when not among them), rows matched to the parameters by it.
/// Returns the summed `rowcount` and the rows of `returning`'s columns.
///
/// Errors: `NotImplementedError` on PostgreSQL for a table without a
/// single integer key; the database's.
pub fn insert_sorted(
    session: &Rc<Session>,
    table: &crate::sql::schema::TableRef,
    cols: &[usize],
    singles: &[Compiled],
    rows: &[Vec<SqlValue>],
    returning: &[usize],
) -> PyResult<(usize, Vec<Vec<SqlValue>>)> {
    let dialect = session.dialect();
    let mut rowcount = 0;
    let mut returned = Vec::new();
    if !dialect.insertmanyvalues_sentinel {
        for compiled in singles {
            let done = session.run_dml(compiled, Cause::Query)?;
            rowcount += done.rows_affected;
            returned.extend(done.returned);
        }
        return Ok((rowcount, returned));
    }
    let Some(pk) = compiler::serial_column(table) else {
        return Err(PyErr::unsupported(
            "returning(sort_by_parameter_order=True) on a table without a single integer key",
        ));
    };
    let width = returning.len();
    let key_at = cols.iter().position(|c| *c == pk);
    let mut with_key = returning.to_vec();
    let key_column = match returning.iter().position(|c| *c == pk) {
        Some(i) => i,
        None => {
            with_key.push(pk);
            width
        }
    };
    for page in rows.chunks(dialect.insertmanyvalues_page_size.max(1)) {
        let mut page_rows = match key_at {
            // the key is the server's: the sentinel column after the others
            None => {
                let compiled = compiler::compile_insert_many_values_returning(
                    table,
                    cols,
                    page,
                    Some(pk),
                    returning,
                    dialect,
                );
                let done = session.run_dml(&compiled, Cause::Query)?;
                rowcount += done.rows_affected;
                let mut got = done.returned;
                got.sort_by_key(|r| match r.last() {
                    Some(SqlValue::Integer(n)) => *n,
                    _ => i64::MAX,
                });
                got
            }
            // the key is given: rows matched to the parameters by it
            Some(at) => {
                let compiled = compiler::compile_insert_many_values_returning(
                    table, cols, page, None, &with_key, dialect,
                );
                let done = session.run_dml(&compiled, Cause::Query)?;
                rowcount += done.rows_affected;
                let got = done.returned;
                page.iter()
                    .filter_map(|r| {
                        let key = r.get(at)?;
                        got.iter().find(|g| g.get(key_column) == Some(key)).cloned()
                    })
                    .collect::<Vec<_>>()
            }
        };
        for r in &mut page_rows {
            r.truncate(width);
        }
        returned.extend(page_rows);
    }
    Ok((rowcount, returned))
}

/// One UPDATE by primary key: the SET columns with their values (table
/// order) and the key.
type UpdateRow = (Vec<(usize, SqlValue)>, Vec<(usize, SqlValue)>);

/// The records as UPDATE rows; a record that sets nothing but its key is
/// left out.
///
/// Errors: `InvalidRequestError` for a record without its primary key.
fn update_rows(mapper: &Rc<Mapper>, records: &[Record]) -> PyResult<Vec<UpdateRow>> {
    let table = &mapper.table;
    let pk = table.primary_key();
    let mut out = Vec::new();
    for record in records {
        let mut set = Vec::new();
        let mut key = Vec::new();
        for (col, column) in table.columns.iter().enumerate() {
            let Some(attr) = mapper.column_key(col) else {
                continue;
            };
            let Some((_, v)) = record.iter().find(|(k, _)| k == attr) else {
                continue;
            };
            let sv = bind_value(v, Some(&column.sql_type))?;
            if pk.contains(&col) {
                key.push((col, sv));
            } else {
                set.push((col, sv));
            }
        }
        if key.len() != pk.len() {
            let cols: Vec<String> = pk
                .iter()
                .map(|&p| format!("{}.{}", table.name, table.columns[p].name))
                .collect();
            return Err(PyErr::new(
                ExcType::InvalidRequestError,
                format!(
                    "No primary key value supplied for column(s) {}; per-row ORM Bulk UPDATE by Primary Key requires that records contain primary key values",
                    cols.join(", ")
                ),
            ));
        }
        if !set.is_empty() {
            out.push((set, key));
        }
    }
    Ok(out)
}

/// Sends the UPDATEs, consecutive rows with the same SET columns as one
/// executemany; with `synchronize`, objects of the identity map with those
/// keys take the new values.
///
/// Errors: `StaleDataError` when a group matched fewer rows than it has
/// (SQLite and psycopg2 both report a sane executemany rowcount).
fn update(
    session: &Rc<Session>,
    mapper: &Rc<Mapper>,
    rows: &[UpdateRow],
    synchronize: bool,
) -> PyResult<()> {
    let table = &mapper.table;
    let set_cols = |r: &UpdateRow| r.0.iter().map(|(c, _)| *c).collect::<Vec<_>>();
    let mut u = 0;
    while u < rows.len() {
        let mut end = u + 1;
        while end < rows.len() && set_cols(&rows[end]) == set_cols(&rows[u]) {
            end += 1;
        }
        let compiled = compiler::compile_update(
            &Update {
                table: table.clone(),
                set: rows[u].0.clone(),
                key: rows[u].1.clone(),
            },
            session.dialect(),
        );
        let matched = if end - u == 1 {
            session.run_dml(&compiled, Cause::Query)?.rows_affected
        } else {
            let many: Vec<Vec<SqlValue>> = rows[u..end]
                .iter()
                .map(|(set, key)| set.iter().chain(key).map(|(_, v)| v.clone()).collect())
                .collect();
            session
                .db
                .execute_many(&compiled, &many, Cause::Query)
                .map_err(|e| db_error(e, Some(&compiled)))?
                .rows_affected
        };
        if matched != end - u {
            return Err(PyErr::new(
                ExcType::StaleDataError,
                format!(
                    "UPDATE statement on table '{}' expected to update {} row(s); {matched} were matched.",
                    table.name,
                    end - u
                ),
            ));
        }
        u = end;
    }
    if synchronize {
        for (set, key) in rows {
            let key_values: Vec<Value> = key
                .iter()
                .map(|(c, v)| result_value(v, Some(&table.columns[*c].sql_type)))
                .collect();
            let found = session
                .identity_map
                .borrow_mut()
                .get(&identity_key(mapper, &key_values));
            let Some(obj) = found else { continue };
            let mut b = obj.borrow_mut();
            for (c, v) in set {
                if let Some(attr) = mapper.column_key(*c) {
                    let v = result_value(v, Some(&table.columns[*c].sql_type));
                    b.dict.insert(attr, v);
                    if let Some(r) = b.rare_if_any() {
                        r.committed.remove(attr);
                    }
                }
            }
        }
    }
    Ok(())
}

/// `session.bulk_insert_mappings(User, [dicts], return_defaults=False)`:
/// the legacy bulk INSERT, as SQLAlchemy 2.0 `Session.bulk_insert_mappings`
/// (no autoflush; with `return_defaults`, one `INSERT … RETURNING id` per
/// dict, the new key written into it).
pub fn bulk_insert_mappings(
    session: &Rc<Session>,
    mapper: &Rc<Mapper>,
    dicts: &[Value],
    return_defaults: bool,
) -> PyResult<()> {
    let records = records_of(dicts)?;
    if records.is_empty() {
        return Ok(());
    }
    session.begin_for_flush()?;
    let stmt = DmlStatement::new(DmlKind::Insert, mapper.clone());
    let returned = insert(session, &stmt, mapper, &records, return_defaults)?;
    if let Some((_, rows)) = returned {
        let pk = mapper.table.primary_key();
        for (d, row) in dicts.iter().zip(rows) {
            let Value::Dict(d) = d else { continue };
            for (p, v) in pk.iter().zip(row) {
                if let Some(attr) = mapper.column_key(*p) {
                    d.borrow_mut().set(Value::str(attr), v);
                }
            }
        }
    }
    Ok(())
}

/// `session.bulk_update_mappings(User, [dicts with the primary key])`: the
/// legacy bulk UPDATE by primary key, as SQLAlchemy 2.0's (no autoflush;
/// objects in the identity map are not changed).
pub fn bulk_update_mappings(
    session: &Rc<Session>,
    mapper: &Rc<Mapper>,
    dicts: &[Value],
) -> PyResult<()> {
    let records = records_of(dicts)?;
    let rows = update_rows(mapper, &records)?;
    if rows.is_empty() {
        return Ok(());
    }
    session.begin_for_flush()?;
    update(session, mapper, &rows, false)
}

/// `session.bulk_save_objects([objects])`: the legacy bulk save, as
/// SQLAlchemy 2.0's: transient objects are INSERTed from their column
/// attributes (consecutive objects of one class together) and stay
/// transient, without their new keys.
///
/// Errors: `NotImplementedError` for an object that is not transient.
pub fn bulk_save_objects(session: &Rc<Session>, objects: &[super::state::Obj]) -> PyResult<()> {
    let mut k = 0;
    while k < objects.len() {
        let mapper = objects[k].borrow().mapper.clone();
        let mut end = k + 1;
        while end < objects.len() && Rc::ptr_eq(&objects[end].borrow().mapper, &mapper) {
            end += 1;
        }
        let mut records = Vec::new();
        for o in &objects[k..end] {
            let b = o.borrow();
            if b.key.is_some() || b.session.is_some() {
                return Err(PyErr::unsupported(
                    "bulk_save_objects() of objects that are not transient",
                ));
            }
            let record: Record = (0..mapper.table.columns.len())
                .filter_map(|c| mapper.column_key(c))
                .filter_map(|attr| b.dict.get(attr).map(|v| (attr.to_string(), v.clone())))
                .collect();
            records.push(record);
        }
        session.begin_for_flush()?;
        let stmt = DmlStatement::new(DmlKind::Insert, mapper.clone());
        insert(session, &stmt, &mapper, &records, false)?;
        k = end;
    }
    Ok(())
}

/// The dicts of a legacy bulk method as records.
///
/// Errors: `TypeError` for an item that is not a dict.
fn records_of(dicts: &[Value]) -> PyResult<Vec<Record>> {
    dicts
        .iter()
        .map(|d| match d {
            Value::Dict(d) => d
                .borrow()
                .iter()
                .map(|(k, v)| match k {
                    Value::Str(k) => Ok((k.to_string(), v.clone())),
                    _ => Err(PyErr::unsupported("non-string keys in bulk mappings")),
                })
                .collect(),
            other => Err(crate::python::exceptions::type_error(format!(
                "'{}' object is not a mapping",
                other.type_name()
            ))),
        })
        .collect()
}
