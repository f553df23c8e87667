//! `Connection.execute()` and `Connection.exec_driver_sql()`: a statement
//! with its parameters (one dict, or a list of dicts for the DBAPI's
//! `executemany()`), run in the connection's transaction, as SQLAlchemy 2.0
//! `Connection.execute()`. Every result is a `CursorResult`.

use std::collections::HashMap;
use std::rc::Rc;

use crate::orm::bulk::{DmlKind, DmlStatement};
use crate::orm::expression::{bind_value, result_value};
use crate::orm::result::ResultObj;
use crate::outcome::Cause;
use crate::python::object::downcast;
use crate::python::value::Row;
use crate::python::{ExcType, PyErr, PyResult, Value};
use crate::sql::compiler::{BoundParam, Compiled};
use crate::sql::schema::SqlValue;

use super::connection::{Connection, cursor_result};

/// The parameters of one `execute()`: none, one set, or many
/// (`executemany`).
enum Params {
    None,
    One(Vec<(String, Value)>),
    Many(Vec<Vec<(String, Value)>>),
}

fn dict_items(v: &Value) -> PyResult<Vec<(String, Value)>> {
    let Value::Dict(d) = v else {
        return Err(PyErr::new(
            ExcType::ArgumentError,
            "List argument must consist only of dictionaries",
        ));
    };
    d.borrow()
        .iter()
        .map(|(k, v)| match k {
            Value::Str(k) => Ok((k.to_string(), v.clone())),
            _ => Err(PyErr::unsupported(
                "non-string keys in execute() parameters",
            )),
        })
        .collect()
}

fn params_of(v: Option<&Value>) -> PyResult<Params> {
    match v {
        None | Some(Value::None) => Ok(Params::None),
        Some(d @ Value::Dict(_)) => Ok(Params::One(dict_items(d)?)),
        Some(Value::List(l)) => {
            let items: Vec<Value> = l.items.borrow().clone();
            if items.is_empty() {
                return Ok(Params::None);
            }
            Ok(Params::Many(
                items.iter().map(dict_items).collect::<PyResult<_>>()?,
            ))
        }
        Some(other) => Err(PyErr::new(
            ExcType::ArgumentError,
            format!(
                "mapping or list expected for parameters, got {}",
                other.type_name()
            ),
        )),
    }
}

fn sql_params(items: &[(String, Value)]) -> PyResult<Vec<(String, SqlValue)>> {
    items
        .iter()
        .map(|(k, v)| Ok((k.clone(), bind_value(v, None)?)))
        .collect()
}

/// `conn.execute(statement, parameters)`.
///
/// Errors: `ResourceClosedError` on a closed connection; `ArgumentError`
/// for a string or another non-executable, as SQLAlchemy's; the database's
/// errors.
pub fn execute(c: &Rc<Connection>, stmt: &Value, params: Option<&Value>) -> PyResult<Value> {
    // A list of one dict is one `execute()`, not an `executemany()`, as
    // SQLAlchemy's `_init_compiled` (`len(parameters) > 1`).
    let single = match params {
        Some(Value::List(l)) if l.items.borrow().len() == 1 => l.items.borrow().first().cloned(),
        _ => None,
    };
    let params = single.as_ref().or(params);
    let raw = params;
    if let Some(s) = as_sequence(stmt) {
        crate::python::warnings::warn(
            "SADeprecationWarning",
            "Using the .execute() method to invoke a DefaultGenerator object is deprecated; please use the .scalar() method.",
        );
        return fire_sequence(c, &s);
    }
    let params = params_of(params)?;
    if let Value::Str(_) = stmt {
        // `Connection.execute("…")`: SQLAlchemy 2.0 looks for the
        // statement's `_execute_on_connection` and finds none
        return Err(crate::python::PyErr::new(
            crate::python::ExcType::ObjectNotExecutableError,
            format!(
                "Not an executable object: {}",
                crate::python::format::repr_plain(stmt)
            ),
        ));
    }
    if let Value::Native(n) = stmt
        && let Some(d) = downcast::<DmlStatement>(n)
    {
        c.check_open()?;
        return execute_dml(c, &d, params, raw);
    }
    if let (Some(t), Params::Many(rows)) = (super::core::as_text(stmt), &params) {
        c.check_open()?;
        return execute_text_many(c, &t, rows, raw);
    }
    c.autobegin()?;
    execute_begun(c, stmt, params, raw).inspect_err(|_| c.rollback_after_failure())
}

