//! `sqlalchemy.orm.Session`'s Python face: each method with SQLAlchemy 2.0's
//! signature, binding arguments and calling [`crate::orm::session::Session`].

use std::rc::Rc;

use crate::interpreter::Interpreter;
use crate::orm::query::{Query, QueryStyle};
use crate::orm::result::ResultObj;
use crate::orm::session::{GetOptions, Session, SessionConfig};
use crate::orm::state::Obj;
use crate::python::format::{repr_plain, str_plain};
use crate::python::{Bound, ExcType, PyErr, PyResult, Signature, Value, Vm};

use super::method::Method;
use crate::python::object::downcast;

/// `Session.__init__`'s parameters, as SQLAlchemy 2.0's.
const SESSION_INIT: Signature = Signature::method(
    "Session.__init__",
    &[
        "bind=",
        "*",
        "autoflush=",
        "future=",
        "expire_on_commit=",
        "autobegin=!",
        "twophase=!",
        "binds=!",
        "enable_baked_queries=",
        "info=!",
        "query_cls=!",
        "autocommit=!",
        "join_transaction_mode=!",
        "close_resets_only=!",
    ],
);

/// `sessionmaker`'s parameters, as SQLAlchemy 2.0's.
const SESSIONMAKER: Signature = Signature::method(
    "sessionmaker.__init__",
    &[
        "bind=",
        "*",
        "class_=",
        "autoflush=",
        "expire_on_commit=",
        "info=!",
        "**kw",
    ],
);

/// The `bind=` argument: an engine, or `None` (keep `current`).
fn bind_arg(
    bind: Option<&Value>,
    current: Option<crate::orm::session::EngineRef>,
) -> PyResult<Option<crate::orm::session::EngineRef>> {
    match bind {
        Some(Value::Native(n)) if let Some(e) = downcast::<super::objects::Engine>(n) => {
            Ok(Some(e.0.clone()))
        }
        Some(Value::None) | None => Ok(current),
        Some(other) => Err(PyErr::new(
            ExcType::ArgumentError,
            format!("Session() expects the engine, got {}", other.type_name()),
        )),
    }
}

fn configure(config: &mut SessionConfig, b: &Bound) -> PyResult<()> {
    config.autoflush = b.flag("autoflush", config.autoflush);
    config.expire_on_commit = b.flag("expire_on_commit", config.expire_on_commit);
    config.bind = bind_arg(b.get("bind"), config.bind.take())?;
    Ok(())
}

