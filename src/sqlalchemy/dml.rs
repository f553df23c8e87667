//! Core DML pieces run through a `Connection`: `bindparam()` (SQLAlchemy
//! 2.0 `sql/_elements_constructors.py`), `Insert.returning()`, and the
//! parameters of `conn.execute(stmt, params)` filling a statement's
//! `bindparam()`s, as `DefaultExecutionContext` does.

use std::collections::HashMap;
use std::rc::Rc;

use crate::orm::bulk::DmlStatement;
use crate::orm::expression::{SqlExpr, bind_value, coerce};
use crate::python::signature::Signature;
use crate::python::vm::Kwargs;
use crate::python::{ExcType, PyErr, PyResult, Value};
use crate::sql::compiler::Compiled;
use crate::sql::elements::{Expr, Selectable};
use crate::sql::schema::SqlValue;

/// `Insert.from_select(names, select, include_defaults=True)`: the
/// INSERT takes the rows of `select` into the columns `names` (strings or
/// the table's columns), `INSERT INTO t (a, b) SELECT …`.
///
/// Errors: Python's `TypeError` for arguments that do not fit;
/// `NotImplementedError` for a name that is not one of the table's
/// columns or a `select` that is no `select()`.
pub fn from_select(d: &DmlStatement, args: Vec<Value>, kwargs: Kwargs) -> PyResult<DmlStatement> {
    let b = Signature::function("from_select", &["names", "select", "include_defaults="])
        .bind(args, kwargs)?;
    let names = match b.required("names")? {
        Value::List(l) => l.items.borrow().clone(),
        Value::Tuple(t) => t.to_vec(),
        other => vec![other.clone()],
    };
    let mut columns = Vec::with_capacity(names.len());
    for n in &names {
        let name = match n {
            Value::Str(s) => s.to_string(),
            v => match v.downcast::<SqlExpr>().and_then(|e| e.key.clone()) {
                Some(k) => k,
                None => {
                    return Err(PyErr::unsupported(format!(
                        "Insert.from_select() with the name {}",
                        crate::python::format::repr_plain(v)
                    )));
                }
            },
        };
        let Some(i) = d.table.column_index(&name) else {
            return Err(PyErr::unsupported(format!(
                "Insert.from_select() of '{name}', which is not a column of '{}'",
                d.table.name
            )));
        };
        columns.push(i);
    }
    let select = b.required("select")?;
    let Some(q) = super::query::as_query(select).filter(|q| !q.is_legacy()) else {
        return Err(PyErr::unsupported(format!(
            "Insert.from_select() of {}",
            crate::python::format::repr_plain(select)
        )));
    };
    let (select, _) = q.to_select_plain()?;
    let mut nd = d.clone();
    nd.from_select = Some((columns, select));
    Ok(nd)
}

/// `bindparam(key, value=None, type_=None)`: a parameter named `key`
/// (rendered `:key`, `?` on SQLite), given a value at execution by the
/// parameter dict of `conn.execute(stmt, {"key": …})`. Without `value` it
/// is required, as SQLAlchemy's `required=True` default.
///
/// Errors: Python's `TypeError` for arguments that do not fit;
/// `NotImplementedError` for the other keywords (`expanding=`, …).
pub fn bindparam(args: Vec<Value>, kwargs: Kwargs) -> PyResult<Value> {
    let b = Signature::function(
        "bindparam",
        &[
            "key",
            "value=",
            "type_=",
            "unique=!",
            "required=!",
            "quote=!",
            "callable_=!",
            "expanding=!",
            "isoutparam=!",
            "literal_execute=!",
        ],
    )
    .bind(args, kwargs)?;
    let key = match b.required("key")? {
        Value::Str(s) => s.to_string(),
        other => {
            return Err(PyErr::unsupported(format!(
                "bindparam() with a key of type {}",
                other.type_name()
            )));
        }
    };
    let ty = match b.given("type_") {
        Some(t) => Some(super::core::sql_type(t)?),
        None => b
            .given("value")
            .and_then(crate::orm::expression::infer_type),
    };
    let value = match b.given("value") {
        Some(v) => bind_value(v, ty.as_ref())?,
        None => SqlValue::Null,
    };
    Ok(Value::native(SqlExpr::new(
        Expr::BindParam {
            key,
            value,
            unique: false,
        },
        ty,
    )))
}

