//! A real PostgreSQL server behind [`Connection`], through the `postgres`
//! crate, behaving as psycopg2 does under SQLAlchemy's
//! `postgresql+psycopg2` dialect.
//!
//! - Statements arrive compiled for [`POSTGRESQL`] (`%(name_1)s`, psycopg2's
//!   `pyformat`); [`pyformat_to_numbered`] turns them into `$1…$n` for the
//!   extended protocol. The statement log keeps SQLAlchemy's own text.
//! - Transactions as psycopg2 (not in autocommit): a `BEGIN` before the
//!   first statement of any kind, SELECT included; `commit()`/`rollback()`
//!   end it.
//! - Errors named as psycopg2 names them, from the SQLSTATE class
//!   ([`exception_for_sqlstate`]), with PostgreSQL's message (and its
//!   `DETAIL:`/`HINT:` lines, as psycopg2's `str(e)`); connection failures
//!   as libpq words them (`connection to server at "127.0.0.1", port 5432
//!   failed: Connection refused …`).
//!
//! [`SqlValue`] has no boolean or timestamp variant: an `Integer` bound to a
//! `boolean` parameter is sent as a real boolean and read back as 1/0, and
//! timestamps travel as the ORM's storage text (`2024-01-15
//! 09:00:00.000000`), as they do on SQLite.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::error::Error as StdError;
use std::net::{IpAddr, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::BytesMut;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use postgres::types::{FromSql, IsNull, Kind, ToSql, Type, to_sql_checked};
use postgres::{CancelToken, Client, NoTls, Statement};

use super::{Connection, DbError, ExecResult};
use crate::sql::compiler::Compiled;
use crate::sql::dialect::{Dialect, POSTGRESQL};
use crate::sql::schema::SqlValue;

/// The parts of a `postgresql://user[:password]@host[:port]/dbname` URL, as
/// SQLAlchemy's `make_url` reads them (`postgresql+psycopg2://` and
/// `postgres://` too).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgUrl {
    pub user: String,
    pub password: Option<String>,
    pub host: String,
    pub port: u16,
    pub dbname: String,
}

impl PgUrl {
    /// Parses a database URL. Defaults as libpq's: host `localhost`, port
    /// 5432, user `$USER` (else `postgres`), database = user. Query options
    /// (`?sslmode=…`) are ignored.
    ///
    /// Errors: `ArgumentError` with SQLAlchemy's wording (`Could not parse
    /// SQLAlchemy URL from string '…'`) for anything else.
    pub fn parse(url: &str) -> Result<PgUrl, DbError> {
        let bad = || {
            pg_error(
                "ArgumentError",
                format!("Could not parse SQLAlchemy URL from string '{url}'"),
            )
        };
        let (scheme, rest) = url.split_once("://").ok_or_else(bad)?;
        let backend = scheme.split('+').next().unwrap_or_default();
        if backend != "postgresql" && backend != "postgres" {
            return Err(bad());
        }
        let rest = rest.split(['?', '#']).next().unwrap_or_default();
        let (authority, dbname) = rest.split_once('/').unwrap_or((rest, ""));
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        let (user, password) = match userinfo {
            Some(u) => match u.split_once(':') {
                Some((u, p)) => (percent_decode(u), Some(percent_decode(p))),
                None => (percent_decode(u), None),
            },
            None => (String::new(), None),
        };
        let (host, port) = match hostport.strip_prefix('[') {
            // An IPv6 literal: [::1]:5432
            Some(v6) => {
                let (h, p) = v6.split_once(']').ok_or_else(bad)?;
                (h.to_string(), p.strip_prefix(':'))
            }
            None => match hostport.rsplit_once(':') {
                Some((h, p)) => (h.to_string(), Some(p)),
                None => (hostport.to_string(), None),
            },
        };
        let port = match port {
            Some(p) if !p.is_empty() => p.parse::<u16>().map_err(|_| bad())?,
            _ => 5432,
        };
        let user = if user.is_empty() {
            std::env::var("USER").unwrap_or_else(|_| "postgres".into())
        } else {
            user
        };
        let dbname = if dbname.is_empty() {
            user.clone()
        } else {
            percent_decode(dbname)
        };
        Ok(PgUrl {
            user,
            password,
            host: if host.is_empty() {
                "localhost".into()
            } else {
                host
            },
            port,
            dbname,
        })
    }
}

/// `%41` → `A`, as URL user names and passwords are written.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// psycopg2's exception class for a SQLSTATE, by its two-character class
/// (psycopg2's `base_exception_from_sqlstate`): `23` → `IntegrityError`,
/// `42` → `ProgrammingError`, `22` → `DataError`, `08` → `OperationalError`,
/// `0A` → `NotSupportedError`, `25`/`XX`/… → `InternalError`, the rest
/// `DatabaseError`. Class `40` (psycopg2's `TransactionRollbackError`) and
/// `57` (`QueryCanceledError`) are given as their base, `OperationalError`.
pub fn exception_for_sqlstate(code: &str) -> &'static str {
    match code.get(..2).unwrap_or_default() {
        "0A" => "NotSupportedError",
        "08" | "26" | "27" | "28" | "34" | "40" | "53" | "54" | "55" | "57" | "58" | "HV" => {
            "OperationalError"
        }
        "20" | "21" | "3D" | "3F" | "42" | "44" => "ProgrammingError",
        "22" => "DataError",
        "23" => "IntegrityError",
        "24" | "25" | "2B" | "2D" | "2F" | "38" | "39" | "3B" | "F0" | "P0" | "XX" => {
            "InternalError"
        }
        _ => "DatabaseError",
    }
}