/// [`execute`] of a `text()` or `select()` once the connection has begun.
fn execute_begun(
    c: &Rc<Connection>,
    stmt: &Value,
    params: Params,
    raw: Option<&Value>,
) -> PyResult<Value> {
    let s = &c.executor;
    if super::core::as_text(stmt).is_some() {
        return match params {
            Params::One(_) => super::session::execute_with(s, stmt, raw),
            _ => super::session::execute_with(s, stmt, None),
        };
    }
    if let Some(q) = super::query::as_query(stmt) {
        let q = core_columns(&q, "Connection.execute() of")?;
        match &params {
            Params::None => {}
            Params::One(items) => *s.execute_params.borrow_mut() = Some(sql_params(items)?),
            Params::Many(_) => {
                return Err(PyErr::unsupported(
                    "Connection.execute() of a select() with a list of parameter dicts",
                ));
            }
        }
        // Core keys a `text()` column by `cursor.description`'s name
        // (`'hello'` on SQLite, `?column?` on PostgreSQL).
        let text_columns: Vec<usize> = q
            .entities
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                matches!(e, crate::orm::query::Entity::Column(c)
                    if c.key.as_deref() == Some(crate::python::value::Row::NO_KEY))
            })
            .map(|(i, _)| i)
            .collect();
        if !text_columns.is_empty() {
            *s.cursor_names.borrow_mut() = Some(Vec::new());
            // Core rows: logged one at a time as read; the ORM's eager
            // loads are not Core's (deferred, then dropped unrun)
            s.defer_post_loads();
            let loaded = s.execute_query(&q, None);
            s.post_loads_deferred_cancel();
            s.execute_params.borrow_mut().take();
            let names = s.cursor_names.borrow_mut().take().unwrap_or_default();
            let mut loaded = loaded?;
            let mut keys = loaded.keys.clone();
            if names.len() == keys.len() {
                for i in text_columns {
                    keys[i] = names[i].clone();
                }
            }
            let log = loaded.take_row_lines().into_log();
            let mut r = ResultObj::new(keys, loaded.into_rows(), false);
            r.cursor = true;
            r.log_each_row(log);
            return Ok(super::result::result_value(r));
        }
        s.defer_post_loads();
        let loaded = s.execute_query(&q, None);
        s.post_loads_deferred_cancel();
        s.execute_params.borrow_mut().take();
        let mut loaded = loaded?;
        let keys = loaded.keys.clone();
        let log = loaded.take_row_lines().into_log();
        let mut r = ResultObj::new(keys, loaded.into_rows(), false);
        r.cursor = true;
        r.log_each_row(log);
        return Ok(super::result::result_value(r));
    }
    super::session::execute(s, stmt)
}

/// A `select()` of ORM entities run on a Core `Connection`: each mapped
/// entity is just its columns (the ones it loads: `load_only()`/`defer()`
/// and `deferred()` columns left out), read back as Core row values keyed
/// by column name, as SQLAlchemy's ORM-compiled statement gives a
/// `CursorResult` of plain rows. A statement of column entities is returned
/// as it is.
///
/// Errors: `NotImplementedError` (its message begun by `doing`) for an
/// entity with `column_property()`s, an eager loader option, or over an
/// `aliased()` view of a subquery.
pub fn core_columns(
    q: &crate::orm::query::Query,
    doing: &str,
) -> PyResult<crate::orm::query::Query> {
    use crate::orm::expression::SqlExpr;
    use crate::orm::query::Entity;
    if !q.entities.iter().any(|e| matches!(e, Entity::Mapper(..))) {
        return Ok(q.clone());
    }
    let unsupported = |what: &str| {
        Err(PyErr::unsupported(format!(
            "{doing} a select() of an ORM entity {what}"
        )))
    };
    if q.compound.is_some() {
        return unsupported("in a union");
    }
    if q.options
        .iter()
        .any(|o| !o.path.is_empty() || o.wildcard.is_some())
    {
        return unsupported("with relationship loader options");
    }
    let mut entities = Vec::with_capacity(q.entities.len());
    for e in &q.entities {
        let Entity::Mapper(m, _, _) = e else {
            entities.push(e.clone());
            continue;
        };
        let from = e
            .selectable()
            .unwrap_or(crate::sql::elements::Selectable::Table(m.table.clone()));
        if let crate::sql::elements::Selectable::Subquery(sq) = &from
            && sq.adapts.is_some()
        {
            return unsupported("aliased() over a subquery");
        }
        let loaded = crate::orm::strategy_options::loaded_columns(m, &q.options);
        if !loaded.exprs.is_empty() {
            return unsupported("with column_property() or query_expression() attributes");
        }
        for i in loaded.cols {
            let col = &m.table.columns[i];
            let mut c = SqlExpr::new(
                crate::sql::elements::Expr::column(&from, i),
                Some(col.sql_type.clone()),
            );
            c.key = Some(col.name.clone());
            entities.push(Entity::Column(c));
        }
    }
    let mut out = q.clone();
    out.entities = entities;
    Ok(out)
}

