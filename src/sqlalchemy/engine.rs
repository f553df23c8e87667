//! `sqlalchemy.engine.Engine`'s Python face: the methods and attributes a
//! learner reaches for, with SQLAlchemy 2.0's signatures. Core connections
//! (`engine.connect()`, `engine.begin()`) are in [`super::connection`].

use std::rc::Rc;

use super::objects::Engine;
use crate::python::{PyErr, PyResult, Value};

use super::method::Method;

/// `Engine`'s methods, as SQLAlchemy 2.0 `sqlalchemy.engine.Engine`.
pub static ENGINE: &[Method<Rc<Engine>>] = &[
    Method {
        name: "dispose",
        params: &["close="],
        call: |_, e, _| dispose(e).map(|()| Value::None),
    },
    Method {
        name: "connect",
        params: &[],
        call: |interp, e, _| super::connection::connect(interp, &Value::Native(e.clone())),
    },
    Method {
        name: "begin",
        params: &[],
        call: |interp, e, _| super::connection::engine_begin(interp, &Value::Native(e.clone())),
    },
    Method {
        name: "raw_connection",
        params: &[],
        call: |_, _, _| Err(PyErr::unsupported("Engine.raw_connection()")),
    },
];

/// `engine.dispose()`: the pool's connections close. An in-memory SQLite
/// database lives only as long as its connection, so a learner's
/// `create_engine("sqlite://")` (or `sqlite+aiosqlite://`) is empty again
/// afterwards, as SQLAlchemy 2.0's; a file, a server, and the fixture's
/// own database (engine 0, a file under the oracle) keep their data.
///
/// Errors: `OperationalError` if SQLite cannot reset the database.
pub fn dispose(e: &Engine) -> PyResult<()> {
    e.1.dispose_pool();
    let url = e.0.url.as_str();
    let path = url.split_once("://").map_or("", |(_, rest)| rest);
    let in_memory = url.starts_with("sqlite") && (path.is_empty() || path == "/:memory:");
    if e.0.id == 0 || !in_memory {
        return Ok(());
    }
    e.1.reset_in_memory()
        .map_err(|err| PyErr::new(crate::python::ExcType::OperationalError, err.to_string()))
}

/// `Engine`'s attributes that are not methods.
pub const ENGINE_PROPERTIES: &[&str] = &["dialect", "driver", "echo", "name", "url"];

/// `engine.url` and the other attributes; `None` for a name that is not one.
/// The URL is a `URL` that prints as the string the engine was made from.
pub fn engine_attr(e: &Engine, name: &str) -> Option<PyResult<Value>> {
    match name {
        // `engine.url`: a `URL` (sqlalchemy.engine.url), parsed from the
        // string the engine was made from.
        "url" => Some(super::url::Url::parse(&e.0.url).map(Value::native)),
        // `engine.echo`: what `create_engine(echo=...)` was given.
        "echo" => Some(Ok(echo_value(e.1.echo().flag()))),
        // `engine.dialect`: the dialect its statements are compiled for.
        "dialect" => Some(Ok(Value::native(super::compiled::DialectObj(
            e.1.dialect(),
        )))),
        // `engine.name`: the dialect's name, as SQLAlchemy 2.0's.
        "name" => Some(Ok(Value::str(e.1.dialect().name))),
        // `engine.driver`: the DBAPI's name, from the URL's `+driver` or
        // the dialect's default (pysqlite, psycopg2).
        "driver" => {
            let scheme = e.0.url.split("://").next().unwrap_or_default();
            let driver = match scheme.split_once('+') {
                Some((_, d)) => d.to_string(),
                None if e.1.dialect().name == "postgresql" => "psycopg2".into(),
                None => "pysqlite".into(),
            };
            Some(Ok(Value::str(&driver)))
        }
        _ => None,
    }
}