/// Walks psycopg2's `pyformat` text: copies `sql` with `%%` as `%` and a
/// lone `%` kept, and lets `placeholder` write what replaces each
/// `%(name)s` (its argument is the name). `unclosed` makes the error for a
/// `%(` with no `)s` after it (or a `)` inside the name). The one scan
/// behind [`pyformat_to_numbered`] and [`pyformat_to_literal`].
fn rewrite_pyformat<E>(
    sql: &str,
    mut placeholder: impl FnMut(&str, &mut String) -> Result<(), E>,
    unclosed: impl FnOnce() -> E,
) -> Result<String, E> {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(after) = tail.strip_prefix("%%") {
            out.push('%');
            rest = after;
        } else if let Some(named) = tail.strip_prefix("%(") {
            let Some((name, after)) = named
                .split_once(")s")
                .filter(|(name, _)| !name.contains(')'))
            else {
                return Err(unclosed());
            };
            placeholder(name, &mut out)?;
            rest = after;
        } else {
            out.push('%');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// `sql` with each `%(name)s` replaced by the literal psycopg2 writes for
/// its value (`'it''s'`, `3`, `NULL`), `%%` as `%`; `None` for a value
/// written otherwise (bytes, dates, arrays), a name with no value or an
/// unclosed `%(`.
fn pyformat_to_literal(sql: &str, names: &[&str], values: &[SqlValue]) -> Option<String> {
    rewrite_pyformat(
        sql,
        |name, out| {
            let index = names.iter().position(|n| *n == name).ok_or(())?;
            match values.get(index).ok_or(())? {
                SqlValue::Null => out.push_str("NULL"),
                SqlValue::Integer(i) => out.push_str(&i.to_string()),
                SqlValue::BigInt(n) => out.push_str(&n.to_string()),
                SqlValue::Real(f) if f.is_finite() => out.push_str(&format!("{f:?}")),
                SqlValue::Text(t) => {
                    out.push('\'');
                    out.push_str(&t.replace('\'', "''"));
                    out.push('\'');
                }
                _ => return Err(()),
            }
            Ok(())
        },
        || (),
    )
    .ok()
}

/// Rewrites psycopg2's `pyformat` placeholders for PostgreSQL's extended
/// protocol: `%(name)s` → `$k`, numbered in order of first appearance (a
/// name used twice keeps its number), `%%` → `%`. Returns the new SQL and,
/// for each `$k`, the index in `names` of its parameter.
///
/// Errors: `ProgrammingError` for a placeholder whose name is not in
/// `names` (psycopg2 raises `KeyError` there) or a `%(` left unclosed.
pub fn pyformat_to_numbered(sql: &str, names: &[&str]) -> Result<(String, Vec<usize>), DbError> {
    let mut order: Vec<usize> = Vec::new();
    let out = rewrite_pyformat(
        sql,
        |name, out| {
            let index = names.iter().position(|n| *n == name).ok_or_else(|| {
                pg_error(
                    "ProgrammingError",
                    format!("no value given for the parameter '{name}'"),
                )
            })?;
            let number = match order.iter().position(|&i| i == index) {
                Some(k) => k + 1,
                None => {
                    order.push(index);
                    order.len()
                }
            };
            out.push('$');
            out.push_str(&number.to_string());
            Ok(())
        },
        || {
            pg_error(
                "ProgrammingError",
                "incomplete placeholder: '%(' without ')'".into(),
            )
        },
    )?;
    Ok((out, order))
}

/// A value that cannot be sent as the type PostgreSQL inferred for its
/// parameter, named as the server would report the literal psycopg2 sends
/// (`DataError: invalid input syntax for type integer: "x"`).
#[derive(Debug)]
struct ParamError {
    kind: &'static str,
    message: String,
}

impl std::fmt::Display for ParamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for ParamError {}

type BoxError = Box<dyn StdError + Sync + Send>;

/// Result rows, each a list of column values.
type Rows = Vec<Vec<SqlValue>>;

fn data_error(message: String) -> BoxError {
    Box::new(ParamError {
        kind: "DataError",
        message,
    })
}

fn invalid_input(ty: &str, text: &str) -> BoxError {
    data_error(format!("invalid input syntax for type {ty}: \"{text}\""))
}

/// Text as a timestamp: the ORM's storage text, with `T` or a space,
/// fractional seconds optional; a bare date is midnight.
fn parse_timestamp(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .map(|d| d.and_time(NaiveTime::MIN))
    })
}

/// Whether the server refused to prepare a statement because it could not
/// type its parameters (SQLSTATE 42P18, `count($1)`; 42725, `$1 + $2`), or
/// typed one as `text` where psycopg2's literal would be a number (42883,
/// `operator does not exist: text + unknown` of a recursive CTE whose anchor
/// selects `$1`). A statement that fails again typed gives that error.
fn untyped_parameter(e: &postgres::Error) -> bool {
    use postgres::error::SqlState;
    matches!(
        e.code(),
        Some(c) if *c == SqlState::INDETERMINATE_DATATYPE
            || *c == SqlState::AMBIGUOUS_FUNCTION
            || *c == SqlState::UNDEFINED_FUNCTION
    )
}

/// One bound value, converted to the type PostgreSQL inferred for its `$k`.
#[derive(Debug)]
struct Param<'a>(&'a SqlValue);

impl ToSql for Param<'_> {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        match self.0 {
            SqlValue::Null => Ok(IsNull::Yes),
            SqlValue::Integer(i) => integer_to_sql(*i, ty, out),
            SqlValue::Real(f) => real_to_sql(*f, ty, out),
            SqlValue::Text(s) => text_to_sql(s, ty, out),
            SqlValue::Blob(b) if *ty == Type::BYTEA => b.as_slice().to_sql(ty, out),
            // psycopg2 sends bytes as a `bytea` literal: a text parameter
            // (`p1::BYTEA` of insertmanyvalues' VALUES) gets its hex form
            SqlValue::Blob(b) if matches!(*ty, Type::TEXT | Type::UNKNOWN) => {
                let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
                format!("\\x{hex}").as_str().to_sql(ty, out)
            }
            SqlValue::Blob(_) => Err(data_error(format!(
                "cannot send bytes as a value of type {}",
                ty.name()
            ))),
            SqlValue::Numeric(d) if *ty == Type::NUMERIC => {
                numeric::encode(&d.to_string(), out);
                Ok(IsNull::No)
            }
            SqlValue::Numeric(d) => match d.to_string().parse::<f64>() {
                Ok(f) if matches!(*ty, Type::FLOAT4 | Type::FLOAT8) => real_to_sql(f, ty, out),
                _ => text_to_sql(&d.to_string(), ty, out),
            },
            SqlValue::Bool(b) if *ty == Type::BOOL => b.to_sql(ty, out),
            SqlValue::Bool(b) => integer_to_sql(*b as i64, ty, out),
            SqlValue::Timestamp(dt) => {
                text_to_sql(&dt.format("%Y-%m-%d %H:%M:%S%.6f").to_string(), ty, out)
            }
            SqlValue::Date(d) => text_to_sql(&d.format("%Y-%m-%d").to_string(), ty, out),
            SqlValue::Time(t) if *ty == Type::TIME => t.to_sql(ty, out),
            SqlValue::Time(t) => text_to_sql(&crate::python::types::time::to_str(t), ty, out),
            SqlValue::BigInt(n) if *ty == Type::NUMERIC => {
                numeric::encode(&n.to_string(), out);
                Ok(IsNull::No)
            }
            SqlValue::BigInt(n) => text_to_sql(&n.to_string(), ty, out),
            SqlValue::Array(_) => Err(data_error("can't adapt an array parameter".into())),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

fn out_of_range(ty: &Type) -> BoxError {
    let name = if *ty == Type::INT2 {
        "smallint"
    } else if *ty == Type::INT8 {
        "bigint"
    } else {
        "integer"
    };
    data_error(format!("value out of range for type {name}"))
}

fn integer_to_sql(i: i64, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
    match *ty {
        Type::INT8 => i.to_sql(ty, out),
        Type::INT4 => i32::try_from(i)
            .map_err(|_| out_of_range(ty))?
            .to_sql(ty, out),
        Type::INT2 => i16::try_from(i)
            .map_err(|_| out_of_range(ty))?
            .to_sql(ty, out),
        Type::OID => u32::try_from(i)
            .map_err(|_| out_of_range(ty))?
            .to_sql(ty, out),
        Type::BOOL => (i != 0).to_sql(ty, out),
        Type::FLOAT8 => (i as f64).to_sql(ty, out),
        Type::FLOAT4 => (i as f32).to_sql(ty, out),
        Type::NUMERIC => {
            numeric::encode(&i.to_string(), out);
            Ok(IsNull::No)
        }
        _ => text_to_sql(&i.to_string(), ty, out),
    }
}