/// A `text()` statement with a list of parameter dicts: one
/// `executemany()`.
fn execute_text_many(
    c: &Rc<Connection>,
    t: &crate::sql::elements::TextClause,
    rows: &[Vec<(String, Value)>],
    raw: Option<&Value>,
) -> PyResult<Value> {
    let dialect = c.executor.dialect();
    let mut compiled_first: Option<Compiled> = None;
    let mut many = Vec::new();
    for (group, row) in rows.iter().enumerate() {
        let mut all = t.binds.clone();
        for (k, v) in sql_params(row)? {
            all.retain(|(n, _)| *n != k);
            all.push((k, v));
        }
        let (compiled, missing) = crate::sql::compiler::compile_text(&t.text, &all, dialect);
        if let Some(name) = missing {
            c.autorollback();
            let all = raw.cloned().unwrap_or(Value::None);
            return Err(super::dml::required_error(
                &name,
                &compiled,
                Some(group),
                &all,
            ));
        }
        many.push(compiled.positional_values());
        compiled_first.get_or_insert(compiled);
    }
    let Some(compiled) = compiled_first else {
        return Ok(super::result::result_value(cursor_result(-1)));
    };
    c.autobegin()?;
    run_many(c, &compiled, &many)
}

fn run_many(c: &Rc<Connection>, compiled: &Compiled, many: &[Vec<SqlValue>]) -> PyResult<Value> {
    c.executor.await_only(compiled, &Cause::Query)?;
    let done = c.executor.db.execute_many(compiled, many, Cause::Query);
    // aiosqlite's cursor(), executemany(), close()
    c.executor.driver_awaits()?;
    let done = done.map_err(|e| crate::orm::session::db_error(e, Some(compiled)))?;
    Ok(super::result::result_value(cursor_result(
        done.rows_affected as i64,
    )))
}

