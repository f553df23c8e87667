//! The `PGInspector`'s calls: SQLAlchemy 2.0's PostgreSQL dialect
//! (`dialects/postgresql/base.py`) answering `Inspector.get_*` for one
//! table through its `get_multi_*` queries (`sql::dialect::postgresql::
//! reflection`), with `filter_names=[table]`, any kind and scope.
//!
//! Cached as SQLAlchemy's `info_cache` caches them: each `get_*` result per
//! table, `_get_table_oids` per list of names (so a second call on the same
//! table that needs its oid sends only its own query), and the domains and
//! enums once per inspector. A table that is not there raises
//! `NoSuchTableError` after the query that would have found it.

use super::{Inspector, dict, names, no_such_table, opt, s};
use crate::python::value::DictObj;
use crate::python::{PyResult, Value};
use crate::sql::dialect::postgresql::reflection::{self as pgr, Relations};
use crate::sql::schema::SqlValue;

use super::reflection::Runner;

/// `get_table_names`: the visible tables, in the server's order.
pub(super) fn get_table_names(r: &dyn Runner, _: &str) -> PyResult<Value> {
    Ok(Value::list(
        r.rows(&pgr::table_names_query())?
            .iter()
            .map(|row| match row.first() {
                Some(SqlValue::Text(t)) => s(t),
                _ => Value::None,
            })
            .collect(),
    ))
}

/// `has_table`: the relation is there (never cached).
pub(super) fn has_table(r: &dyn Runner, t: &str) -> PyResult<bool> {
    Ok(!r
        .rows(&crate::sql::dialect::postgresql::has_table_query(t))?
        .is_empty())
}

/// `get_foreign_keys`: `{name, constrained_columns, referred_schema,
/// referred_table, referred_columns, options, comment}` dicts by name.
///
/// Errors: `NoSuchTableError`.
pub(super) fn get_foreign_keys(r: &dyn Runner, t: &str) -> PyResult<Value> {
    let rows = r.rows(&pgr::foreign_keys_query(Relations::Any, &[t.to_string()]))?;
    let Some((_, fks)) = pgr::foreign_keys_of(&rows).into_iter().next() else {
        return Err(no_such_table(t));
    };
    Ok(Value::list(
        fks.iter()
            .map(|fk| {
                let options = fk
                    .options
                    .iter()
                    .map(|(k, v)| {
                        let v = match (k.as_str(), v.as_str()) {
                            ("deferrable", "True") => Value::Bool(true),
                            ("deferrable", _) => Value::Bool(false),
                            _ => s(v),
                        };
                        (s(k), v)
                    })
                    .collect();
                dict(vec![
                    ("name", s(&fk.name)),
                    ("constrained_columns", names(&fk.columns)),
                    ("referred_schema", opt(&fk.referred_schema)),
                    ("referred_table", s(&fk.referred_table)),
                    ("referred_columns", names(&fk.referred_columns)),
                    ("options", DictObj::value(options)),
                    ("comment", opt(&fk.comment)),
                ])
            })
            .collect(),
    ))
}

impl Inspector {
    /// `_get_table_oids([t])`, cached per name: the table's oid.
    ///
    /// Errors: `NoSuchTableError` when the server has no such relation.
    fn pg_table_oid(&self, r: &dyn Runner, t: &str) -> PyResult<i64> {
        let v = self.cached_in(r, format!("_get_table_oids:{t}"), |r| {
            let rows = r.rows(&pgr::table_oids_query(Relations::Any, &[t.to_string()]))?;
            Ok(match pgr::oids_of(&rows).first() {
                Some((oid, _)) => Value::Int(*oid),
                None => Value::None,
            })
        })?;
        match v {
            Value::Int(oid) => Ok(oid),
            _ => Err(no_such_table(t)),
        }
    }