fn real_to_sql(f: f64, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
    match *ty {
        Type::FLOAT8 => f.to_sql(ty, out),
        Type::FLOAT4 => (f as f32).to_sql(ty, out),
        Type::NUMERIC if f.is_finite() => {
            numeric::encode(&f.to_string(), out);
            Ok(IsNull::No)
        }
        Type::INT2 | Type::INT4 | Type::INT8 if f.fract() == 0.0 => {
            integer_to_sql(f as i64, ty, out)
        }
        Type::INT2 | Type::INT4 | Type::INT8 | Type::NUMERIC => {
            Err(invalid_input(ty.name(), &f.to_string()))
        }
        _ => text_to_sql(&f.to_string(), ty, out),
    }
}

/// Text for a parameter of any type, as PostgreSQL reads the quoted literal
/// psycopg2 sends (`'42'` for an integer, `'t'` for a boolean).
fn text_to_sql(s: &str, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
    let t = s.trim();
    match *ty {
        Type::INT2 | Type::INT4 | Type::INT8 | Type::OID => {
            let i: i64 = t.parse().map_err(|_| invalid_input("integer", s))?;
            integer_to_sql(i, ty, out)
        }
        Type::FLOAT4 | Type::FLOAT8 => {
            let f: f64 = t
                .parse()
                .map_err(|_| invalid_input("double precision", s))?;
            real_to_sql(f, ty, out)
        }
        Type::NUMERIC => {
            t.parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .ok_or_else(|| invalid_input("numeric", s))?;
            numeric::encode(t, out);
            Ok(IsNull::No)
        }
        Type::BOOL => match t.to_ascii_lowercase().as_str() {
            "t" | "true" | "y" | "yes" | "on" | "1" => true.to_sql(ty, out),
            "f" | "false" | "n" | "no" | "off" | "0" => false.to_sql(ty, out),
            _ => Err(invalid_input("boolean", s)),
        },
        Type::TIMESTAMP => parse_timestamp(s)
            .ok_or_else(|| invalid_input("timestamp", s))?
            .to_sql(ty, out),
        Type::TIMESTAMPTZ => parse_timestamp(s)
            .ok_or_else(|| invalid_input("timestamp with time zone", s))?
            .and_utc()
            .to_sql(ty, out),
        Type::DATE => NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .ok()
            .or_else(|| parse_timestamp(s).map(|dt| dt.date()))
            .ok_or_else(|| invalid_input("date", s))?
            .to_sql(ty, out),
        Type::TIME => NaiveTime::parse_from_str(t, "%H:%M:%S%.f")
            .map_err(|_| invalid_input("time without time zone", s))?
            .to_sql(ty, out),
        Type::BYTEA => s.as_bytes().to_sql(ty, out),
        // an array literal psycopg2 sends as a string (`_PGJSONPathType`'s
        // `{a, 1}` for `#>`): its elements, unquoted, trimmed
        Type::TEXT_ARRAY | Type::VARCHAR_ARRAY => {
            let inner = t
                .strip_prefix('{')
                .and_then(|r| r.strip_suffix('}'))
                .filter(|r| !r.contains('"'))
                .ok_or_else(|| invalid_input("text[]", s))?;
            let items: Vec<&str> = if inner.trim().is_empty() {
                Vec::new()
            } else {
                inner.split(',').map(str::trim).collect()
            };
            items.to_sql(ty, out)
        }
        // text, varchar, char, name, unknown, and the types whose binary
        // form is their text (json, xml): the string itself.
        _ if *ty == Type::JSONB => {
            out.extend_from_slice(&[1]);
            out.extend_from_slice(s.as_bytes());
            Ok(IsNull::No)
        }
        _ => {
            out.extend_from_slice(s.as_bytes());
            Ok(IsNull::No)
        }
    }
}

/// One column of a result row, read from any type PostgreSQL sends.
struct ResultCell(SqlValue);

impl<'a> FromSql<'a> for ResultCell {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        let v = match *ty {
            Type::BOOL => SqlValue::Bool(bool::from_sql(ty, raw)?),
            Type::INT2 => SqlValue::Integer(i16::from_sql(ty, raw)?.into()),
            Type::INT4 => SqlValue::Integer(i32::from_sql(ty, raw)?.into()),
            Type::INT8 => SqlValue::Integer(i64::from_sql(ty, raw)?),
            Type::OID => SqlValue::Integer(u32::from_sql(ty, raw)?.into()),
            Type::FLOAT4 => SqlValue::Real(f32::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => SqlValue::Real(f64::from_sql(ty, raw)?),
            Type::NUMERIC => match numeric::decode(raw)? {
                Some(text) => match text.parse::<rust_decimal::Decimal>() {
                    Ok(d) => SqlValue::Numeric(d),
                    // past the 28 digits the tutor's Decimal holds
                    Err(_) => SqlValue::Real(text.parse().unwrap_or(f64::NAN)),
                },
                None => SqlValue::Real(f64::NAN),
            },
            Type::BYTEA => SqlValue::Blob(raw.to_vec()),
            Type::TIMESTAMP => SqlValue::Timestamp(NaiveDateTime::from_sql(ty, raw)?),
            Type::TIMESTAMPTZ => SqlValue::Text(
                chrono::DateTime::<chrono::Utc>::from_sql(ty, raw)?
                    .format("%Y-%m-%d %H:%M:%S%.6f+00:00")
                    .to_string(),
            ),
            Type::DATE => SqlValue::Date(NaiveDate::from_sql(ty, raw)?),
            Type::TIME => SqlValue::Time(NaiveTime::from_sql(ty, raw)?),
            // `text[]`, `name[]`, `bool[]`, `int2vector` …: psycopg2's lists
            _ if matches!(ty.kind(), Kind::Array(_)) => SqlValue::Array(
                Vec::<ResultCell>::from_sql(ty, raw)?
                    .into_iter()
                    .map(|c| c.0)
                    .collect(),
            ),
            Type::JSONB => SqlValue::Text(
                String::from_utf8_lossy(raw.get(1..).unwrap_or_default()).into_owned(),
            ),
            _ => match std::str::from_utf8(raw) {
                // text, varchar, char, name, json, xml, enums: their text.
                Ok(s) => SqlValue::Text(s.to_string()),
                Err(_) => {
                    return Err(data_error(format!(
                        "cannot read a value of type {}",
                        ty.name()
                    )));
                }
            },
        };
        Ok(ResultCell(v))
    }