/// An `insert()`, `update()` or `delete()`: with one dict its values are
/// the statement's (`INSERT … VALUES (?, ?)`, `UPDATE … SET name=?`) and
/// its `bindparam()`s' (`WHERE roles.name = ?`), with a list one
/// `executemany()` of the statement made from the first dict's keys.
/// A single-row INSERT knows its `inserted_primary_key`; with
/// `returning()` its rows are the result's.
///
/// With a list and `returning()`, an INSERT's rows come back from
/// insertmanyvalues batches (`VALUES (…), (…) RETURNING …`), as SQLAlchemy
/// 2.0's `_deliver_insertmanyvalues_batches`.
///
/// Errors: `StatementError` for a required `bindparam()` not given, or a
/// dict of an executemany that lacks a key of the first; `StatementError` for an UPDATE/DELETE's `returning()`
/// with a list, as SQLAlchemy's.
fn execute_dml(
    c: &Rc<Connection>,
    d: &DmlStatement,
    params: Params,
    raw: Option<&Value>,
) -> PyResult<Value> {
    let dialect = c.executor.dialect();
    let keys = super::dml::bindparam_keys(d);
    let all_params = match raw {
        Some(v @ Value::List(_)) => v.clone(),
        Some(v) => Value::list(vec![v.clone()]),
        None => Value::list(Vec::new()),
    };
    // One parameter dict: the statement with its values, compiled with its
    // bindparam()s filled.
    // An INSERT's `values(name=bindparam("nm"))`: its parameter is named
    // `nm`, not `name`.
    let bind_names: Vec<(String, String)> = match d.kind {
        DmlKind::Insert => d
            .values
            .iter()
            .filter_map(|(i, v)| {
                let key = super::dml::as_bindparam_key(v)?;
                Some((d.table.columns.get(*i)?.name.clone(), key))
            })
            .collect(),
        _ => Vec::new(),
    };
    let compile_with =
        |items: &[(String, Value)], group: Option<usize>| -> PyResult<(DmlStatement, Compiled)> {
            let mut stmt = d.clone();
            let mut binds = HashMap::new();
            for (k, v) in items {
                if keys.contains(k) {
                    binds.insert(k.clone(), v.clone());
                } else if d.has_sql_value(k) {
                    // `.values(name=func.lower(…))` stays; this `name` is unused.
                } else if (d.kind == DmlKind::Insert && d.has_column_key(k))
                    || (d.kind == DmlKind::Update && d.table.column_index(k).is_some())
                {
                    // a key naming no column is left out, as SQLAlchemy's
                    stmt.set_value(k, v.clone())?;
                }
            }
            // An INSERT's `values(name=bindparam("n"))` takes the dict's `n`
            // (an UPDATE's stays a bindparam() of the SET clause, filled below).
            let mut missing = Vec::new();
            let insert_values = match stmt.kind {
                DmlKind::Insert => &mut stmt.values[..],
                _ => &mut [],
            };
            for (_, v) in insert_values.iter_mut() {
                if let Some(k) = super::dml::as_bindparam_key(v) {
                    match binds.get(&k) {
                        Some(given) => *v = given.clone(),
                        None => {
                            missing.push(k);
                            *v = Value::None;
                        }
                    }
                }
            }
            let (compiled, warnings) = stmt.compile_linted(dialect)?;
            crate::orm::session::warn_from_linting(&c.executor.db, &compiled.sql, warnings);
            if let Some(k) = missing.first() {
                return Err(super::dml::required_error(k, &compiled, group, &all_params));
            }
            let mut compiled =
                super::dml::fill_bindparams(&compiled, &keys, &binds, group, &all_params)?;
            for (column, key) in &bind_names {
                compiled.rename_param(column, key, dialect);
            }
            Ok((stmt, compiled))
        };
    // The statement is compiled with its parameters before the autobegin,
    // as `Connection._execute_context`; an error there rolls back
    // (`_autorollback`: a `ROLLBACK` event outside a transaction).
    let compile_with = |items: &[(String, Value)], group: Option<usize>| {
        compile_with(items, group).inspect_err(|_| c.autorollback())
    };
    match params {
        Params::Many(rows) => {
            let (first_stmt, first) = compile_with(&rows[0], Some(0))?;
            if !d.returning.is_empty() && d.kind != DmlKind::Insert {
                c.autorollback();
                return Err(executemany_returning_error(d, &first, dialect, &all_params));
            }
            if rows.len() == 1 && !d.returning.is_empty() {
                // One dict: the single-row INSERT … RETURNING.
                c.autobegin()?;
                let done = c.executor.run_dml(&first, Cause::Query)?;
                return Ok(super::result::result_value(returned_rows(
                    &first_stmt,
                    &done.returned,
                    dialect,
                )));
            }
            // insertmanyvalues: an INSERT of several rows with `returning()`
            // (or on psycopg2, `use_insertmanyvalues_wo_returning`, any) is
            // sent as multi-VALUES statements.
            // Not without `returning()` for an upsert (SQLAlchemy's `crud`
            // leaves a statement with an ON CONFLICT clause to executemany);
            // with it, the ON CONFLICT clause follows the VALUES tuples.
            let many_values = d.kind == DmlKind::Insert
                && rows.len() > 1
                && ((dialect.use_insertmanyvalues_wo_returning && d.on_conflict.is_none())
                    || !d.returning.is_empty());
            // With SQL expressions in `.values()`, each batch repeats the
            // single-row statement's VALUES tuple.
            let templated = many_values && !d.sql_value_columns().is_empty();
            let sorted = many_values && !templated && d.sort_by_parameter_order;
            let mut single = Vec::new();
            let mut many = Vec::new();
            let mut columns = Vec::new();
            // The first dict's keys make the statement (SQLAlchemy's
            // `_process_parameters_for_executemany` compiles with them): a
            // later dict's other keys are left out, and one lacking a key
            // of the first is a `StatementError` naming its group.
            let first_keys: Vec<&str> = rows[0].iter().map(|(k, _)| k.as_str()).collect();
            for (i, row) in rows.iter().enumerate() {
                let row_items: Vec<(String, Value)> = row
                    .iter()
                    .filter(|(k, _)| first_keys.contains(&k.as_str()))
                    .cloned()
                    .collect();
                let lacks = |name: &str| {
                    first_keys.contains(&name) && !row_items.iter().any(|(k, _)| k == name)
                };
                if let Some(p) = first.params.iter().find(|p| lacks(&p.name)) {
                    c.autorollback();
                    return Err(super::dml::required_error(
                        &p.name,
                        &first,
                        Some(i),
                        &all_params,
                    ));
                }
                let (stmt, compiled) = compile_with(&row_items, Some(i))?;
                if compiled.sql != first.sql {
                    return Err(PyErr::unsupported(
                        "executemany() parameter dicts with different keys",
                    ));
                }
                if sorted {
                    let values = stmt.insert_values()?;
                    columns = values.iter().map(|(c, _)| *c).collect();
                    many.push(values.into_iter().map(|(_, v)| v).collect());
                    single.push(compiled);
                } else if templated {
                    single.push(compiled);
                } else if many_values {
                    let values = stmt.insert_values()?;
                    columns = values.iter().map(|(c, _)| *c).collect();
                    many.push(values.into_iter().map(|(_, v)| v).collect());
                } else {
                    many.push(compiled.positional_values());
                }
            }
            if d.on_conflict.is_some() && many_values {
                // the ON CONFLICT clause follows each batch's VALUES; its own
                // parameters would repeat per batch
                let values = first_stmt.insert_values()?.len();
                if sorted || templated || first.params.len() > values {
                    return Err(PyErr::unsupported(
                        "an upsert with returning(), a list of parameter dicts and parameters in its ON CONFLICT clause, SQL expressions in values() or sort_by_parameter_order",
                    ));
                }
            }
            if sorted && !bind_names.is_empty() {
                return Err(PyErr::unsupported(
                    "returning(sort_by_parameter_order=True) with bindparam() values",
                ));
            }
            c.autobegin()?;
            if sorted {
                let (_, returned) = crate::orm::bulk_persistence::insert_sorted(
                    &c.executor,
                    &d.table,
                    &columns,
                    &single,
                    &many,
                    &d.returning,
                )?;
                return Ok(super::result::result_value(returned_rows(
                    &first_stmt,
                    &returned,
                    dialect,
                )));
            }
            if templated {
                let tail =
                    crate::orm::bulk_persistence::returning_tail(&first, !d.returning.is_empty());
                let mut rowcount = 0;
                let mut returned = Vec::new();
                for page in single.chunks(dialect.insertmanyvalues_page_size.max(1)) {
                    let compiled =
                        crate::sql::compiler::expand_insert_many_values(page, &tail, dialect)
                            .ok_or_else(|| {
                                PyErr::unsupported("this driver's executemany() of SQL expressions")
                            })?;
                    let done = c.executor.run_dml(&compiled, Cause::Query)?;
                    rowcount += done.rows_affected;
                    returned.extend(done.returned);
                }
                if !d.returning.is_empty() {
                    return Ok(super::result::result_value(returned_rows(
                        &first_stmt,
                        &returned,
                        dialect,
                    )));
                }
                return Ok(super::result::result_value(cursor_result(rowcount as i64)));
            }
            if many_values {
                // The RETURNING clause of the single-row statement, after
                // each batch (`_deliver_insertmanyvalues_batches`).
                let returning = if d.on_conflict.is_some() {
                    crate::orm::bulk_persistence::on_conflict_tail(&first)
                } else {
                    crate::orm::bulk_persistence::returning_tail(&first, !d.returning.is_empty())
                };
                let (rowcount, returned) = crate::orm::bulk_persistence::insert_many_values(
                    &c.executor,
                    &d.table,
                    &columns,
                    &bind_names,
                    &many,
                    &returning,
                )?;
                if !d.returning.is_empty() {
                    return Ok(super::result::result_value(returned_rows(
                        &first_stmt,
                        &returned,
                        dialect,
                    )));
                }
                return Ok(super::result::result_value(cursor_result(rowcount as i64)));
            }
            run_many(c, &first, &many)
        }
        one => {
            let items = match &one {
                Params::One(items) => items.clone(),
                _ => Vec::new(),
            };
            let (stmt, compiled) = compile_with(&items, None)?;
            c.autobegin()?;
            let done = c.executor.run_dml(&compiled, Cause::Query)?;
            let mut r = cursor_result(done.rows_affected as i64);
            if !stmt.returning.is_empty() {
                r = returned_rows(&stmt, &done.returned, dialect);
            } else if stmt.kind == DmlKind::Insert
                && stmt.from_select.is_none()
                && stmt.multi_values.is_none()
            {
                r.inserted_primary_key = Some(Ok(inserted_primary_key(
                    &stmt,
                    done.last_insert_rowid,
                    done.returned.first(),
                )));
            }
            Ok(super::result::result_value(r))
        }
    }
}

