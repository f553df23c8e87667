//! Python's `repr()` and `str()` of every value. Objects of a class with
//! its own `__repr__` are formatted by the interpreter, which passes a hook.

use std::rc::Rc;

use super::exceptions::PyResult;
use super::recursion;
use super::value::{
    Builtin, Value, bytes_repr, date_repr, datetime_repr, datetime_str, float_repr, str_repr,
};

/// Formats an object of the rooms above (a [`Value::Native`]) with its
/// class's own `__repr__`, or `None` for the type's [`super::PyObject::repr`].
pub type ReprHook<'a> = dyn FnMut(&Value) -> PyResult<Option<String>> + 'a;

fn addr<T: ?Sized>(p: *const T) -> usize {
    p as *const u8 as usize
}

/// What `func`'s `repr` shows the address of.
static FUNCTION_GENERATOR: u8 = 0;

/// An object's address as CPython's `repr` shows it (`0x7f…`).
pub fn address_of<T: ?Sized>(p: *const T) -> String {
    format!("0x{:012x}", (p as *const u8 as usize) & 0xffff_ffff_ffff)
}

/// `repr(v)`, calling `hook` for mapped objects.
pub fn repr_with(v: &Value, hook: &mut ReprHook<'_>) -> PyResult<String> {
    Ok(match v {
        Value::None => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Int(i) => i.to_string(),
        Value::BigInt(n) => super::bigint::to_decimal(n)?,
        Value::Float(f) => float_repr(*f),
        Value::Str(s) => str_repr(s),
        Value::Bytes(b) => bytes_repr(b),
        Value::List(l) => guarded_repr(addr(Rc::as_ptr(l)), "[...]", || {
            let items = l.items.borrow().clone();
            let mut parts = Vec::with_capacity(items.len());
            for i in &items {
                parts.push(repr_with(i, hook)?);
            }
            Ok(format!("[{}]", parts.join(", ")))
        })?,
        Value::Tuple(t) => guarded_repr(addr(t.as_ptr()), "(...)", || tuple_repr(t, hook))?,
        Value::Row(r) => {
            guarded_repr(addr(Rc::as_ptr(r)), "(...)", || tuple_repr(&r.values, hook))?
        }
        Value::Dict(d) => guarded_repr(addr(Rc::as_ptr(d)), "{...}", || {
            if let Some(r) = super::collections::dict_repr(&d.borrow(), &mut |v| repr_with(v, hook))
            {
                return r;
            }
            let items = d.borrow().to_vec();
            let mut parts = Vec::with_capacity(items.len());
            for (k, v) in &items {
                parts.push(format!("{}: {}", repr_with(k, hook)?, repr_with(v, hook)?));
            }
            Ok(format!("{{{}}}", parts.join(", ")))
        })?,
        Value::Set(s, kind) => guarded_repr(addr(Rc::as_ptr(s)), "{...}", || {
            let items = s.items.borrow().clone();
            let mut parts = Vec::with_capacity(items.len());
            for i in &items {
                parts.push(repr_with(i, hook)?);
            }
            Ok(match kind {
                super::value::SetKind::Identity => format!("IdentitySet([{}])", parts.join(", ")),
                super::value::SetKind::Plain if parts.is_empty() => "set()".to_string(),
                super::value::SetKind::Plain => format!("{{{}}}", parts.join(", ")),
                super::value::SetKind::Frozen if parts.is_empty() => "frozenset()".to_string(),
                super::value::SetKind::Frozen => format!("frozenset({{{}}})", parts.join(", ")),
            })
        })?,
        Value::DateTime(dt) => datetime_repr(dt),
        Value::Date(d) => date_repr(d),
        Value::Time(t) => super::types::time::repr(t),
        Value::TimeDelta(t) => t.repr(),
        Value::Decimal(d) => super::types::decimal::repr(d),
        Value::Native(o) => match hook(v)? {
            Some(s) => s,
            None => o.repr(),
        },
        other => repr_plain(other),
    })
}

/// The repr of the container at `address` by `body`, or `placeholder`
/// (`[...]`) when that container is already being printed further up, as
/// CPython's `Py_ReprEnter`; `RecursionError` past the recursion limit.
fn guarded_repr(
    address: usize,
    placeholder: &str,
    body: impl FnOnce() -> PyResult<String>,
) -> PyResult<String> {
    let Some(_entered) = recursion::repr_enter(address) else {
        return Ok(placeholder.to_string());
    };
    let Some(_level) = recursion::Level::enter() else {
        recursion::take_exceeded();
        return Err(recursion::recursion_error(
            " while getting the repr of an object",
        ));
    };
    body()
}