    fn from_sql_null(_: &Type) -> Result<Self, BoxError> {
        Ok(ResultCell(SqlValue::Null))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// PostgreSQL's binary `numeric`: digits in base 10,000.
mod numeric {
    use super::{BoxError, BytesMut, data_error};

    const NEGATIVE: u16 = 0x4000;

    /// A decimal string (`-12.50`, `7`) in `numeric`'s binary form.
    pub(super) fn encode(decimal: &str, out: &mut BytesMut) {
        let (negative, digits) = match decimal.strip_prefix('-') {
            Some(d) => (true, d),
            None => (false, decimal.strip_prefix('+').unwrap_or(decimal)),
        };
        let (int_part, frac_part) = digits.split_once('.').unwrap_or((digits, ""));
        let int_part = int_part.trim_start_matches('0');
        // the display scale keeps trailing zeros (`1.50` is sent as 1.50)
        let dscale = frac_part.len() as u16;
        let frac_part = frac_part.trim_end_matches('0');
        // Integer digits grouped by four from the right, fraction from the left.
        let pad = (4 - int_part.len() % 4) % 4;
        let int_padded = format!("{}{}", "0".repeat(pad), int_part);
        let frac_pad = (4 - frac_part.len() % 4) % 4;
        let frac_padded = format!("{}{}", frac_part, "0".repeat(frac_pad));
        let group = |s: &str| -> Vec<i16> {
            s.as_bytes()
                .chunks(4)
                .map(|c| c.iter().fold(0i16, |acc, d| acc * 10 + (d - b'0') as i16))
                .collect()
        };
        let mut groups = group(&int_padded);
        let mut weight = groups.len() as i16 - 1;
        groups.extend(group(&frac_padded));
        while groups.first() == Some(&0) {
            groups.remove(0);
            weight -= 1;
        }
        while groups.last() == Some(&0) {
            groups.pop();
        }
        if groups.is_empty() {
            weight = 0;
        }
        out.extend_from_slice(&(groups.len() as i16).to_be_bytes());
        out.extend_from_slice(&weight.to_be_bytes());
        let sign = if negative && !groups.is_empty() {
            NEGATIVE
        } else {
            0
        };
        out.extend_from_slice(&sign.to_be_bytes());
        out.extend_from_slice(&dscale.to_be_bytes());
        for g in groups {
            out.extend_from_slice(&g.to_be_bytes());
        }
    }

    /// `numeric`'s binary form as its exact decimal text, with its
    /// display scale (`2.0000000000000000`); `None` for `NaN`.
    pub(super) fn decode(raw: &[u8]) -> Result<Option<String>, BoxError> {
        let word = |i: usize| -> Result<u16, BoxError> {
            raw.get(i * 2..i * 2 + 2)
                .map(|b| u16::from_be_bytes([b[0], b[1]]))
                .ok_or_else(|| data_error("truncated numeric value".into()))
        };
        let ndigits = word(0)? as i32;
        let weight = word(1)? as i16 as i32;
        let sign = word(2)?;
        let dscale = word(3)? as usize;
        if sign == 0xC000 {
            return Ok(None);
        }
        // the base-10000 digit at power `pos` (10000^pos)
        let digit_at = |pos: i32| -> Result<u16, BoxError> {
            let i = weight - pos;
            if (0..ndigits).contains(&i) {
                word(4 + i as usize)
            } else {
                Ok(0)
            }
        };
        let mut int_part = String::new();
        for pos in (0..=weight.max(0)).rev() {
            int_part.push_str(&format!("{:04}", digit_at(pos)?));
        }
        let int_part = int_part.trim_start_matches('0');
        let mut text = String::from(if sign == NEGATIVE { "-" } else { "" });
        text.push_str(if int_part.is_empty() { "0" } else { int_part });
        if dscale > 0 {
            let mut frac = String::new();
            for k in 1..=dscale.div_ceil(4) as i32 {
                frac.push_str(&format!("{:04}", digit_at(-k)?));
            }
            frac.truncate(dscale);
            text.push('.');
            text.push_str(&frac);
        }
        Ok(Some(text))
    }
}

/// A psycopg2 connection to a PostgreSQL server (not in autocommit).
pub struct PgConnection {
    /// The URL it was made from, for [`Connection::connect_again`].
    url: String,
    client: RefCell<Client>,
    /// The server's key to cancel this connection's running statement
    /// (Ctrl-C: [`cancel_running`]).
    cancel: Arc<CancelToken>,
    in_transaction: Cell<bool>,
    /// Prepared statements by their `$n` text, as `prepare_cached`.
    statements: RefCell<HashMap<String, Statement>>,
    /// The dialect statements arrive compiled for: [`POSTGRESQL`]
    /// (psycopg2), or [`crate::sql::dialect::POSTGRESQL_ASYNCPG`] under an
    /// [`AsyncpgConnection`](super::asyncpg::AsyncpgConnection), whose
    /// statements carry `$1::TYPE` already.
    dialect: &'static Dialect,
}

impl std::fmt::Debug for PgConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PgConnection")
    }
}

/// libpq's wording for a failed connection: `connection to server at
/// "127.0.0.1", port 5432 failed: Connection refused\n\tIs the server
/// running on that host and accepting TCP/IP connections?`.
fn connect_failure(url: &PgUrl, address: Option<IpAddr>, e: &postgres::Error) -> DbError {
    let at = match address {
        Some(ip) if url.host.parse::<IpAddr>().is_err() => {
            format!("\"{}\" ({ip})", url.host)
        }
        _ => format!("\"{}\"", url.host),
    };
    let reason = if let Some(db) = e.as_db_error() {
        format!("{}:  {}", db.severity(), db.message())
    } else if let Some(io) = e.source().and_then(|s| s.downcast_ref::<std::io::Error>()) {
        let text = match io.kind() {
            std::io::ErrorKind::ConnectionRefused => "Connection refused".to_string(),
            std::io::ErrorKind::TimedOut => "Connection timed out".to_string(),
            _ => strip_os_error(&io.to_string()),
        };
        if matches!(
            io.kind(),
            std::io::ErrorKind::ConnectionRefused | std::io::ErrorKind::TimedOut
        ) {
            format!(
                "{text}\n\tIs the server running on that host and accepting TCP/IP connections?"
            )
        } else {
            text
        }
    } else if e.to_string().contains("password missing") {
        "fe_sendauth: no password supplied".to_string()
    } else {
        e.to_string()
    };
    DbError {
        at_connect: true,
        ..pg_error(
            "OperationalError",
            format!(
                "connection to server at {at}, port {} failed: {reason}",
                url.port
            ),
        )
    }
}

/// `Connection refused (os error 111)` → `Connection refused`.
fn strip_os_error(s: &str) -> String {
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s.to_string(),
    }
}

/// An error psycopg2 raises as one of its DBAPI classes
/// (`psycopg2.OperationalError`); SQLAlchemy's own `ArgumentError` has no
/// driver class.
fn pg_error(kind: &'static str, message: String) -> DbError {
    DbError {
        kind,
        message,
        class: (kind != "ArgumentError").then(|| format!("psycopg2.{kind}")),
        at_connect: false,
    }
}

