//! `sqlalchemy.engine.url`: SQLAlchemy 2.0's `URL` (`engine.url`,
//! `make_url(...)`, `URL.create(...)`), an immutable named tuple of
//! `drivername`, `username`, `password`, `host`, `port`, `database` and
//! `query`, whose `repr`/`str` hide the password as `***`.

use std::rc::Rc;

use crate::python::exceptions::type_error;
use crate::python::{ExcType, PyErr, PyObject, PyResult, Signature, Value};

/// A `URL`, as SQLAlchemy 2.0's `sqlalchemy.engine.url.URL`.
#[derive(Debug, Clone, PartialEq)]
pub struct Url {
    pub drivername: String,
    pub username: Option<String>,
    pub password: Option<String>,
    pub host: Option<String>,
    pub port: Option<i64>,
    pub database: Option<String>,
    /// The query string's keys and values, in the order given.
    pub query: Vec<(String, String)>,
}

/// The message of SQLAlchemy 2.0's `ArgumentError` for a string that is not
/// a URL.
const UNPARSABLE: &str = "Could not parse SQLAlchemy URL from given URL string";

/// Percent-decoding, as Python's `urllib.parse.unquote`.
fn unquote(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(h) = bytes.get(i + 1..i + 3)
            && let Ok(text) = std::str::from_utf8(h)
            && let Ok(b) = u8::from_str_radix(text, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encoding, as Python's `urllib.parse.quote(s, safe=safe)`:
/// letters, digits, `_.-~` and `safe` are kept.
fn quote(s: &str, safe: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        let c = b as char;
        if c.is_ascii_alphanumeric() || "_.-~".contains(c) || (b < 128 && safe.contains(c)) {
            out.push(c);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `quote_plus`: as [`quote`], a space as `+`.
fn quote_plus(s: &str) -> String {
    quote(s, " ").replace(' ', "+")
}

impl Url {
    /// `make_url(s)`: SQLAlchemy 2.0's `_parse_url` (the regular
    /// expression `name://[user[:password]@][host][:port][/database][?query]`;
    /// user and password percent-decoded).
    ///
    /// Errors: `ArgumentError` when `s` is not a URL; Python's `ValueError`
    /// for a port that is not a number.
    pub fn parse(s: &str) -> PyResult<Url> {
        let bad = || PyErr::new(ExcType::ArgumentError, UNPARSABLE);
        let (name, mut rest) = s.split_once("://").ok_or_else(bad)?;
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '+')
        {
            return Err(bad());
        }
        let mut url = Url {
            drivername: name.to_string(),
            username: None,
            password: None,
            host: None,
            port: None,
            database: None,
            query: Vec::new(),
        };
        // [user[:password]@]: the user has no ':' or '/', the password no '@'.
        if let Some(at) = rest.find('@') {
            let info = &rest[..at];
            let (user, password) = match info.split_once(':') {
                Some((u, p)) => (u, Some(p)),
                None => (info, None),
            };
            if !user.contains('/') {
                url.username = Some(unquote(user));
                url.password = password.map(unquote);
                rest = &rest[at + 1..];
            }
        }
        // [host | [ipv6]][:port]
        let host_end = if rest.starts_with('[') {
            let close = rest.find(']').ok_or_else(bad)?;
            url.host = Some(rest[1..close].to_string());
            close + 1
        } else {
            let end = rest.find(['/', ':', '?']).unwrap_or(rest.len());
            if end > 0 {
                url.host = Some(rest[..end].to_string());
            }
            end
        };
        rest = &rest[host_end..];
        if let Some(after) = rest.strip_prefix(':') {
            let end = after.find(['/', '?']).unwrap_or(after.len());
            let port = &after[..end];
            if !port.is_empty() {
                url.port = Some(port.parse::<i64>().map_err(|_| {
                    PyErr::new(
                        ExcType::ValueError,
                        format!("invalid literal for int() with base 10: '{port}'"),
                    )
                })?);
            }
            rest = &after[end..];
        }
        if let Some(after) = rest.strip_prefix('/') {
            let end = after.find('?').unwrap_or(after.len());
            url.database = Some(after[..end].to_string());
            rest = &after[end..];
        }
        if let Some(q) = rest.strip_prefix('?') {
            for pair in q.split(['&', ';']).filter(|p| !p.is_empty()) {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                let dec = |t: &str| unquote(&t.replace('+', " "));
                url.query.push((dec(k), dec(v)));
            }
        } else if !rest.is_empty() {
            return Err(bad());
        }
        Ok(url)
    }

    /// `url.render_as_string(hide_password=...)`, as SQLAlchemy 2.0's:
    /// user and password quoted, the password `***` when hidden, an IPv6
    /// host in brackets, the query's keys sorted.
    pub fn render(&self, hide_password: bool) -> String {
        let mut s = format!("{}://", self.drivername);
        if let Some(u) = &self.username {
            s.push_str(&quote(u, " +"));
            if let Some(p) = &self.password {
                s.push(':');
                if hide_password {
                    s.push_str("***");
                } else {
                    s.push_str(&quote(p, " +"));
                }
            }
            s.push('@');
        }
        if let Some(h) = &self.host {
            if h.contains(':') {
                s.push_str(&format!("[{h}]"));
            } else {
                s.push_str(h);
            }
        }
        if let Some(p) = self.port {
            s.push_str(&format!(":{p}"));
        }
        if let Some(d) = &self.database {
            s.push('/');
            s.push_str(d);
        }
        if !self.query.is_empty() {
            let mut q = self.query.clone();
            q.sort_by(|a, b| a.0.cmp(&b.0));
            let parts: Vec<String> = q
                .iter()
                .map(|(k, v)| format!("{}={}", quote_plus(k), quote_plus(v)))
                .collect();
            s.push('?');
            s.push_str(&parts.join("&"));
        }
        s
    }

    /// `url.get_backend_name()`: the drivername before `+`.
    pub fn backend_name(&self) -> &str {
        self.drivername.split('+').next().unwrap_or_default()
    }

    /// `url.get_driver_name()`: the drivername after `+`, else the
    /// dialect's default DBAPI (`pysqlite`, `psycopg2`, …).
    ///
    /// Errors: `NotImplementedError` for a backend without a default the
    /// tutor knows.
    pub fn driver_name(&self) -> PyResult<String> {
        if let Some((_, d)) = self.drivername.split_once('+') {
            return Ok(d.to_string());
        }
        match self.backend_name() {
            "sqlite" => Ok("pysqlite".into()),
            "postgresql" => Ok("psycopg2".into()),
            "mysql" | "mariadb" => Ok("mysqldb".into()),
            "oracle" => Ok("cx_oracle".into()),
            "mssql" => Ok("pyodbc".into()),
            other => Err(PyErr::unsupported(format!(
                "URL.get_driver_name() for '{other}'"
            ))),
        }
    }

    fn as_tuple(&self) -> Value {
        let opt = |v: &Option<String>| v.as_deref().map_or(Value::None, Value::str);
        let query = crate::python::value::DictObj::value(
            self.query
                .iter()
                .map(|(k, v)| (Value::str(k), Value::str(v)))
                .collect(),
        );
        Value::tuple(vec![
            Value::str(&self.drivername),
            opt(&self.username),
            opt(&self.password),
            opt(&self.host),
            self.port.map_or(Value::None, Value::Int),
            opt(&self.database),
            query,
        ])
    }
}

impl PyObject for Url {
    fn type_name(&self) -> String {
        "URL".into()
    }
    fn repr(&self) -> String {
        self.render(true)
    }
    fn as_builtin(&self) -> Option<Value> {
        Some(self.as_tuple())
    }
    fn equals(&self, other: &Value) -> Option<bool> {
        match other.downcast::<Url>() {
            Some(o) => Some(*self == *o),
            None => Some(false),
        }
    }
    fn hash_key(&self) -> Option<Value> {
        Some(Value::str(&self.render(false)))
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// The `URL` class itself (`URL.create(...)`).
#[derive(Debug)]
pub struct UrlClass;

impl PyObject for UrlClass {
    fn type_name(&self) -> String {
        "type".into()
    }
    fn repr(&self) -> String {
        "<class 'sqlalchemy.engine.url.URL'>".into()
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// Every public name of SQLAlchemy 2.0's `URL`.
const URL_REAL: &[&str] = &[
    "create",
    "database",
    "difference_update_query",
    "drivername",
    "get_backend_name",
    "get_dialect",
    "get_driver_name",
    "host",
    "normalized_query",
    "password",
    "port",
    "query",
    "render_as_string",
    "set",
    "translate_connect_args",
    "update_query_dict",
    "update_query_pairs",
    "update_query_string",
    "username",
];

/// True for a `URL` or the `URL` class.
pub fn is_url_object(v: &Value) -> bool {
    v.downcast::<Url>().is_some() || v.downcast::<UrlClass>().is_some()
}

fn method(receiver: &Value, name: &str) -> Value {
    Value::Method(Rc::new(crate::python::value::Method {
        receiver: receiver.clone(),
        name: name.to_string(),
    }))
}

/// `url.name` / `URL.name`.
pub fn get_attr(obj: &Value, name: &str) -> PyResult<Value> {
    let Some(u) = obj.downcast::<Url>() else {
        return match name {
            "create" => Ok(method(obj, name)),
            _ => Err(super::asyncio::no_attr(obj, name, URL_REAL)),
        };
    };
    let opt = |v: &Option<String>| v.as_deref().map_or(Value::None, Value::str);
    match name {
        "drivername" => Ok(Value::str(&u.drivername)),
        "username" => Ok(opt(&u.username)),
        "password" => Ok(opt(&u.password)),
        "host" => Ok(opt(&u.host)),
        "port" => Ok(u.port.map_or(Value::None, Value::Int)),
        "database" => Ok(opt(&u.database)),
        "query" => match u.as_tuple() {
            Value::Tuple(t) => Ok(t.last().cloned().unwrap_or(Value::None)),
            _ => Ok(Value::None),
        },
        "render_as_string" | "get_backend_name" | "get_driver_name" | "set" | "create" => {
            Ok(method(obj, name))
        }
        _ => Err(super::asyncio::no_attr(obj, name, URL_REAL)),
    }
}

/// The `URL.create` / `url.set` keywords, as SQLAlchemy 2.0's.
const FIELDS: &[&str] = &[
    "drivername",
    "username",
    "password",
    "host",
    "port",
    "database",
    "query",
];

/// Sets one field of `u` from a keyword's value.
///
/// Errors: Python's `TypeError` for a value of the wrong type, as
/// SQLAlchemy's `_assert_str` / `_assert_port`.
fn set_field(u: &mut Url, field: &str, v: &Value) -> PyResult<()> {
    let text = |v: &Value| -> PyResult<Option<String>> {
        match v {
            Value::None => Ok(None),
            Value::Str(s) => Ok(Some(s.to_string())),
            _ => Err(type_error(format!("{field} must be a string"))),
        }
    };
    match field {
        "drivername" => match v {
            Value::Str(s) => u.drivername = s.to_string(),
            _ => return Err(type_error("drivername must be a string")),
        },
        "username" => u.username = text(v)?,
        "password" => u.password = text(v)?,
        "host" => u.host = text(v)?,
        "database" => u.database = text(v)?,
        "port" => {
            u.port = match v {
                Value::None => None,
                Value::Int(i) => Some(*i),
                _ => return Err(type_error("Port argument must be an integer or None")),
            }
        }
        _ => {
            let Value::Dict(d) = v else {
                return Err(PyErr::unsupported("URL query= other than a dict"));
            };
            let mut q = Vec::new();
            for (k, val) in d.borrow().iter() {
                match (k, val) {
                    (Value::Str(k), Value::Str(val)) => q.push((k.to_string(), val.to_string())),
                    _ => return Err(PyErr::unsupported("URL query= values other than strings")),
                }
            }
            u.query = q;
        }
    }
    Ok(())
}

/// `url.render_as_string(hide_password=True)`, `url.get_backend_name()`,
/// `url.get_driver_name()`, `url.set(**fields)` (a new URL),
/// `URL.create(drivername, username=None, …)`.
pub fn call_method(
    receiver: &Value,
    name: &str,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<Value> {
    get_attr(receiver, name)?;
    let Some(u) = receiver.downcast::<Url>() else {
        // URL.create(drivername, username=None, password=None, host=None,
        // port=None, database=None, query={})
        let b = Signature::method(
            "URL.create",
            &[
                "drivername",
                "username=",
                "password=",
                "host=",
                "port=",
                "database=",
                "query=",
            ],
        )
        .bind(args, kwargs)?;
        let mut u = Url {
            drivername: String::new(),
            username: None,
            password: None,
            host: None,
            port: None,
            database: None,
            query: Vec::new(),
        };
        set_fields(&mut u, &b)?;
        return Ok(Value::native(u));
    };
    match name {
        "render_as_string" => {
            let b = Signature::method("URL.render_as_string", &["hide_password="])
                .bind(args, kwargs)?;
            let hide = b.get("hide_password").is_none_or(Value::truthy);
            Ok(Value::str(&u.render(hide)))
        }
        "get_backend_name" => {
            Signature::method("URL.get_backend_name", &[]).bind(args, kwargs)?;
            Ok(Value::str(u.backend_name()))
        }
        "get_driver_name" => {
            Signature::method("URL.get_driver_name", &[]).bind(args, kwargs)?;
            Ok(Value::str(&u.driver_name()?))
        }
        _ => {
            let b = Signature::method(
                "URL.set",
                &[
                    "*",
                    "drivername=",
                    "username=",
                    "password=",
                    "host=",
                    "port=",
                    "database=",
                    "query=",
                ],
            )
            .bind(args, kwargs)?;
            let mut new = (*u).clone();
            set_fields(&mut new, &b)?;
            Ok(Value::native(new))
        }
    }
}

/// Sets each of [`FIELDS`] given in `b` (`URL.create(...)`, `URL.set(...)`).
///
/// Errors: as `set_field`.
fn set_fields(u: &mut Url, b: &crate::python::Bound) -> PyResult<()> {
    for f in FIELDS {
        if let Some(v) = b.get(f) {
            set_field(u, f, v)?;
        }
    }
    Ok(())
}

/// `make_url(name_or_url)`: a `URL` given back as it is, a string parsed.
///
/// Errors: as [`Url::parse`]; Python's `TypeError` for other values.
pub fn make_url(args: Vec<Value>, kwargs: Vec<(String, Value)>) -> PyResult<Value> {
    let b = Signature::function("make_url", &["name_or_url"]).bind(args, kwargs)?;
    let v = b.required("name_or_url")?;
    if v.downcast::<Url>().is_some() {
        return Ok(v.clone());
    }
    match v {
        Value::Str(s) => Ok(Value::native(Url::parse(s)?)),
        other => Err(PyErr::new(
            ExcType::ArgumentError,
            format!(
                "Expected string or URL object, got {}",
                crate::python::format::repr_plain(other)
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_renders_as_sqlalchemy() {
        let u = Url::parse("postgresql+asyncpg://scott:tiger@localhost:5432/mydb").unwrap();
        assert_eq!(u.username.as_deref(), Some("scott"));
        assert_eq!(u.password.as_deref(), Some("tiger"));
        assert_eq!(u.host.as_deref(), Some("localhost"));
        assert_eq!(u.port, Some(5432));
        assert_eq!(u.database.as_deref(), Some("mydb"));
        assert_eq!(
            u.render(true),
            "postgresql+asyncpg://scott:***@localhost:5432/mydb"
        );
        assert_eq!(u.driver_name().unwrap(), "asyncpg");
        let s = Url::parse("sqlite://").unwrap();
        assert_eq!((s.host.clone(), s.database.clone()), (None, None));
        assert_eq!(
            Url::parse("sqlite:///app.db").unwrap().database.as_deref(),
            Some("app.db")
        );
        let q = Url::parse("mysql+pymysql://u:p@h/d?charset=utf8mb4").unwrap();
        assert_eq!(
            q.query,
            vec![("charset".to_string(), "utf8mb4".to_string())]
        );
    }

    #[test]
    fn quotes_the_password_when_shown() {
        let mut u = Url::parse("postgresql://user@db.example.com/app").unwrap();
        u.password = Some("p@ss/word".into());
        assert_eq!(
            u.render(false),
            "postgresql://user:p%40ss%2Fword@db.example.com/app"
        );
        assert_eq!(unquote("p%40ss%2Fword"), "p@ss/word");
    }

    #[test]
    fn rejects_what_is_not_a_url() {
        let e = Url::parse("not a url").unwrap_err();
        assert_eq!(e.message, UNPARSABLE);
        assert!(Url::parse("postgresql://u:p@h:abc/d").is_err());
    }
}
