//! `sqlalchemy.orm.Query` (the legacy `session.query(...)`) and
//! `sqlalchemy.sql.Select` (`select(...)`): one method table each, sharing the
//! builder methods, with SQLAlchemy 2.0's signatures.

use std::rc::Rc;

use crate::interpreter::Interpreter;
use crate::interpreter::methods::{class_attr, dict_key_name};
use crate::orm::expression;
use crate::orm::mapper::AttrKind;
use crate::orm::query::{Entity, JoinSpec, JoinTarget, Query, QueryStyle};
use crate::orm::session::{LoadedRows, Session};
use crate::python::exceptions::{did_you_mean, invalid_request, type_error};
use crate::python::format::repr_plain;
use crate::python::value::Row;
use crate::python::{Bound, ExcType, PyErr, PyResult, Value};
use crate::sql::elements::{Expr, Selectable};

use super::method::Method;
use crate::orm::strategy_options::LoaderOption;
use crate::python::object::downcast;

type QueryMethod = Method<Rc<Query>>;

/// `v` as a `Query`/`Select`, when it is one.
pub fn as_query(v: &Value) -> Option<Rc<Query>> {
    v.downcast::<Query>()
}

/// The session a legacy query runs on.
pub fn query_session(q: &Query) -> PyResult<Rc<Session>> {
    match &q.style {
        QueryStyle::Legacy(s) => Ok(s.clone()),
        QueryStyle::Select => Err(invalid_request(
            "a select() runs through a session: session.execute(stmt)",
        )),
    }
}

/// A legacy query's results as Python values: objects for a single entity,
/// rows otherwise; entities made unique when a collection was joined eagerly
/// (SQLAlchemy's `Query` rules).
pub fn query_values(q: &Query, loaded: LoadedRows) -> Vec<Value> {
    let single_entity = q.entities.len() == 1
        && match &q.entities[0] {
            Entity::Mapper(..) => true,
            Entity::Bundle(b) => b.single_entity,
            Entity::Column(_) => false,
        };
    let joined_collection = loaded.joined_collection;
    // one value a row: the values are the result (no copy)
    if single_entity && loaded.width() == 1 && !joined_collection {
        return loaded.values;
    }
    let keys: Rc<[String]> = Rc::from(loaded.keys.clone());
    let rows = loaded.into_rows();
    let mut out: Vec<Value> = Vec::with_capacity(rows.len());
    // a joined collection's parent repeats on consecutive rows: the set
    // grows with the parents, not the rows
    let mut seen = crate::orm::state::ObjSet::default();
    for row in rows {
        let v = if single_entity {
            row.into_iter().next().unwrap_or(Value::None)
        } else {
            Value::Row(Rc::new(Row {
                keys: keys.clone(),
                values: row,
            }))
        };
        if joined_collection
            && single_entity
            && let Some(o) = &crate::orm::state::as_instance(&v)
            && !seen.insert(o)
        {
            continue;
        }
        out.push(v);
    }
    out
}

/// Runs a legacy query: its values as [`query_values`] gives them.
pub fn run_query_values(q: &Rc<Query>) -> PyResult<Vec<Value>> {
    let s = query_session(q)?;
    let loaded = s.execute_query(q, None)?;
    Ok(query_values(q, loaded))
}

/// A new query: a copy of `q` changed by `f` (queries are generative).
fn with_query(q: &Rc<Query>, f: impl FnOnce(&mut Query) -> PyResult<()>) -> PyResult<Value> {
    let mut nq = (**q).clone();
    f(&mut nq)?;
    Ok(Value::native(nq))
}

fn limit_value(v: &Value, what: &str) -> PyResult<Option<i64>> {
    match v {
        Value::None => Ok(None),
        Value::Int(i) => Ok(Some(*i)),
        Value::Bool(b) => Ok(Some(*b as i64)),
        other => Err(type_error(format!(
            "{what}() expects an integer, got {}",
            other.type_name()
        ))),
    }
}

fn filter(_: &mut Interpreter, q: &Rc<Query>, b: Bound) -> PyResult<Value> {
    with_query(q, |nq| {
        for a in &b.varargs {
            nq.where_.push(expression::where_clause(a)?);
        }
        Ok(())
    })
}

fn filter_by(_: &mut Interpreter, q: &Rc<Query>, b: Bound) -> PyResult<Value> {
    let (m, alias) = q
        .filter_by_entity()
        .ok_or_else(|| invalid_request("filter_by() needs an entity to filter"))?;
    with_query(q, |nq| {
        for (k, v) in &b.varkw {
            let attr = class_attr(&m, k).map_err(|_| {
                let names = m.attribute_names();
                let err = PyErr::new(
                    ExcType::InvalidRequestError,
                    format!(
                        "Entity namespace for \"{}\" has no property \"{k}\"",
                        m.table.name
                    ),
                );
                match did_you_mean(k, names.iter().map(String::as_str)) {
                    Some(h) => err.with_hint(format!("did you mean '{h}'?")),
                    None => err,
                }
            })?;
            let attr = match (&alias, attr.downcast::<crate::orm::mapper::AttrRef>()) {
                (Some(alias), Some(a)) => {
                    let mut a = (*a).clone();
                    a.alias = Some(alias.clone());
                    Value::native(a)
                }
                _ => attr,
            };
            let cond = expression::compare(&attr, expression::Comparison::Eq, v)?;
            nq.where_.push(expression::where_clause(&cond)?);
        }
        Ok(())
    })
}

fn order_or_group(q: &Rc<Query>, b: &Bound, order: bool) -> PyResult<Value> {
    with_query(q, |nq| {
        for a in &b.varargs {
            if matches!(a, Value::None) {
                if order {
                    nq.order_by.clear();
                }
                continue;
            }
            let e = match a {
                // order_by("n") names a label of the SELECT list.
                Value::Str(label) => Expr::LabelRef(label.to_string()),
                other => expression::coerce(other, None)?.expr,
            };
            if order {
                nq.order_by.push(e);
            } else {
                nq.group_by.push(e);
            }
        }
        Ok(())
    })
}

fn having(_: &mut Interpreter, q: &Rc<Query>, b: Bound) -> PyResult<Value> {
    with_query(q, |nq| {
        for a in &b.varargs {
            nq.having.push(expression::where_clause(a)?);
        }
        Ok(())
    })
}