/// A statement's error as psycopg2 raises it: the class from the SQLSTATE,
/// `str(e)` as the message (primary text, then `DETAIL:` and `HINT:` lines;
/// libpq's `LINE n:` excerpt is not rebuilt).
/// The cancel key of the statement a connection of the tutor is running
/// now on a server, if any (one statement at a time: the tutor runs on one
/// thread).
static RUNNING: Mutex<Option<Arc<CancelToken>>> = Mutex::new(None);

/// Set when [`cancel_running`] asked the server to cancel a statement: its
/// `QueryCanceled` error is then Ctrl-C's `KeyboardInterrupt`.
static CANCELLED: AtomicBool = AtomicBool::new(false);

/// A statement on the server, from its start to its end: while it lives,
/// Ctrl-C ([`cancel_running`]) cancels it.
struct Running;

impl Running {
    fn start(token: &Arc<CancelToken>) -> Running {
        CANCELLED.store(false, Ordering::SeqCst);
        if let Ok(mut running) = RUNNING.lock() {
            *running = Some(token.clone());
        }
        Running
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(mut running) = RUNNING.lock() {
            *running = None;
        }
    }
}

/// Ctrl-C's server side (called from the Ctrl-C handler's thread): asks
/// the server to cancel the statement running now, as libpq's
/// `PQcancel`, so a long query (`SELECT pg_sleep(30)`) stops at once and
/// raises `KeyboardInterrupt` (the server's `QueryCanceled` error, mapped
/// by [`statement_error`]). Does nothing when no statement runs.
pub fn cancel_running() {
    let token = RUNNING.lock().ok().and_then(|r| r.clone());
    if let Some(token) = token {
        CANCELLED.store(true, Ordering::SeqCst);
        let _ = token.cancel_query(NoTls);
    }
}

fn statement_error(e: postgres::Error) -> DbError {
    if let Some(db) = e.as_db_error() {
        // "canceling statement due to user request", asked for by Ctrl-C
        if db.code().code() == "57014" && CANCELLED.swap(false, Ordering::SeqCst) {
            crate::outcome::INTERRUPTED.store(false, Ordering::SeqCst);
            return DbError::sqlite("KeyboardInterrupt", "");
        }
        let mut message = db.message().to_string();
        if let Some(detail) = db.detail() {
            message.push_str("\nDETAIL:  ");
            message.push_str(detail);
        }
        if let Some(hint) = db.hint() {
            message.push_str("\nHINT:  ");
            message.push_str(hint);
        }
        let code = db.code().code();
        let (kind, class) = match super::postgresql_errors::SQLSTATE_CLASSES
            .binary_search_by(|(c, _, _)| (*c).cmp(code))
        {
            Ok(i) => {
                let (_, class, base) = super::postgresql_errors::SQLSTATE_CLASSES[i];
                (base, format!("psycopg2.errors.{class}"))
            }
            Err(_) => {
                let kind = exception_for_sqlstate(code);
                (kind, format!("psycopg2.{kind}"))
            }
        };
        return DbError {
            kind,
            message,
            class: Some(class),
            at_connect: false,
        };
    }
    if let Some(p) = e.source().and_then(|s| s.downcast_ref::<ParamError>()) {
        return pg_error(p.kind, p.message.clone());
    }
    if e.is_closed() {
        return pg_error(
            "OperationalError",
            "server closed the connection unexpectedly\n\tThis probably means the server \
                      terminated abnormally\n\tbefore or while processing the request."
                .into(),
        );
    }
    pg_error("InterfaceError", e.to_string())
}

/// The transaction-control statement a script is made of, if it is one:
/// `Some(true)` for `BEGIN`/`START TRANSACTION`, `Some(false)` for
/// `COMMIT`/`END`/`ROLLBACK`/`ABORT`.
fn transaction_control(sql: &str) -> Option<bool> {
    let word = sql
        .trim()
        .trim_end_matches(';')
        .split_whitespace()
        .next()?
        .to_ascii_uppercase();
    match word.as_str() {
        "BEGIN" | "START" => Some(true),
        "COMMIT" | "END" | "ROLLBACK" | "ABORT" => Some(false),
        _ => None,
    }
}

/// The session setting every connection of the tutor starts with:
/// a statement waiting 10 s for a lock fails with PostgreSQL's
/// `LockNotAvailable` ("canceling statement due to lock timeout").
///
/// A departure from psycopg2, which waits for ever: the tutor runs one
/// statement at a time, so a lock held by another of its own connections
/// (Alembic's `op`, whose DDL stays uncommitted, locks the table against
/// the session's next query) would never be released, and the tutor would
/// hang where SQLAlchemy hangs.
const LOCK_TIMEOUT: &str = "-c lock_timeout=10s";

impl PgConnection {
    /// Connects as psycopg2's `connect()` (no TLS; a 10 s connect timeout).
    ///
    /// Errors: `ArgumentError` for an unreadable URL; `OperationalError`
    /// with libpq's text when the server cannot be reached, refuses the
    /// login or lacks the database.
    pub fn connect(url: &str) -> Result<PgConnection, DbError> {
        PgConnection::connect_as(url, &POSTGRESQL)
    }

    /// Connects as [`PgConnection::connect`], for statements compiled for
    /// `dialect` ([`POSTGRESQL`], or asyncpg's: [`super::asyncpg`]).
    pub(super) fn connect_as(
        url: &str,
        dialect: &'static Dialect,
    ) -> Result<PgConnection, DbError> {
        let given = url.to_string();
        let url = PgUrl::parse(url)?;
        let address = (url.host.as_str(), url.port)
            .to_socket_addrs()
            .map_err(|e| {
                pg_error(
                    "OperationalError",
                    format!(
                        "could not translate host name \"{}\" to address: {}",
                        url.host,
                        strip_os_error(&e.to_string())
                    ),
                )
            })?
            .next()
            .map(|a| a.ip());
        let mut config = postgres::Config::new();
        config
            .user(&url.user)
            .dbname(&url.dbname)
            .port(url.port)
            .connect_timeout(Duration::from_secs(10))
            .options(LOCK_TIMEOUT)
            .application_name("orm-tutor");
        match address {
            Some(ip) => config.host(url.host.as_str()).hostaddr(ip),
            None => config.host(url.host.as_str()),
        };
        if let Some(password) = &url.password {
            config.password(password);
        }
        let client = config
            .connect(NoTls)
            .map_err(|e| connect_failure(&url, address, &e))?;
        Ok(PgConnection {
            url: given,
            cancel: Arc::new(client.cancel_token()),
            client: RefCell::new(client),
            in_transaction: Cell::new(false),
            statements: RefCell::new(HashMap::new()),
            dialect,
        })
    }

    /// psycopg2's implicit `BEGIN` before the first statement of a
    /// transaction.
    fn begin_if_needed(&self) -> Result<(), DbError> {
        if !self.in_transaction.get() {
            self.client
                .borrow_mut()
                .batch_execute("BEGIN")
                .map_err(statement_error)?;
            self.in_transaction.set(true);
        }
        Ok(())
    }

