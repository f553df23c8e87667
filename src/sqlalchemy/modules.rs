//! Imports, as Python resolves them against the real modules' names:
//! `import sqlalchemy as sa`, `from sqlalchemy.orm import selectinload as sl`.
//!
//! - a module SQLAlchemy or Python has: bound (`sa.Column` works);
//! - `from sqlalchemy import nonsense` → `ImportError: cannot import name
//!   'nonsense' from 'sqlalchemy'`; `import fastapi` →
//!   `ModuleNotFoundError: No module named 'fastapi'`;
//! - a name the real module has that the tutor does not support yet →
//!   `NotImplementedError` at the import line, never a silent import.

use crate::python::value::Builtin;
use crate::python::{ExcType, PyErr, PyResult, Value};

use super::names::{MODULE_NAMES, SQLALCHEMY_MODULES, STDLIB_MODULES};

/// SQLAlchemy's names the tutor supports, bound at start in every namespace
/// (as if `from sqlalchemy import *` and `from sqlalchemy.orm import *` had
/// run) and importable from each module that exports them.
pub const SQLALCHEMY_NAMES: &[(&str, Builtin)] = &[
    ("select", Builtin::Select),
    ("func", Builtin::Func),
    ("and_", Builtin::And),
    ("or_", Builtin::Or),
    ("not_", Builtin::Not),
    ("desc", Builtin::Desc),
    ("asc", Builtin::Asc),
    ("distinct", Builtin::Distinct),
    ("literal", Builtin::Literal),
    ("true", Builtin::True_),
    ("false", Builtin::False_),
    ("null", Builtin::Null),
    ("text", Builtin::Core("text")),
    ("case", Builtin::Core("case")),
    ("exists", Builtin::Core("exists")),
    ("union", Builtin::Core("union")),
    ("union_all", Builtin::Core("union_all")),
    ("intersect", Builtin::Core("intersect")),
    ("intersect_all", Builtin::Core("intersect_all")),
    ("except_", Builtin::Core("except_")),
    ("except_all", Builtin::Core("except_all")),
    ("cast", Builtin::Core("cast")),
    ("type_coerce", Builtin::Core("type_coerce")),
    ("literal_column", Builtin::Core("literal_column")),
    ("values", Builtin::Core("values")),
    ("Values", Builtin::Core("Values")),
    ("table", Builtin::Core("table")),
    ("column", Builtin::Core("column")),
    (
        "PrimaryKeyConstraint",
        Builtin::Core("PrimaryKeyConstraint"),
    ),
    (
        "ForeignKeyConstraint",
        Builtin::Core("ForeignKeyConstraint"),
    ),
    ("bindparam", Builtin::Core("bindparam")),
    // `sqlalchemy.orm`'s `join()`/`outerjoin()`, as `from sqlalchemy.orm
    // import *` binds them last; `sqlalchemy`'s are `tutor_value`'s.
    ("join", Builtin::Core("orm.join")),
    ("outerjoin", Builtin::Core("orm.outerjoin")),
    ("remote", Builtin::Core("remote")),
    ("foreign", Builtin::Core("foreign")),
    ("collate", Builtin::Core("collate")),
    ("over", Builtin::Core("over")),
    ("within_group", Builtin::Core("within_group")),
    ("funcfilter", Builtin::Core("funcfilter")),
    ("extract", Builtin::Core("extract")),
    ("label", Builtin::Core("label")),
    ("between", Builtin::Core("between")),
    ("nulls_first", Builtin::Core("nulls_first")),
    ("nulls_last", Builtin::Core("nulls_last")),
    ("nullsfirst", Builtin::Core("nullsfirst")),
    ("nullslast", Builtin::Core("nullslast")),
    ("joinedload", Builtin::Joinedload),
    ("selectinload", Builtin::Selectinload),
    ("subqueryload", Builtin::Subqueryload),
    ("lazyload", Builtin::Lazyload),
    ("raiseload", Builtin::Raiseload),
    ("noload", Builtin::Noload),
    ("defaultload", Builtin::Core("defaultload")),
    ("Load", Builtin::Core("Load")),
    ("contains_eager", Builtin::Core("contains_eager")),
    ("with_parent", Builtin::Core("with_parent")),
    ("object_session", Builtin::Core("object_session")),
    ("make_transient", Builtin::Core("make_transient")),
    (
        "make_transient_to_detached",
        Builtin::Core("make_transient_to_detached"),
    ),
    ("scoped_session", Builtin::Core("scoped_session")),
    ("close_all_sessions", Builtin::Core("close_all_sessions")),
    ("configure_mappers", Builtin::Core("configure_mappers")),
    ("make_url", Builtin::Core("make_url")),
    ("load_only", Builtin::Core("load_only")),
    ("defer", Builtin::Core("defer")),
    ("undefer", Builtin::Core("undefer")),
    ("undefer_group", Builtin::Core("undefer_group")),
    ("deferred", Builtin::Schema("deferred")),
    ("column_property", Builtin::Schema("column_property")),
    ("query_expression", Builtin::Schema("query_expression")),
    ("with_expression", Builtin::Core("with_expression")),
    (
        "with_loader_criteria",
        Builtin::Core("with_loader_criteria"),
    ),
    ("inspect", Builtin::Inspect),
    ("Session", Builtin::SessionClass),
    ("sessionmaker", Builtin::Sessionmaker),
    ("create_engine", Builtin::CreateEngine),
    ("declarative_base", Builtin::DeclarativeBase),
    ("aliased", Builtin::Aliased),
    ("Bundle", Builtin::Core("Bundle")),
    ("update", Builtin::Update),
    ("delete", Builtin::Delete),
    ("insert", Builtin::Insert),
    ("Column", Builtin::Schema("Column")),
    ("ForeignKey", Builtin::Schema("ForeignKey")),
    ("relationship", Builtin::Schema("relationship")),
    ("validates", Builtin::Schema("validates")),
    ("declared_attr", Builtin::Schema("declared_attr")),
    ("backref", Builtin::Schema("backref")),
    ("Table", Builtin::Schema("Table")),
    ("mapped_column", Builtin::Schema("mapped_column")),
    ("Mapped", Builtin::Schema("Mapped")),
    ("DynamicMapped", Builtin::Schema("Mapped")),
    ("WriteOnlyMapped", Builtin::Schema("Mapped")),
    ("MappedAsDataclass", Builtin::Schema("MappedAsDataclass")),
    ("DeclarativeBase", Builtin::Schema("DeclarativeBase")),
    ("registry", Builtin::Schema("registry")),
    ("MetaData", Builtin::Schema("MetaData")),
    ("Index", Builtin::Schema("Index")),
    ("Sequence", Builtin::Schema("Sequence")),
    ("Identity", Builtin::Schema("Identity")),
    ("UniqueConstraint", Builtin::Schema("UniqueConstraint")),
    ("CheckConstraint", Builtin::Schema("CheckConstraint")),
    ("Integer", Builtin::Schema("Integer")),
    ("INTEGER", Builtin::Schema("INTEGER")),
    ("BigInteger", Builtin::Schema("BigInteger")),
    ("BIGINT", Builtin::Schema("BIGINT")),
    ("SmallInteger", Builtin::Schema("SmallInteger")),
    ("SMALLINT", Builtin::Schema("SMALLINT")),
    ("String", Builtin::Schema("String")),
    ("VARCHAR", Builtin::Schema("VARCHAR")),
    ("Unicode", Builtin::Schema("Unicode")),
    ("CHAR", Builtin::Schema("CHAR")),
    ("Text", Builtin::Schema("Text")),
    ("TEXT", Builtin::Schema("TEXT")),
    ("UnicodeText", Builtin::Schema("UnicodeText")),
    ("Boolean", Builtin::Schema("Boolean")),
    ("BOOLEAN", Builtin::Schema("BOOLEAN")),
    ("DateTime", Builtin::Schema("DateTime")),
    ("DATETIME", Builtin::Schema("DATETIME")),
    ("TIMESTAMP", Builtin::Schema("TIMESTAMP")),
    ("Date", Builtin::Schema("Date")),
    ("DATE", Builtin::Schema("DATE")),
    ("Time", Builtin::Schema("Time")),
    ("TIME", Builtin::Schema("TIME")),
    ("Interval", Builtin::Schema("Interval")),
    ("Float", Builtin::Schema("Float")),
    ("FLOAT", Builtin::Schema("FLOAT")),
    ("Numeric", Builtin::Schema("Numeric")),
    ("NUMERIC", Builtin::Schema("NUMERIC")),
    ("DECIMAL", Builtin::Schema("DECIMAL")),
    ("LargeBinary", Builtin::Schema("LargeBinary")),
    ("BLOB", Builtin::Schema("BLOB")),
    ("JSON", Builtin::Schema("JSON")),
    ("Uuid", Builtin::Schema("Uuid")),
    ("Enum", Builtin::Schema("Enum")),
];

