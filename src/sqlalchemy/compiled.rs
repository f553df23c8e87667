//! `stmt.compile(bind=None, dialect=None, compile_kwargs={...})` and the
//! `Compiled` object it returns (SQLAlchemy's `StrSQLCompiler`,
//! `SQLiteCompiler`, `PGCompiler`): `str()`/`print()` of the SQL, `.string`
//! and `.params`, for `select()`, legacy `Query`, `insert()`/`update()`/
//! `delete()` and `text()`.

use std::rc::Rc;

use crate::orm::bulk::DmlStatement;
use crate::orm::query::Query;
use crate::python::format::address_of;
use crate::python::{ExcType, PyErr, PyObject, PyResult, Signature, Value};
use crate::sql::compiler::BoundParam;
use crate::sql::dialect::{Dialect, MYSQL, ORACLE, POSTGRESQL, SQLITE, STR, StatementCompiler};
use crate::sql::elements::TextClause;

/// A compiled statement: its SQL and named parameters, for one dialect.
#[derive(Debug)]
pub struct CompiledObj {
    pub sql: String,
    pub params: Vec<BoundParam>,
    pub compiler: StatementCompiler,
}

impl CompiledObj {
    fn class_name(&self) -> &'static str {
        match self.compiler {
            StatementCompiler::Str => "StrSQLCompiler",
            StatementCompiler::SQLite => "SQLiteCompiler",
            StatementCompiler::PostgreSQL => "PGCompiler",
            StatementCompiler::MySQL => "MySQLCompiler_mysqldb",
            StatementCompiler::Oracle => "OracleCompiler_cx_oracle",
        }
    }

    /// `compiled.params`: each parameter's name and value, in order (a
    /// value stored as SQLite's datetime text shows as a `datetime`).
    pub fn params_value(&self) -> Value {
        let pairs = self
            .params
            .iter()
            .map(|p| {
                let v = crate::orm::expression::result_value(&p.value, None);
                let v = match &v {
                    Value::Str(s) => crate::orm::expression::parse_datetime(s)
                        .filter(|_| s.len() >= 19)
                        .map(Value::DateTime)
                        .unwrap_or(v),
                    _ => v,
                };
                (Value::str(&p.name), v)
            })
            .collect();
        crate::python::value::DictObj::value(pairs)
    }
}