    /// The prepared statement for `compiled` and, for each `$k`, the index
    /// of its value in `compiled.params`.
    ///
    /// psycopg2 sends no parameters: it writes each value into the SQL as a
    /// literal, so `SELECT 1` is an `integer` and `count('*')` is typed by
    /// its literal. A `$k` the server would read as `text`, or could not
    /// type at all, is therefore prepared again with the type of the value
    /// bound there (`values`, one row of them), as the literal would have.
    fn prepare(
        &self,
        compiled: &Compiled,
        values: &[SqlValue],
    ) -> Result<(Statement, Vec<usize>), DbError> {
        let (sql, order) =
            if self.dialect.paramstyle == crate::sql::dialect::ParamStyle::NumericDollar {
                // asyncpg: `$1::TYPE` already, one value a number, in order
                (compiled.sql.clone(), (0..compiled.params.len()).collect())
            } else {
                let names = compiled.positiontup();
                pyformat_to_numbered(&compiled.sql, &names)?
            };
        // an `int` past 64 bits: psycopg2's literal is a `numeric`, which
        // the server compares with an `integer` column as such
        if self.dialect.paramstyle != crate::sql::dialect::ParamStyle::NumericDollar
            && values.iter().any(|v| matches!(v, SqlValue::BigInt(_)))
            && let Some(literal) =
                pyformat_to_literal(&compiled.sql, &compiled.positiontup(), values)
        {
            return self.prepare_literal(&literal);
        }
        let cached = self.statements.borrow().get(&sql).cloned();
        let stmt = match cached {
            Some(stmt) => stmt,
            None => match self.prepare_guarded(&sql)? {
                Ok(stmt) => {
                    self.statements
                        .borrow_mut()
                        .insert(sql.clone(), stmt.clone());
                    stmt
                }
                Err(e) if untyped_parameter(&e) => {
                    let literal = (self.dialect.paramstyle
                        != crate::sql::dialect::ParamStyle::NumericDollar)
                        .then(|| {
                            pyformat_to_literal(&compiled.sql, &compiled.positiontup(), values)
                        })
                        .flatten();
                    let Some(literal) = literal else {
                        return self.prepare_typed(sql, order, values, false);
                    };
                    return match self.prepare_typed(sql, order, values, true) {
                        Ok(typed) => Ok(typed),
                        Err(_) => self.prepare_literal(&literal),
                    };
                }
                Err(e) => return Err(statement_error(e)),
            },
        };
        let retype = stmt.params().iter().zip(&order).any(|(ty, &i)| {
            (*ty == Type::TEXT
                && matches!(
                    values.get(i),
                    Some(SqlValue::Integer(_) | SqlValue::Real(_))
                ))
                // `CAST(%(param_1)s AS REGCLASS)`, `relkind = %(…)s`: a
                // string literal the server reads as an OID or a `"char"`,
                // whose binary forms a string is not
                || (matches!(*ty, Type::REGCLASS | Type::CHAR)
                    && matches!(values.get(i), Some(SqlValue::Text(_))))
        });
        if retype {
            return self.prepare_typed(sql, order, values, false);
        }
        // an `int` past the `integer`/`smallint` the server inferred:
        // psycopg2's literal is a `bigint`, compared as such (`id <
        // 9223372036854775807`), or the server's own "integer out of range"
        let overflows = stmt.params().iter().zip(&order).any(|(ty, &i)| {
            matches!(values.get(i), Some(SqlValue::Integer(n))
                if (*ty == Type::INT4 && i32::try_from(*n).is_err())
                    || (*ty == Type::INT2 && i16::try_from(*n).is_err()))
        });
        if overflows
            && self.dialect.paramstyle != crate::sql::dialect::ParamStyle::NumericDollar
            && let Some(literal) =
                pyformat_to_literal(&compiled.sql, &compiled.positiontup(), values)
        {
            return self.prepare_literal(&literal);
        }
        Ok((stmt, order))
    }

    /// `sql` prepared inside a savepoint: a statement the server cannot
    /// type (`count($1)`) is refused at prepare time, and in a transaction
    /// that refusal would abort it, though psycopg2 (which sends literals)
    /// would have run the statement. The savepoint is the tutor's own and
    /// never logged; any other error is made again outside it, so that it
    /// aborts the transaction as it does under psycopg2.
    fn prepare_guarded(&self, sql: &str) -> Result<Result<Statement, postgres::Error>, DbError> {
        let mut client = self.client.borrow_mut();
        if !self.in_transaction.get() {
            return Ok(client.prepare(sql));
        }
        if client.batch_execute("SAVEPOINT orm_tutor_prepare").is_err() {
            // an aborted transaction: the server still reports a syntax
            // error first, as it would to psycopg2
            return Ok(client.prepare(sql));
        }
        let prepared = client.prepare(sql);
        let end = match prepared {
            Ok(_) => "RELEASE SAVEPOINT orm_tutor_prepare",
            Err(_) => {
                "ROLLBACK TO SAVEPOINT orm_tutor_prepare; RELEASE SAVEPOINT orm_tutor_prepare"
            }
        };
        client.batch_execute(end).map_err(statement_error)?;
        match prepared {
            // any other error aborts the transaction, as the statement would
            // have under psycopg2: prepare it again outside the savepoint
            Err(e) if !untyped_parameter(&e) => Ok(client.prepare(sql)),
            prepared => Ok(prepared),
        }
    }

    /// The statement as psycopg2 sends it, each value written into the SQL
    /// as its literal (`IN ('two', 'three')`, a string an `unknown` the
    /// server coerces to the type it meets: `invalid input syntax for type
    /// json`), prepared with no parameters: the last resort when neither
    /// the untyped nor the typed parameters prepare (the typed attempt made
    /// inside a savepoint, so that only this one's error aborts the
    /// transaction, as psycopg2's).
    fn prepare_literal(&self, sql: &str) -> Result<(Statement, Vec<usize>), DbError> {
        let stmt = self
            .client
            .borrow_mut()
            .prepare(sql)
            .map_err(statement_error)?;
        Ok((stmt, Vec::new()))
    }