/// `engine.echo` as SQLAlchemy gives it back: `None` when not given,
/// `True`/`False`, or `"debug"`.
pub fn echo_value(flag: Option<crate::engine::echo::EchoFlag>) -> Value {
    use crate::engine::echo::EchoFlag;
    match flag {
        None => Value::None,
        Some(EchoFlag::False) => Value::Bool(false),
        Some(EchoFlag::True) => Value::Bool(true),
        Some(EchoFlag::Debug) => Value::str("debug"),
    }
}

/// What `echo=v` asks for: `"debug"` the rows too, any other true value
/// the statements, `None` nothing given.
pub fn echo_flag(v: &Value) -> Option<crate::engine::echo::EchoFlag> {
    use crate::engine::echo::EchoFlag;
    match v {
        Value::None => None,
        Value::Str(s) if &**s == "debug" => Some(EchoFlag::Debug),
        v if v.truthy() => Some(EchoFlag::True),
        _ => Some(EchoFlag::False),
    }
}

/// `engine.echo = v` (and `async_engine.echo = v`): the engine's
/// connections log from their next statement on.
pub fn set_echo(db: &crate::engine::Database, v: &Value) {
    db.echo().set_flag(echo_flag(v));
}

/// `create_engine(echo=..., logging_name=..., hide_parameters=...)`: the
/// engine's logging, as SQLAlchemy's `log.instance_logger` sets it up.
pub(crate) fn configure_echo(db: &crate::engine::Database, kwargs: &[(String, Value)]) {
    for (k, v) in kwargs {
        match k.as_str() {
            "echo" => db.echo().set_flag(echo_flag(v)),
            "logging_name" => db.echo().set_logging_name(match v {
                Value::None => None,
                Value::Str(s) => Some(s.to_string()),
                other => Some(crate::python::format::repr_plain(other)),
            }),
            "hide_parameters" => db.echo().set_hide_parameters(v.truthy()),
            _ => {}
        }
    }
}

/// `create_engine`'s keywords that change nothing on the tutor's SQLite
/// (logging and pool settings SQLAlchemy accepts for pysqlite).
pub(crate) const QUIET_KEYWORDS: &[&str] = &[
    "echo",
    "echo_pool",
    "future",
    "pool_pre_ping",
    "pool_size",
    "pool_recycle",
    "connect_args",
    "hide_parameters",
    "logging_name",
    "pool_reset_on_return",
    "poolclass",
    "query_cache_size",
    "isolation_level",
    "execution_options",
];

/// `QueuePool`'s own keywords: accepted (and changing nothing) on a
/// file or server engine, a `TypeError` on an in-memory SQLite engine,
/// whose `SingletonThreadPool` takes none of them.
const QUEUE_POOL_KEYWORDS: &[&str] = &["max_overflow", "pool_timeout", "pool_use_lifo"];

/// What `create_engine()` raises for a URL whose dialect or driver this
/// machine lacks, as SQLAlchemy 2.0 with none of them installed:
/// `ModuleNotFoundError` naming the driver's module (`mysql://` →
/// `MySQLdb`), `NoSuchModuleError` for an unknown dialect or driver.
/// `None` for the tutor's own: SQLite and PostgreSQL through psycopg2;
/// `NotImplementedError` for an async driver in a sync engine.
fn missing_driver(scheme: &str) -> Option<PyErr> {
    let module = match scheme {
        "sqlite" | "sqlite+pysqlite" | "postgresql" | "postgresql+psycopg2" => return None,
        "sqlite+aiosqlite" | "postgresql+asyncpg" => {
            return Some(PyErr::unsupported(format!(
                "create_engine() for '{scheme}://' URLs (an async driver: create_async_engine() takes them)"
            )));
        }
        "mysql" | "mysql+mysqldb" | "mariadb" | "mariadb+mysqldb" => "MySQLdb",
        "mysql+pymysql" | "mariadb+pymysql" => "pymysql",
        "mysql+mysqlconnector" | "mariadb+mysqlconnector" => "mysql",
        "mysql+asyncmy" => "asyncmy",
        "mysql+aiomysql" => "aiomysql",
        "mssql" | "mssql+pyodbc" => "pyodbc",
        "mssql+pymssql" => "pymssql",
        "oracle" | "oracle+cx_oracle" => "cx_Oracle",
        "oracle+oracledb" => "oracledb",
        "postgresql+pg8000" => "pg8000",
        "postgresql+psycopg" | "postgresql+psycopg_async" => "psycopg",
        other => {
            return Some(PyErr::new(
                crate::python::ExcType::NoSuchModuleError,
                format!(
                    "Can't load plugin: sqlalchemy.dialects:{}",
                    other.replace('+', ".")
                ),
            ));
        }
    };
    Some(PyErr::new(
        crate::python::ExcType::ModuleNotFoundError,
        format!("No module named '{module}'"),
    ))
}