fn limit(_: &mut Interpreter, q: &Rc<Query>, b: Bound) -> PyResult<Value> {
    let n = limit_value(b.required("limit")?, "limit")?;
    with_query(q, |nq| {
        nq.limit = n;
        Ok(())
    })
}

fn offset(_: &mut Interpreter, q: &Rc<Query>, b: Bound) -> PyResult<Value> {
    let n = limit_value(b.required("offset")?, "offset")?;
    with_query(q, |nq| {
        nq.offset = n;
        Ok(())
    })
}

fn distinct(_: &mut Interpreter, q: &Rc<Query>, b: Bound) -> PyResult<Value> {
    if !b.varargs.is_empty() {
        return Err(PyErr::unsupported("distinct() with expressions"));
    }
    with_query(q, |nq| {
        nq.distinct = true;
        Ok(())
    })
}

fn options(_: &mut Interpreter, q: &Rc<Query>, b: Bound) -> PyResult<Value> {
    with_query(q, |nq| {
        for a in &b.varargs {
            match a {
                Value::Native(n) if let Some(o) = downcast::<LoaderOption>(n) => nq.options.push(o),
                Value::Native(n)
                    if let Some(g) = downcast::<super::strategy_options::LoadGroup>(n) =>
                {
                    nq.options.extend(g.options.iter().cloned())
                }
                // A bare `Load(User)` names no attribute: it changes nothing,
                // as SQLAlchemy's.
                Value::Native(n) if downcast::<super::strategy_options::LoadRoot>(n).is_some() => {}
                other => {
                    return Err(PyErr::new(
                        ExcType::ArgumentError,
                        format!(
                            "options() takes loader options such as selectinload(User.messages), got {}",
                            other.type_name()
                        ),
                    ));
                }
            }
        }
        Ok(())
    })
}

/// `Select.join()` / `outerjoin()` / `Query.join()`: `outer` for a LEFT
/// OUTER JOIN, `full=True` for a FULL OUTER JOIN.
fn join(q: &Rc<Query>, b: &Bound, outer: bool) -> PyResult<Value> {
    let full = b.flag("full", false);
    let onclause = b.given("onclause");
    // `join(r, User.role)` / `join(m1, User.messages.of_type(m1))`: the ON
    // clause is a relationship, the target its (aliased) end.
    if let Some(rel) = onclause.and_then(|v| v.downcast::<crate::orm::mapper::AttrRef>())
        && matches!(rel.kind, AttrKind::Relationship(_))
    {
        let mut attr = (*rel).clone();
        if let Some((sel, _)) = super::aliased::as_alias(b.required("target")?) {
            attr.of_type = Some(sel);
        }
        return with_query(q, |nq| {
            nq.joins.push(JoinSpec {
                target: JoinTarget::Relationship(attr),
                on: None,
                outer,
                full,
            });
            Ok(())
        });
    }
    let on = match onclause {
        Some(v) => Some(expression::where_clause(v)?),
        None => None,
    };
    let target = match b.required("target")? {
        v if let Some((sel, mapper)) = super::aliased::as_alias(v) => match sel {
            Selectable::Alias(alias) => JoinTarget::Alias(alias, mapper),
            Selectable::Subquery(sq) => JoinTarget::Subquery(sq),
            Selectable::Table(t) => JoinTarget::Table(t),
        },
        v if let Some(a) = v.downcast::<crate::orm::mapper::AttrRef>()
            && matches!(a.kind, AttrKind::Relationship(_)) =>
        {
            JoinTarget::Relationship((*a).clone())
        }
        v if let Some(m) = super::objects::as_class(v) => JoinTarget::Mapper(m),
        v if let Some(t) = super::objects::as_table(v) => JoinTarget::Table(t),
        v if let Some(sq) = v.downcast::<super::subquery::SubqueryObj>() => {
            JoinTarget::Subquery(sq.subquery.clone())
        }
        other => {
            return Err(PyErr::new(
                ExcType::ArgumentError,
                format!(
                    "Join target must be a class, a table or a relationship such as User.messages, got {}",
                    repr_plain(other)
                ),
            ));
        }
    };
    with_query(q, |nq| {
        nq.joins.push(JoinSpec {
            target,
            on,
            outer,
            full,
        });
        Ok(())
    })
}

/// `Select.join_from(from_, target, onclause=None, *, isouter=False)`, as
/// SQLAlchemy 2.0: `target` joined to `from_`, which becomes a FROM entry
/// of its own (`select_from(from_)`, unless it already is one) that the
/// join then replaces: `FROM users JOIN messages ON …`.
fn join_from(vm: &mut Interpreter, q: &Rc<Query>, b: Bound) -> PyResult<Value> {
    let from = b.required("from_")?.clone();
    let sb = crate::python::Signature::function("select_from", &["*from_obj"])
        .bind(vec![from], Vec::new())?;
    let selected = select_from(vm, q, sb)?;
    let Some(selected) = selected.downcast::<Query>() else {
        return Err(invalid_request("join_from(): not a Select"));
    };
    let mut selected = (*selected).clone();
    // Already a FROM entry: not added twice.
    if let Some(last) = selected.select_from.last()
        && selected.select_from[..selected.select_from.len() - 1].contains(last)
    {
        selected.select_from.pop();
    }
    let mut args = vec![b.required("target")?.clone()];
    if let Some(on) = b.given("onclause") {
        args.push(on.clone());
    }
    let mut kwargs = Vec::new();
    if let Some(full) = b.given("full") {
        kwargs.push(("full".to_string(), full.clone()));
    }
    let jb = crate::python::Signature::function("join", &["target", "onclause=", "*", "full="])
        .bind(args, kwargs)?;
    join(&Rc::new(selected), &jb, b.flag("isouter", false))
}

fn select_from(_: &mut Interpreter, q: &Rc<Query>, b: Bound) -> PyResult<Value> {
    with_query(q, |nq| {
        for a in &b.varargs {
            match a {
                v if let Some(j) = v.downcast::<super::join::JoinObj>() => {
                    select_from_join(nq, &j)?
                }
                v if let Some(m) = super::objects::as_class(v) => {
                    nq.select_from.push(Selectable::Table(m.table.clone()))
                }
                v if let Some(t) = super::objects::as_table(v) => {
                    nq.select_from.push(Selectable::Table(t))
                }
                v if let Some(sq) = v.downcast::<super::subquery::SubqueryObj>() => {
                    nq.select_from.push(sq.selectable())
                }
                v if let Some((sel, _)) = super::aliased::as_alias(v) => nq.select_from.push(sel),
                other => {
                    return Err(PyErr::new(
                        ExcType::ArgumentError,
                        format!(
                            "select_from() takes a class or table, got {}",
                            repr_plain(other)
                        ),
                    ));
                }
            }
        }
        Ok(())
    })
}