/// `typing`'s names the tutor accepts; they only appear in annotations,
/// which the tutor reads without evaluating.
pub const TYPING_NAMES: &[&str] = &[
    "Optional",
    "List",
    "Dict",
    "Set",
    "Tuple",
    "Union",
    "Any",
    "Annotated",
];

/// What a dotted module name is, to the tutor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModuleKind {
    /// A module whose names the tutor knows (`sqlalchemy.orm`, `datetime`).
    Known(&'static str),
    /// A real module (SQLAlchemy's or Python's standard library) the tutor
    /// has no names for yet.
    Unsupported,
    /// No such module.
    Missing,
}

/// Looks a dotted module name up.
pub fn find_module(path: &str) -> ModuleKind {
    if let Some((name, _)) = MODULE_NAMES.iter().find(|(m, _)| *m == path) {
        return ModuleKind::Known(name);
    }
    let top = path.split('.').next().unwrap_or(path);
    // Alembic is installed beside SQLAlchemy; `from alembic import op` is
    // the interpreter's (`sqlalchemy::alembic`), the rest not yet.
    if SQLALCHEMY_MODULES.contains(&path)
        || top == "alembic"
        || (top != "sqlalchemy" && STDLIB_MODULES.contains(&top))
    {
        ModuleKind::Unsupported
    } else {
        ModuleKind::Missing
    }
}

