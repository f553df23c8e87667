//! `inspect(engine)` / `inspect(connection)`: SQLAlchemy 2.0's
//! `Inspector` (`sqlalchemy/engine/reflection.py`) on SQLite, sending the
//! queries of the SQLite dialect's `get_*` methods
//! (`dialects/sqlite/base.py`) in their order. The queries themselves are
//! Alembic's reflection ones (`alembic/reflection.rs`).
//!
//! - On an engine each call that sends SQL checks a connection out and
//!   returns it: `BEGIN` (implicit) at the first query, `ROLLBACK` at the
//!   end. On a connection the queries run in its transaction.
//! - `get_table_names`, `get_columns`, `get_pk_constraint`,
//!   `get_foreign_keys`, `get_indexes` and `get_unique_constraints` are
//!   cached per table in the inspector (`@reflection.cache`'s
//!   `info_cache`): asked again, they send nothing and return the same list.
//!   `has_table` is never cached; `clear_cache()` empties the cache.
//! - The table's `CREATE TABLE` text (`_get_table_sql`) is asked anew by
//!   `get_pk_constraint` and `get_foreign_keys` (they do not pass the cache
//!   on) and cached only through `get_unique_constraints`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::alembic::autogenerate::AgType;
use super::alembic::ddl::ConstraintSpec;
use super::alembic::reflection::{self, Rows, Runner, TABLE_NAMES_SQL};
use super::connection::Connection;
use super::method::Method;
use crate::interpreter::Interpreter;
use crate::python::value::DictObj;
use crate::python::{Bound, ExcType, PyErr, PyObject, PyResult, Value};
use crate::sql::compiler::Compiled;

/// What an inspector reflects through: an engine (a connection checked out
/// per call) or a learner's connection.
#[derive(Debug)]
enum Bind {
    Engine(Value),
    Connection(Rc<Connection>),
}

/// `sqlalchemy.engine.reflection.Inspector`.
#[derive(Debug)]
pub struct Inspector {
    bind: Bind,
    /// Whether the bind is PostgreSQL's (`PGInspector`, reflecting through
    /// `pg_catalog`), else SQLite's.
    postgresql: bool,
    /// `info_cache`: a method's result by `method:table`.
    cache: RefCell<HashMap<String, Value>>,
}