/// `select_from(users.join(messages))`: the join's leftmost FROM object as
/// the base, then one `join()` per step, each with the join's ON clause.
///
/// FROM entries the join already joins are replaced by it, as
/// SQLAlchemy's FROM list drops the objects a join hides.
///
/// After other FROM entries (`select_from(roles).select_from(j)`: `FROM
/// roles, users JOIN messages ON …`), or nested on its right side (`users
/// JOIN (messages JOIN profiles ON …) ON …`), the join is kept whole as
/// one FROM entry.
///
/// Errors: `NotImplementedError` when the statement already has joins.
fn select_from_join(nq: &mut Query, j: &super::join::JoinObj) -> PyResult<()> {
    let joined = j.froms();
    if nq
        .select_from
        .iter()
        .all(|f| joined.iter().any(|s| s.same(f)))
        && nq.select_from_joins.is_empty()
    {
        nq.select_from.clear();
    }
    if !nq.joins.is_empty() {
        return Err(PyErr::unsupported("select_from() of a join after join()"));
    }
    let flat = match j.flatten() {
        Ok(flat) if nq.select_from.is_empty() && nq.select_from_joins.is_empty() => flat,
        _ => {
            // the FROM entries the join holds are dropped from the list
            nq.select_from.retain(|f| !joined.iter().any(|s| s.same(f)));
            let at = nq.select_from.len();
            nq.select_from_joins.push((at, j.to_from_clause()));
            return Ok(());
        }
    };
    let ((base, _), steps) = flat;
    nq.select_from.push(base);
    for step in steps {
        let target = match (step.right, step.mapper) {
            (Selectable::Table(t), Some(m)) if Rc::ptr_eq(&t, &m.table) => JoinTarget::Mapper(m),
            (Selectable::Table(t), _) => JoinTarget::Table(t),
            (Selectable::Alias(a), m) => JoinTarget::Alias(a, m),
            (Selectable::Subquery(sq), _) => JoinTarget::Subquery(sq),
        };
        nq.joins.push(JoinSpec {
            target,
            on: Some(step.on),
            outer: step.isouter,
            full: step.full,
        });
    }
    Ok(())
}

/// `Select.correlate_except(Address, …)`: as a scalar subquery, every FROM
/// of the enclosing SELECT correlates but these (SQLAlchemy 2.0
/// `Select.correlate_except()`, which turns auto-correlation off).
///
/// Errors: `AttributeError` on a legacy `Query` (which has none);
/// `NotImplementedError` for anything but classes and tables (`None`,
/// aliases).
fn correlate_except(_: &mut Interpreter, q: &Rc<Query>, b: Bound) -> PyResult<Value> {
    if q.is_legacy() {
        return Err(crate::python::exceptions::attribute_error(
            "'Query' object has no attribute 'correlate_except'",
        ));
    }
    let except = correlate_froms("correlate_except", &b.varargs)?;
    with_query(q, |nq| {
        nq.correlate_except
            .get_or_insert_with(Vec::new)
            .extend(except);
        Ok(())
    })
}

/// `Select.correlate(user_table, …)`: as a scalar subquery, these FROMs
/// correlate to the enclosing SELECT when it has them, and no others
/// (SQLAlchemy 2.0 `Select.correlate()`, which turns auto-correlation off).
///
/// Errors: `AttributeError` on a legacy `Query` (whose `correlate()` the
/// tutor lacks); `NotImplementedError` for anything but classes and tables.
fn correlate(_: &mut Interpreter, q: &Rc<Query>, b: Bound) -> PyResult<Value> {
    if q.is_legacy() {
        return Err(PyErr::unsupported("Query.correlate()"));
    }
    let froms = correlate_froms("correlate", &b.varargs)?;
    with_query(q, |nq| {
        nq.correlate.get_or_insert_with(Vec::new).extend(froms);
        Ok(())
    })
}

/// The FROM objects `correlate()` / `correlate_except()` name: mapped
/// classes and tables.
///
/// Errors: `NotImplementedError` for anything else (`None`, aliases).
pub fn correlate_froms(method: &str, args: &[Value]) -> PyResult<Vec<Selectable>> {
    let mut out = Vec::new();
    for a in args {
        match a {
            v if let Some(m) = super::objects::as_class(v) => {
                out.push(Selectable::Table(m.table.clone()))
            }
            v if let Some(t) = super::objects::as_table(v) => out.push(Selectable::Table(t)),
            other => {
                return Err(PyErr::unsupported(format!(
                    "{method}({})",
                    repr_plain(other)
                )));
            }
        }
    }
    Ok(out)
}

/// `Select.with_for_update(*, nowait=False, read=False, of=None,
/// skip_locked=False, key_share=False)` and `Query.with_for_update()`, as
/// SQLAlchemy 2.0's: the statement locks the rows it reads (PostgreSQL's
/// ` FOR UPDATE …`; SQLite has no row locks and renders nothing). `of=`
/// takes a class, table, `aliased()` class or column, or a list of them;
/// each table is named once.
///
/// Errors: `NotImplementedError` for an `of=` entry of another kind.
fn with_for_update(_: &mut Interpreter, q: &Rc<Query>, b: Bound) -> PyResult<Value> {
    let mut of: Vec<Selectable> = Vec::new();
    let entries = match b.given("of") {
        None | Some(Value::None) => Vec::new(),
        Some(Value::List(l)) => l.items.borrow().clone(),
        Some(Value::Tuple(t)) => t.to_vec(),
        Some(v) => vec![v.clone()],
    };
    for v in &entries {
        let sel = match v {
            v if let Some(m) = super::objects::as_class(v) => Selectable::Table(m.table.clone()),
            v if let Some(t) = super::objects::as_table(v) => Selectable::Table(t),
            v if let Some((sel, _)) = super::aliased::as_alias(v) => sel,
            v if let Ok(e) = crate::orm::expression::coerce(v, None)
                && let crate::sql::elements::Expr::Column(c) = &e.expr =>
            {
                c.from.clone()
            }
            other => {
                return Err(PyErr::unsupported(format!(
                    "with_for_update(of={})",
                    repr_plain(other)
                )));
            }
        };
        if !of.iter().any(|s| s.same(&sel)) {
            of.push(sel);
        }
    }
    let for_update = crate::sql::elements::ForUpdate {
        read: b.flag("read", false),
        nowait: b.flag("nowait", false),
        skip_locked: b.flag("skip_locked", false),
        key_share: b.flag("key_share", false),
        of,
    };
    with_query(q, |nq| {
        nq.for_update = Some(for_update);
        Ok(())
    })
}