fn module_not_found(path: &str) -> PyErr {
    PyErr::new(
        ExcType::ModuleNotFoundError,
        format!("No module named '{path}'"),
    )
}

/// `import a.b.c`: the module `a.b.c`, checked to exist, with each of its
/// parents. Returns the known module object of the full path.
pub fn import_module(path: &str) -> PyResult<&'static str> {
    match find_module(path) {
        ModuleKind::Known(name) => Ok(name),
        ModuleKind::Unsupported => Err(PyErr::unsupported(format!("the module '{path}'"))),
        ModuleKind::Missing => {
            // Python names the first missing package of the path.
            let parts: Vec<&str> = path.split('.').collect();
            for i in 1..=parts.len() {
                let prefix = parts[..i].join(".");
                if find_module(&prefix) == ModuleKind::Missing {
                    return Err(module_not_found(&prefix));
                }
            }
            Err(module_not_found(path))
        }
    }
}

/// The public names a known module exports (empty for others).
pub fn exported_names(module: &str) -> &'static [&'static str] {
    MODULE_NAMES
        .iter()
        .find(|(m, _)| *m == module)
        .map_or(&[], |(_, names)| names)
}

/// The module among those every namespace starts star-imported from
/// (`from sqlalchemy import *`, `from sqlalchemy.orm import *`, as the
/// oracle's namespace) that exports `name` although the tutor lacks it
/// (`Computed`): reading the name is then the tutor's
/// `NotImplementedError`, not Python's `NameError`.
pub fn star_bound_unsupported(name: &str) -> Option<&'static str> {
    ["sqlalchemy", "sqlalchemy.orm"]
        .into_iter()
        .find(|m| exported_names(m).contains(&name) && tutor_value(m, name).is_none())
}

/// The value of a name that `from sqlalchemy.orm import *` (then `from
/// sqlalchemy import *`) binds at start and the start namespace lacks
/// (`URL`): what reading it gives, as the oracle's star imports bind it.
pub fn star_bound_value(name: &str) -> Option<Value> {
    ["sqlalchemy.orm", "sqlalchemy"]
        .into_iter()
        .filter(|m| exported_names(m).contains(&name))
        .find_map(|m| tutor_value(m, name))
}