    /// `sql` prepared with each `$k` typed as psycopg2's literal of its
    /// value would be (`integer`/`bigint`, `double precision` for a float — psycopg2 writes
    /// `numeric`, which the tutor has no Decimal for — `text`,
    /// unknown for `NULL`).
    ///
    /// With `guarded` (inside a transaction), prepared in a savepoint: a
    /// failure leaves the transaction usable.
    fn prepare_typed(
        &self,
        sql: String,
        order: Vec<usize>,
        values: &[SqlValue],
        guarded: bool,
    ) -> Result<(Statement, Vec<usize>), DbError> {
        let types: Vec<Type> = order
            .iter()
            .map(|&i| match values.get(i) {
                Some(SqlValue::Integer(n)) if i32::try_from(*n).is_ok() => Type::INT4,
                Some(SqlValue::Integer(_)) => Type::INT8,
                Some(SqlValue::Real(_)) => Type::FLOAT8,
                Some(SqlValue::Text(_)) => Type::TEXT,
                Some(SqlValue::Blob(_)) => Type::BYTEA,
                Some(SqlValue::BigInt(_)) => Type::NUMERIC,
                _ => Type::UNKNOWN,
            })
            .collect();
        let key = format!(
            "{sql}\0{}",
            types
                .iter()
                .map(|t| t.oid().to_string())
                .collect::<Vec<_>>()
                .join(",")
        );
        if let Some(stmt) = self.statements.borrow().get(&key) {
            return Ok((stmt.clone(), order));
        }
        let mut client = self.client.borrow_mut();
        let guarded = guarded
            && self.in_transaction.get()
            && client.batch_execute("SAVEPOINT orm_tutor_prepare").is_ok();
        let prepared = client.prepare_typed(&sql, &types);
        if guarded {
            let end = match prepared {
                Ok(_) => "RELEASE SAVEPOINT orm_tutor_prepare",
                Err(_) => {
                    "ROLLBACK TO SAVEPOINT orm_tutor_prepare; RELEASE SAVEPOINT orm_tutor_prepare"
                }
            };
            client.batch_execute(end).map_err(statement_error)?;
        }
        drop(client);
        let stmt = prepared.map_err(statement_error)?;
        self.statements.borrow_mut().insert(key, stmt.clone());
        Ok((stmt, order))
    }

    /// Runs `stmt` with `values` picked by `order`: its rows when it
    /// returns any (SELECT, RETURNING), else its row count.
    fn run(
        &self,
        stmt: &Statement,
        order: &[usize],
        values: &[SqlValue],
    ) -> Result<(u64, Option<Rows>), DbError> {
        let params: Vec<Param<'_>> = order
            .iter()
            .map(|&i| values.get(i).map(Param))
            .collect::<Option<_>>()
            .ok_or_else(|| {
                pg_error(
                    "ProgrammingError",
                    "a row of values is shorter than the statement's parameters".into(),
                )
            })?;
        let refs: Vec<&(dyn ToSql + Sync)> =
            params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        let mut client = self.client.borrow_mut();
        let _running = Running::start(&self.cancel);
        if stmt.columns().is_empty() {
            let n = client.execute(stmt, &refs).map_err(statement_error)?;
            return Ok((n, None));
        }
        let rows = client.query(stmt, &refs).map_err(statement_error)?;
        let n = stmt.columns().len();
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut values = Vec::with_capacity(n);
            for i in 0..n {
                let cell: ResultCell = row.try_get(i).map_err(statement_error)?;
                values.push(cell.0);
            }
            out.push(values);
        }
        Ok((out.len() as u64, Some(out)))
    }

    fn values(compiled: &Compiled) -> Vec<SqlValue> {
        compiled.positional_values()
    }
}

impl Connection for PgConnection {
    fn dialect(&self) -> &'static Dialect {
        self.dialect
    }

    fn connect_again(&self) -> Option<Result<Box<dyn Connection>, DbError>> {
        Some(PgConnection::connect(&self.url).map(|c| Box::new(c) as Box<dyn Connection>))
    }

    fn query(&self, compiled: &Compiled) -> Result<Vec<Vec<SqlValue>>, DbError> {
        self.begin_if_needed()?;
        let values = Self::values(compiled);
        let (stmt, order) = self.prepare(compiled, &values)?;
        let (_, rows) = self.run(&stmt, &order, &values)?;
        Ok(rows.unwrap_or_default())
    }

    fn query_with_names(
        &self,
        compiled: &Compiled,
    ) -> Result<(Vec<String>, Vec<Vec<SqlValue>>), DbError> {
        self.begin_if_needed()?;
        let values = Self::values(compiled);
        let (stmt, order) = self.prepare(compiled, &values)?;
        let names = stmt
            .columns()
            .iter()
            .map(|c| c.name().to_string())
            .collect();
        let (_, rows) = self.run(&stmt, &order, &values)?;
        Ok((names, rows.unwrap_or_default()))
    }

    fn execute(&self, compiled: &Compiled) -> Result<ExecResult, DbError> {
        self.begin_if_needed()?;
        let values = Self::values(compiled);
        let (stmt, order) = self.prepare(compiled, &values)?;
        let (n, rows) = self.run(&stmt, &order, &values)?;
        Ok(ExecResult {
            rows_affected: n as usize,
            // psycopg2's `lastrowid` is the row's OID: 0 without OIDs.
            last_insert_rowid: 0,
            returned: rows.unwrap_or_default(),
        })
    }

    fn executemany(
        &self,
        compiled: &Compiled,
        rows: &[Vec<SqlValue>],
    ) -> Result<ExecResult, DbError> {
        self.begin_if_needed()?;
        let mut total = 0;
        let (stmt, order) = self.prepare(compiled, rows.first().map_or(&[][..], |r| &r[..]))?;
        if order.is_empty() && !compiled.params.is_empty() {
            // each row's values written into the SQL (`prepare_literal`)
            for row in rows {
                let (stmt, order) = self.prepare(compiled, row)?;
                total += self.run(&stmt, &order, row)?.0 as usize;
            }
            return Ok(ExecResult {
                rows_affected: total,
                last_insert_rowid: 0,
                returned: Vec::new(),
            });
        }
        for row in rows {
            total += self.run(&stmt, &order, row)?.0 as usize;
        }
        Ok(ExecResult {
            rows_affected: total,
            last_insert_rowid: 0,
            returned: Vec::new(),
        })
    }

    /// A lone `BEGIN`/`COMMIT`/`ROLLBACK` is sent as it is and tracked;
    /// anything else opens psycopg2's implicit transaction first. Prepared
    /// statements are dropped, since DDL may change what they return.
    fn execute_script(&self, sql: &str) -> Result<(), DbError> {
        self.statements.borrow_mut().clear();
        match transaction_control(sql) {
            Some(true) if self.in_transaction.get() => return Ok(()),
            Some(opens) => {
                let result = self.client.borrow_mut().batch_execute(sql);
                self.in_transaction.set(opens && result.is_ok());
                return result.map_err(statement_error);
            }
            None => self.begin_if_needed()?,
        }
        let _running = Running::start(&self.cancel);
        self.client
            .borrow_mut()
            .batch_execute(sql)
            .map_err(statement_error)
    }

    fn in_transaction(&self) -> bool {
        self.in_transaction.get()
    }

    fn begin(&self) -> Result<(), DbError> {
        self.begin_if_needed()
    }

    fn commit(&self) -> Result<(), DbError> {
        if self.in_transaction.replace(false) {
            self.client
                .borrow_mut()
                .batch_execute("COMMIT")
                .map_err(statement_error)?;
        }
        Ok(())
    }

    fn rollback(&self) -> Result<(), DbError> {
        if self.in_transaction.replace(false) {
            self.client
                .borrow_mut()
                .batch_execute("ROLLBACK")
                .map_err(statement_error)?;
        }
        Ok(())
    }

    /// Looks in `information_schema.tables` for the current schema, without
    /// opening a transaction when none is open (SQLAlchemy's inspector runs
    /// on a connection it gives back with a rollback).
    fn has_table(&self, name: &str) -> Result<bool, DbError> {
        let row = self
            .client
            .borrow_mut()
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name = $1)",
                &[&name],
            )
            .map_err(statement_error)?;
        row.try_get::<_, bool>(0).map_err(statement_error)
    }
}