fn with_entities(_: &mut Interpreter, q: &Rc<Query>, b: Bound) -> PyResult<Value> {
    let ents = crate::interpreter::builtins::entities(&b.varargs, "with_entities")?;
    with_query(q, |nq| {
        nq.entities = ents;
        Ok(())
    })
}

/// `Select.add_columns(*entities)` / `Query.add_columns(*column)`, as
/// SQLAlchemy 2.0: the statement with these entities (classes or column
/// expressions) appended to its SELECT list.
fn add_columns(_: &mut Interpreter, q: &Rc<Query>, b: Bound) -> PyResult<Value> {
    let ents = crate::interpreter::builtins::entities(&b.varargs, "add_columns")?;
    with_query(q, |nq| {
        nq.entities.extend(ents);
        Ok(())
    })
}

fn itself(_: &mut Interpreter, q: &Rc<Query>, _: Bound) -> PyResult<Value> {
    Ok(Value::Native(q.clone()))
}

/// `Query.one()` / `one_or_none()` / `scalar()`, as SQLAlchemy 2.0's.
fn one_like(q: &Rc<Query>, name: &str) -> PyResult<Value> {
    let mut values = run_query_values(q)?;
    match (values.len(), name) {
        (0, "one") => Err(PyErr::new(
            ExcType::NoResultFound,
            "No row was found when one was required",
        )),
        (0, _) => Ok(Value::None),
        (1, "scalar") => Ok(match values.remove(0) {
            Value::Row(r) => r.values.first().cloned().unwrap_or(Value::None),
            other => other,
        }),
        (1, _) => Ok(values.remove(0)),
        (_, "one_or_none") => Err(PyErr::new(
            ExcType::MultipleResultsFound,
            "Multiple rows were found when one or none was required",
        )),
        _ => Err(PyErr::new(
            ExcType::MultipleResultsFound,
            "Multiple rows were found when exactly one was required",
        )),
    }
}

fn first(_: &mut Interpreter, q: &Rc<Query>, _: Bound) -> PyResult<Value> {
    let s = query_session(q)?;
    let mut nq = (**q).clone();
    nq.limit = Some(1);
    let loaded = s.execute_query(&nq, None)?;
    Ok(query_values(q, loaded)
        .into_iter()
        .next()
        .unwrap_or(Value::None))
}

fn count(_: &mut Interpreter, q: &Rc<Query>, _: Bound) -> PyResult<Value> {
    let s = query_session(q)?;
    s.autoflush()?;
    let select = q.count_select()?;
    let rows = s.run_select(&select, crate::outcome::Cause::Query)?;
    Ok(rows
        .first()
        .and_then(|r| r.first())
        .map(|v| expression::result_value(v, Some(&crate::sql::schema::SqlType::Integer)))
        .unwrap_or(Value::Int(0)))
}

fn get(_: &mut Interpreter, q: &Rc<Query>, b: Bound) -> PyResult<Value> {
    let s = query_session(q)?;
    let Some(Entity::Mapper(m, ..)) = q.entities.first() else {
        return Err(invalid_request("get() needs a query for one class"));
    };
    let key = super::session::identity_arg(b.required("ident")?);
    s.get(m, key)
}

/// `Query.update(values)` / `Query.delete()`: a bulk statement with the
/// query's criteria, synchronizing the session as SQLAlchemy's "auto" does.
fn bulk(q: &Rc<Query>, b: &Bound, update: bool) -> PyResult<Value> {
    let name = if update { "update" } else { "delete" };
    let s = query_session(q)?;
    let Some(Entity::Mapper(mapper, ..)) = q.entities.first() else {
        return Err(invalid_request(format!(
            "{name}() needs a query for one class"
        )));
    };
    let kind = if update {
        crate::orm::bulk::DmlKind::Update
    } else {
        crate::orm::bulk::DmlKind::Delete
    };
    let mut stmt = crate::orm::bulk::DmlStatement::new(kind, mapper.clone());
    stmt.where_ = q.where_.clone();
    if update {
        let Some(Value::Dict(pairs)) = b.get("values") else {
            return Err(type_error(
                "update() takes a dict of new values: update({User.name: 'x'})",
            ));
        };
        for (k, v) in pairs.borrow().iter() {
            stmt.set_value(&dict_key_name(k)?, v.clone())?;
        }
    }
    // `synchronize_session=` as the execution option of the same name:
    // "auto"/"evaluate", "fetch" (RETURNING the keys), False; else
    // `ArgumentError`.
    if let Some(v) = b.given("synchronize_session") {
        stmt = super::dml::execution_options(
            &stmt,
            Vec::new(),
            vec![("synchronize_session".into(), v.clone())],
        )?;
    }
    Ok(Value::Int(crate::orm::bulk::execute(&s, &stmt, true)?))
}