/// The tutor's value for `module.name`, when it supports it.
fn tutor_value(module: &str, name: &str) -> Option<Value> {
    match module {
        "datetime" => match name {
            "datetime" => Some(Value::Builtin(Builtin::DateTime)),
            "date" => Some(Value::Builtin(Builtin::Date)),
            "time" => Some(Value::Builtin(Builtin::TimeOfDay)),
            "timedelta" => Some(Value::Builtin(Builtin::TimeDelta)),
            _ => None,
        },
        "decimal" => match name {
            "Decimal" => Some(Value::Builtin(Builtin::Decimal)),
            "InvalidOperation" => Some(Value::ExceptionClass(ExcType::InvalidOperation)),
            "DivisionByZero" => Some(Value::ExceptionClass(ExcType::DivisionByZero)),
            _ => crate::python::types::decimal::ROUNDINGS
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(n, _)| Value::str(n)),
        },
        "enum" => crate::interpreter::enums::module_value(name),
        "typing" => TYPING_NAMES
            .iter()
            .find(|n| **n == name)
            .map(|n| Value::Builtin(Builtin::Schema(n))),
        "asyncio" => crate::interpreter::coroutines::asyncio_value(name),
        "time" => crate::python::builtins::TIME_NAMES
            .iter()
            .find(|n| **n == name)
            .map(|n| Value::Builtin(Builtin::Time(n))),
        "sqlalchemy.ext.hybrid" => (name == "hybrid_property")
            .then_some(Value::Builtin(Builtin::Schema("hybrid_property"))),
        "contextlib" => crate::interpreter::contextlib::contextlib_value(name),
        "pprint" => crate::interpreter::pprint::module_value(name),
        "math" => crate::python::math::module_value(name),
        "json" => crate::python::json::module_value(name),
        "random" => crate::python::random::module_value(name),
        "itertools" => crate::python::itertools::module_value(name),
        "collections" => crate::python::collections::module_value(name),
        "functools" => crate::interpreter::functools::module_value(name),
        "operator" => crate::interpreter::operator::module_value(name),
        "__future__" => crate::interpreter::future::module_value(name),
        "sqlalchemy.ext.declarative" if name == "declarative_base" => {
            Some(Value::Builtin(Builtin::DeclarativeBaseMoved))
        }
        "sqlalchemy.ext.asyncio" if let Some(v) = super::asyncio::module_value(name) => Some(v),
        "sqlalchemy.event" => match name {
            "listen" => Some(Value::Builtin(Builtin::Core("event.listen"))),
            "listens_for" => Some(Value::Builtin(Builtin::Core("event.listens_for"))),
            "remove" => Some(Value::Builtin(Builtin::Core("event.remove"))),
            "contains" => Some(Value::Builtin(Builtin::Core("event.contains"))),
            _ => None,
        },
        "sqlalchemy" | "sqlalchemy.engine" | "sqlalchemy.engine.base" if name == "Engine" => {
            Some(Value::native(super::event::EngineClass))
        }
        "sqlalchemy" | "sqlalchemy.engine" | "sqlalchemy.engine.url" if name == "URL" => {
            Some(Value::native(super::url::UrlClass))
        }
        // Core's `join()`/`outerjoin()` (`sql.join`), not the ORM's.
        "sqlalchemy" | "sqlalchemy.sql" | "sqlalchemy.sql.expression"
            if name == "join" || name == "outerjoin" =>
        {
            Some(Value::Builtin(Builtin::Core(if name == "join" {
                "join"
            } else {
                "outerjoin"
            })))
        }
        "sqlalchemy.dialects.sqlite" if name == "dialect" => {
            Some(Value::Builtin(Builtin::Core("sqlite.dialect")))
        }
        "sqlalchemy.dialects.postgresql" if name == "dialect" => {
            Some(Value::Builtin(Builtin::Core("postgresql.dialect")))
        }
        // For `stmt.compile(dialect=mysql.dialect())` only: no connection.
        "sqlalchemy.dialects.mysql" if name == "dialect" => {
            Some(Value::Builtin(Builtin::Core("mysql.dialect")))
        }
        "sqlalchemy.dialects.oracle" if name == "dialect" => {
            Some(Value::Builtin(Builtin::Core("oracle.dialect")))
        }
        // The dialects' own `insert()` (with `on_conflict_do_update()` …).
        "sqlalchemy.dialects.sqlite" if name == "insert" => {
            Some(Value::Builtin(Builtin::Core("sqlite.insert")))
        }
        "sqlalchemy.dialects.postgresql" if name == "insert" => {
            Some(Value::Builtin(Builtin::Core("postgresql.insert")))
        }
        m if m == "sqlalchemy" || m.starts_with("sqlalchemy.") => {
            if let Some(exc) = ExcType::from_name(name).filter(|e| e.is_exception()) {
                return Some(Value::ExceptionClass(exc));
            }
            // only what the real module exports (`from sqlalchemy import
            // Bundle` is Python's ImportError: it is `sqlalchemy.orm`'s)
            let exported = exported_names(m);
            if !exported.is_empty() && !exported.contains(&name) {
                return None;
            }
            SQLALCHEMY_NAMES
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, b)| Value::Builtin(b.clone()))
        }
        _ => None,
    }
}