/// What SQLAlchemy's PostgreSQL dialect (psycopg2) queries when an engine
/// first connects (`PGDialect.initialize`), shown by `echo=True` with
/// `[raw sql]`; the tutor does not send them.
pub const FIRST_CONNECT_SQL: &[&str] = &[
    "select pg_catalog.version()",
    "select current_schema()",
    "show standard_conforming_strings",
];

/// The connection of a learner's `create_engine("postgresql://…")`: made
/// at its first use, as SQLAlchemy's engine connects only when a statement
/// needs it, so an unreachable server raises at `engine.connect()` or the
/// session's first query, not at `create_engine()`.
pub struct LazyPgConnection {
    url: String,
    conn: std::cell::OnceCell<PgConnection>,
}

impl LazyPgConnection {
    /// A connection to `url`, not yet made.
    pub fn new(url: &str) -> LazyPgConnection {
        LazyPgConnection {
            url: url.to_string(),
            conn: std::cell::OnceCell::new(),
        }
    }

    /// The server connection, made now if it is not yet.
    ///
    /// Errors: as [`PgConnection::connect`].
    fn get(&self) -> Result<&PgConnection, DbError> {
        if let Some(c) = self.conn.get() {
            return Ok(c);
        }
        let c = PgConnection::connect(&self.url)?;
        Ok(self.conn.get_or_init(|| c))
    }
}

impl Connection for LazyPgConnection {
    fn dialect(&self) -> &'static Dialect {
        &POSTGRESQL
    }

    fn connect_again(&self) -> Option<Result<Box<dyn Connection>, DbError>> {
        Some(PgConnection::connect(&self.url).map(|c| Box::new(c) as Box<dyn Connection>))
    }

    fn query(&self, compiled: &Compiled) -> Result<Vec<Vec<SqlValue>>, DbError> {
        self.get()?.query(compiled)
    }

    fn query_each(
        &self,
        compiled: &Compiled,
        each: &mut dyn FnMut(&[SqlValue]) -> bool,
    ) -> Result<(), DbError> {
        self.get()?.query_each(compiled, each)
    }

    fn query_with_names(
        &self,
        compiled: &Compiled,
    ) -> Result<(Vec<String>, Vec<Vec<SqlValue>>), DbError> {
        self.get()?.query_with_names(compiled)
    }

    fn execute(&self, compiled: &Compiled) -> Result<ExecResult, DbError> {
        self.get()?.execute(compiled)
    }

    fn executemany(
        &self,
        compiled: &Compiled,
        rows: &[Vec<SqlValue>],
    ) -> Result<ExecResult, DbError> {
        self.get()?.executemany(compiled, rows)
    }

    fn execute_script(&self, sql: &str) -> Result<(), DbError> {
        self.get()?.execute_script(sql)
    }

    fn in_transaction(&self) -> bool {
        self.conn.get().is_some_and(Connection::in_transaction)
    }

    fn begin(&self) -> Result<(), DbError> {
        self.get()?.begin()
    }

    fn commit(&self) -> Result<(), DbError> {
        match self.conn.get() {
            Some(c) => c.commit(),
            None => Ok(()),
        }
    }

    fn rollback(&self) -> Result<(), DbError> {
        match self.conn.get() {
            Some(c) => c.rollback(),
            None => Ok(()),
        }
    }

    fn has_table(&self, name: &str) -> Result<bool, DbError> {
        self.get()?.has_table(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pyformat_placeholders_become_numbered_in_order_of_first_use() {
        let (sql, order) = pyformat_to_numbered(
            "SELECT %(b)s, %(a)s, %(b)s, 5 %% 2 FROM t WHERE x LIKE '%%z'",
            &["a", "b"],
        )
        .unwrap();
        assert_eq!(sql, "SELECT $1, $2, $1, 5 % 2 FROM t WHERE x LIKE '%z'");
        assert_eq!(order, vec![1, 0]);
        let err = pyformat_to_numbered("SELECT %(c)s", &["a"]).unwrap_err();
        assert_eq!(err.kind, "ProgrammingError");
    }

    #[test]
    fn an_int_past_64_bits_is_written_as_psycopg2_s_numeric_literal() {
        let big: num_bigint::BigInt = num_traits::pow(num_bigint::BigInt::from(2), 64);
        let sql = pyformat_to_literal(
            "SELECT name FROM users WHERE id = %(id_1)s OR id < %(id_2)s",
            &["id_1", "id_2"],
            &[SqlValue::BigInt(Box::new(big)), SqlValue::Integer(i64::MAX)],
        );
        assert_eq!(
            sql.as_deref(),
            Some(
                "SELECT name FROM users WHERE id = 18446744073709551616 OR id < 9223372036854775807"
            )
        );
    }

    #[test]
    fn urls_parse_as_sqlalchemy_reads_them() {
        let url =
            PgUrl::parse("postgresql+psycopg2://scott:ti%40ger@db.example:5433/test").unwrap();
        assert_eq!(
            url,
            PgUrl {
                user: "scott".into(),
                password: Some("ti@ger".into()),
                host: "db.example".into(),
                port: 5433,
                dbname: "test".into(),
            }
        );
        let url = PgUrl::parse("postgresql://postgres@127.0.0.1/postgres").unwrap();
        assert_eq!((url.port, url.password), (5432, None));
        let err = PgUrl::parse("sqlite:///x.db").unwrap_err();
        assert_eq!(err.kind, "ArgumentError");
        assert_eq!(
            err.message,
            "Could not parse SQLAlchemy URL from string 'sqlite:///x.db'"
        );
    }

    #[test]
    fn sqlstate_classes_map_to_psycopg2_exceptions() {
        assert_eq!(exception_for_sqlstate("23505"), "IntegrityError");
        assert_eq!(exception_for_sqlstate("42P01"), "ProgrammingError");
        assert_eq!(exception_for_sqlstate("42601"), "ProgrammingError");
        assert_eq!(exception_for_sqlstate("22012"), "DataError");
        assert_eq!(exception_for_sqlstate("08006"), "OperationalError");
        assert_eq!(exception_for_sqlstate("25P02"), "InternalError");
        assert_eq!(exception_for_sqlstate("02000"), "DatabaseError");
    }

    #[test]
    fn numeric_round_trips_through_its_binary_form() {
        for text in [
            "12.5",
            "-0.0025",
            "100000",
            "0",
            "1.50",
            "2.0000000000000000",
            "123456789.000100",
        ] {
            let mut buf = BytesMut::new();
            numeric::encode(text, &mut buf);
            assert_eq!(numeric::decode(&buf).unwrap().as_deref(), Some(text));
        }
    }
}