/// `Session(engine, autoflush=..., expire_on_commit=...)`, or a
/// `sessionmaker()` called: a new session over the tutor's database with
/// `config` changed by the keywords.
pub fn construct(
    interp: &mut Interpreter,
    mut config: SessionConfig,
    default_bind: Option<Value>,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<Value> {
    let b = SESSION_INIT.bind(args, kwargs)?;
    let bind_value = match b.get("bind") {
        Some(Value::None) | None => default_bind,
        Some(v) => Some(v.clone()),
    };
    // `Session(conn)`: runs in the Core connection's transaction.
    let conn = b.get("bind").and_then(super::connection::as_connection);
    if let Some(c) = &conn {
        let s = Session::new(
            interp.new_session_id(),
            c.executor.db.clone(),
            interp.registry.clone(),
        );
        s.bind_to_connection(Rc::new(super::connection::SessionConnection(c.clone())));
        s.autoflush.set(b.flag("autoflush", config.autoflush));
        s.set_expire_on_commit(b.flag("expire_on_commit", config.expire_on_commit));
        *s.bind.borrow_mut() = bind_value;
        return Ok(Value::Native(s));
    }
    configure(&mut config, &b)?;
    let id = interp.new_session_id();
    // A session with no bind fails at its first SQL, as SQLAlchemy's.
    let db = match config.bind.as_ref().and_then(|b| interp.engines.get(b.id)) {
        Some(db) => db.clone(),
        None => Rc::new(
            interp
                .db
                .unbound()
                .map_err(|e| PyErr::new(ExcType::OperationalError, e.to_string()))?,
        ),
    };
    let s = Session::new(id, db, interp.registry.clone());
    s.autoflush.set(config.autoflush);
    s.set_expire_on_commit(config.expire_on_commit);
    *s.bind.borrow_mut() = bind_value;
    Ok(Value::Native(s))
}

/// `sessionmaker(bind=engine, autoflush=..., expire_on_commit=...)`: a
/// factory whose calls make sessions with those defaults.
pub fn sessionmaker(args: Vec<Value>, kwargs: Vec<(String, Value)>) -> PyResult<Value> {
    let b = SESSIONMAKER.bind(args, kwargs)?;
    if let Some((k, _)) = b.varkw.first() {
        SESSION_INIT.bind(Vec::new(), vec![(k.clone(), Value::None)])?;
        return Err(PyErr::unsupported(format!(
            "the '{k}' argument of sessionmaker()"
        )));
    }
    if b.get("bind")
        .and_then(super::connection::as_connection)
        .is_some()
    {
        return Err(PyErr::unsupported("sessionmaker(bind=<Connection>)"));
    }
    match b.get("class_") {
        None | Some(Value::Builtin(crate::python::value::Builtin::SessionClass)) => {}
        Some(v) if super::asyncio::is_async_session_class(v) => {
            // `sessionmaker(engine, class_=AsyncSession)`: a factory of
            // `AsyncSession`s, as `async_sessionmaker` (its repr says
            // `sessionmaker`)
            let mut config = SessionConfig::default();
            config.autoflush = b.flag("autoflush", config.autoflush);
            config.expire_on_commit = b.flag("expire_on_commit", config.expire_on_commit);
            let bind = b.get("bind").filter(|v| !matches!(v, Value::None)).cloned();
            return Ok(Value::native(super::asyncio::AsyncSessionMaker(
                config, bind, true,
            )));
        }
        Some(_) => {
            return Err(PyErr::unsupported(
                "sessionmaker(class_=...) with a class other than Session or AsyncSession",
            ));
        }
    }
    let mut config = SessionConfig::default();
    configure(&mut config, &b)?;
    let bind = b.get("bind").filter(|v| !matches!(v, Value::None)).cloned();
    Ok(Value::native(SessionMaker(config, bind)))
}

/// A `sessionmaker(...)` result (SQLAlchemy 2.0
/// `sqlalchemy.orm.session.sessionmaker`): calling it makes a `Session` with
/// its configuration.
#[derive(Debug)]
pub struct SessionMaker(pub SessionConfig, pub Option<Value>);

impl crate::python::PyObject for SessionMaker {
    fn type_name(&self) -> String {
        "sessionmaker".into()
    }
    fn repr(&self) -> String {
        let flag = |b: bool| if b { "True" } else { "False" };
        format!(
            "sessionmaker(class_='Session', bind={}, autoflush={}, expire_on_commit={})",
            self.0
                .bind
                .as_ref()
                .map_or("None".to_string(), |b| format!("Engine({})", b.url)),
            flag(self.0.autoflush),
            flag(self.0.expire_on_commit)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `v` as a `Session`, when it is one.
pub fn as_session(v: &Value) -> Option<Rc<Session>> {
    v.downcast::<Session>()
}

/// The object argument of `session.add(x)` (and `delete`, `expunge`, `merge` …): a mapped instance,
/// else [`unmapped_instance_error`].
pub fn object_arg(v: &Value) -> PyResult<Obj> {
    match v {
        inst if let Some(o) = crate::orm::state::as_instance(inst) => Ok(o.clone()),
        other => Err(unmapped_instance_error(other)),
    }
}

/// SQLAlchemy 2.0's `UnmappedInstanceError` for a value given where a
/// mapped object was needed (`orm.exc.UnmappedInstanceError`, raised by
/// `instance_state()` callers such as `Session.add()`): `Class
/// 'builtins.int' is not mapped`, `Class '__main__.P' is not mapped`, and
/// for a class given instead of an instance `Class 'builtins.type' is not
/// mapped; was a class (__main__.P) supplied where an instance was
/// required?` — naming the class's metaclass (`DeclarativeMeta` for a
/// `declarative_base()` model, `DeclarativeAttributeIntercept` for a
/// `DeclarativeBase` one).
pub fn unmapped_instance_error(v: &Value) -> PyErr {
    let class_name = |repr: String| -> String {
        let name = repr
            .strip_prefix("<class '")
            .and_then(|r| r.strip_suffix("'>"))
            .unwrap_or(&repr)
            .to_string();
        if name.contains('.') {
            name
        } else {
            format!("builtins.{name}")
        }
    };
    let metaclass = match v {
        v if let Some(m) = v.downcast::<crate::orm::mapper::Mapper>() => {
            let intercept = m.registry.upgrade().is_some_and(|r| r.class_name.is_some());
            Some(if intercept {
                "sqlalchemy.orm.decl_api.DeclarativeAttributeIntercept"
            } else {
                "sqlalchemy.orm.decl_api.DeclarativeMeta"
            })
        }
        Value::PyType(_) | Value::Builtin(crate::python::value::Builtin::SessionClass) => {
            Some("builtins.type")
        }
        v if v.downcast::<crate::python::class::PyClass>().is_some() => Some("builtins.type"),
        _ => None,
    };
    let message = match metaclass {
        Some(meta) => format!(
            "Class '{meta}' is not mapped; was a class ({}) supplied where an instance was required?",
            class_name(crate::python::format::repr_plain(v))
        ),
        None => {
            let own = match v {
                Value::Native(n) => n
                    .class_of()
                    .map(|c| class_name(crate::python::format::repr_plain(&c))),
                _ => None,
            };
            format!(
                "Class '{}' is not mapped",
                own.unwrap_or_else(|| format!("builtins.{}", v.type_name()))
            )
        }
    };
    PyErr::new(ExcType::UnmappedInstanceError, message)
}

/// A primary key argument: `1`, `(1, 2)`, `[1, 2]` or `{"id": 1}`.
pub fn identity_arg(v: &Value) -> Vec<Value> {
    match v {
        Value::Tuple(t) => t.to_vec(),
        Value::List(l) => l.items.borrow().clone(),
        Value::Dict(d) => d.borrow().iter().map(|(_, v)| v.clone()).collect(),
        other => vec![other.clone()],
    }
}

fn attribute_names(interp: &mut Interpreter, b: &Bound) -> PyResult<Option<Vec<String>>> {
    match b.given("attribute_names") {
        Some(v) => Ok(Some(
            interp.iterate_value(v)?.iter().map(str_plain).collect(),
        )),
        None => Ok(None),
    }
}

fn none<T>(r: PyResult<T>) -> PyResult<Value> {
    r.map(|_| Value::None)
}

/// One dict of `session.execute(text(...), params)`: its names and bound
/// values.
///
/// Errors: `ArgumentError` for an item that is not a dict, as SQLAlchemy's
/// "List argument must consist only of dictionaries";
/// `NotImplementedError` for non-string keys.
fn text_params(v: &Value) -> PyResult<Vec<(String, crate::sql::schema::SqlValue)>> {
    let Value::Dict(d) = v else {
        return Err(PyErr::new(
            ExcType::ArgumentError,
            "List argument must consist only of dictionaries",
        ));
    };
    let mut out = Vec::new();
    for (k, v) in d.borrow().iter() {
        let Value::Str(k) = k else {
            return Err(PyErr::unsupported(
                "non-string keys in execute() parameters",
            ));
        };
        out.push((k.to_string(), crate::orm::expression::bind_value(v, None)?));
    }
    Ok(out)
}

/// `session.execute(stmt)`: runs a `select()` or a DML statement now,
/// buffering its rows, as SQLAlchemy 2.0 `Session.execute()`.
/// `session.execute(statement, params)`: `params` (a dict) binds a
/// `text()` statement's `:name` parameters, a list of dicts runs it as one
/// executemany; with other statements it is not supported yet.
pub fn execute_with(s: &Rc<Session>, stmt: &Value, params: Option<&Value>) -> PyResult<Value> {
    if let Some(t) = super::core::as_text(stmt) {
        let mut bound = Vec::new();
        match params {
            None => {}
            Some(Value::Dict(d)) => {
                for (k, v) in d.borrow().iter() {
                    let Value::Str(k) = k else {
                        return Err(PyErr::unsupported(
                            "non-string keys in execute() parameters",
                        ));
                    };
                    bound.push((k.to_string(), crate::orm::expression::bind_value(v, None)?));
                }
            }
            Some(Value::List(l)) if l.items.borrow().len() != 1 => {
                // an executemany: a cursor result with the rows affected
                let mut rows = Vec::new();
                for item in l.items.borrow().iter() {
                    rows.push(text_params(item)?);
                }
                let rowcount = s.execute_text_many(&t, &rows)?;
                let mut r = ResultObj::new(Vec::new(), Vec::new(), false);
                r.rowcount = rowcount;
                r.cursor = true;
                return Ok(super::result::result_value(r));
            }
            // a list of one dict is one execute(), as SQLAlchemy's
            Some(Value::List(l)) => {
                if let Some(one) = l.items.borrow().first() {
                    bound = text_params(one)?;
                }
            }
            Some(_) => {
                return Err(PyErr::unsupported(
                    "execute() parameters other than a dict or a list of dicts",
                ));
            }
        }
        let (names, rows, rowcount) = s.execute_text(&t, &bound)?;
        let types = t.result_types(names.as_deref().unwrap_or_default());
        let rows = rows
            .iter()
            .map(|r| {
                r.iter()
                    .enumerate()
                    .map(|(i, v)| {
                        crate::orm::expression::result_value(
                            v,
                            types.get(i).and_then(Option::as_ref),
                        )
                    })
                    .collect()
            })
            .collect();
        let mut r = ResultObj::new(names.unwrap_or_default(), rows, false);
        r.rowcount = rowcount;
        r.cursor = true;
        r.log_each_row(s.db.row_log());
        return Ok(super::result::result_value(r));
    }
    if let Some(p) = params
        && let Value::Native(n) = stmt
        && let Some(d) = downcast::<crate::orm::bulk::DmlStatement>(n)
        && d.mapper.is_some()
    {
        if d.multi_values.is_some() {
            return Err(PyErr::unsupported(
                "execute() parameters with an insert() given values([...])",
            ));
        }
        return execute_bulk(s, &d, p);
    }
    if let Some(Value::Dict(d)) = params
        && let Value::Native(n) = stmt
        && let Some(f) = downcast::<crate::orm::from_statement::FromStatement>(n)
    {
        let pairs: Vec<(String, Value)> = d
            .borrow()
            .iter()
            .map(|(k, v)| (crate::python::format::str_plain(k), v.clone()))
            .collect();
        return execute(s, &Value::native(f.with_params(&pairs)?));
    }
    // a Core table's insert()/update()/delete(): Core's execute on the
    // session's connection (an executemany with a list)
    if let Some(p) = params
        && let Value::Native(n) = stmt
        && let Some(d) = downcast::<crate::orm::bulk::DmlStatement>(n)
        && d.mapper.is_none()
    {
        let conn = super::connection::Connection::of_session(Value::None, s)?;
        return super::connection_execute::execute(&conn, stmt, Some(p));
    }
    // a select()'s parameters by name: its `bindparam()`s' values
    if let Some(Value::Dict(_)) = params
        && super::query::as_query(stmt).is_some()
    {
        let given = text_params(params.unwrap_or(&Value::None))?;
        *s.execute_params.borrow_mut() = Some(given);
        let result = execute(s, stmt);
        s.execute_params.borrow_mut().take();
        return result;
    }
    // a plain string is refused before its parameters are looked at, as
    // SQLAlchemy coerces the statement first (`ArgumentError` about text())
    if params.is_some() && !matches!(stmt, Value::Str(_)) {
        return Err(PyErr::unsupported(
            "execute() parameters with an ORM statement",
        ));
    }
    execute(s, stmt)
}

/// `session.execute(insert(User), [{…}, …])` and
/// `session.execute(update(User), [{"id": 1, …}, …])` (one dict is a list
/// of one): ORM bulk INSERT, and bulk UPDATE by primary key, as SQLAlchemy
/// 2.0 (`orm/bulk_persistence.py`). The result is an `IteratorResult`: the
/// returned rows with `returning()`, else none (and no `rowcount`).
///
/// Errors: `TypeError` for a list item that is not a dict, as SQLAlchemy's
/// (`'int' object is not iterable`); those of
/// [`crate::orm::bulk_persistence::execute`].
fn execute_bulk(
    s: &Rc<Session>,
    d: &crate::orm::bulk::DmlStatement,
    params: &Value,
) -> PyResult<Value> {
    let items: Vec<Value> = match params {
        Value::List(l) => l.items.borrow().clone(),
        Value::Tuple(t) => t.to_vec(),
        d @ Value::Dict(_) => vec![d.clone()],
        other => {
            return Err(crate::python::exceptions::type_error(format!(
                "'{}' object is not iterable",
                other.type_name()
            )));
        }
    };
    let mut records = Vec::new();
    for item in &items {
        let Value::Dict(dict) = item else {
            return Err(crate::python::exceptions::type_error(format!(
                "'{}' object is not iterable",
                item.type_name()
            )));
        };
        let mut record = Vec::new();
        for (k, v) in dict.borrow().iter() {
            let Value::Str(k) = k else {
                return Err(PyErr::unsupported(
                    "non-string keys in execute() parameters",
                ));
            };
            record.push((k.to_string(), v.clone()));
        }
        records.push(record);
    }
    let returned = crate::orm::bulk_persistence::execute(s, d, &records)?;
    let no_rows = returned.is_none();
    let (keys, rows) = returned.unwrap_or_default();
    let mut r = ResultObj::new(keys, rows, false);
    r.iterator = true;
    r.no_rows = no_rows;
    Ok(super::result::result_value(r))
}

pub fn execute(s: &Rc<Session>, stmt: &Value) -> PyResult<Value> {
    match stmt {
        v if let Some(q) = super::query::as_query(v) => {
            // `AsyncSession.execute()` prebuffers its rows (and so runs the
            // post loads) before handing the result over
            if !s.requires_greenlet.get() {
                s.defer_post_loads();
            }
            let loaded = s.execute_query(&q, None);
            // an error before `loading.instances` leaves nothing deferred
            s.post_loads_deferred_cancel();
            let mut loaded = loaded?;
            let requires_unique = loaded.joined_collection;
            let keys = loaded.keys.clone();
            let row_lines = loaded.take_row_lines();
            let post_loads = loaded.post_loads.take();
            let mut r = ResultObj::new(keys, loaded.into_rows(), requires_unique);
            r.log_at_first_read(row_lines);
            r.post_loads = post_loads;
            // `loading.instances()`: `result.yield_per(context.yield_per)`.
            r.yield_per = q.yield_per;
            Ok(super::result::result_value(r))
        }
        Value::Native(n)
            if let Some(f) = downcast::<crate::orm::from_statement::FromStatement>(n) =>
        {
            let (keys, rows) = f.execute(s)?;
            Ok(super::result::result_value(ResultObj::new(
                keys, rows, false,
            )))
        }
        Value::Native(n) if let Some(d) = downcast::<crate::orm::bulk::DmlStatement>(n) => {
            let done = crate::orm::bulk::execute_returning(s, &d, true)?;
            let mut r = match done.returned {
                Some((keys, rows)) => ResultObj::new(keys, rows, false),
                None => ResultObj::new(Vec::new(), Vec::new(), false),
            };
            r.rowcount = done.rowcount;
            // an ORM statement's rows come back as a `ChunkedIteratorResult`
            // (no `rowcount`), a Core table's as a `CursorResult`
            r.cursor = d.mapper.is_none() || d.returning.is_empty();
            Ok(super::result::result_value(r))
        }
        Value::Str(text) => {
            // `util.ellipses_string(text)`: the first 25 characters.
            let shown: String = text.chars().take(25).collect();
            let ellipsis = if text.chars().count() > 25 { "..." } else { "" };
            Err(PyErr::new(
                ExcType::ArgumentError,
                format!(
                    "Textual SQL expression '{shown}{ellipsis}' should be explicitly declared as text('{shown}{ellipsis}')"
                ),
            ))
        }
        other => Err(PyErr::new(
            ExcType::ArgumentError,
            format!(
                "Executable SQL or text() construct expected, got {}.",
                repr_plain(other)
            ),
        )),
    }
}

/// `options=[selectinload(User.messages), …]`: the loader options in an
/// iterable, as `Session.get()` takes them.
fn loader_options(
    interp: &mut Interpreter,
    v: &Value,
) -> PyResult<Vec<Rc<crate::orm::strategy_options::LoaderOption>>> {
    interp
        .iterate_value(v)?
        .into_iter()
        .map(|o| match o {
            Value::Native(n)
                if let Some(o) = downcast::<crate::orm::strategy_options::LoaderOption>(&n) =>
            {
                Ok(o)
            }
            other => Err(PyErr::new(
                ExcType::ArgumentError,
                format!(
                    "options takes loader options such as selectinload(User.messages), got {}",
                    other.type_name()
                ),
            )),
        })
        .collect()
}

/// The mapped class of a legacy bulk method (`bulk_insert_mappings(User, …)`).
///
/// Errors: `NotImplementedError` for anything else (SQLAlchemy raises an
/// `AttributeError` deep inside its mapper lookup).
fn bulk_mapper(v: &Value) -> PyResult<Rc<crate::orm::mapper::Mapper>> {
    super::objects::as_class(v).ok_or_else(|| {
        PyErr::unsupported(format!(
            "bulk mappings of {}, not a mapped class",
            v.type_name()
        ))
    })
}

/// The `get(entity, ident, ...)` call shared by `Session.get`.
fn get(interp: &mut Interpreter, s: &Rc<Session>, b: Bound) -> PyResult<Value> {
    let entity = b.required("entity")?;
    let Some(m) = super::objects::as_class(entity) else {
        return Err(PyErr::new(
            ExcType::ArgumentError,
            format!(
                "Expected mapped class or mapper, got: {}",
                repr_plain(entity)
            ),
        ));
    };
    let key = identity_arg(b.required("ident")?);
    let options = match b.given("options") {
        Some(v) => loader_options(interp, v)?,
        None => Vec::new(),
    };
    let populate_existing = b.flag("populate_existing", false);
    s.get_with(
        &m,
        key,
        GetOptions {
            options,
            populate_existing,
        },
    )
}

/// `Session.execute()`'s parameters: `execution_options=` is taken for an
/// ORM UPDATE or DELETE and for a SELECT's `populate_existing`
/// ([`with_execution_options`]).
const SESSION_EXECUTE_PARAMS: &[&str] = &[
    "statement",
    "params=",
    "*",
    "execution_options=",
    "bind_arguments=!",
];

/// `session.execute(update(User)…, execution_options={"synchronize_session":
/// …})`: the statement with those options, as its own
/// `.execution_options(**options)` gives it (SQLAlchemy merges both).
///
/// Errors: `NotImplementedError` for options on another statement, or
/// options other than `synchronize_session` (DML) and those of
/// [`crate::orm::query::Query::with_execution_option`] (SELECT); those of
/// [`super::dml::execution_options`].
fn with_execution_options(stmt: &Value, options: Option<&Value>) -> PyResult<Value> {
    let Some(options) = options else {
        return Ok(stmt.clone());
    };
    let Value::Dict(d) = options else {
        return Err(PyErr::unsupported(
            "execution_options= other than a dict in Session.execute()",
        ));
    };
    let Value::Native(n) = stmt else {
        return Err(PyErr::unsupported(
            "execution_options= with this statement in Session.execute()",
        ));
    };
    if let Some(q) = downcast::<crate::orm::query::Query>(n) {
        // A SELECT's options, as its own `.execution_options()` takes them.
        let mut nq = (*q).clone();
        for (k, v) in d.borrow().iter() {
            nq = nq.with_execution_option(&str_plain(k), v)?;
        }
        return Ok(Value::native(nq));
    }
    let Some(dml) = downcast::<crate::orm::bulk::DmlStatement>(n) else {
        return Err(PyErr::unsupported(
            "execution_options= with this statement in Session.execute()",
        ));
    };
    let kwargs: Vec<(String, Value)> = d
        .borrow()
        .iter()
        .map(|(k, v)| (str_plain(k), v.clone()))
        .collect();
    Ok(Value::native(super::dml::execution_options(
        &dml,
        Vec::new(),
        kwargs,
    )?))
}

/// `Session.scalars()`'s and `Session.scalar()`'s parameters.
const SCALAR_PARAMS: &[&str] = &[
    "statement",
    "params=",
    "*",
    "execution_options=",
    "bind_arguments=!",
    "**kw",
];

/// The parameters of `Session.identity_key()` (and `AsyncSession`'s), as
/// SQLAlchemy 2.0 declares them.
pub(crate) const IDENTITY_KEY_PARAMS: &[&str] = &[
    "class_=",
    "ident=",
    "*",
    "instance=",
    "row=!",
    "identity_token=!",
];

/// The parameters of `Session.get()` and `Session.get_one()`, as SQLAlchemy
/// 2.0 declares them (`!`: not supported yet, `NotImplementedError` when
/// passed).
const GET_PARAMS: &[&str] = &[
    "entity",
    "ident",
    "*",
    "options=",
    "populate_existing=",
    "with_for_update=!",
    "identity_token=!",
    "execution_options=!",
    "bind_arguments=!",
];

/// `Session`'s methods, as SQLAlchemy 2.0 `sqlalchemy.orm.Session`.
pub static SESSION: &[Method<Rc<Session>>] = &[
    Method {
        name: "query",
        params: &["*entities", "**kwargs"],
        call: |_, s, b| {
            if let Some((k, _)) = b.varkw.first() {
                return Err(PyErr::unsupported(format!(
                    "the '{k}' argument of Session.query()"
                )));
            }
            let ents = crate::interpreter::builtins::entities(&b.varargs, "query")?;
            Ok(Value::native(Query::new(
                QueryStyle::Legacy(s.clone()),
                ents,
            )))
        },
    },
    Method {
        name: "get",
        params: GET_PARAMS,
        call: get,
    },
    Method {
        name: "add",
        params: &["instance", "_warn="],
        call: |_, s, b| none(s.add(&object_arg(b.required("instance")?)?)),
    },
    Method {
        name: "add_all",
        params: &["instances"],
        call: |vm, s, b| {
            let items = vm.iterate_value(b.required("instances")?)?;
            let objs = items.iter().map(object_arg).collect::<PyResult<Vec<_>>>()?;
            for o in objs {
                s.add(&o)?;
            }
            Ok(Value::None)
        },
    },
    Method {
        name: "bulk_insert_mappings",
        params: &["mapper", "mappings", "return_defaults=", "render_nulls="],
        call: |vm, s, b| {
            let m = bulk_mapper(b.required("mapper")?)?;
            let dicts = vm.iterate_value(b.required("mappings")?)?;
            if b.given("render_nulls").is_some_and(Value::truthy) {
                return Err(PyErr::unsupported(
                    "bulk_insert_mappings(render_nulls=True)",
                ));
            }
            let return_defaults = b.given("return_defaults").is_some_and(Value::truthy);
            none(crate::orm::bulk_persistence::bulk_insert_mappings(
                s,
                &m,
                &dicts,
                return_defaults,
            ))
        },
    },
    Method {
        name: "bulk_save_objects",
        params: &[
            "objects",
            "return_defaults=",
            "update_changed_only=",
            "preserve_order=",
        ],
        call: |vm, s, b| {
            if b.given("return_defaults").is_some_and(Value::truthy) {
                return Err(PyErr::unsupported(
                    "bulk_save_objects(return_defaults=True)",
                ));
            }
            if b.given("preserve_order").is_some_and(|v| !v.truthy()) {
                return Err(PyErr::unsupported(
                    "bulk_save_objects(preserve_order=False)",
                ));
            }
            let items = vm.iterate_value(b.required("objects")?)?;
            let objs = items.iter().map(object_arg).collect::<PyResult<Vec<_>>>()?;
            none(crate::orm::bulk_persistence::bulk_save_objects(s, &objs))
        },
    },
    Method {
        name: "bulk_update_mappings",
        params: &["mapper", "mappings"],
        call: |vm, s, b| {
            let m = bulk_mapper(b.required("mapper")?)?;
            let dicts = vm.iterate_value(b.required("mappings")?)?;
            none(crate::orm::bulk_persistence::bulk_update_mappings(
                s, &m, &dicts,
            ))
        },
    },
    Method {
        name: "delete",
        params: &["instance"],
        call: |_, s, b| none(s.delete(&object_arg(b.required("instance")?)?)),
    },
    Method {
        name: "flush",
        params: &["objects=!"],
        call: |_, s, _| none(s.flush()),
    },
    Method {
        name: "commit",
        params: &[],
        call: |_, s, _| none(s.commit()),
    },
    Method {
        name: "rollback",
        params: &[],
        call: |_, s, _| none(s.rollback()),
    },
    Method {
        name: "close",
        params: &[],
        call: |_, s, _| none(s.close()),
    },
    Method {
        name: "expunge",
        params: &["instance"],
        call: |_, s, b| none(s.expunge(&object_arg(b.required("instance")?)?)),
    },
    Method {
        name: "expunge_all",
        params: &[],
        call: |_, s, _| {
            s.expunge_all();
            Ok(Value::None)
        },
    },
    Method {
        name: "expire",
        params: &["instance", "attribute_names="],
        call: |vm, s, b| {
            let o = object_arg(b.required("instance")?)?;
            let attrs = attribute_names(vm, &b)?;
            none(s.expire(&o, attrs.as_deref()))
        },
    },
    Method {
        name: "expire_all",
        params: &[],
        call: |_, s, _| {
            s.expire_all();
            Ok(Value::None)
        },
    },
    Method {
        name: "refresh",
        params: &["instance", "attribute_names=", "with_for_update=!"],
        call: |vm, s, b| {
            let o = object_arg(b.required("instance")?)?;
            let attrs = attribute_names(vm, &b)?;
            none(s.refresh(&o, attrs.as_deref()))
        },
    },
    Method {
        name: "merge",
        params: &["instance", "*", "load=!", "options=!"],
        call: |_, s, b| s.merge(&object_arg(b.required("instance")?)?),
    },
    Method {
        name: "execute",
        params: SESSION_EXECUTE_PARAMS,
        call: |_, s, b| {
            let stmt =
                with_execution_options(b.required("statement")?, b.given("execution_options"))?;
            execute_with(s, &stmt, b.given("params"))
        },
    },
    Method {
        name: "scalars",
        params: SCALAR_PARAMS,
        call: |_, s, b| {
            let stmt =
                with_execution_options(b.required("statement")?, b.given("execution_options"))?;
            let r = execute_with(s, &stmt, b.given("params"))?;
            if let Some(r) = super::result::as_result(&r) {
                r.borrow_mut().scalars = true;
            }
            Ok(r)
        },
    },
    Method {
        name: "scalar",
        params: SCALAR_PARAMS,
        call: |_, s, b| match execute_with(
            s,
            &with_execution_options(b.required("statement")?, b.given("execution_options"))?,
            b.given("params"),
        )? {
            v if let Some(r) = super::result::as_result(&v) => r.borrow_mut().scalar(),
            other => Ok(other),
        },
    },
    Method {
        name: "begin",
        params: &["nested=!"],
        call: |_, s, _| {
            s.begin()?;
            Ok(Value::native(super::objects::SessionTransaction(s.clone())))
        },
    },
    Method {
        name: "begin_nested",
        params: &[],
        call: |_, s, _| super::session_nested::begin_nested(s),
    },
    Method {
        name: "get_one",
        params: GET_PARAMS,
        // As SQLAlchemy 2.0 `Session.get_one()`: `get()`, or NoResultFound.
        call: |interp, s, b| match get(interp, s, b)? {
            Value::None => Err(PyErr::new(
                ExcType::NoResultFound,
                "No row was found when one was required",
            )),
            found => Ok(found),
        },
    },
    Method {
        name: "get_bind",
        params: &[
            "mapper=",
            "*",
            "clause=",
            "bind=!",
            "_sa_skip_events=!",
            "_sa_skip_for_implicit_returning=!",
        ],
        call: |interp, s, _| Ok(session_bind(interp, s)),
    },
    Method {
        name: "connection",
        params: &["bind_arguments=!", "execution_options=!"],
        // `Session.connection()`: the Core connection of its transaction.
        call: |interp, s, _| {
            let engine = session_bind(interp, s);
            if let Some(c) = super::connection::as_connection(&engine) {
                s.begin_for_flush()?;
                return Ok(Value::Native(c));
            }
            Ok(Value::Native(super::connection::Connection::of_session(
                engine, s,
            )?))
        },
    },
    Method {
        name: "get_transaction",
        params: &[],
        call: |_, s, _| {
            Ok(if s.has_transaction() {
                Value::native(super::objects::SessionTransaction(s.clone()))
            } else {
                Value::None
            })
        },
    },
    Method {
        name: "get_nested_transaction",
        params: &[],
        call: |_, s, _| {
            Ok(match s.innermost_nested() {
                Some(id) => Value::native(super::session_nested::NestedSessionTransaction {
                    session: s.clone(),
                    id,
                }),
                None => Value::None,
            })
        },
    },
    Method {
        name: "in_nested_transaction",
        params: &[],
        call: |_, s, _| Ok(Value::Bool(s.innermost_nested().is_some())),
    },
    Method {
        name: "identity_key",
        params: IDENTITY_KEY_PARAMS,
        call: |_, _, b| identity_key_of(&b),
    },
    Method {
        name: "object_session",
        params: &["instance"],
        call: |_, _, b| {
            super::inspection::object_session(vec![b.required("instance")?.clone()], Vec::new())
        },
    },
    Method {
        name: "reset",
        params: &[],
        // As SQLAlchemy 2.0 `Session.reset()`: `close()`, the session
        // staying usable.
        call: |_, s, _| s.close().map(|()| Value::None),
    },
    Method {
        name: "in_transaction",
        params: &[],
        call: |_, s, _| Ok(Value::Bool(s.in_transaction())),
    },
    Method {
        name: "is_modified",
        params: &["instance", "include_collections=!"],
        call: |_, _, b| {
            let o = object_arg(b.required("instance")?)?;
            let b = o.borrow();
            let changed = b.committed().iter().any(|(k, old)| {
                b.dict
                    .get(k)
                    .is_none_or(|new| !crate::python::ops::values_equal(old, new))
            }) || crate::orm::attributes::collections_changed(&b);
            Ok(Value::Bool(changed))
        },
    },
];

/// `session.bind` and `session.get_bind()`: the engine (or connection)
/// the session was made with, else the fixture's `engine`.
pub fn session_bind(interp: &Interpreter, s: &Session) -> Value {
    s.bind
        .borrow()
        .clone()
        .or_else(|| interp.globals.get("engine").cloned())
        .unwrap_or(Value::None)
}

/// `session.info`: the session's own dict, made at first use.
pub fn session_info(s: &Session) -> Value {
    s.info
        .borrow_mut()
        .get_or_insert_with(|| crate::python::value::DictObj::value(Vec::new()))
        .clone()
}

/// `Session.identity_key(User, 1)` / `identity_key(instance=obj)`: the
/// tuple `(class, (pk, ...), None)`, as SQLAlchemy 2.0's
/// `orm.util.identity_key`.
///
/// Errors: `UnmappedClassError`/`UnmappedInstanceError` for values that
/// are not mapped; Python's `TypeError` without a class or instance.
pub fn identity_key_of(b: &Bound) -> PyResult<Value> {
    if let Some(v) = b.given("instance") {
        let Some(o) = crate::orm::state::as_instance(v) else {
            return Err(unmapped_instance_error(v));
        };
        let (mapper, key) = {
            let o = o.borrow();
            (o.mapper.clone(), o.key.clone())
        };
        let Some(key) = key else {
            return Err(PyErr::new(
                ExcType::InvalidRequestError,
                "Instance has no identity key; it is not persistent",
            ));
        };
        return Ok(Value::tuple(vec![
            Value::Native(mapper),
            Value::tuple(key.to_vec()),
            Value::None,
        ]));
    }
    let (Some(class), Some(ident)) = (b.given("class_"), b.given("ident")) else {
        return Err(crate::python::exceptions::type_error(
            "identity_key() takes class_ and ident, or instance=",
        ));
    };
    if super::objects::as_class(class).is_none() {
        return Err(PyErr::new(
            ExcType::UnmappedClassError,
            format!("Class '{}' is not mapped", repr_plain(class)),
        ));
    }
    Ok(Value::tuple(vec![
        class.clone(),
        Value::tuple(identity_arg(ident)),
        Value::None,
    ]))
}

/// `Session`'s attributes that are not methods (`session.new`, …).
pub const SESSION_PROPERTIES: &[&str] = &[
    "autoflush",
    "bind",
    "deleted",
    "dirty",
    "identity_map",
    "info",
    "is_active",
    "new",
    "no_autoflush",
];

/// Every public name of a `Session`, sorted: for completion and hints.
pub fn session_names() -> Vec<&'static str> {
    let mut v = super::method::names(SESSION);
    v.extend(SESSION_PROPERTIES);
    v.sort_unstable();
    v
}

/// `Session.execute` read on the class: the plain function of SQLAlchemy
/// 2.0's `Session` (`<function Session.execute at 0x…>`); calling it with a
/// session first is `session.execute(...)`.
#[derive(Debug)]
pub struct SessionFunction {
    /// the method's name in [`SESSION`]
    pub name: String,
}

impl crate::python::PyObject for SessionFunction {
    fn type_name(&self) -> String {
        "function".into()
    }
    fn repr(&self) -> String {
        format!(
            "<function Session.{} at {}>",
            self.name,
            crate::python::format::address_of(self)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `Session.name` on the class: a [`SessionFunction`] for each method of
/// [`SESSION`]; `None` for any other name.
pub fn class_attr(name: &str) -> Option<Value> {
    super::method::has(SESSION, name).then(|| {
        Value::Native(Rc::new(SessionFunction {
            name: name.to_string(),
        }))
    })
}

/// `Session.execute(session, stmt)`: the receiver and the remaining
/// arguments; `TypeError` without one (CPython's missing `self`),
/// `NotImplementedError` when the first argument is no `Session`.
pub fn unbound_receiver(
    f: &SessionFunction,
    mut args: Vec<Value>,
) -> PyResult<(Value, Vec<Value>)> {
    if args.is_empty() {
        return Err(crate::python::exceptions::type_error(format!(
            "Session.{}() missing 1 required positional argument: 'self'",
            f.name
        )));
    }
    let receiver = args.remove(0);
    if as_session(&receiver).is_none() {
        return Err(PyErr::unsupported(format!(
            "Session.{}() called with a '{}' as self",
            f.name,
            receiver.type_name()
        )));
    }
    Ok((receiver, args))
}