fn tuple_repr(items: &[Value], hook: &mut ReprHook<'_>) -> PyResult<String> {
    let mut parts = Vec::with_capacity(items.len());
    for i in items {
        parts.push(repr_with(i, hook)?);
    }
    Ok(if parts.len() == 1 {
        format!("({},)", parts[0])
    } else {
        format!("({})", parts.join(", "))
    })
}

/// `repr(v)` with Python's default repr for every mapped object.
pub fn repr_plain(v: &Value) -> String {
    match v {
        Value::None
        | Value::Bool(_)
        | Value::Int(_)
        | Value::BigInt(_)
        | Value::Float(_)
        | Value::Str(_)
        | Value::Bytes(_)
        | Value::List(_)
        | Value::Tuple(_)
        | Value::Row(_)
        | Value::Dict(_)
        | Value::Set(..)
        | Value::DateTime(_)
        | Value::Date(_)
        | Value::Time(_)
        | Value::TimeDelta(_)
        | Value::Decimal(_) => repr_with(v, &mut |_| Ok(None)).unwrap_or_default(),
        Value::Builtin(Builtin::SessionClass) => "<class 'sqlalchemy.orm.session.Session'>".into(),
        Value::Builtin(Builtin::DateTime) => "<class 'datetime.datetime'>".into(),
        Value::Builtin(Builtin::Date) => "<class 'datetime.date'>".into(),
        Value::Builtin(Builtin::TimeOfDay) => "<class 'datetime.time'>".into(),
        Value::Builtin(Builtin::TimeDelta) => "<class 'datetime.timedelta'>".into(),
        Value::Builtin(Builtin::Decimal) => "<class 'decimal.Decimal'>".into(),
        // `func` and `func.name` are `_FunctionGenerator`s; the tutor's
        // hold no object of their own, so they show one fixed address.
        Value::Builtin(Builtin::Func | Builtin::SqlFunction(_)) => format!(
            "<sqlalchemy.sql.functions._FunctionGenerator object at {}>",
            address_of(&FUNCTION_GENERATOR as *const u8)
        ),
        Value::Builtin(Builtin::Schema(name)) if let Some(module) = schema_class_module(name) => {
            format!("<class '{module}.{name}'>")
        }
        Value::Builtin(b) if let Some(name) = b.class_name() => format!("<class '{name}'>"),
        // `json.dumps`/`json.loads` are Python functions in CPython
        Value::Builtin(Builtin::Json(name)) => format!(
            "<function {name} at {}>",
            address_of(super::json::JSON_FUNCTIONS.as_ptr())
        ),
        Value::Builtin(Builtin::Itertools("chain.from_iterable")) => {
            "<built-in method from_iterable of type object>".into()
        }
        Value::Builtin(Builtin::Itertools(name)) => format!("<class 'itertools.{name}'>"),
        // the module's functions are methods of its hidden `Random`
        Value::Builtin(Builtin::Random(name)) => format!(
            "<bound method Random.{name} of <random.Random object at {}>>",
            address_of(super::random::RANDOM_FUNCTIONS.as_ptr())
        ),
        Value::Builtin(b) => format!("<built-in function {}>", builtin_name(b)),
        Value::Method(m) => format!("<bound method {} of {}>", m.name, repr_plain(&m.receiver)),
        Value::Function(f) => format!(
            "<function {} at {}>",
            f.qualname,
            address_of(std::rc::Rc::as_ptr(f))
        ),
        Value::ExceptionClass(exc) => exc.class_repr(),
        Value::Exception(e) => match e.group() {
            // Python 3.11's `BaseExceptionGroup.__repr__`: message and list.
            Some(g) => {
                let members: Vec<String> = g
                    .exceptions
                    .iter()
                    .map(|x| repr_plain(&super::class::exception_value(x)))
                    .collect();
                let members = match (g.as_tuple, members.len()) {
                    (true, 1) => format!("({},)", members[0]),
                    (true, _) => format!("({})", members.join(", ")),
                    (false, _) => format!("[{}]", members.join(", ")),
                };
                format!("{}({}, {members})", e.type_name(), str_repr(&g.message))
            }
            // A KeyError's message is already its argument's repr.
            None if e.is_instance_of(super::ExcType::KeyError) && !e.message.is_empty() => {
                format!("{}({})", e.type_name(), e.message)
            }
            None => format!("{}({})", e.type_name(), str_repr(&e.message)),
        },
        // the singletons `NotImplemented` and `Ellipsis`
        Value::PyType(t) if &**t == "NotImplementedType" => "NotImplemented".into(),
        Value::PyType(t) if &**t == "ellipsis" => "Ellipsis".into(),
        Value::PyType(t) => format!("<class '{t}'>"),
        Value::Module(m) => format!("<module '{m}'>"),
        Value::Native(o) => o.repr(),
    }
}