const FILTER: QueryMethod = Method {
    name: "filter",
    params: &["*criterion"],
    call: filter,
};
const WHERE: QueryMethod = Method {
    name: "where",
    params: &["*criterion"],
    call: filter,
};
const FILTER_BY: QueryMethod = Method {
    name: "filter_by",
    params: &["**kwargs"],
    call: filter_by,
};
pub(super) const ORDER_BY: QueryMethod = Method {
    name: "order_by",
    params: &["*clauses"],
    call: |_, q, b| order_or_group(q, &b, true),
};
const GROUP_BY: QueryMethod = Method {
    name: "group_by",
    params: &["*clauses"],
    call: |_, q, b| order_or_group(q, &b, false),
};
const HAVING: QueryMethod = Method {
    name: "having",
    params: &["*having"],
    call: having,
};
pub(super) const LIMIT: QueryMethod = Method {
    name: "limit",
    params: &["limit"],
    call: limit,
};
pub(super) const OFFSET: QueryMethod = Method {
    name: "offset",
    params: &["offset"],
    call: offset,
};
/// `Query.slice(start, stop)` / `Select.slice(start, stop)`: see
/// [`Query::sliced`]. Errors: `TypeError` for a bound that is not an int
/// or `None`.
const SLICE: QueryMethod = Method {
    name: "slice",
    params: &["start", "stop"],
    call: |_, q, b| {
        let start = limit_value(b.required("start")?, "slice")?;
        let stop = limit_value(b.required("stop")?, "slice")?;
        Ok(Value::native(q.sliced(start, stop)))
    },
};
const DISTINCT: QueryMethod = Method {
    name: "distinct",
    params: &["*expr"],
    call: distinct,
};
const OPTIONS: QueryMethod = Method {
    name: "options",
    params: &["*args"],
    call: options,
};
const JOIN: QueryMethod = Method {
    name: "join",
    params: &["target", "onclause=", "*", "isouter=", "full="],
    call: |_, q, b| join(q, &b, b.flag("isouter", false)),
};
const OUTERJOIN: QueryMethod = Method {
    name: "outerjoin",
    params: &["target", "onclause=", "*", "full="],
    call: |_, q, b| join(q, &b, true),
};
const SELECT_FROM: QueryMethod = Method {
    name: "select_from",
    params: &["*from_obj"],
    call: select_from,
};
/// `Query.exists()` (`EXISTS (SELECT 1 FROM …)`, no eager loads) and
/// `Select.exists()` (`EXISTS (SELECT <its columns> …)`).
const EXISTS: QueryMethod = Method {
    name: "exists",
    params: &[],
    call: |_, q, _| {
        let select = if q.is_legacy() {
            let (mut select, _) = q.to_select_plain()?;
            select.columns = vec![Expr::One];
            select.label_style = crate::sql::elements::LabelStyle::DisambiguateOnly;
            select
        } else {
            q.scalar_subquery()?
        };
        Ok(super::core::exists_value(select))
    },
};
const CORRELATE_EXCEPT: QueryMethod = Method {
    name: "correlate_except",
    params: &["*fromclauses"],
    call: correlate_except,
};
const CORRELATE: QueryMethod = Method {
    name: "correlate",
    params: &["*fromclauses"],
    call: correlate,
};
const WITH_FOR_UPDATE: QueryMethod = Method {
    name: "with_for_update",
    params: &["*", "nowait=", "read=", "of=", "skip_locked=", "key_share="],
    call: with_for_update,
};
const SCALAR_SUBQUERY: QueryMethod = Method {
    name: "scalar_subquery",
    params: &[],
    call: |_, q, _| Ok(Value::native(q.scalar_subquery_expr()?)),
};

/// The builder methods `Query` and `Select` share (`filter`, `where`,
/// `order_by`, `join`, …), as SQLAlchemy 2.0's generative methods.
pub static BUILDERS: &[QueryMethod] = &[
    FILTER,
    CORRELATE,
    CORRELATE_EXCEPT,
    WHERE,
    FILTER_BY,
    ORDER_BY,
    GROUP_BY,
    HAVING,
    LIMIT,
    OFFSET,
    SLICE,
    DISTINCT,
    OPTIONS,
    JOIN,
    OUTERJOIN,
    SELECT_FROM,
    WITH_FOR_UPDATE,
    SCALAR_SUBQUERY,
    EXISTS,
    COMPILE,
];

/// `Select.compile()` / `CompoundSelect.compile()` (`compiled.rs`).
pub const COMPILE: Method<Rc<Query>> = Method {
    name: "compile",
    params: &["bind=", "dialect=", "**kw"],
    call: |_, q, b| {
        let mut kwargs: Vec<(String, Value)> = b.varkw.clone();
        for key in ["bind", "dialect"] {
            if let Some(v) = b.given(key) {
                kwargs.push((key.to_string(), v.clone()));
            }
        }
        super::compiled::compile(
            super::compiled::Compilable::Select(q),
            "compile",
            Vec::new(),
            kwargs,
        )
    },
};

/// `Query`'s own methods (beside [`BUILDERS`]), as SQLAlchemy 2.0
/// `sqlalchemy.orm.Query`.
pub static QUERY: &[QueryMethod] = &[
    Method {
        name: "populate_existing",
        params: &[],
        call: |_, q, _| Ok(Value::native(q.with_populate_existing())),
    },
    Method {
        name: "execution_options",
        params: &["**kwargs"],
        call: execution_options,
    },
    Method {
        name: "yield_per",
        params: &["count"],
        call: |_, q, b| {
            Ok(Value::native(q.with_execution_option(
                "yield_per",
                b.required("count")?,
            )?))
        },
    },
    Method {
        name: "autoflush",
        params: &["setting"],
        call: |_, q, b| {
            Ok(Value::native(q.with_execution_option(
                "autoflush",
                b.required("setting")?,
            )?))
        },
    },
    Method {
        name: "with_entities",
        params: &["*entities"],
        call: with_entities,
    },
    Method {
        name: "subquery",
        params: &["name=!", "with_labels=!", "reduce_columns=!"],
        call: itself,
    },
    Method {
        name: "all",
        params: &[],
        call: |_, q, _| Ok(Value::list(run_query_values(q)?)),
    },
    Method {
        name: "first",
        params: &[],
        call: first,
    },
    Method {
        name: "one",
        params: &[],
        call: |_, q, _| one_like(q, "one"),
    },
    Method {
        name: "one_or_none",
        params: &[],
        call: |_, q, _| one_like(q, "one_or_none"),
    },
    Method {
        name: "scalar",
        params: &[],
        call: |_, q, _| one_like(q, "scalar"),
    },
    Method {
        name: "count",
        params: &[],
        call: count,
    },
    Method {
        name: "get",
        params: &["ident"],
        call: get,
    },
    Method {
        name: "update",
        params: &["values", "synchronize_session=", "update_args=!"],
        call: |_, q, b| bulk(q, &b, true),
    },
    Method {
        name: "delete",
        params: &["synchronize_session=", "delete_args=!"],
        call: |_, q, b| bulk(q, &b, false),
    },
    super::compound::QUERY_UNION,
    super::compound::QUERY_UNION_ALL,
    super::compound::QUERY_INTERSECT,
    super::compound::QUERY_INTERSECT_ALL,
    super::compound::QUERY_EXCEPT,
    super::compound::QUERY_EXCEPT_ALL,
];