/// `from module import name`: the value, or the error Python (or the tutor,
/// for what it lacks) raises. A submodule (`from sqlalchemy import orm`)
/// comes back as a [`Value::Module`].
pub fn import_from(module: &'static str, name: &str) -> PyResult<Value> {
    let sub = format!("{module}.{name}");
    if let ModuleKind::Known(m) = find_module(&sub) {
        return Ok(Value::Module(m));
    }
    if let Some(v) = tutor_value(module, name) {
        return Ok(v);
    }
    if exported_names(module).contains(&name) || find_module(&sub) == ModuleKind::Unsupported {
        return Err(PyErr::unsupported(format!("'{name}' from '{module}'")));
    }
    Err(PyErr::new(
        ExcType::ImportError,
        format!("cannot import name '{name}' from '{module}'"),
    ))
}

/// `module.name` on a module object: as [`import_from`], but a missing name
/// is Python's `AttributeError`. `imported` tells whether a submodule has
/// been imported (Python binds `sqlalchemy.orm` only once it is).
pub fn module_attr(
    module: &'static str,
    name: &str,
    imported: impl Fn(&str) -> bool,
) -> PyResult<Value> {
    let sub = format!("{module}.{name}");
    if let ModuleKind::Known(m) = find_module(&sub) {
        if imported(m) {
            return Ok(Value::Module(m));
        }
    } else if let Some(v) = tutor_value(module, name) {
        return Ok(v);
    } else if exported_names(module).contains(&name) {
        return Err(PyErr::unsupported(format!("'{module}.{name}'")));
    }
    Err(PyErr::new(
        ExcType::AttributeError,
        format!("module '{module}' has no attribute '{name}'"),
    ))
}

/// The names `from module import *` binds: those the tutor supports.
pub fn star_names(module: &'static str) -> Vec<(&'static str, Value)> {
    exported_names(module)
        .iter()
        .filter_map(|n| tutor_value(module, n).map(|v| (*n, v)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::python::exceptions::test_outcome as err;

    #[test]
    fn a_star_bound_name_the_tutor_lacks_is_known() {
        assert_eq!(star_bound_unsupported("Computed"), Some("sqlalchemy"));
        assert_eq!(star_bound_unsupported("Sequence"), None);
        assert_eq!(star_bound_unsupported("select"), None);
        assert_eq!(star_bound_unsupported("nonsense"), None);
        assert!(star_bound_value("URL").is_some());
        assert!(star_bound_value("nonsense").is_none());
    }

    #[test]
    fn imports_resolve_as_python_does() {
        // Messages as Python 3.11 with SQLAlchemy 2.0 prints them.
        assert_eq!(
            err(import_from("sqlalchemy", "nonsense")),
            "ImportError: cannot import name 'nonsense' from 'sqlalchemy'"
        );
        assert_eq!(
            err(import_module("fastapi")),
            "ModuleNotFoundError: No module named 'fastapi'"
        );
        assert_eq!(
            err(import_module("sqlalchemy.nonsense")),
            "ModuleNotFoundError: No module named 'sqlalchemy.nonsense'"
        );
        assert!(matches!(
            import_from("sqlalchemy.orm", "selectinload"),
            Ok(Value::Builtin(Builtin::Selectinload))
        ));
        assert!(matches!(
            import_from("sqlalchemy.exc", "IntegrityError"),
            Ok(Value::ExceptionClass(ExcType::IntegrityError))
        ));
        assert!(matches!(
            import_from("sqlalchemy", "orm"),
            Ok(Value::Module("sqlalchemy.orm"))
        ));
    }

    #[test]
    fn what_the_tutor_lacks_says_so() {
        assert_eq!(
            err(import_from("sqlalchemy", "Computed")),
            "NotImplementedError: orm-tutor does not support 'Computed' from 'sqlalchemy' yet"
        );
        assert_eq!(
            err(import_module("os")),
            "NotImplementedError: orm-tutor does not support the module 'os' yet"
        );
        assert_eq!(
            err(module_attr("sqlalchemy", "orm", |_| false)),
            "AttributeError: module 'sqlalchemy' has no attribute 'orm'"
        );
        assert!(module_attr("sqlalchemy", "orm", |_| true).is_ok());
        assert_eq!(
            err(import_module("alembic")),
            "NotImplementedError: orm-tutor does not support the module 'alembic' yet"
        );
    }
}