/// SQLAlchemy's `StatementError` for an UPDATE or DELETE with
/// `returning()` and a list of parameter dicts: neither pysqlite nor
/// psycopg2 has `update_executemany_returning`/`delete_executemany_returning`
/// (`DefaultExecutionContext._init_compiled`).
fn executemany_returning_error(
    d: &DmlStatement,
    first: &Compiled,
    dialect: &crate::sql::dialect::Dialect,
    all_params: &Value,
) -> PyErr {
    let verb = match d.kind {
        DmlKind::Delete => "DELETE",
        _ => "UPDATE",
    };
    PyErr::new(
        ExcType::StatementError,
        format!(
            "(sqlalchemy.exc.InvalidRequestError) Dialect {}+{} with current server capabilities does not support {verb}..RETURNING when executemany is used\n[SQL: {}]\n[parameters: {}]",
            dialect.name,
            dialect.driver,
            first.sql,
            crate::python::format::repr_plain(all_params)
        ),
    )
}

/// The `CursorResult` of a statement with `returning()`: its rows, keyed by
/// the returned columns' names; pysqlite's `rowcount` is 0 before they are
/// fetched.
fn returned_rows(
    stmt: &DmlStatement,
    returned: &[Vec<SqlValue>],
    dialect: &crate::sql::dialect::Dialect,
) -> ResultObj {
    let (keys, rows) =
        crate::orm::expression::returned_columns(&stmt.table, &stmt.returning, returned);
    let mut r = ResultObj::new(keys, rows, false);
    r.cursor = true;
    r.rowcount = if dialect.name == "sqlite" {
        0
    } else {
        returned.len() as i64
    };
    r.inserted_primary_key = Some(Err(
        "Can't call inserted_primary_key when returning() is used.".into(),
    ));
    r
}