impl PyObject for Inspector {
    fn type_name(&self) -> String {
        if self.postgresql {
            "PGInspector".into()
        } else {
            "Inspector".into()
        }
    }
    fn repr(&self) -> String {
        format!(
            "<sqlalchemy.{} object at {}>",
            if self.postgresql {
                "dialects.postgresql.base.PGInspector"
            } else {
                "engine.reflection.Inspector"
            },
            crate::python::format::address_of(self as *const Self)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// A reflected column type, as the SQLite dialect's
/// `_resolve_type_affinity` makes it: `VARCHAR(length=100)` by `repr()`,
/// `VARCHAR(100)` by `str()`, its class name as `type()`'s.
#[derive(Debug)]
pub struct ReflectedType {
    /// The class: `INTEGER`, `VARCHAR`, `NullType` …
    pub class: String,
    /// The integer arguments SQLite kept (`VARCHAR(100)`'s `100`).
    pub args: Vec<String>,
}

impl ReflectedType {
    /// SQLAlchemy's `_resolve_type_affinity(type_)`: a name of the
    /// dialect's `ischema_names`, else SQLite's affinity rules (`INT` →
    /// `INTEGER`, `CHAR`/`CLOB`/`TEXT` → `TEXT`, `BLOB` or nothing →
    /// `NullType`, `REAL`/`FLOA`/`DOUB` → `REAL`, else `NUMERIC`).
    pub fn resolve(type_sql: &str) -> ReflectedType {
        let (name, args) = match type_sql.split_once('(') {
            Some((n, rest)) => (
                n.trim().to_uppercase(),
                rest.split(|c: char| !c.is_ascii_digit())
                    .filter(|a| !a.is_empty())
                    .map(str::to_string)
                    .collect(),
            ),
            None => (type_sql.trim().to_uppercase(), Vec::new()),
        };
        let known = match name.as_str() {
            "BIGINT" | "BLOB" | "BOOLEAN" | "CHAR" | "DATE" | "DATETIME" | "DOUBLE" | "DECIMAL"
            | "FLOAT" | "INTEGER" | "JSON" | "NUMERIC" | "REAL" | "SMALLINT" | "TEXT" | "TIME"
            | "TIMESTAMP" | "VARCHAR" | "NVARCHAR" | "NCHAR" => Some(name.clone()),
            "BOOL" => Some("BOOLEAN".into()),
            "INT" => Some("INTEGER".into()),
            "DATE_CHAR" => Some("DATE".into()),
            "DATETIME_CHAR" => Some("DATETIME".into()),
            "TIME_CHAR" => Some("TIME".into()),
            _ => None,
        };
        let class = known.unwrap_or_else(|| {
            if name.contains("INT") {
                "INTEGER".into()
            } else if ["CHAR", "CLOB", "TEXT"].iter().any(|k| name.contains(k)) {
                "TEXT".into()
            } else if name.contains("BLOB") || name.is_empty() {
                "NullType".into()
            } else if ["REAL", "FLOA", "DOUB"].iter().any(|k| name.contains(k)) {
                "REAL".into()
            } else {
                "NUMERIC".into()
            }
        });
        ReflectedType { class, args }
    }
}

impl PyObject for ReflectedType {
    fn type_name(&self) -> String {
        self.class.clone()
    }
    fn repr(&self) -> String {
        if self.class == "NullType" {
            return "NullType()".into();
        }
        let sql = if self.args.is_empty() {
            self.class.clone()
        } else {
            format!("{}({})", self.class, self.args.join(", "))
        };
        AgType::Reflected(sql).repr()
    }
    fn str(&self) -> String {
        match (self.class.as_str(), self.args.is_empty()) {
            ("NullType", _) => "NULL".into(),
            ("DOUBLE_PRECISION", _) => "DOUBLE PRECISION".into(),
            (c, true) => c.to_string(),
            (c, false) => format!("{c}({})", self.args.join(", ")),
        }
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// The queries of one inspector call, on its connection.
pub(crate) struct CallRunner(Rc<Connection>);

impl Runner for CallRunner {
    fn rows(&self, compiled: &Compiled) -> PyResult<Rows> {
        self.0.autobegin()?;
        let db = &self.0.executor.db;
        if db.dialect().name == "sqlite" {
            // the SQLite dialect's reflection queries go through
            // `exec_driver_sql()`: `[raw sql]` in the echo
            db.echo().set_next_stats(crate::engine::echo::Stats::Raw);
        }
        db.query(compiled, crate::outcome::Cause::Query)
            .map_err(|e| crate::orm::session::db_error(e, Some(compiled)))
    }
}

/// `inspect(x)` for an `Engine` or a `Connection`; `None` for other values.
pub fn inspect(x: &Value) -> Option<Value> {
    let (bind, dialect) = if let Some(engine) = x.downcast::<super::objects::Engine>() {
        (Bind::Engine(x.clone()), engine.1.dialect())
    } else {
        let conn = super::connection::as_connection(x)?;
        let dialect = conn.executor.db.dialect();
        (Bind::Connection(conn), dialect)
    };
    Some(Value::native(Inspector {
        bind,
        postgresql: dialect.name == "postgresql",
        cache: RefCell::new(HashMap::new()),
    }))
}

/// `Inspector`'s methods, as SQLAlchemy 2.0's (`schema=` and the
/// `**kw` dialect options are not supported).
pub static INSPECTOR: &[Method<Rc<Inspector>>] = &[
    Method {
        name: "get_table_names",
        params: &["schema=!", "**kw"],
        call: |interp, i, _| {
            let f = if i.postgresql {
                pg::get_table_names
            } else {
                get_table_names
            };
            i.cached(interp, "get_table_names", "", f)
        },
    },
    Method {
        name: "has_table",
        params: &["table_name", "schema=!", "**kw"],
        call: |interp, i, b| {
            let t = table_name(&b)?;
            i.with_runner(interp, |r| {
                if i.postgresql {
                    pg::has_table(r, &t).map(Value::Bool)
                } else {
                    has_table(r, &t).map(Value::Bool)
                }
            })
        },
    },
    Method {
        name: "get_columns",
        params: &["table_name", "schema=!", "**kw"],
        call: |interp, i, b| {
            let t = table_name(&b)?;
            i.with_runner(interp, |r| {
                if i.postgresql {
                    i.pg_get_columns(r, &t)
                } else {
                    i.get_columns(r, &t)
                }
            })
        },
    },
    Method {
        name: "get_pk_constraint",
        params: &["table_name", "schema=!", "**kw"],
        call: |interp, i, b| {
            let t = table_name(&b)?;
            i.with_runner(interp, |r| {
                if i.postgresql {
                    i.pg_get_pk_constraint(r, &t)
                } else {
                    i.get_pk_constraint(r, &t)
                }
            })
        },
    },
    Method {
        name: "get_foreign_keys",
        params: &["table_name", "schema=!", "**kw"],
        call: |interp, i, b| {
            let t = table_name(&b)?;
            let f = if i.postgresql {
                pg::get_foreign_keys
            } else {
                get_foreign_keys
            };
            i.cached(interp, "get_foreign_keys", &t, f)
        },
    },
    Method {
        name: "get_indexes",
        params: &["table_name", "schema=!", "**kw"],
        call: |interp, i, b| {
            let t = table_name(&b)?;
            if i.postgresql {
                return i.with_runner(interp, |r| i.pg_get_indexes(r, &t));
            }
            i.cached(interp, "get_indexes", &t, |r, t| {
                Ok(Value::list(index_dicts(&reflection::indexes(r, t, false)?)))
            })
        },
    },
    Method {
        name: "get_unique_constraints",
        params: &["table_name", "schema=!", "**kw"],
        call: |interp, i, b| {
            let t = table_name(&b)?;
            i.with_runner(interp, |r| {
                if i.postgresql {
                    i.pg_get_unique_constraints(r, &t)
                } else {
                    i.get_unique_constraints(r, &t)
                }
            })
        },
    },
    Method {
        name: "clear_cache",
        params: &[],
        call: |_, i, _| {
            i.cache.borrow_mut().clear();
            Ok(Value::None)
        },
    },
    Method {
        name: "get_view_names",
        params: &["schema=", "**kw"],
        call: |_, _, _| Err(PyErr::unsupported("Inspector.get_view_names()")),
    },
    Method {
        name: "get_check_constraints",
        params: &["table_name", "schema=", "**kw"],
        call: |_, _, _| Err(PyErr::unsupported("Inspector.get_check_constraints()")),
    },
    Method {
        name: "get_schema_names",
        params: &["**kw"],
        call: |_, _, _| Err(PyErr::unsupported("Inspector.get_schema_names()")),
    },
    Method {
        name: "get_sorted_table_and_fkc_names",
        params: &["schema=", "**kw"],
        call: |_, _, _| {
            Err(PyErr::unsupported(
                "Inspector.get_sorted_table_and_fkc_names()",
            ))
        },
    },
    Method {
        name: "reflect_table",
        params: &[
            "table",
            "include_columns",
            "exclude_columns=",
            "resolve_fks=",
            "_extend_on=",
            "_reflect_info=",
        ],
        call: |_, _, _| Err(PyErr::unsupported("Inspector.reflect_table()")),
    },
];

/// The method names, for completion and "did you mean".
pub fn inspector_names() -> Vec<&'static str> {
    let mut names = super::method::names(INSPECTOR);
    names.extend([
        "bind",
        "default_schema_name",
        "dialect",
        "engine",
        "info_cache",
    ]);
    names
}

/// `insp.default_schema_name` and the other attributes that are not
/// methods; a method's name gives the bound method; `None` otherwise.
pub fn get_attr(obj: &Value, i: &Inspector, name: &str) -> Option<PyResult<Value>> {
    match name {
        "default_schema_name" => Some(Ok(Value::str(if i.postgresql { "public" } else { "main" }))),
        "bind" => Some(Ok(match &i.bind {
            Bind::Engine(e) => e.clone(),
            Bind::Connection(c) => Value::Native(c.clone()),
        })),
        "engine" => Some(Ok(match &i.bind {
            Bind::Engine(e) => e.clone(),
            Bind::Connection(c) => c.engine.clone(),
        })),
        n if super::method::has(INSPECTOR, n) => {
            Some(Ok(Value::Method(Rc::new(crate::python::value::Method {
                receiver: obj.clone(),
                name: n.to_string(),
            }))))
        }
        _ => None,
    }
}

/// The `table_name` argument.
///
/// Errors: `TypeError` for a value that is not a string (SQLAlchemy fails
/// deeper, on the name's quoting).
fn table_name(b: &Bound) -> PyResult<String> {
    match b.value("table_name") {
        Value::Str(s) => Ok(s.to_string()),
        other => Err(crate::python::exceptions::type_error(format!(
            "table name must be a string, not {}",
            other.type_name()
        ))),
    }
}

fn s(v: &str) -> Value {
    Value::str(v)
}

fn names(v: &[String]) -> Value {
    Value::list(v.iter().map(|n| s(n)).collect())
}

fn opt(v: &Option<String>) -> Value {
    v.as_deref().map_or(Value::None, s)
}

fn dict(pairs: Vec<(&str, Value)>) -> Value {
    DictObj::value(pairs.into_iter().map(|(k, v)| (s(k), v)).collect())
}

impl Inspector {
    /// Whether this is PostgreSQL's `PGInspector` (else SQLite's).
    pub(crate) fn is_postgresql(&self) -> bool {
        self.postgresql
    }

    /// Runs `f` with a runner: the learner's connection, or a connection
    /// checked out of the engine and returned afterwards (`ROLLBACK` when
    /// it began), as `Inspector._operation_context()`.
    pub(crate) fn with_runner(
        &self,
        interp: &Interpreter,
        f: impl FnOnce(&CallRunner) -> PyResult<Value>,
    ) -> PyResult<Value> {
        let conn = match &self.bind {
            Bind::Connection(c) => return f(&CallRunner(c.clone())),
            Bind::Engine(e) => {
                let Some(engine) = e.downcast::<super::objects::Engine>() else {
                    return Err(PyErr::unsupported("this Inspector"));
                };
                Connection::open(interp, e, &engine)?
            }
        };
        let result = f(&CallRunner(conn.clone()));
        conn.close()?;
        result
    }

    /// A cached call: the value kept from the same call before, else
    /// `f`'s (kept when it succeeds).
    fn cached(
        &self,
        interp: &Interpreter,
        method: &str,
        table: &str,
        f: fn(&dyn Runner, &str) -> PyResult<Value>,
    ) -> PyResult<Value> {
        let key = format!("{method}:{table}");
        if let Some(v) = self.cache.borrow().get(&key) {
            return Ok(v.clone());
        }
        let v = self.with_runner(interp, |r| f(r, table))?;
        self.cache.borrow_mut().insert(key, v.clone());
        Ok(v)
    }

    /// `cached` inside a call that has its runner already.
    fn cached_in(
        &self,
        r: &dyn Runner,
        key: String,
        f: impl FnOnce(&dyn Runner) -> PyResult<Value>,
    ) -> PyResult<Value> {
        if let Some(v) = self.cache.borrow().get(&key) {
            return Ok(v.clone());
        }
        let v = f(r)?;
        self.cache.borrow_mut().insert(key, v.clone());
        Ok(v)
    }

    /// SQLite's `get_columns`: `PRAGMA table_xinfo`, hidden columns left
    /// out; `{name, type, nullable, default, primary_key}` dicts, where
    /// `primary_key` is the column's place in the key (0 when not in it).
    ///
    /// Errors: `NoSuchTableError` (after `has_table`'s queries).
    fn get_columns(&self, r: &dyn Runner, t: &str) -> PyResult<Value> {
        self.cached_in(r, format!("get_columns:{t}"), |r| {
            let info = reflection::pragma(r, "table_xinfo", t)?;
            let mut columns = Vec::new();
            for row in &info {
                if reflection::int(row.get(6)) == 1 {
                    continue;
                }
                let type_sql = reflection::text(row.get(2));
                let default = match row.get(4) {
                    Some(crate::sql::schema::SqlValue::Null) | None => Value::None,
                    v => s(&reflection::text(v)),
                };
                columns.push(dict(vec![
                    ("name", s(&reflection::text(row.get(1)))),
                    ("type", Value::native(ReflectedType::resolve(&type_sql))),
                    ("nullable", Value::Bool(reflection::int(row.get(3)) == 0)),
                    ("default", default),
                    ("primary_key", Value::Int(reflection::int(row.get(5)))),
                ]));
            }
            if columns.is_empty() && !has_table(r, t)? {
                return Err(no_such_table(t));
            }
            Ok(Value::list(columns))
        })
    }

    /// SQLite's `get_pk_constraint`: the table's SQL (for a `CONSTRAINT
    /// name PRIMARY KEY`), then the cached columns in key order.
    ///
    /// Errors: `NoSuchTableError`.
    fn get_pk_constraint(&self, r: &dyn Runner, t: &str) -> PyResult<Value> {
        self.cached_in(r, format!("get_pk_constraint:{t}"), |r| {
            let sql = table_sql(r, t)?;
            let name = pk_constraint_name(&sql);
            let columns = self.get_columns(r, t)?;
            let mut pk: Vec<(i64, String)> = Vec::new();
            if let Value::List(l) = &columns {
                for c in l.items.borrow().iter() {
                    if let Value::Dict(d) = c {
                        let d = d.borrow();
                        let get = |k: &str| d.lookup(&s(k)).cloned();
                        if let (Some(Value::Int(n)), Some(Value::Str(col))) =
                            (get("primary_key"), get("name"))
                            && n > 0
                        {
                            pk.push((n, col.to_string()));
                        }
                    }
                }
            }
            pk.sort();
            let pk: Vec<String> = pk.into_iter().map(|(_, c)| c).collect();
            Ok(if pk.is_empty() {
                dict(vec![
                    ("name", Value::None),
                    ("constrained_columns", Value::list(Vec::new())),
                ])
            } else {
                dict(vec![
                    ("constrained_columns", names(&pk)),
                    ("name", opt(&name)),
                ])
            })
        })
    }

    /// SQLite's `get_unique_constraints`: the indexes with SQLite's
    /// automatic ones (cached apart from `get_indexes`), the table's SQL
    /// (cached), and each `UNIQUE (…)` clause an automatic index backs.
    ///
    /// Errors: `NoSuchTableError`.
    fn get_unique_constraints(&self, r: &dyn Runner, t: &str) -> PyResult<Value> {
        self.cached_in(r, format!("get_unique_constraints:{t}"), |r| {
            let mut autos: Vec<Vec<String>> = Vec::new();
            let key = format!("get_indexes_auto:{t}");
            let all = self.cached_in(r, key, |r| {
                Ok(Value::list(index_dicts(&reflection::indexes(r, t, true)?)))
            })?;
            if let Value::List(l) = &all {
                for idx in l.items.borrow().iter() {
                    if let Value::Dict(d) = idx {
                        let d = d.borrow();
                        let get = |k: &str| d.lookup(&s(k)).cloned();
                        if let (Some(Value::Str(n)), Some(Value::List(cols))) =
                            (get("name"), get("column_names"))
                            && n.starts_with("sqlite_autoindex")
                        {
                            autos.push(
                                cols.items
                                    .borrow()
                                    .iter()
                                    .map(|c| match c {
                                        Value::Str(c) => c.to_string(),
                                        _ => String::new(),
                                    })
                                    .collect(),
                            );
                        }
                    }
                }
            }
            let sql = self.cached_in(r, format!("_get_table_sql:{t}"), |r| {
                Ok(s(&table_sql(r, t)?))
            })?;
            let sql = match sql {
                Value::Str(s) => s.to_string(),
                _ => String::new(),
            };
            let mut out = Vec::new();
            for (name, columns) in reflection::parse_uniques(&sql) {
                if let Some(pos) = autos.iter().position(|a| *a == columns) {
                    autos.remove(pos);
                    out.push(dict(vec![
                        ("name", opt(&name)),
                        ("column_names", names(&columns)),
                    ]));
                }
            }
            Ok(Value::list(out))
        })
    }
}

/// `NoSuchTableError`, with the table's name as its message.
fn no_such_table(t: &str) -> PyErr {
    PyErr::new(ExcType::NoSuchTableError, t.to_string())
}

/// SQLite's `_get_table_sql`: the `CREATE TABLE` text.
///
/// Errors: `NoSuchTableError` for a missing table (but SQLite's own
/// `sqlite_master` and its kin).
fn table_sql(r: &dyn Runner, t: &str) -> PyResult<String> {
    match reflection::table_sql(r, t)? {
        Some(sql) => Ok(sql),
        None if [
            "sqlite_schema",
            "sqlite_master",
            "sqlite_temp_schema",
            "sqlite_temp_master",
        ]
        .contains(&t) =>
        {
            Ok(String::new())
        }
        None => Err(no_such_table(t)),
    }
}

/// SQLite's `has_table`: `PRAGMA main.table_info`, then `temp`'s.
fn has_table(r: &dyn Runner, t: &str) -> PyResult<bool> {
    Ok(!reflection::pragma(r, "table_info", t)?.is_empty())
}

fn get_table_names(r: &dyn Runner, _: &str) -> PyResult<Value> {
    Ok(Value::list(
        r.rows(&Compiled::text(TABLE_NAMES_SQL))?
            .iter()
            .map(|row| s(&reflection::text(row.first())))
            .collect(),
    ))
}

/// SQLite's `get_foreign_keys`: `PRAGMA foreign_key_list`, named and
/// ordered by the table's SQL; `{name, constrained_columns,
/// referred_schema, referred_table, referred_columns, options}` dicts.
///
/// Errors: `NoSuchTableError` (from the table's SQL).
fn get_foreign_keys(r: &dyn Runner, t: &str) -> PyResult<Value> {
    let rows = reflection::pragma(r, "foreign_key_list", t)?;
    let sql = table_sql(r, t)?;
    let fks = reflection::foreign_keys(&rows, &sql)
        .into_iter()
        .filter_map(|c| match c {
            ConstraintSpec::ForeignKey {
                name,
                columns,
                referred_table,
                referred_columns,
                ondelete,
            } => {
                let options = match ondelete {
                    Some(d) => vec![(s("ondelete"), s(&d))],
                    None => Vec::new(),
                };
                Some(dict(vec![
                    ("name", opt(&name)),
                    ("constrained_columns", names(&columns)),
                    ("referred_schema", Value::None),
                    ("referred_table", s(&referred_table)),
                    ("referred_columns", names(&referred_columns)),
                    ("options", DictObj::value(options)),
                ]))
            }
            _ => None,
        })
        .collect();
    Ok(Value::list(fks))
}

/// `get_indexes`' dicts: `{name, column_names, unique, dialect_options}`,
/// `unique` as SQLite's 0 or 1.
fn index_dicts(indexes: &[reflection::ReflectedIndex]) -> Vec<Value> {
    indexes
        .iter()
        .map(|i| {
            dict(vec![
                ("name", s(&i.name)),
                ("column_names", names(&i.columns)),
                ("unique", Value::Int(i64::from(i.unique))),
                ("dialect_options", DictObj::value(Vec::new())),
            ])
        })
        .collect()
}

/// The `name` of `CONSTRAINT name PRIMARY KEY` in a `CREATE TABLE` text
/// (SQLAlchemy's `PK_PATTERN`, case-insensitive).
fn pk_constraint_name(sql: &str) -> Option<String> {
    let upper = sql.to_ascii_uppercase();
    let mut from = 0;
    while let Some(i) = upper[from..].find("CONSTRAINT").map(|i| i + from) {
        from = i + "CONSTRAINT".len();
        let rest = sql[from..].trim_start();
        let (name, after) = if let Some(q) = rest.strip_prefix('"') {
            let end = q.find('"')?;
            (q[..end].to_string(), &q[end + 1..])
        } else {
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            (rest[..end].to_string(), &rest[end..])
        };
        let words: Vec<&str> = after.split_whitespace().take(2).collect();
        if !name.is_empty()
            && after.starts_with(char::is_whitespace)
            && words.len() == 2
            && words[0].eq_ignore_ascii_case("PRIMARY")
            && words[1].to_ascii_uppercase().starts_with("KEY")
        {
            return Some(name);
        }
    }
    None
}

#[path = "inspector_postgresql.rs"]
mod pg;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_resolve_as_sqlites_affinity() {
        let r = |t: &str| {
            let x = ReflectedType::resolve(t);
            (x.type_name(), x.repr(), x.str())
        };
        assert_eq!(
            r("VARCHAR(100)"),
            (
                "VARCHAR".into(),
                "VARCHAR(length=100)".into(),
                "VARCHAR(100)".into()
            )
        );
        assert_eq!(
            r("INTEGER"),
            ("INTEGER".into(), "INTEGER()".into(), "INTEGER".into())
        );
        assert_eq!(
            r("BOOL"),
            ("BOOLEAN".into(), "BOOLEAN()".into(), "BOOLEAN".into())
        );
        assert_eq!(
            r("MEDIUMINT"),
            ("INTEGER".into(), "INTEGER()".into(), "INTEGER".into())
        );
        assert_eq!(r("NUMERIC(10, 2)").1, "NUMERIC(precision=10, scale=2)");
        assert_eq!(r("").1, "NullType()");
        assert_eq!(r("WHATEVER").0, "NUMERIC");
    }

    #[test]
    fn primary_key_constraint_names() {
        assert_eq!(
            pk_constraint_name("CREATE TABLE t (id INTEGER, CONSTRAINT pk_t PRIMARY KEY (id))"),
            Some("pk_t".into())
        );
        assert_eq!(
            pk_constraint_name(
                "CREATE TABLE t (id INTEGER, CONSTRAINT \"my pk\" PRIMARY KEY (id))"
            ),
            Some("my pk".into())
        );
        assert_eq!(
            pk_constraint_name("CREATE TABLE t (id INTEGER, PRIMARY KEY (id))"),
            None
        );
        assert_eq!(
            pk_constraint_name("CREATE TABLE t (a INT, CONSTRAINT uq UNIQUE (a))"),
            None
        );
    }
}