    /// `get_columns`: the columns query, then the domains and the enums
    /// (once per inspector); `{name, type, nullable, default,
    /// autoincrement, comment}` dicts.
    ///
    /// Errors: `NoSuchTableError`.
    pub(super) fn pg_get_columns(&self, r: &dyn Runner, t: &str) -> PyResult<Value> {
        self.cached_in(r, format!("get_columns:{t}"), |r| {
            let rows = r.rows(&pgr::columns_query(Relations::Any, &[t.to_string()]))?;
            self.cached_in(r, "_load_domains:".into(), |r| {
                r.rows(&pgr::domains_query())?;
                Ok(Value::None)
            })?;
            self.cached_in(r, "_load_enums:".into(), |r| {
                r.rows(&pgr::enums_query())?;
                Ok(Value::None)
            })?;
            let Some((_, columns)) = pgr::columns_of(&rows).into_iter().next() else {
                return Err(no_such_table(t));
            };
            Ok(Value::list(
                columns
                    .iter()
                    .map(|c| {
                        let (class, args) = pgr::reflect_type(&c.format_type);
                        dict(vec![
                            ("name", s(&c.name)),
                            ("type", Value::native(super::ReflectedType { class, args })),
                            ("nullable", Value::Bool(c.nullable)),
                            ("default", opt(&c.default)),
                            ("autoincrement", Value::Bool(c.autoincrement)),
                            ("comment", opt(&c.comment)),
                        ])
                    })
                    .collect(),
            ))
        })
    }

    /// `get_pk_constraint`: `{constrained_columns, name, comment,
    /// dialect_options}`, or `{name: None, constrained_columns: []}`.
    ///
    /// Errors: `NoSuchTableError`.
    pub(super) fn pg_get_pk_constraint(&self, r: &dyn Runner, t: &str) -> PyResult<Value> {
        self.cached_in(r, format!("get_pk_constraint:{t}"), |r| {
            let oid = self.pg_table_oid(r, t)?;
            let rows = r.rows(&pgr::constraint_query("p", &[oid]))?;
            Ok(match pgr::constraints_of(&rows).into_iter().next() {
                Some(c) => dict(vec![
                    ("constrained_columns", names(&c.columns)),
                    ("name", s(&c.name)),
                    ("comment", opt(&c.comment)),
                    (
                        "dialect_options",
                        dict(vec![("postgresql_include", names(&c.include))]),
                    ),
                ]),
                None => dict(vec![
                    ("name", Value::None),
                    ("constrained_columns", Value::list(Vec::new())),
                ]),
            })
        })
    }

    /// `get_unique_constraints`: `{column_names, name, comment,
    /// dialect_options}` dicts by name.
    ///
    /// Errors: `NoSuchTableError`.
    pub(super) fn pg_get_unique_constraints(&self, r: &dyn Runner, t: &str) -> PyResult<Value> {
        self.cached_in(r, format!("get_unique_constraints:{t}"), |r| {
            let oid = self.pg_table_oid(r, t)?;
            let rows = r.rows(&pgr::constraint_query("u", &[oid]))?;
            Ok(Value::list(
                pgr::constraints_of(&rows)
                    .iter()
                    .map(|c| {
                        dict(vec![
                            ("column_names", names(&c.columns)),
                            ("name", s(&c.name)),
                            ("comment", opt(&c.comment)),
                            (
                                "dialect_options",
                                dict(vec![
                                    ("postgresql_include", names(&c.include)),
                                    (
                                        "postgresql_nulls_not_distinct",
                                        Value::Bool(c.nulls_not_distinct),
                                    ),
                                ]),
                            ),
                        ])
                    })
                    .collect(),
            ))
        })
    }

    /// `get_indexes`: `{name, unique, column_names, [expressions],
    /// [duplicates_constraint], include_columns, dialect_options}` dicts
    /// by name, the primary key's index left out.
    ///
    /// Errors: `NoSuchTableError`.
    pub(super) fn pg_get_indexes(&self, r: &dyn Runner, t: &str) -> PyResult<Value> {
        self.cached_in(r, format!("get_indexes:{t}"), |r| {
            let oid = self.pg_table_oid(r, t)?;
            let rows = r.rows(&pgr::indexes_query(&[oid]))?;
            Ok(Value::list(
                pgr::indexes_of(&rows)
                    .iter()
                    .map(|i| {
                        let mut pairs = vec![
                            ("name", s(&i.name)),
                            ("unique", Value::Bool(i.unique)),
                            (
                                "column_names",
                                Value::list(i.columns.iter().map(opt).collect()),
                            ),
                        ];
                        if let Some(e) = &i.expressions {
                            pairs.push(("expressions", names(e)));
                        }
                        if i.has_constraint {
                            pairs.push(("duplicates_constraint", s(&i.name)));
                        }
                        pairs.push(("include_columns", names(&i.include)));
                        pairs.push((
                            "dialect_options",
                            dict(vec![("postgresql_include", names(&i.include))]),
                        ));
                        dict(pairs)
                    })
                    .collect(),
            ))
        })
    }
}