impl PyObject for CompiledObj {
    fn type_name(&self) -> String {
        self.class_name().into()
    }
    fn repr(&self) -> String {
        format!(
            "<sqlalchemy.sql.compiler.{} object at {}>",
            self.class_name(),
            address_of(self as *const Self)
        )
    }
    /// `str(compiled)`: the SQL text.
    fn str(&self) -> String {
        self.sql.clone()
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `sqlalchemy.dialects.sqlite.dialect()` / `postgresql.dialect()` /
/// `mysql.dialect()` / `oracle.dialect()`: a dialect to compile for.
#[derive(Debug)]
pub struct DialectObj(pub &'static Dialect);

impl PyObject for DialectObj {
    fn type_name(&self) -> String {
        match self.0.statement_compiler {
            StatementCompiler::PostgreSQL if self.0.driver == "asyncpg" => "PGDialect_asyncpg",
            StatementCompiler::PostgreSQL => "PGDialect_psycopg2",
            StatementCompiler::SQLite => "SQLiteDialect_pysqlite",
            StatementCompiler::MySQL => "MySQLDialect_mysqldb",
            StatementCompiler::Oracle => "OracleDialect_cx_oracle",
            StatementCompiler::Str => "DefaultDialect",
        }
        .into()
    }
    fn repr(&self) -> String {
        format!(
            "<sqlalchemy.dialects.{}.{}.{} object at {}>",
            self.0.name,
            self.0.driver,
            self.type_name(),
            address_of(self as *const Self)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `dialect.name` (`sqlite`, `postgresql`) and `dialect.driver`
/// (`pysqlite`, `psycopg2`, `asyncpg`), as SQLAlchemy 2.0's `Dialect`; its
/// other attributes are `NotImplementedError`.
pub fn dialect_attr(obj: &Value, d: &DialectObj, name: &str) -> PyResult<Value> {
    match name {
        "name" => Ok(Value::str(d.0.name)),
        "driver" => Ok(Value::str(d.0.driver)),
        _ => Err(super::asyncio::no_attr(
            obj,
            name,
            &[
                "driver",
                "paramstyle",
                "positional",
                "server_version_info",
                "default_schema_name",
                "supports_statement_cache",
                "dbapi",
                "identifier_preparer",
                "statement_compiler",
                "type_compiler",
            ],
        )),
    }
}

/// The value of `sqlalchemy.dialects.<name>.dialect` (a callable giving a
/// [`DialectObj`]), for `sqlite`, `postgresql`, `mysql` and `oracle`.
pub fn dialect_for_module(module: &str) -> Option<&'static Dialect> {
    match module {
        "sqlalchemy.dialects.sqlite" => Some(&SQLITE),
        "sqlalchemy.dialects.postgresql" => Some(&POSTGRESQL),
        "sqlalchemy.dialects.mysql" => Some(&MYSQL),
        "sqlalchemy.dialects.oracle" => Some(&ORACLE),
        _ => None,
    }
}

/// The dialect `compile(bind, dialect)` compiles for: `dialect=`, else the
/// engine's, else SQLAlchemy's string dialect.
///
/// Errors: `NotImplementedError` for a `bind` or `dialect` the tutor does
/// not know.
fn target_dialect(b: &crate::python::Bound) -> PyResult<&'static Dialect> {
    if let Some(d) = b.given("dialect").filter(|v| !matches!(v, Value::None)) {
        return match d.downcast::<DialectObj>() {
            Some(d) => Ok(d.0),
            None => Err(PyErr::unsupported(format!(
                "compile(dialect={})",
                crate::python::format::repr_plain(d)
            ))),
        };
    }
    match b.given("bind") {
        None | Some(Value::None) => Ok(&STR),
        Some(v) if let Some(e) = v.downcast::<super::objects::Engine>() => Ok(e.1.dialect()),
        Some(v) if let Some(s) = super::session::as_session(v) => Ok(s.dialect()),
        Some(other) => Err(PyErr::unsupported(format!(
            "compile() bound to {}",
            other.type_name()
        ))),
    }
}

/// `compile_kwargs={"literal_binds": True}`: whether to render literals.
///
/// Errors: `NotImplementedError` for other compile keywords.
fn literal_binds(b: &crate::python::Bound) -> PyResult<bool> {
    let mut literal = false;
    for (k, v) in &b.varkw {
        match (k.as_str(), v) {
            ("compile_kwargs", Value::Dict(d)) => {
                for (key, value) in d.borrow().iter() {
                    match key {
                        Value::Str(s) if &**s == "literal_binds" => literal = value.truthy(),
                        other => {
                            return Err(PyErr::unsupported(format!(
                                "the compile keyword {}",
                                crate::python::format::repr_plain(other)
                            )));
                        }
                    }
                }
            }
            (other, _) => {
                return Err(PyErr::unsupported(format!(
                    "the keyword argument '{other}' of compile()"
                )));
            }
        }
    }
    Ok(literal)
}

/// The statement kinds that compile.
pub enum Compilable<'a> {
    Select(&'a Query),
    Dml(&'a DmlStatement),
    Text(&'a TextClause),
    /// A column expression or clause (`(User.name == "x").compile()`).
    Expr(&'a crate::sql::elements::Expr),
}

/// `stmt.compile(bind=None, dialect=None, **kw)`, as SQLAlchemy 2.0's
/// `CompilerElement.compile()`.
///
/// Errors: as [`target_dialect`] and [`literal_binds`]; a statement's own
/// compile errors.
pub fn compile(
    stmt: Compilable<'_>,
    type_name: &str,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<Value> {
    let _ = type_name;
    let b = Signature::method("compile", &["bind=", "dialect=", "**kw"]).bind(args, kwargs)?;
    let base = target_dialect(&b)?;
    let literal = literal_binds(&b)?;
    let dialect = Dialect {
        literal_binds: literal,
        ..base.clone()
    };
    crate::sql::compiler::take_not_modelled();
    let compiled = compile_for(stmt, &dialect, literal);
    // A MySQL or Oracle construct the tutor does not render as that
    // dialect's compiler does: not modelled, never a wrong answer.
    if let Some(what) = crate::sql::compiler::take_not_modelled() {
        return Err(PyErr::unsupported(format!(
            "{what} compiled for the {} dialect",
            dialect.name
        )));
    }
    let compiled = compiled?;
    Ok(Value::native(CompiledObj {
        sql: compiled.sql,
        params: compiled.params,
        compiler: dialect.statement_compiler,
    }))
}

/// The statement compiled for `dialect`.
fn compile_for(
    stmt: Compilable<'_>,
    dialect: &Dialect,
    literal: bool,
) -> PyResult<crate::sql::compiler::Compiled> {
    let dialect = dialect.clone();
    Ok(match stmt {
        Compilable::Select(q) => {
            let (select, _) = q.to_select()?;
            crate::sql::compiler::compile_select(&select, &dialect)
        }
        Compilable::Dml(d) => d.compile_display(&dialect)?,
        Compilable::Expr(e) => crate::sql::compiler::compile_expression(e, &dialect),
        Compilable::Text(t) => {
            let (c, missing) = crate::sql::compiler::compile_text(&t.text, &t.binds, &dialect);
            if let (Some(name), true) = (missing, literal) {
                return Err(PyErr::new(
                    ExcType::CompileError,
                    format!("Bind parameter '{name}' without a renderable value not allowed here."),
                ));
            }
            c
        }
    })
}

/// `compiled.name` for a [`CompiledObj`]: `params`, `string`; `None` for
/// other values.
pub fn get_attr(obj: &Value, name: &str) -> Option<PyResult<Value>> {
    let c = obj.downcast::<CompiledObj>()?;
    Some(match name {
        // Oracle's RETURNING out parameters (`ret_0: None`) are not kept.
        "params" if c.compiler == StatementCompiler::Oracle && c.sql.contains(" INTO :ret_") => {
            Err(PyErr::unsupported(
                "compiled.params of an Oracle RETURNING ... INTO",
            ))
        }
        "params" => Ok(c.params_value()),
        "string" => Ok(Value::str(&c.sql)),
        "positiontup" => Ok(Value::list(
            c.params.iter().map(|p| Value::str(&p.name)).collect(),
        )),
        _ => Err(crate::python::exceptions::attribute_error(format!(
            "'{}' object has no attribute '{name}'",
            c.class_name()
        ))),
    })
}