/// The keys of the `bindparam()`s in a statement's WHERE clause and values.
pub fn bindparam_keys(d: &DmlStatement) -> Vec<String> {
    let mut out = Vec::new();
    for w in &d.where_ {
        crate::sql::elements::collect_bindparam_keys(w, &mut out);
    }
    for (_, v) in &d.values {
        if let Some(e) = v.downcast::<SqlExpr>() {
            crate::sql::elements::collect_bindparam_keys(&e.expr, &mut out);
        }
    }
    out
}

/// A value that is a bare `bindparam()`: its key.
pub fn as_bindparam_key(v: &Value) -> Option<String> {
    match &v.downcast::<SqlExpr>()?.expr {
        Expr::BindParam {
            key, unique: false, ..
        } => Some(key.clone()),
        _ => None,
    }
}

/// SQLAlchemy's `StatementError` for a `bindparam()` with no value.
pub fn required_error(
    key: &str,
    compiled: &Compiled,
    group: Option<usize>,
    all_params: &Value,
) -> PyErr {
    let at = group.map_or(String::new(), |g| format!(", in parameter group {g}"));
    PyErr::new(
        ExcType::StatementError,
        format!(
            "(sqlalchemy.exc.InvalidRequestError) A value is required for bind parameter '{key}'{at}\n[SQL: {}]\n[parameters: {}]",
            compiled.sql,
            crate::python::format::repr_plain(all_params)
        ),
    )
}

/// Fills the `bindparam()`s of `compiled` from one parameter dict
/// (`group` is its number in an executemany, for the message).
///
/// Errors: `StatementError` for a required parameter the dict lacks, with
/// SQLAlchemy 2.0's message.
pub fn fill_bindparams(
    compiled: &Compiled,
    keys: &[String],
    given: &HashMap<String, Value>,
    group: Option<usize>,
    all_params: &Value,
) -> PyResult<Compiled> {
    let mut out = compiled.clone();
    for p in &mut out.params {
        if !keys.contains(&p.name) {
            continue;
        }
        match given.get(&p.name) {
            Some(v) => p.value = bind_value(v, None)?,
            None if p.value == SqlValue::Null => {
                return Err(required_error(&p.name, compiled, group, all_params));
            }
            None => {}
        }
    }
    Ok(out)
}

/// `insert(t).returning(t.c.id, …)`, `update(t)….returning(…)`,
/// `delete(t)….returning(…)`: the columns the statement returns
/// (`returning(User)`: every column, the rows loaded as objects), as
/// SQLAlchemy 2.0 `UpdateBase.returning()`.
///
/// Errors: `ArgumentError` for a string, as SQLAlchemy's;
/// `NotImplementedError` for expressions other than the table's own
/// columns.
pub fn returning(d: &DmlStatement, args: &[Value]) -> PyResult<DmlStatement> {
    let mut out = d.clone();
    for a in args {
        if let Value::Str(s) = a {
            return Err(PyErr::new(
                ExcType::ArgumentError,
                format!(
                    "Textual column expression '{s}' should be explicitly declared with text('{s}'), or use column('{s}') for more specificity"
                ),
            ));
        }
        if let Some(m) = super::objects::as_class(a)
            && d.mapper.as_ref().is_some_and(|dm| Rc::ptr_eq(dm, &m))
            && args.len() == 1
        {
            out.returning = (0..d.table.columns.len()).collect();
            out.returning_entity = true;
            out.returning_plain = true;
            continue;
        }
        let index = match coerce(a, None)?.expr {
            Expr::Column(c) if matches!(&c.from, Selectable::Table(t) if t.name == d.table.name) => {
                if c.annotations.parententity.is_some() {
                    out.returning_annotated = true;
                } else {
                    out.returning_plain = true;
                }
                c.index
            }
            _ => {
                return Err(PyErr::unsupported(
                    "returning() of anything but the table's own columns",
                ));
            }
        };
        if !out.returning.contains(&index) {
            out.returning.push(index);
        }
    }
    Ok(out)
}