/// `CursorResult.inserted_primary_key`: the primary key of the row just
/// inserted, given, or from the implicit `RETURNING` of the key columns not
/// given (`returned`, PostgreSQL), or from `lastrowid` (SQLite), as a `Row`
/// (`(5,)`).
fn inserted_primary_key(
    stmt: &DmlStatement,
    lastrowid: i64,
    returned: Option<&Vec<SqlValue>>,
) -> Value {
    let table = &stmt.table;
    let pk = table.primary_key();
    let single = pk.len() == 1;
    let mut returned = returned.map(|r| r.iter());
    let (keys, values): (Vec<String>, Vec<Value>) = pk
        .iter()
        .map(|&i| {
            let v = match stmt.values.iter().find(|(c, _)| *c == i) {
                Some((_, v)) => v.clone(),
                None if returned.is_some() => returned
                    .as_mut()
                    .and_then(|r| r.next())
                    .map_or(Value::None, |v| {
                        result_value(v, Some(&table.columns[i].sql_type))
                    }),
                None if single => result_value(
                    &SqlValue::Integer(lastrowid),
                    Some(&table.columns[i].sql_type),
                ),
                None => Value::None,
            };
            (table.columns[i].name.clone(), v)
        })
        .unzip();
    Value::Row(Rc::new(Row {
        keys: Rc::from(keys),
        values,
    }))
}