/// `create_engine(url, **kw)`: a new engine over a new database, as
/// SQLAlchemy 2.0 makes one: `sqlite://`, `sqlite:///:memory:` (and the
/// `sqlite+pysqlite` forms) a new empty in-memory database;
/// `sqlite:///path.db` that file, created when missing;
/// `postgresql[+psycopg2]://…` that server, connected at first use. Its
/// statements are logged with the fixture's, in order.
///
/// Errors: `ArgumentError` for a URL SQLAlchemy cannot parse;
/// `ModuleNotFoundError`/`NoSuchModuleError` for other databases
/// ([`missing_driver`]); `TypeError` for a `QueuePool` keyword on an
/// in-memory SQLite engine; `NotImplementedError` for keywords the tutor
/// does not model.
pub fn create_engine(
    interp: &mut crate::interpreter::Interpreter,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<Value> {
    let url = match args.first() {
        Some(Value::Str(s)) => s.to_string(),
        // create_engine(URL.create(...)) / create_engine(make_url(...))
        Some(u) if let Some(u) = u.downcast::<super::url::Url>() => u.render(false),
        Some(other) => {
            return Err(PyErr::new(
                crate::python::ExcType::ArgumentError,
                format!(
                    "Expected string or URL object, got {}",
                    crate::python::format::repr_plain(other)
                ),
            ));
        }
        None => {
            return Err(crate::python::exceptions::type_error(
                "create_engine() missing 1 required positional argument: 'url'",
            ));
        }
    };
    if args.len() > 1 {
        return Err(crate::python::exceptions::type_error(format!(
            "create_engine() takes 1 positional argument but {} were given",
            args.len()
        )));
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(PyErr::new(
            crate::python::ExcType::ArgumentError,
            format!("Could not parse SQLAlchemy URL from string '{url}'"),
        ));
    };
    // The dialect and its driver load first, as `create_engine()` imports
    // them before it reads the keywords.
    if let Some(err) = missing_driver(scheme) {
        return Err(err);
    }
    let server = matches!(scheme, "postgresql" | "postgresql+psycopg2");
    let path = rest.strip_prefix('/').unwrap_or(rest);
    let in_memory = !server && (path.is_empty() || path == ":memory:");
    for (k, _) in &kwargs {
        if QUIET_KEYWORDS.contains(&k.as_str()) || k == "enable_from_linting" {
            continue;
        }
        if QUEUE_POOL_KEYWORDS.contains(&k.as_str()) {
            if !in_memory {
                continue;
            }
            // An in-memory SQLite engine's SingletonThreadPool has no
            // overflow, timeout or LIFO.
            return Err(crate::python::exceptions::type_error(format!(
                "Invalid argument(s) '{k}' sent to create_engine(), using configuration SQLiteDialect_pysqlite/SingletonThreadPool/Engine.  Please check that the keyword arguments are appropriate for this combination of components."
            )));
        }
        return Err(PyErr::unsupported(format!(
            "the '{k}' argument of create_engine()"
        )));
    }
    let echo = kwargs
        .iter()
        .find(|(k, _)| k == "echo")
        .map(|(_, v)| v.truthy());
    // `enable_from_linting=False`: no cartesian-product warnings.
    let from_linting = kwargs
        .iter()
        .find(|(k, _)| k == "enable_from_linting")
        .is_none_or(|(_, v)| v.truthy());
    let db = |conn: Box<dyn crate::engine::Connection>| {
        let db = interp.db.sibling(conn);
        db.set_from_linting(from_linting);
        configure_echo(&db, &kwargs);
        Rc::new(db)
    };
    if server {
        let conn = crate::engine::postgresql::LazyPgConnection::new(&url);
        let db = db(Box::new(conn));
        db.echo()
            .set_first_connect_sql(crate::engine::postgresql::FIRST_CONNECT_SQL);
        return Ok(interp.add_engine(url, db, echo));
    }
    let opened = if path.is_empty() || path == ":memory:" {
        crate::engine::sqlite::SqliteConnection::open_in_memory()
    } else {
        crate::engine::sqlite::SqliteConnection::open_file(std::path::Path::new(path))
    };
    let conn =
        opened.map_err(|e| PyErr::new(crate::python::ExcType::OperationalError, e.to_string()))?;
    let db = db(Box::new(conn));
    Ok(interp.add_engine(url, db, echo))
}

/// Every public name of an `Engine`, sorted, for completion and hints.
pub fn engine_names() -> Vec<&'static str> {
    let mut v = super::method::names(ENGINE);
    v.extend(ENGINE_PROPERTIES);
    v.sort_unstable();
    v
}

