//! Names bound at start and the built-in functions: Python's (`print`,
//! `len`, `sorted`, …) and SQLAlchemy's (`select`, `func`, `and_`,
//! `joinedload`, `Session`, `Column`, …), as after the usual imports.

use std::rc::Rc;

use crate::orm::expression::{self, SqlExpr};
use crate::orm::mapper::AttrKind;
use crate::orm::query::{Entity, Query, QueryStyle};
use crate::orm::strategy_options::{LoadStep, LoaderOption, Strategy};
use crate::sql::elements::Expr;

use super::eval::Interpreter;
use crate::python::ExcType;
pub use crate::python::builtins::format_spec;
use crate::python::exceptions::{PyErr, PyResult, type_error};
pub use crate::python::types::datetime::datetime_class_method as datetime_method;
use crate::python::value::{Builtin, Value};

/// Python built-ins bound in every namespace (SQLAlchemy's names are in
/// [`crate::sqlalchemy::modules::SQLALCHEMY_NAMES`]).
pub const BUILTIN_NAMES: &[(&str, Builtin)] = &[
    ("print", Builtin::Print),
    ("len", Builtin::Len),
    ("repr", Builtin::Repr),
    ("str", Builtin::Str),
    ("bytes", Builtin::Bytes),
    ("int", Builtin::Int),
    ("float", Builtin::Float),
    ("bool", Builtin::Bool),
    ("list", Builtin::ListType),
    ("tuple", Builtin::TupleType),
    ("dict", Builtin::DictType),
    ("range", Builtin::Range),
    ("sorted", Builtin::Sorted),
    ("sum", Builtin::Sum),
    ("min", Builtin::Min),
    ("max", Builtin::Max),
    ("abs", Builtin::Abs),
    ("round", Builtin::Round),
    ("enumerate", Builtin::Enumerate),
    ("zip", Builtin::Zip),
    ("isinstance", Builtin::IsInstance),
    ("issubclass", Builtin::IsSubclass),
    ("type", Builtin::Type),
    ("any", Builtin::Any),
    ("all", Builtin::All),
    ("id", Builtin::Id),
    ("reversed", Builtin::Reversed),
    ("hasattr", Builtin::Hasattr),
    ("setattr", Builtin::Setattr),
    ("delattr", Builtin::Delattr),
    ("callable", Builtin::Callable),
    ("vars", Builtin::Vars),
    ("divmod", Builtin::Divmod),
    ("iter", Builtin::Iter),
    ("next", Builtin::Next),
    ("map", Builtin::Map),
    ("filter", Builtin::Filter),
    ("dir", Builtin::Dir),
    ("help", Builtin::Help),
    ("getattr", Builtin::Getattr),
    ("datetime", Builtin::DateTime),
    ("date", Builtin::Date),
    ("set", Builtin::SetType),
    ("frozenset", Builtin::FrozenSetType),
    ("ord", Builtin::Ord),
    ("chr", Builtin::Chr),
    ("bin", Builtin::Bin),
    ("hex", Builtin::Hex),
    ("oct", Builtin::Oct),
    ("pow", Builtin::Pow),
    ("format", Builtin::Format),
];

/// Binds the built-ins and exception classes into `interp`'s globals.
pub fn bind_defaults(interp: &mut Interpreter) {
    for (name, b) in BUILTIN_NAMES {
        interp
            .globals
            .insert((*name).to_string(), Value::Builtin(b.clone()));
    }
    for (name, b) in crate::sqlalchemy::modules::SQLALCHEMY_NAMES {
        interp
            .globals
            .insert((*name).to_string(), Value::Builtin(b.clone()));
    }
    // `decimal`'s exception classes are that module's names, not builtins
    for exc in ExcType::ALL
        .iter()
        .filter(|e| e.is_exception() && e.module() != "decimal")
    {
        interp
            .globals
            .insert(exc.name().to_string(), Value::ExceptionClass(*exc));
    }
    // `NotImplemented` (the sentinel a binary special method returns) and
    // `Ellipsis` (`...`), as the constants `repr` shows by name
    for (name, class) in [
        ("NotImplemented", "NotImplementedType"),
        ("Ellipsis", "ellipsis"),
    ] {
        interp
            .globals
            .insert(name.to_string(), Value::PyType(Rc::from(class)));
    }
    super::classes::bind_builtins(interp);
}