/// `str(v)`, calling `hook` for mapped objects.
pub fn str_with(v: &Value, hook: &mut ReprHook<'_>) -> PyResult<String> {
    Ok(match v {
        Value::Str(s) => s.to_string(),
        Value::DateTime(dt) => datetime_str(dt),
        Value::Date(d) => d.format("%Y-%m-%d").to_string(),
        Value::Time(t) => super::types::time::to_str(t),
        Value::TimeDelta(t) => t.to_str(),
        Value::Decimal(d) => super::types::decimal::to_str(d),
        Value::Exception(e) => e.message.clone(),
        // str() of a Core expression or select() uses SQLAlchemy's default
        // dialect (`:name_1` parameters); a legacy Query is bound to the
        // session's SQLite engine and prints SQLite's form.
        Value::Native(o) => match hook(v)? {
            Some(s) => s,
            None => o.str(),
        },
        other => repr_with(other, hook)?,
    })
}

/// `str(v)` with default reprs for mapped objects.
pub fn str_plain(v: &Value) -> String {
    str_with(v, &mut |_| Ok(None)).unwrap_or_default()
}

/// The module of a SQLAlchemy class the tutor holds as a
/// `Builtin::Schema` (`Integer` → `sqlalchemy.sql.sqltypes`, `Column` →
/// `sqlalchemy.sql.schema`), for its `<class '…'>` repr; `None` for the
/// functions (`relationship`, `mapped_column`, …).
fn schema_class_module(name: &str) -> Option<&'static str> {
    Some(match name {
        "Column"
        | "ForeignKey"
        | "Table"
        | "MetaData"
        | "Sequence"
        | "Identity"
        | "Index"
        | "CheckConstraint"
        | "UniqueConstraint"
        | "PrimaryKeyConstraint"
        | "ForeignKeyConstraint" => "sqlalchemy.sql.schema",
        "DeclarativeBase" | "MappedAsDataclass" | "registry" => "sqlalchemy.orm.decl_api",
        "Mapped" => "sqlalchemy.orm.base",
        "hybrid_property" => "sqlalchemy.ext.hybrid",
        _ if name.starts_with(|c: char| c.is_ascii_uppercase()) => "sqlalchemy.sql.sqltypes",
        _ => return None,
    })
}

/// The name a built-in function prints as.
pub fn builtin_name(b: &Builtin) -> String {
    if let Builtin::Core(name)
    | Builtin::Schema(name)
    | Builtin::Time(name)
    | Builtin::Math(name)
    | Builtin::Random(name)
    | Builtin::Itertools(name)
    | Builtin::Json(name) = b
    {
        // `sqlalchemy.orm.join` is `Core("orm.join")`
        return name
            .trim_start_matches("orm.")
            .trim_start_matches("event.")
            .to_string();
    }
    let s = format!("{b:?}");
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out.trim_end_matches('_').to_string()
}

#[cfg(test)]
mod builtin_name_tests {
    use super::*;

    #[test]
    fn named_constructors_print_their_python_name() {
        assert_eq!(builtin_name(&Builtin::Core("case")), "case");
        assert_eq!(builtin_name(&Builtin::Schema("Column")), "Column");
        assert_eq!(
            repr_plain(&Value::Builtin(Builtin::Schema("Integer"))),
            "<class 'sqlalchemy.sql.sqltypes.Integer'>"
        );
        assert_eq!(
            repr_plain(&Value::Builtin(Builtin::Schema("Column"))),
            "<class 'sqlalchemy.sql.schema.Column'>"
        );
        assert_eq!(
            repr_plain(&Value::Builtin(Builtin::Schema("relationship"))),
            "<built-in function relationship>"
        );
        assert_eq!(builtin_name(&Builtin::Select), "select");
    }
}