/// `Select.execution_options(**kw)` and legacy `Query.execution_options()`:
/// a copy with each ORM execution option set
/// ([`crate::orm::query::Query::with_execution_option`]).
fn execution_options(_: &mut Interpreter, q: &Rc<Query>, b: Bound) -> PyResult<Value> {
    let mut nq = (**q).clone();
    for (k, v) in &b.varkw {
        nq = nq.with_execution_option(k, v)?;
    }
    Ok(Value::native(nq))
}

/// `Select`'s own methods (beside [`BUILDERS`]), as SQLAlchemy 2.0
/// `sqlalchemy.sql.Select`.
pub static SELECT: &[QueryMethod] = &[
    Method {
        name: "join_from",
        params: &["from_", "target", "onclause=", "*", "isouter=", "full="],
        call: join_from,
    },
    Method {
        name: "from_statement",
        params: &["statement"],
        call: |_, q, b| from_statement(q, b.required("statement")?),
    },
    Method {
        name: "execution_options",
        params: &["**kw"],
        call: execution_options,
    },
    Method {
        name: "add_columns",
        params: &["*entities"],
        call: add_columns,
    },
    Method {
        name: "with_only_columns",
        params: &["*entities", "maintain_column_froms=!"],
        call: with_entities,
    },
    Method {
        name: "subquery",
        params: &["name="],
        call: |_, q, b| subquery_or_cte(q, &b, false),
    },
    Method {
        name: "cte",
        params: &["name=", "recursive=", "nesting=!"],
        call: |_, q, b| subquery_or_cte(q, &b, true),
    },
    Method {
        name: "lateral",
        params: &["name="],
        call: |_, q, b| {
            let name = match b.given("name") {
                Some(Value::Str(n)) => Some(n.to_string()),
                Some(other) => {
                    return Err(type_error(format!(
                        "lateral() name must be a string, not {}",
                        other.type_name()
                    )));
                }
                None => None,
            };
            super::subquery::lateral(q, name)
        },
    },
    super::compound::SELECT_UNION,
    super::compound::SELECT_UNION_ALL,
    super::compound::SELECT_INTERSECT,
    super::compound::SELECT_INTERSECT_ALL,
    super::compound::SELECT_EXCEPT,
    super::compound::SELECT_EXCEPT_ALL,
];

/// `Select.subquery(name=None)` / `Select.cte(name=None, recursive=False)`.
pub(super) fn subquery_or_cte(q: &Rc<Query>, b: &Bound, cte: bool) -> PyResult<Value> {
    let name = match b.given("name") {
        Some(Value::Str(n)) => Some(n.to_string()),
        Some(other) => {
            return Err(type_error(format!(
                "subquery() name must be a string, not {}",
                other.type_name()
            )));
        }
        None => None,
    };
    super::subquery::subquery(q, name, cte, b.flag("recursive", false))
}

/// Attributes of a `Query`/`Select` that are not methods.
pub const QUERY_PROPERTIES: &[&str] = &["column_descriptions", "selected_columns", "statement"];

/// `stmt.selected_columns` of a `Select` (of a compound select, its first
/// select's), as SQLAlchemy 2.0's `ReadOnlyColumnCollection`: each mapped
/// entity as its columns, each column expression by its key.
///
/// Errors: `NotImplementedError` for `Bundle` entities and for entities
/// [`super::connection_execute::core_columns`] does not expand.
pub fn selected_columns(q: &Query) -> PyResult<Value> {
    use crate::orm::query::Entity;
    let first = q
        .compound
        .as_ref()
        .and_then(|c| c.selects.first())
        .unwrap_or(q);
    let core = super::connection_execute::core_columns(first, "selected_columns of")?;
    let mut exprs = Vec::new();
    // A repeated key takes `_1`, `_2` … as SQLAlchemy's collection dedupes it.
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for e in &core.entities {
        match e {
            Entity::Column(c) => {
                let mut c = c.clone();
                let key = c
                    .key
                    .clone()
                    .unwrap_or_else(|| crate::orm::query::expr_key(&c.expr));
                let n = seen.entry(key.clone()).or_insert(0);
                if *n > 0 {
                    c.key = Some(format!("{key}_{n}"));
                }
                *n += 1;
                exprs.push(c);
            }
            _ => {
                return Err(PyErr::unsupported(
                    "selected_columns of a select() of a Bundle",
                ));
            }
        }
    }
    Ok(Value::native(super::aliased::BundleColumns(Rc::new(
        crate::orm::util::Bundle {
            name: String::new(),
            exprs,
            single_entity: false,
        },
    ))))
}

/// `stmt.column_descriptions` of a `Select` or legacy `Query`, as
/// SQLAlchemy 2.0 writes them. A statement with an ORM entity or a column
/// read from a mapped attribute (its `parententity` annotation) gets the
/// ORM plugin's dicts, `{'name', 'type', 'aliased', 'expr', 'entity'}`: a
/// mapped class as itself (an `aliased()` entity named by its `name=`,
/// else `None`, and given as itself), a column by its label (a function
/// by its name, an unlabeled operation or anonymous label `_no_label`; in
/// a legacy `Query` neither has a name), its entity the first mapped attribute's in it
/// (`None` for a Core column). A Core statement gets `{'name', 'type',
/// 'expr'}`. Repeated names take `_1`, `_2` as SQLAlchemy's labels do.
///
/// Errors: `NotImplementedError` for `Bundle` entities, compound selects,
/// and column expressions whose name the tutor does not derive as
/// SQLAlchemy does.
pub fn column_descriptions(q: &Query) -> PyResult<Value> {
    use crate::python::value::DictObj;
    if q.compound.is_some() {
        return Err(PyErr::unsupported(
            "column_descriptions of a compound select",
        ));
    }
    let unsupported = || {
        PyErr::unsupported("column_descriptions of a statement selecting this column expression")
    };
    let legacy = q.is_legacy();
    // A legacy `Query` is always the ORM plugin's.
    let orm = legacy
        || q.entities.iter().any(|e| match e {
            Entity::Column(c) => crate::orm::expression::first_annotated_column(&c.expr).is_some(),
            Entity::Mapper(..) | Entity::Bundle(_) => true,
        });
    let mut used: Vec<String> = Vec::new();
    let mut out = Vec::with_capacity(q.entities.len());
    for e in &q.entities {
        let c = match e {
            Entity::Mapper(m, alias, key) => {
                out.push(mapper_description(m, alias.as_ref(), key.as_ref()));
                continue;
            }
            Entity::Bundle(_) => {
                return Err(PyErr::unsupported(
                    "column_descriptions of a statement selecting a Bundle",
                ));
            }
            Entity::Column(c) => c,
        };
        let base = match &c.expr {
            Expr::Label { name, .. } => match name {
                crate::sql::elements::Name::Fixed(n) => Some(n.clone()),
                crate::sql::elements::Name::Anon(_) if legacy => return Err(unsupported()),
                crate::sql::elements::Name::Anon(_) => Some("_no_label".to_string()),
            },
            Expr::Column(_) => match &c.key {
                Some(k) if k != crate::python::value::Row::NO_KEY => Some(k.clone()),
                _ => return Err(unsupported()),
            },
            Expr::Function { .. } | Expr::Binary { .. } if legacy => None,
            Expr::Function { name, .. } => Some(name.clone()),
            Expr::Binary { .. } => Some("_no_label".to_string()),
            _ => return Err(unsupported()),
        };
        // A `Select` tells repeated names apart (`name_1`, `_no_label_1`);
        // a legacy `Query` repeats them.
        let name = match base {
            None => Value::None,
            Some(b) if used.contains(&b) && !legacy => {
                let mut n = 1;
                while used.contains(&format!("{b}_{n}")) {
                    n += 1;
                }
                let renamed = format!("{b}_{n}");
                used.push(renamed.clone());
                Value::str(&renamed)
            }
            Some(b) => {
                used.push(b.clone());
                Value::str(&b)
            }
        };
        let ty = sql_type_value(&c.ty);
        if !orm {
            out.push(DictObj::value(vec![
                (Value::str("name"), name),
                (Value::str("type"), ty),
                (Value::str("expr"), Value::native(c.clone())),
            ]));
            continue;
        }
        let (aliased, entity, expr) = column_entity(c)?;
        out.push(DictObj::value(vec![
            (Value::str("name"), name),
            (Value::str("type"), ty),
            (Value::str("aliased"), Value::Bool(aliased)),
            (Value::str("expr"), expr),
            (Value::str("entity"), entity),
        ]));
    }
    Ok(Value::list(out))
}