fn arity(name: &str, args: &[Value], min: usize, max: usize) -> PyResult<()> {
    if args.len() < min || args.len() > max {
        let expected = if min == max {
            format!("exactly {min} argument{}", if min == 1 { "" } else { "s" })
        } else if args.len() < min {
            format!("at least {min} argument{}", if min == 1 { "" } else { "s" })
        } else {
            format!("at most {max} argument{}", if max == 1 { "" } else { "s" })
        };
        return Err(type_error(format!(
            "{name}() takes {expected} ({} given)",
            args.len()
        )));
    }
    Ok(())
}

fn no_kwargs(name: &str, kwargs: &[(String, Value)]) -> PyResult<()> {
    if let Some((k, _)) = kwargs.first() {
        return Err(type_error(format!(
            "{name}() got an unexpected keyword argument '{k}'"
        )));
    }
    Ok(())
}

/// `callable(obj)`, `setattr(obj, name, value)`, `delattr(obj, name)`,
/// `vars(obj)`, as Python's, with their `TypeError`s for wrong arguments
/// (`setattr expected 3 arguments, got 2`, `attribute name must be
/// string, not 'int'`, `vars() argument must have __dict__ attribute`).
/// `vars()` of the running namespace and of objects with an instance
/// `__dict__` (a mapped object's holds its `_sa_instance_state`) are
/// `NotImplementedError`; a function's is `{}`.
fn reflection(
    interp: &mut Interpreter,
    b: &Builtin,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<Value> {
    use crate::python::signature::{ArgStyle, Signature};
    const CALLABLE: Signature = Signature::builtin("callable", &["obj", "/"], ArgStyle::Exact);
    const SETATTR: Signature = Signature::builtin(
        "setattr",
        &["obj", "name", "value", "/"],
        ArgStyle::Expected,
    );
    const VARS: Signature = Signature::builtin("vars", &["object=", "/"], ArgStyle::Expected);
    const DELATTR: Signature =
        Signature::builtin("delattr", &["obj", "name", "/"], ArgStyle::Expected);
    let name = |v: Value| match v {
        Value::Str(s) => Ok(s.to_string()),
        other => Err(type_error(format!(
            "attribute name must be string, not '{}'",
            other.type_name()
        ))),
    };
    match b {
        Builtin::Callable => {
            let bound = CALLABLE.bind(args, kwargs)?;
            Ok(Value::Bool(interp.is_callable(&bound.value("obj"))))
        }
        Builtin::Vars => {
            let bound = VARS.bind(args, kwargs)?;
            match bound.get("object") {
                None => Err(PyErr::unsupported("vars() without an argument")),
                Some(Value::Function(_)) => Ok(crate::python::value::DictObj::value(Vec::new())),
                // A learner's object's live `__dict__`; a class's copy.
                Some(v) if let Some(i) = v.downcast::<crate::python::class::PyInstance>() => {
                    Ok(Value::Dict(i.dict.clone()))
                }
                Some(v) if v.downcast::<crate::python::class::PyClass>().is_some() => {
                    super::methods::get_attr(interp, v, "__dict__")
                }
                Some(
                    Value::None
                    | Value::Bool(_)
                    | Value::Int(_)
                    | Value::Float(_)
                    | Value::Str(_)
                    | Value::List(_)
                    | Value::Tuple(_)
                    | Value::Dict(_)
                    | Value::Set(..),
                ) => Err(type_error("vars() argument must have __dict__ attribute")),
                Some(v) => Err(PyErr::unsupported(format!(
                    "vars() of a {} object",
                    v.type_name()
                ))),
            }
        }
        Builtin::Setattr => {
            let bound = SETATTR.bind(args, kwargs)?;
            let attr = name(bound.value("name"))?;
            super::methods::set_attr(interp, &bound.value("obj"), &attr, bound.value("value"))?;
            Ok(Value::None)
        }
        _ => {
            let bound = DELATTR.bind(args, kwargs)?;
            let attr = name(bound.value("name"))?;
            super::eval::delete_attr(&bound.value("obj"), &attr)?;
            Ok(Value::None)
        }
    }
}

/// A loader option from `joinedload(User.messages)` and friends.
pub fn loader_option(
    strategy: Strategy,
    args: &[Value],
    base: Option<&LoaderOption>,
) -> PyResult<Value> {
    let name = strategy.function_name();
    if args.len() != 1 {
        return Err(type_error(format!(
            "{name}() takes exactly one relationship attribute"
        )));
    }
    let attr = match &args[0] {
        v if let Some(a) = v.downcast::<crate::orm::mapper::AttrRef>()
            && matches!(a.kind, AttrKind::Relationship(_)) =>
        {
            (*a).clone()
        }
        v if let Some(a) = v.downcast::<crate::orm::mapper::AttrRef>() => {
            return Err(PyErr::new(
                ExcType::ArgumentError,
                format!(
                    "{name}() needs a relationship attribute; {} is a column",
                    a.qualified_name()
                ),
            ));
        }
        Value::Str(s) => {
            return Err(PyErr::new(
                ExcType::ArgumentError,
                format!(
                    "Strings are not accepted for attribute names in loader options; please use class-bound attributes directly, such as {name}(User.{s})"
                ),
            ));
        }
        other => {
            return Err(PyErr::new(
                ExcType::ArgumentError,
                format!(
                    "{name}() expects a relationship attribute such as User.messages, got {}",
                    other.type_name()
                ),
            ));
        }
    };
    let mut path = base.map(|b| b.path.clone()).unwrap_or_default();
    if let Some(last) = path.last()
        && let AttrKind::Relationship(rel) = &last.attr.kind
    {
        let target = rel.resolve()?.target.clone();
        if !Rc::ptr_eq(&target, &attr.mapper) {
            return Err(PyErr::new(
                ExcType::ArgumentError,
                format!(
                    "Mapped attribute '{}' does not apply to any of the root entities in this query, e.g. mapped class {}->{}. Please specify the full path from one of the root entities to the target attribute.",
                    attr.qualified_name(),
                    target.class_name,
                    target.table.name
                ),
            ));
        }
    }
    // `.and_()` criteria reach the joined, selectin, subquery and lazy loads.
    if attr.criteria.is_some()
        && !matches!(
            strategy,
            Strategy::Joined | Strategy::Selectin | Strategy::Subquery | Strategy::Lazy
        )
    {
        return Err(PyErr::unsupported(format!(
            "{name}() of a relationship with .and_() criteria"
        )));
    }
    path.push(LoadStep::new(strategy, attr));
    Ok(Value::native(LoaderOption {
        path,
        wildcard: None,
        column: None,
        loader_criteria: None,
    }))
}

/// Entities of `select(...)` / `session.query(...)`.
pub fn entities(args: &[Value], fname: &str) -> PyResult<Vec<Entity>> {
    let mut out = Vec::new();
    for a in args {
        match a {
            v if let Some(m) = crate::sqlalchemy::objects::as_class(v) => {
                out.push(Entity::Mapper(m, None, None))
            }
            v if expression::is_sql(v) => out.push(Entity::Column(expression::coerce(a, None)?)),
            // `select(text("'tag'"), User.name)`: the fragment as written,
            // a column without a key in the ORM's rows.
            v if v.downcast::<crate::sql::elements::TextClause>().is_some() => {
                let mut c = expression::coerce(a, None)?;
                c.key = Some(crate::python::value::Row::NO_KEY.to_string());
                out.push(Entity::Column(c));
            }
            v if let Some(e) = crate::sqlalchemy::aliased::entities(v) => out.extend(e),
            v if let Some(b) = v.downcast::<crate::orm::util::Bundle>() => {
                out.push(Entity::Bundle(b))
            }
            // `select(table.c["id", "name"])`, `select(table.c)`
            v if let Some((t, ix)) = crate::sqlalchemy::table::column_collection(v) => {
                let from = crate::sql::elements::Selectable::Table(t.clone());
                for i in ix {
                    let c = &t.columns[i];
                    out.push(Entity::Column(SqlExpr {
                        expr: Expr::column(&from, i),
                        ty: Some(c.sql_type.clone()),
                        key: Some(c.name.clone()),
                        id: crate::orm::expression::fresh_expr_id(),
                    }));
                }
            }
            v if let Some(t) = crate::sqlalchemy::objects::as_table(v) => {
                let from = crate::sql::elements::Selectable::Table(t.clone());
                for (i, c) in t.columns.iter().enumerate() {
                    out.push(Entity::Column(SqlExpr {
                        expr: Expr::column(&from, i),
                        ty: Some(c.sql_type.clone()),
                        key: Some(c.name.clone()),
                        id: crate::orm::expression::fresh_expr_id(),
                    }));
                }
            }
            v if let Some(sq) = v.downcast::<crate::sqlalchemy::subquery::SubqueryObj>() => {
                for key in sq.keys.iter().flatten() {
                    out.push(Entity::Column(expression::coerce(&sq.column(key)?, None)?));
                }
            }
            Value::List(l) if args.len() == 1 => {
                let items = l.items.borrow().clone();
                return entities(&items, fname);
            }
            other => {
                return Err(PyErr::new(
                    ExcType::ArgumentError,
                    format!(
                        "Column expression, FROM clause, or other columns clause element expected, got {}. Did you mean to say select({})? ({fname}() takes classes like User or columns like User.name)",
                        crate::python::format::repr_plain(other),
                        crate::python::format::repr_plain(other)
                    ),
                ));
            }
        }
    }
    if out.is_empty() {
        return Err(type_error(format!(
            "{fname}() needs at least one entity or column"
        )));
    }
    Ok(out)
}

/// Calls a built-in function.
pub fn call_builtin(
    interp: &mut Interpreter,
    b: &Builtin,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<Value> {
    if super::introspect::is_introspection(b) {
        super::introspect::no_kwargs(b, &kwargs)?;
        return match b {
            Builtin::Dir => super::introspect::dir(interp, &args),
            _ => super::introspect::help(interp, &args),
        };
    }
    if crate::python::builtins::signature(b).is_some() {
        return crate::python::builtins::call(interp, b, args, kwargs)
            .unwrap_or_else(|| Err(type_error("built-in without a body")));
    }
    match b {
        Builtin::Select => {
            no_kwargs("select", &kwargs)?;
            let ents = entities(&args, "select")?;
            Ok(Value::native(Query::new(QueryStyle::Select, ents)))
        }
        Builtin::Func => Err(type_error(
            "'_FunctionGenerator' object is not callable; use func.count(...), func.max(...)",
        )),
        Builtin::SqlFunction(name) => sql_function(name, &args, &kwargs),
        Builtin::And | Builtin::Or => expression::and_or(&args, matches!(b, Builtin::Or)),
        Builtin::Not => {
            arity("not_", &args, 1, 1)?;
            expression::negate(&args[0])
        }
        Builtin::Desc | Builtin::Asc | Builtin::Distinct => order_modifier(b, &args),
        Builtin::Literal => {
            arity("literal", &args, 1, 1)?;
            // `BindParameter(None, value, unique=True)`: keyed `param`.
            let mut e = expression::coerce(&args[0], None)?;
            if let Expr::Bind(b) = &mut e.expr {
                b.key = Some("param");
            }
            Ok(Value::native(e))
        }
        Builtin::True_ => Ok(expression::sql(
            Expr::True,
            Some(crate::sql::schema::SqlType::Boolean),
        )),
        Builtin::False_ => Ok(expression::sql(
            Expr::False,
            Some(crate::sql::schema::SqlType::Boolean),
        )),
        Builtin::Null => Ok(expression::sql(Expr::Null, None)),
        Builtin::Joinedload => crate::sqlalchemy::strategy_options::loader_option(
            Strategy::Joined,
            &args,
            kwargs,
            None,
        ),
        Builtin::Selectinload => crate::sqlalchemy::strategy_options::loader_option(
            Strategy::Selectin,
            &args,
            kwargs,
            None,
        ),
        Builtin::Subqueryload => crate::sqlalchemy::strategy_options::loader_option(
            Strategy::Subquery,
            &args,
            kwargs,
            None,
        ),
        Builtin::Lazyload => {
            crate::sqlalchemy::strategy_options::loader_option(Strategy::Lazy, &args, kwargs, None)
        }
        Builtin::Raiseload => {
            crate::sqlalchemy::strategy_options::loader_option(Strategy::Raise, &args, kwargs, None)
        }
        Builtin::Noload => crate::sqlalchemy::strategy_options::loader_option(
            Strategy::Noload,
            &args,
            kwargs,
            None,
        ),
        Builtin::Inspect => inspect(&args),
        Builtin::SessionClass => crate::sqlalchemy::session::construct(
            interp,
            crate::orm::session::SessionConfig::default(),
            None,
            args,
            kwargs,
        ),
        Builtin::Sessionmaker => crate::sqlalchemy::session::sessionmaker(args, kwargs),
        Builtin::CreateEngine => crate::sqlalchemy::engine::create_engine(interp, args, kwargs),
        Builtin::DeclarativeBaseMoved => {
            crate::python::warnings::moved_in_20(
                "declarative_base()",
                "sqlalchemy.orm.declarative_base()",
            );
            call_builtin(interp, &Builtin::DeclarativeBase, args, kwargs)
        }
        Builtin::DeclarativeBase => Ok(Value::Native(Rc::new(
            crate::orm::mapper::Registry::default(),
        ))),
        Builtin::Aliased => crate::sqlalchemy::aliased::aliased(args, kwargs),
        Builtin::Schema(kind) => crate::sqlalchemy::schema::schema_call(interp, kind, args, kwargs),
        Builtin::Core("with_loader_criteria") => {
            crate::sqlalchemy::strategy_options::with_loader_criteria(interp, args, kwargs)
        }
        Builtin::Core("configure_mappers") => {
            crate::python::signature::Signature::function("configure_mappers", &[])
                .bind(args, kwargs)?;
            super::models::configure_mappers(interp).map(|()| Value::None)
        }
        Builtin::Core(name) if name.starts_with("event.") => {
            crate::sqlalchemy::event::call(interp, name, args, kwargs)
        }
        Builtin::Core(name) => crate::sqlalchemy::core::core_call(name, args, kwargs),
        Builtin::Update | Builtin::Delete | Builtin::Insert => dml_statement(b, &args),
        Builtin::Callable | Builtin::Setattr | Builtin::Delattr | Builtin::Vars => {
            reflection(interp, b, args, kwargs)
        }
        // Python's own built-ins ran above, from `crate::python::builtins`.
        _ => Err(type_error("built-in without a body")),
    }
}

/// `func.name(*args, type_=None)`: a SQL function call, typed as
/// SQLAlchemy's `GenericFunction`s are (`count` → Integer, `max` → its
/// argument's type) unless `type_` says otherwise. A list argument is one
/// bound parameter (`percentile_disc([0.5, 1])`).
fn sql_function(name: &str, args: &[Value], kwargs: &[(String, Value)]) -> PyResult<Value> {
    let mut exprs = Vec::new();
    for a in args {
        if let Value::List(l) = a {
            let mut items = Vec::new();
            for v in l.items.borrow().iter() {
                items.push(expression::bind_value(v, None)?);
            }
            exprs.push(Expr::Bind(
                crate::sql::schema::SqlValue::Array(items).into(),
            ));
            continue;
        }
        exprs.push(expression::coerce(a, None)?.expr);
    }
    let mut type_override = None;
    for (k, v) in kwargs {
        match k.as_str() {
            "type_" => {
                type_override = Some(crate::sqlalchemy::schema::type_of(v).ok_or_else(|| {
                    PyErr::unsupported(format!(
                        "{} as a SQL type",
                        crate::python::format::repr_plain(v)
                    ))
                })?)
            }
            other => {
                return Err(PyErr::unsupported(format!("func.{name}({other}=...)")));
            }
        }
    }
    let first_ty = match args.first() {
        Some(a) => expression::coerce(a, None).ok().and_then(|e| e.ty),
        None => None,
    };
    // SQLAlchemy's `GenericFunction` registry (`sql/functions.py`); any
    // other name is a plain `Function` of `NullType`, whose results come back
    // as the driver gives them (`func.date(...)` is a `str` on SQLite).
    use crate::sql::schema::SqlType;
    let ty = match name.to_lowercase().as_str() {
        "count" | "char_length" | "rank" | "dense_rank" => Some(SqlType::Integer),
        "max" | "min" | "sum" | "coalesce" => first_ty,
        "concat" | "current_user" | "session_user" | "user" => Some(SqlType::String(None)),
        "now" | "current_timestamp" | "localtime" | "localtimestamp" | "sysdate" => {
            Some(SqlType::DateTime)
        }
        "current_date" => Some(SqlType::Date),
        _ => None,
    };
    let ty = type_override.or(ty);
    Ok(Value::native(SqlExpr {
        expr: Expr::Function {
            name: name.to_string(),
            args: exprs,
        },
        ty,
        key: Some(name.to_string()),
        id: crate::orm::expression::fresh_expr_id(),
    }))
}

/// `desc(x)`, `asc(x)`, `distinct(x)`: of a column, or of a label's name
/// (`desc("n")`).
fn order_modifier(b: &Builtin, args: &[Value]) -> PyResult<Value> {
    let name = match b {
        Builtin::Desc => "desc",
        Builtin::Asc => "asc",
        _ => "distinct",
    };
    arity(name, args, 1, 1)?;
    if let Value::Str(label) = &args[0] {
        let inner = Box::new(Expr::LabelRef(label.to_string()));
        let e = match b {
            Builtin::Desc => Expr::Desc(inner),
            Builtin::Asc => Expr::Asc(inner),
            _ => Expr::Distinct(inner),
        };
        return Ok(expression::sql(e, None));
    }
    match expression::column_method(&args[0], name, &[], &[]) {
        Some(r) => r,
        None => Err(type_error(format!("{name}() needs a column"))),
    }
}

/// `inspect(obj)`: an instance's `InstanceState`, the mapped class's `Mapper`, an
/// engine's or connection's `Inspector`; `NoInspectionAvailable` otherwise, as SQLAlchemy's `inspect()`.
fn inspect(args: &[Value]) -> PyResult<Value> {
    arity("inspect", args, 1, 1)?;
    match &args[0] {
        inst if let Some(o) = crate::orm::state::as_instance(inst) => Ok(Value::native(
            crate::sqlalchemy::objects::InstanceState(o.clone()),
        )),
        v if let Some(m) = crate::sqlalchemy::objects::as_class(v) => {
            Ok(crate::sqlalchemy::mapper_inspection::mapper_view(&m))
        }
        v if let Some(i) = crate::sqlalchemy::inspector::inspect(v) => Ok(i),
        other => Err(PyErr::new(
            ExcType::NoInspectionAvailable,
            format!(
                "No inspection system is available for object of type {}",
                other.type_name()
            ),
        )),
    }
}

/// `update(User)`, `delete(User)`, `insert(User)`: an ORM-enabled DML
/// statement on a mapped class.
fn dml_statement(b: &Builtin, args: &[Value]) -> PyResult<Value> {
    let (kind, name) = match b {
        Builtin::Update => (crate::orm::bulk::DmlKind::Update, "update"),
        Builtin::Delete => (crate::orm::bulk::DmlKind::Delete, "delete"),
        _ => (crate::orm::bulk::DmlKind::Insert, "insert"),
    };
    arity(name, args, 1, 1)?;
    match &args[0] {
        v if let Some(m) = crate::sqlalchemy::objects::as_class(v) => Ok(Value::native(
            crate::orm::bulk::DmlStatement::new(kind, m.clone()),
        )),
        // Core: `insert(user_table)`, as `user_table.insert()`.
        v if let Some(t) = crate::sqlalchemy::objects::as_table(v) => Ok(Value::native(
            crate::orm::bulk::DmlStatement::on_table(kind, t.clone()),
        )),
        other => Err(PyErr::new(
            ExcType::ArgumentError,
            format!(
                "{name}() takes a mapped class such as User, got {}",
                crate::python::format::repr_plain(other)
            ),
        )),
    }
}
