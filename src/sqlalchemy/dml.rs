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

/// The `bindparam()` keys in `e`, in order, each once.
fn collect_keys(e: &Expr, out: &mut Vec<String>) {
    let mut visit = |x: &Expr| collect_keys(x, out);
    match e {
        Expr::BindParam { key, unique, .. } => {
            let fresh = !unique && !out.contains(key);
            if fresh {
                out.push(key.clone());
            }
        }
        Expr::Binary { left, right, .. } => {
            visit(left);
            visit(right);
        }
        Expr::BoolList { clauses, .. } => clauses.iter().for_each(visit),
        Expr::Not(x) | Expr::Neg(x) | Expr::Grouping(x) | Expr::Distinct(x) => visit(x),
        Expr::Function { args, .. } => args.iter().for_each(visit),
        Expr::Label { expr, .. } | Expr::Cast { expr, .. } | Expr::TypeCoerce { expr, .. } => {
            visit(expr)
        }
        Expr::FunctionFilter { func, criterion } => {
            visit(func);
            criterion.iter().for_each(visit);
        }
        Expr::In { left, values, .. } => {
            visit(left);
            values.iter().for_each(visit);
        }
        Expr::Between {
            expr, low, high, ..
        } => {
            visit(expr);
            visit(low);
            visit(high);
        }
        // `values(user_id=select(…).where(t.c.name == bindparam("n"))
        // .scalar_subquery())`: the subquery's parameters are the statement's
        Expr::ScalarSelect(select) | Expr::Exists(select) => select
            .columns
            .iter()
            .chain(&select.where_)
            .chain(&select.having)
            .for_each(visit),
        _ => {}
    }
}

/// The keys of the `bindparam()`s in a statement's WHERE clause and values.
pub fn bindparam_keys(d: &DmlStatement) -> Vec<String> {
    let mut out = Vec::new();
    for w in &d.where_ {
        collect_keys(w, &mut out);
    }
    for (_, v) in &d.values {
        if let Some(e) = v.downcast::<SqlExpr>() {
            collect_keys(&e.expr, &mut out);
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
            continue;
        }
        let index = match coerce(a, None)?.expr {
            Expr::Column(c) if matches!(&c.from, Selectable::Table(t) if t.name == d.table.name) => {
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
            (other, _) => {
                return Err(PyErr::unsupported(format!(
                    "the execution option '{other}' on an UPDATE or DELETE"
                )));
            }
        }
    }
    Ok(out)
}