/// The ORM plugin's description of a mapped class entity (`aliased` with
/// the selectable of an `aliased()` class and its `name=`).
fn mapper_description(
    m: &Rc<crate::orm::mapper::Mapper>,
    alias: Option<&Selectable>,
    key: Option<&Rc<str>>,
) -> Value {
    let class = Value::Native(m.clone());
    let (name, aliased, expr) = match alias {
        None => (Value::str(&m.class_name), false, class.clone()),
        Some(sel) => {
            let name = match (sel, key) {
                (_, Some(k)) => Value::str(k),
                (Selectable::Alias(a), None) => match &a.name {
                    crate::sql::elements::Name::Fixed(n) => Value::str(n),
                    crate::sql::elements::Name::Anon(_) => Value::None,
                },
                _ => Value::None,
            };
            let ac = crate::orm::util::AliasedClass {
                mapper: m.clone(),
                alias: sel.clone(),
                name: key.cloned(),
            };
            (name, true, Value::native(ac))
        }
    };
    crate::python::value::DictObj::value(vec![
        (Value::str("name"), name),
        (Value::str("type"), class),
        (Value::str("aliased"), Value::Bool(aliased)),
        (Value::str("expr"), expr.clone()),
        (Value::str("entity"), expr),
    ])
}

/// A column entity's `aliased`, `entity` and `expr` as the ORM plugin
/// reports them: the entity of the first mapped attribute in it (its
/// class, or the `aliased()` class it was read from), and for a plain
/// attribute the `InstrumentedAttribute` itself; `(False, None, column)`
/// for a Core column.
fn column_entity(c: &crate::orm::expression::SqlExpr) -> PyResult<(bool, Value, Value)> {
    use crate::orm::mapper::AttrRef;
    let plain = || Value::native(c.clone());
    let Some(col) = crate::orm::expression::first_annotated_column(&c.expr) else {
        return Ok((false, Value::None, plain()));
    };
    let Some(m) = col
        .annotations
        .parententity
        .and_then(crate::orm::expression::parententity)
    else {
        return Err(PyErr::unsupported(
            "column_descriptions of a column whose mapped class is gone",
        ));
    };
    let (aliased, entity) = match &col.from {
        Selectable::Table(_) => (false, Value::Native(m.clone())),
        sel @ Selectable::Alias(_) => {
            let ac = crate::orm::util::AliasedClass {
                mapper: m.clone(),
                alias: sel.clone(),
                name: None,
            };
            (true, Value::native(ac))
        }
        _ => {
            return Err(PyErr::unsupported(
                "column_descriptions of a column of an aliased() class over a subquery",
            ));
        }
    };
    let attribute = match (&c.expr, &c.key) {
        (Expr::Column(_), Some(k)) => m
            .columns
            .iter()
            .find(|(key, index)| key == k && *index == col.index)
            .map(|(key, index)| {
                let mut a = AttrRef::new(m.clone(), key.clone(), AttrKind::Column(*index));
                if aliased {
                    a.alias = Some(col.from.clone());
                }
                Value::native(a)
            }),
        _ => None,
    };
    Ok((aliased, entity, attribute.unwrap_or_else(plain)))
}

/// A column's `type` as SQLAlchemy's type object (`Integer()`), or
/// `NullType()` when it has none.
pub fn sql_type_value(ty: &Option<crate::sql::schema::SqlType>) -> Value {
    match ty {
        Some(t) => Value::native(crate::orm::schema_items::SchemaItem::Type(t.clone())),
        None => Value::native(super::objects::NullType),
    }
}

/// The own table for `q` (`Query` or `Select`), with its Python type name;
/// [`BUILDERS`] serve both.
pub fn table_of(q: &Query) -> (&'static [QueryMethod], &'static str) {
    if q.compound.is_some() {
        (super::compound::COMPOUND_SELECT, "CompoundSelect")
    } else if q.is_legacy() {
        (QUERY, "Query")
    } else {
        (SELECT, "Select")
    }
}

/// True when a `Query` (`legacy`) or a `Select` has the method `name`.
pub fn has_method(legacy: bool, name: &str) -> bool {
    let own = if legacy { QUERY } else { SELECT };
    super::method::has(own, name) || super::method::has(BUILDERS, name)
}