/// `conn.exec_driver_sql(sql, parameters)`: the SQL string as the DBAPI
/// takes it (`?` placeholders on SQLite, bound from a tuple or list; a list
/// of tuples runs `executemany()`).
///
/// Errors: `ResourceClosedError` on a closed connection; the database's
/// errors.
pub fn exec_driver_sql(
    c: &Rc<Connection>,
    stmt: &Value,
    params: Option<&Value>,
) -> PyResult<Value> {
    let Value::Str(sql) = stmt else {
        return Err(crate::python::exceptions::type_error(format!(
            "argument 1 must be str, not {}",
            stmt.type_name()
        )));
    };
    c.autobegin()?;
    let positional = |v: &Value| -> PyResult<Vec<SqlValue>> {
        match v {
            Value::Tuple(items) => items.iter().map(|x| bind_value(x, None)).collect(),
            Value::List(items) => items
                .items
                .borrow()
                .iter()
                .map(|x| bind_value(x, None))
                .collect(),
            _ => Err(PyErr::unsupported(
                "exec_driver_sql() parameters other than a tuple or a list of tuples",
            )),
        }
    };
    // Positional parameters, unnamed: the statement log records them as
    // the DBAPI got them (a tuple), whatever the paramstyle.
    let compiled_with = |values: Vec<SqlValue>| Compiled {
        sql: sql.to_string(),
        params: values
            .into_iter()
            .map(|value| BoundParam {
                name: String::new(),
                value,
                callable_: None,
            })
            .collect(),
    };
    if let Some(Value::List(rows)) = params
        && rows
            .items
            .borrow()
            .first()
            .is_some_and(|r| matches!(r, Value::Tuple(_)))
    {
        let many: Vec<Vec<SqlValue>> = rows
            .items
            .borrow()
            .iter()
            .map(positional)
            .collect::<PyResult<_>>()?;
        c.executor
            .db
            .echo()
            .set_next_stats(crate::engine::echo::Stats::Raw);
        return run_many(c, &compiled_with(Vec::new()), &many);
    }
    let values = match params {
        None | Some(Value::None) => Vec::new(),
        Some(v) => positional(v)?,
    };
    let compiled = compiled_with(values);
    let text = crate::sql::elements::TextClause {
        text: sql.to_string(),
        binds: Vec::new(),
        columns: None,
    };
    let db = &c.executor.db;
    // echo=True logs driver SQL with `[raw sql]`
    db.echo().set_next_stats(crate::engine::echo::Stats::Raw);
    if text.returns_rows() {
        let (names, rows) = db
            .query_with_names(&compiled, Cause::Query)
            .map_err(|e| crate::orm::session::db_error(e, Some(&compiled)))?;
        let rows = rows
            .iter()
            .map(|r| r.iter().map(|v| result_value(v, None)).collect())
            .collect();
        let mut r = ResultObj::new(names, rows, false);
        r.cursor = true;
        r.log_each_row(db.row_log());
        return Ok(super::result::result_value(r));
    }
    let done = c.executor.run_dml(&compiled, Cause::Query)?;
    Ok(super::result::result_value(cursor_result(
        done.rows_affected as i64,
    )))
}

/// The `Sequence` a value is, if it is one.
pub fn as_sequence(v: &Value) -> Option<Rc<crate::sql::schema::Sequence>> {
    match v {
        Value::Native(n) => match downcast::<crate::orm::schema_items::SchemaItem>(n).as_deref() {
            Some(crate::orm::schema_items::SchemaItem::Sequence(s, _)) => Some(s.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// `conn.scalar(seq)`: the sequence's next value, as SQLAlchemy 2.0's
/// `DefaultExecutionContext._execute_scalar` with PostgreSQL's
/// `fire_sequence` (`select nextval('s')`, in the connection's
/// transaction).
///
/// Errors: a bare `NotImplementedError` on a dialect without sequences
/// (SQLite), as SQLAlchemy's `DefaultExecutionContext.fire_sequence`;
/// the database's.
pub fn fire_sequence(c: &Rc<Connection>, s: &crate::sql::schema::Sequence) -> PyResult<Value> {
    let dialect = c.executor.dialect();
    if !dialect.supports_sequences {
        return Err(PyErr::new(ExcType::NotImplementedError, ""));
    }
    c.check_open()?;
    c.autobegin()?;
    let sql = format!(
        "select nextval('{}')",
        dialect.quote(&s.name).replace('\'', "''")
    );
    let rows = c
        .executor
        .db
        .query(&Compiled::text(sql), Cause::Query)
        .map_err(|e| crate::orm::session::db_error(e, None))?;
    Ok(rows
        .first()
        .and_then(|r| r.first())
        .map_or(Value::None, |v| {
            result_value(v, Some(&crate::sql::schema::SqlType::Integer))
        }))
}