/// `update(User).….execution_options(synchronize_session=…)`, as SQLAlchemy
/// 2.0's `Executable.execution_options()` for an ORM-enabled UPDATE or
/// DELETE: `False` leaves the objects in the identity map as they are;
/// `"auto"` and `"evaluate"` update them in Python (the default; "auto"
/// fetches when the criteria cannot be evaluated, "evaluate" raises);
/// `"fetch"` finds them by the primary keys the statement returns.
///
/// Errors: `ArgumentError` for another `synchronize_session` value, as
/// SQLAlchemy 2.0's; `NotImplementedError` for other options.
pub fn execution_options(
    stmt: &DmlStatement,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<DmlStatement> {
    if !args.is_empty() {
        return Err(crate::python::exceptions::type_error(format!(
            "execution_options() takes 1 positional argument but {} were given",
            args.len() + 1
        )));
    }
    let mut out = stmt.clone();
    for (k, v) in kwargs {
        match (k.as_str(), &v) {
            ("synchronize_session", Value::Bool(false)) => {
                out.synchronize_session = false;
                out.fetch = false;
                out.evaluate = false;
            }
            ("synchronize_session", Value::Str(s)) if matches!(&**s, "auto" | "evaluate") => {
                out.synchronize_session = true;
                out.fetch = false;
                out.evaluate = &**s == "evaluate";
            }
            ("synchronize_session", Value::Str(s)) if &**s == "fetch" => {
                out.synchronize_session = true;
                out.fetch = true;
                out.evaluate = false;
            }
            ("synchronize_session", _) => {
                return Err(PyErr::new(
                    crate::python::ExcType::ArgumentError,
                    "Valid strategies for session synchronization are 'auto', 'evaluate', 'fetch', False",
                ));
            }
            ("populate_existing", v) => out.populate_existing = v.truthy(),
            ("render_nulls", v) => out.render_nulls = v.truthy(),
            (other, _) => {
                return Err(PyErr::unsupported(format!(
                    "the execution option '{other}' on an UPDATE or DELETE"
                )));
            }
        }
    }
    Ok(out)
}

/// `sqlalchemy.dialects.sqlite.insert(table)` /
/// `sqlalchemy.dialects.postgresql.insert(table)`: the dialect's own
/// `Insert`, on a mapped class or a table, with `on_conflict_do_nothing()`,
/// `on_conflict_do_update()` and `.excluded` (upserts). `str()` compiles
/// it with its dialect.
///
/// Errors: Python's `TypeError` for arguments that do not fit;
/// `ArgumentError` for a table that is neither a class nor a table.
pub fn dialect_insert(dialect: &'static str, args: Vec<Value>, kwargs: Kwargs) -> PyResult<Value> {
    let b = Signature::function("insert", &["table"]).bind(args, kwargs)?;
    let table = b.required("table")?;
    let mut stmt = match table {
        v if let Some(m) = super::objects::as_class(v) => {
            DmlStatement::new(crate::orm::bulk::DmlKind::Insert, m)
        }
        v if let Some(t) = super::objects::as_table(v) => {
            DmlStatement::on_table(crate::orm::bulk::DmlKind::Insert, t)
        }
        other => {
            return Err(PyErr::new(
                ExcType::ArgumentError,
                format!(
                    "subject table for an INSERT, UPDATE or DELETE expected, got {}.",
                    crate::python::format::repr_plain(other)
                ),
            ));
        }
    };
    stmt.dialect_insert = Some(dialect);
    Ok(Value::native(stmt))
}

/// `stmt.excluded` of a dialect's `insert()`: the columns of the `excluded`
/// alias of its table (`excluded.name`), as SQLAlchemy's `Insert.excluded`;
/// `entity_description` and `returning_column_descriptions` (see
/// [`entity_description`], [`returning_column_descriptions`]); `None` for
/// other objects and names.
pub fn dml_attr(obj: &Value, name: &str) -> Option<PyResult<Value>> {
    let d = obj.downcast::<DmlStatement>()?;
    if name == "entity_description" {
        return Some(Ok(entity_description(&d)));
    }
    if name == "returning_column_descriptions" {
        return Some(returning_column_descriptions(&d));
    }
    if name != "excluded" || d.dialect_insert.is_none() {
        return None;
    }
    let alias = crate::orm::util::table_alias(&d.table, Some("excluded".to_string()));
    Some(Ok(Value::native(super::aliased::AliasColumns(alias))))
}

/// `stmt.entity_description` of an INSERT, UPDATE or DELETE, as
/// SQLAlchemy 2.0: on a mapped class `{'name', 'type', 'expr', 'entity',
/// 'table'}` (the ORM plugin's), on a Core table `{'name', 'table'}`.
pub fn entity_description(d: &DmlStatement) -> Value {
    use crate::python::value::DictObj;
    let table = Value::Native(d.table.clone());
    match &d.mapper {
        Some(m) => {
            let class = Value::Native(m.clone());
            DictObj::value(vec![
                (Value::str("name"), Value::str(&m.class_name)),
                (Value::str("type"), class.clone()),
                (Value::str("expr"), class.clone()),
                (Value::str("entity"), class),
                (Value::str("table"), table),
            ])
        }
        None => DictObj::value(vec![
            (Value::str("name"), Value::str(&d.table.name)),
            (Value::str("table"), table),
        ]),
    }
}

/// `stmt.returning_column_descriptions`, as SQLAlchemy 2.0: on a mapped
/// class one `{'name', 'type', 'expr', 'aliased', 'entity'}` per returned
/// attribute (a Core column or a whole entity there raises SQLAlchemy's
/// `AttributeError` about `NoneType`, as its ORM plugin does), on a Core
/// table one `{'name', 'type', 'expr'}` per column.
///
/// Errors: `NotImplementedError` for mapped attributes returned from a
/// Core table's statement.
pub fn returning_column_descriptions(d: &DmlStatement) -> PyResult<Value> {
    use crate::orm::mapper::{AttrKind, AttrRef};
    use crate::python::value::DictObj;
    let column = |i: usize| {
        let c = &d.table.columns[i];
        let mut e = crate::orm::expression::SqlExpr::new(
            Expr::column(&Selectable::Table(d.table.clone()), i),
            Some(c.sql_type.clone()),
        );
        e.key = Some(c.name.clone());
        e
    };
    let mut out = Vec::with_capacity(d.returning.len());
    match &d.mapper {
        Some(m) => {
            if d.returning_plain {
                return Err(PyErr::new(
                    ExcType::AttributeError,
                    "'NoneType' object has no attribute 'is_aliased_class'",
                ));
            }
            for &i in &d.returning {
                let Some((key, _)) = m.columns.iter().find(|(_, index)| *index == i) else {
                    return Err(PyErr::unsupported(
                        "returning_column_descriptions of a column that is no mapped attribute",
                    ));
                };
                let c = column(i);
                out.push(DictObj::value(vec![
                    (Value::str("name"), Value::str(key)),
                    (Value::str("type"), super::query::sql_type_value(&c.ty)),
                    (
                        Value::str("expr"),
                        Value::native(AttrRef::new(m.clone(), key.clone(), AttrKind::Column(i))),
                    ),
                    (Value::str("aliased"), Value::Bool(false)),
                    (Value::str("entity"), Value::Native(m.clone())),
                ]));
            }
        }
        None => {
            if d.returning_annotated {
                return Err(PyErr::unsupported(
                    "returning_column_descriptions of mapped attributes returned by a Core table's statement",
                ));
            }
            for &i in &d.returning {
                let c = column(i);
                out.push(DictObj::value(vec![
                    (Value::str("name"), Value::str(&d.table.columns[i].name)),
                    (Value::str("type"), super::query::sql_type_value(&c.ty)),
                    (Value::str("expr"), Value::native(c)),
                ]));
            }
        }
    }
    Ok(Value::list(out))
}

/// `stmt.on_conflict_do_nothing(index_elements=…, index_where=…)` and
/// `stmt.on_conflict_do_update(index_elements=…, set_=…, where=…)` (and
/// PostgreSQL's `constraint=`), as SQLAlchemy 2.0's `sqlite.Insert` /
/// `postgresql.Insert`: the `ON CONFLICT` clause rendered after the VALUES.
/// `set_`'s keys are column names, mapped attributes or columns; its
/// values Python values (bound as `param_1`) or SQL expressions
/// (`stmt.excluded.name`), in the table's column order.
///
/// Errors: `AttributeError` on the generic `insert()`; Python's
/// `TypeError` for arguments that do not fit; `ValueError` for an empty
/// `set_`, `InvalidRequestError` for a second ON CONFLICT, as
/// SQLAlchemy's.
pub fn on_conflict(
    d: &DmlStatement,
    update: bool,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<DmlStatement> {
    use crate::sql::elements::{ConflictTarget, ConflictUpdate, OnConflict};
    let method = if update {
        "on_conflict_do_update"
    } else {
        "on_conflict_do_nothing"
    };
    let Some(dialect) = d.dialect_insert else {
        return Err(crate::python::exceptions::attribute_error(format!(
            "'Insert' object has no attribute '{method}'"
        )));
    };
    let params: &'static [&'static str] = match (dialect == "postgresql", update) {
        (true, true) => &[
            "constraint=",
            "index_elements=",
            "index_where=",
            "set_=",
            "where=",
        ],
        (true, false) => &["constraint=", "index_elements=", "index_where="],
        (false, true) => &["index_elements=", "index_where=", "set_=", "where="],
        (false, false) => &["index_elements=", "index_where="],
    };
    let b = Signature::method(
        if update {
            "Insert.on_conflict_do_update"
        } else {
            "Insert.on_conflict_do_nothing"
        },
        params,
    )
    .bind(args, kwargs)?;
    let given = |name: &str| b.given(name).filter(|v| !matches!(v, Value::None));
    let mut set = Vec::new();
    if update {
        let pairs: Vec<(Value, Value)> = match given("set_") {
            Some(Value::Dict(dict)) => dict
                .borrow()
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            _ => Vec::new(),
        };
        if pairs.is_empty() {
            return Err(PyErr::new(
                ExcType::ValueError,
                "set parameter must be a non-empty dictionary or a ColumnCollection such as the `.c.` collection of a Table object",
            ));
        }
        let mut by_column = Vec::new();
        for (k, v) in pairs {
            let col = match &k {
                Value::Str(s) => d.table.column_index(s),
                other => match coerce(other, None)?.expr {
                    Expr::Column(c) if matches!(&c.from, Selectable::Table(t) if Rc::ptr_eq(t, &d.table)) => {
                        Some(c.index)
                    }
                    _ => None,
                },
            };
            let Some(col) = col else {
                return Err(PyErr::unsupported(
                    "on_conflict_do_update() set_ keys that are not the table's columns",
                ));
            };
            let ty = d.table.columns[col].sql_type.clone();
            by_column.push((col, coerce(&v, Some(&ty))?.expr));
        }
        by_column.sort_by_key(|(c, _)| *c);
        by_column.dedup_by_key(|(c, _)| *c);
        set = by_column
            .into_iter()
            .map(|(c, e)| (d.table.columns[c].name.clone(), e))
            .collect();
    }
    if d.on_conflict.is_some() {
        return Err(PyErr::new(
            ExcType::InvalidRequestError,
            "This Insert construct already has an ON CONFLICT clause established",
        ));
    }
    let target = match given("index_elements") {
        None => None,
        Some(v) => {
            let items: Vec<Value> = match v {
                Value::List(l) => l.items.borrow().clone(),
                Value::Tuple(t) => t.to_vec(),
                other => vec![other.clone()],
            };
            let mut target = Vec::new();
            for item in &items {
                target.push(match item {
                    Value::Str(s) => ConflictTarget::Name(s.to_string()),
                    other => ConflictTarget::Expr(coerce(other, None)?.expr),
                });
            }
            Some(target)
        }
    };
    let index_where = match given("index_where") {
        Some(v) => Some(crate::orm::expression::where_clause(v)?),
        None => None,
    };
    if dialect == "sqlite" && index_where.as_ref().is_some_and(has_in) {
        // an expanding IN under `literal_execute`: `IN (__[POSTCOMPILE_x])`
        return Err(PyErr::unsupported(
            "in_() inside SQLite's on_conflict_do_*(index_where=...)",
        ));
    }
    let constraint = match given("constraint") {
        None => None,
        Some(Value::Str(s)) => Some(s.to_string()),
        Some(_) => {
            return Err(PyErr::unsupported(
                "on_conflict_do_*(constraint=) other than a constraint's name",
            ));
        }
    };
    let update = if update {
        let where_ = match given("where") {
            Some(v) => Some(crate::orm::expression::where_clause(v)?),
            None => None,
        };
        Some(ConflictUpdate { set, where_ })
    } else {
        None
    };
    let mut out = d.clone();
    out.on_conflict = Some(OnConflict {
        target,
        index_where,
        constraint,
        update,
    });
    Ok(out)
}

/// Whether `e` holds an `IN`, through its boolean operators.
fn has_in(e: &Expr) -> bool {
    match e {
        // A list of values is one expanding parameter, written inline when
        // the statement runs; an empty list or a subquery is not modelled.
        Expr::In { values, .. } => {
            values.is_empty() || !values.iter().all(|v| matches!(v, Expr::Bind(_)))
        }
        Expr::Binary { left, right, .. } => has_in(left) || has_in(right),
        Expr::BoolList { clauses, .. } => clauses.iter().any(has_in),
        Expr::Not(x) | Expr::Grouping(x) => has_in(x),
        _ => false,
    }
}

/// `insert(t).values([{…}, {…}])` / `values([(1, "a"), (2, "b")])`: a
/// multi-row VALUES clause, as SQLAlchemy 2.0's `ValuesBase.values()` with
/// a list. The first row's keys are the statement's columns (set into
/// `values`), a later row's other keys are left out as SQLAlchemy's
/// compiler leaves them; a tuple gives the table's columns in order.
///
/// Errors: `ArgumentError` for a first-row key that is no column;
/// `NotImplementedError` for an empty list or rows of other types.
pub fn multi_values(d: &mut DmlStatement, rows: &[Value]) -> PyResult<()> {
    if rows.is_empty() {
        return Err(PyErr::unsupported("values() with an empty list"));
    }
    let mut later = Vec::new();
    for (n, row) in rows.iter().enumerate() {
        let mut items: Vec<(usize, Value)> = Vec::new();
        match row {
            Value::Dict(dict) => {
                for (k, v) in dict.borrow().iter() {
                    let key = values_key(k)?;
                    match d.column_for_key(&key) {
                        Some(c) => items.push((c, crate::orm::bulk::values_coerced(v.clone())?)),
                        None if n == 0 => d.set_value(&key, v.clone())?,
                        None => {}
                    }
                }
            }
            Value::Tuple(_) | Value::List(_) => {
                let values: Vec<Value> = match row {
                    Value::Tuple(t) => t.to_vec(),
                    Value::List(l) => l.items.borrow().clone(),
                    _ => Vec::new(),
                };
                for (c, v) in values.into_iter().enumerate() {
                    items.push((c, crate::orm::bulk::values_coerced(v)?));
                }
            }
            _ => {
                return Err(PyErr::unsupported(
                    "values() with a list of rows other than dicts or tuples",
                ));
            }
        }
        if n == 0 {
            for (c, v) in items {
                d.values.retain(|(i, _)| *i != c);
                d.values.push((c, v));
            }
        } else {
            later.push(items);
        }
    }
    d.multi_values = Some(later);
    Ok(())
}

/// A `values()` dict key: `"name"` or `User.name`.
fn values_key(k: &Value) -> PyResult<String> {
    match k {
        Value::Str(s) => Ok(s.to_string()),
        v if let Some(a) = v.downcast::<crate::orm::mapper::AttrRef>() => Ok(a.key.clone()),
        other => Err(PyErr::new(
            ExcType::ArgumentError,
            format!(
                "Invalid expression type: {}",
                crate::python::format::repr_plain(other)
            ),
        )),
    }
}