/// Calls the method `name` of `q`: its own table, then [`BUILDERS`].
pub fn call(
    interp: &mut Interpreter,
    q: &Rc<Query>,
    name: &str,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> Option<PyResult<Value>> {
    let (own, type_name) = table_of(q);
    let table = if q.compound.is_some() || super::method::has(own, name) {
        own
    } else {
        BUILDERS
    };
    super::method::dispatch(table, type_name, interp, q, name, args, kwargs)
}

/// Every public name of a `Query` (or a `Select`), sorted, for completion.
pub fn query_names(legacy: bool) -> Vec<&'static str> {
    let mut v = super::method::names(if legacy { QUERY } else { SELECT });
    v.extend(super::method::names(BUILDERS));
    v.extend(QUERY_PROPERTIES);
    v.sort_unstable();
    v
}

/// `select(User).from_statement(stmt)`: the entity loaded from a `text()`
/// or a `select()` of its own, as SQLAlchemy 2.0's `FromStatement`.
///
/// Errors: `NotImplementedError` for a select of several entities or of
/// columns, and for statements other than `text()` and `select()`.
fn from_statement(q: &Rc<Query>, statement: &Value) -> PyResult<Value> {
    use crate::orm::from_statement::{FromStatement, Source};
    let [crate::orm::query::Entity::Mapper(mapper, None, _)] = q.entities.as_slice() else {
        return Err(PyErr::unsupported(
            "from_statement() on a select() of other than one mapped class",
        ));
    };
    let source = if let Some(t) = super::core::as_text(statement) {
        Source::Text((*t).clone())
    } else if let Some(inner) = as_query(statement) {
        Source::Select(inner)
    } else {
        return Err(PyErr::unsupported(format!(
            "from_statement() of a {}",
            statement.type_name()
        )));
    };
    Ok(Value::native(FromStatement::new(mapper.clone(), source)?))
}

/// `AppenderQuery.append(item)`, `.extend(iterable)`, `.remove(item)`: the
/// collection methods of a `lazy="dynamic"` relationship's query, as
/// SQLAlchemy 2.0's `AppenderMixin` (`orm::dynamic`).
///
/// Errors: `TypeError` for a wrong number of arguments or keywords.
pub fn call_appender(
    interp: &mut Interpreter,
    parent: &crate::orm::dynamic::DynamicParent,
    name: &str,
    args: Vec<crate::python::Value>,
    kwargs: crate::python::vm::Kwargs,
) -> crate::python::PyResult<crate::python::Value> {
    use crate::python::Value;
    let param = if name == "extend" { "iterator" } else { "item" };
    if let Some((k, _)) = kwargs.first()
        && (k != param || !args.is_empty())
    {
        return Err(type_error(format!(
            "AppenderMixin.{name}() got an unexpected keyword argument '{k}'"
        )));
    }
    let mut all: Vec<Value> = args;
    all.extend(kwargs.into_iter().map(|(_, v)| v));
    let [arg] = <[Value; 1]>::try_from(all).map_err(|a| {
        type_error(if a.is_empty() {
            format!("AppenderMixin.{name}() missing 1 required positional argument: '{param}'")
        } else {
            format!(
                "AppenderMixin.{name}() takes 2 positional arguments but {} were given",
                a.len() + 1
            )
        })
    })?;
    match name {
        "append" => crate::orm::dynamic::append(parent, &arg)?,
        "remove" => crate::orm::dynamic::remove(parent, &arg)?,
        _ => {
            for item in crate::python::vm::Vm::iterate_value(interp, &arg)? {
                crate::orm::dynamic::append(parent, &item)?;
            }
        }
    }
    Ok(Value::None)
}

/// `collection.select`, `.add`, `.add_all`, `.remove` of a
/// `WriteOnlyCollection` (`orm::dynamic`); `None` for other objects.
pub fn write_only_attr(
    obj: &crate::python::Value,
    name: &str,
) -> Option<crate::python::PyResult<crate::python::Value>> {
    obj.downcast::<crate::orm::dynamic::WriteOnlyCollection>()?;
    Some(match name {
        "select" | "add" | "add_all" | "remove" | "insert" | "update" | "delete" => Ok(
            crate::python::Value::Method(Rc::new(crate::python::value::Method {
                receiver: obj.clone(),
                name: name.to_string(),
            })),
        ),
        _ => Err(crate::python::exceptions::attribute_error(format!(
            "'WriteOnlyCollection' object has no attribute '{name}'"
        ))),
    })
}

/// Calls a method of a `WriteOnlyCollection`, as SQLAlchemy 2.0's
/// `orm/writeonly.py`: `select()` the statement of its rows, `insert()`,
/// `update()` and `delete()` bulk statements in terms of its owner,
/// `add(item)`, `add_all(iterable)` and `remove(item)` held until the flush.
///
/// Errors: `TypeError` for wrong arguments.
pub fn call_write_only(
    interp: &mut Interpreter,
    c: &crate::orm::dynamic::WriteOnlyCollection,
    name: &str,
    args: Vec<crate::python::Value>,
    kwargs: crate::python::vm::Kwargs,
) -> crate::python::PyResult<crate::python::Value> {
    use crate::python::Value;
    let given = args.len() + kwargs.len();
    let want = match name {
        "select" | "insert" | "update" | "delete" => 0,
        _ => 1,
    };
    if given != want || (want == 0 && !kwargs.is_empty()) {
        return Err(type_error(format!(
            "WriteOnlyCollection.{name}() takes {} positional argument{} but {} were given",
            want + 1,
            if want == 0 { "" } else { "s" },
            given + 1
        )));
    }
    let arg = args
        .into_iter()
        .chain(kwargs.into_iter().map(|(_, v)| v))
        .next()
        .unwrap_or(Value::None);
    match name {
        "select" => c.select(),
        "add" => crate::orm::dynamic::append(&c.0, &arg).map(|()| Value::None),
        "remove" => crate::orm::dynamic::remove(&c.0, &arg).map(|()| Value::None),
        "add_all" => {
            for item in crate::python::vm::Vm::iterate_value(interp, &arg)? {
                crate::orm::dynamic::append(&c.0, &item)?;
            }
            Ok(Value::None)
        }
        "update" => Ok(Value::native(c.dml(crate::orm::bulk::DmlKind::Update)?)),
        "delete" => Ok(Value::native(c.dml(crate::orm::bulk::DmlKind::Delete)?)),
        "insert" => Ok(Value::native(c.insert()?)),
        other => Err(crate::python::exceptions::PyErr::unsupported(format!(
            "WriteOnlyCollection.{other}()"
        ))),
    }
}