/// The `context` a column default function of one positional parameter is
/// called with (`default=f` where `def f(context): ...`), as SQLAlchemy 2.0's
/// `DefaultExecutionContext`: `context.current_parameters` and
/// `context.get_current_parameters()` give the row's parameters, a dict by
/// column key (the values set, `None` for unset columns without a default,
/// and the defaults of the columns before this one).
#[derive(Debug)]
pub struct DefaultExecutionContext {
    /// The row's parameters: a `dict`.
    pub parameters: Value,
}

impl crate::python::object::PyObject for DefaultExecutionContext {
    fn type_name(&self) -> String {
        "SQLiteExecutionContext_pysqlite".into()
    }
    fn repr(&self) -> String {
        "<sqlalchemy.dialects.sqlite.pysqlite.SQLiteExecutionContext_pysqlite object>".into()
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `context.current_parameters` / `context.get_current_parameters` of a
/// [`DefaultExecutionContext`]; `None` for other objects.
pub fn context_attr(obj: &Value, name: &str) -> Option<PyResult<Value>> {
    let c = obj.downcast::<DefaultExecutionContext>()?;
    Some(match name {
        "current_parameters" => Ok(c.parameters.clone()),
        "get_current_parameters" => Ok(Value::Method(Rc::new(crate::python::value::Method {
            receiver: obj.clone(),
            name: name.to_string(),
        }))),
        _ => Err(crate::python::exceptions::attribute_error(format!(
            "'SQLiteExecutionContext_pysqlite' object has no attribute '{name}'"
        ))),
    })
}

/// `context.get_current_parameters(isolate_multiinsert_groups=True)`: the
/// row's parameters; `None` for other receivers.
pub fn context_method(receiver: &Value, name: &str, args: &[Value]) -> Option<PyResult<Value>> {
    let c = receiver.downcast::<DefaultExecutionContext>()?;
    if name != "get_current_parameters" {
        return None;
    }
    if args.len() > 1 {
        return Some(Err(crate::python::exceptions::type_error(format!(
            "DefaultExecutionContext.get_current_parameters() takes from 1 to 2 positional arguments but {} were given",
            args.len() + 1
        ))));
    }
    Some(Ok(c.parameters.clone()))
}
